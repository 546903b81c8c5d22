//! Tests of the AAF parser against the shared fixtures (`shared/fixtures/README.md` §1) and
//! against hostile or random input.

use std::path::{Path, PathBuf};

use jiff::civil::date;
use proptest::prelude::*;

use super::*;
use crate::model::directory::{EstablishmentKind, Relation, Role, StaffFunction};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures/aaf");

fn fixtures() -> PathBuf {
    PathBuf::from(FIXTURES)
}

fn complet(category: &str) -> PathBuf {
    fixtures().join(format!(
        "ENT2D_0639999Z_Complet_20250901_{category}_0000.xml"
    ))
}

fn parse_dir(dir: &Path) -> Vec<AafFile> {
    let selection = select_files(dir).unwrap();
    selection
        .files
        .iter()
        .map(|f| parse_file(&f.path).unwrap())
        .collect()
}

fn added<T: Clone, P>(records: &[AafRecord<T, P>]) -> Vec<(String, T)> {
    records
        .iter()
        .map(|r| {
            assert_eq!(r.operation(), Operation::Add, "{}", r.id);
            (r.id.clone(), r.added().unwrap().clone())
        })
        .collect()
}

fn students(file: &AafFile) -> &[AafRecord<Student, StudentPatch>] {
    match &file.records {
        AafRecords::Students(r) => r,
        other => panic!("students expected, got {other:?}"),
    }
}

fn sref(code: &str) -> StructRef {
    StructRef {
        structure_id: "63999".into(),
        code: code.into(),
    }
}

#[test]
fn selects_the_complet_in_import_order_and_ignores_the_rest() {
    let selection = select_files(&fixtures()).unwrap();
    let order: Vec<Category> = selection.files.iter().map(|f| f.name.category).collect();
    assert_eq!(order, Category::IN_IMPORT_ORDER);
    for f in &selection.files {
        assert_eq!(f.name.kind, ExportKind::Complet);
        assert_eq!(f.name.date, date(2025, 9, 1));
        assert_eq!(f.name.prefix, "ENT2D_0639999Z");
        assert_eq!(f.name.sequence, 0);
    }
    // Subdirectories (delta/, iso-8859-15/) are not read and not listed.
    assert_eq!(selection.ignored, vec!["hostile_xxe.xml".to_owned()]);
}

#[test]
fn file_names() {
    let parse = |n: &str| AafFileName::parse(n).unwrap();
    let d = parse("X_Delta_20250915_Eleve_0003.xml").unwrap();
    assert_eq!(
        (d.prefix.as_str(), d.kind, d.date, d.category, d.sequence),
        (
            "X",
            ExportKind::Delta,
            date(2025, 9, 15),
            Category::Eleve,
            3
        )
    );
    assert_eq!(
        parse("_Complet_20250901_EtabEducNat_0000.xml")
            .unwrap()
            .prefix,
        ""
    );
    for not_aaf in [
        "hostile_xxe.xml",
        "Complet_20250901_Eleve_0000.xml",
        "X_Complet_20250901_Eleve_0000.XML",
        "X_Complet_2025091_Eleve_0000.xml",
        "X_Complet_20250901_Eleves_0000.xml",
        "X_Full_20250901_Eleve_0000.xml",
        "X_Complet_20250901_Eleve_000.xml",
        "X_Complet_20250901_Eleve_0000.xml.bak",
        "X_Complet_20250901_Eleve_0000_xml",
    ] {
        assert_eq!(parse(not_aaf), None, "{not_aaf}");
    }
    assert!(matches!(
        AafFileName::parse("X_Complet_20250231_Eleve_0000.xml"),
        Err(AafError::FileName { .. })
    ));
}

#[test]
fn deltas_come_after_the_complet_by_date_and_category() {
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "A_Delta_20251001_Eleve_0000.xml",
        "A_Delta_20250915_Eleve_0000.xml",
        "A_Delta_20250915_EtabEducNat_0000.xml",
        "A_Complet_20250901_Eleve_0000.xml",
        "A_Complet_20250901_PersRelEleve_0000.xml",
        "A_Complet_20250901_MatiereEducNat_0000.xml",
        "A_Complet_20250901_PersEducNat_0000.xml",
        "A_Complet_20250901_EtabEducNat_0001.xml",
        "A_Complet_20250901_EtabEducNat_0000.xml",
        "notes.txt",
    ];
    for n in names {
        std::fs::write(dir.path().join(n), b"").unwrap();
    }
    std::fs::create_dir(dir.path().join("B_Complet_20250901_Eleve_0000.xml")).unwrap();
    let selection = select_files(dir.path()).unwrap();
    let got: Vec<String> = selection
        .files
        .iter()
        .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        got,
        [
            "A_Complet_20250901_EtabEducNat_0000.xml",
            "A_Complet_20250901_EtabEducNat_0001.xml",
            "A_Complet_20250901_MatiereEducNat_0000.xml",
            "A_Complet_20250901_PersEducNat_0000.xml",
            "A_Complet_20250901_PersRelEleve_0000.xml",
            "A_Complet_20250901_Eleve_0000.xml",
            "A_Delta_20250915_EtabEducNat_0000.xml",
            "A_Delta_20250915_Eleve_0000.xml",
            "A_Delta_20251001_Eleve_0000.xml",
        ]
    );
    assert_eq!(selection.ignored, ["notes.txt"]);
}

#[test]
fn a_directory_without_aaf_files_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        select_files(dir.path()),
        Err(AafError::NoFiles { .. })
    ));
    std::fs::write(dir.path().join("readme.txt"), b"x").unwrap();
    let err = select_files(dir.path()).unwrap_err();
    assert!(matches!(err, AafError::NoFiles { .. }));
    assert!(err.to_string().contains("aucun fichier AAF"), "{err}");
    assert!(matches!(
        select_files(&dir.path().join("absent")),
        Err(AafError::Io { .. })
    ));
}

#[test]
fn establishment() {
    let file = parse_file(&complet("EtabEducNat")).unwrap();
    assert_eq!(file.kind, ExportKind::Complet);
    assert_eq!(file.date, date(2025, 9, 1));
    assert_eq!(file.category, Category::EtabEducNat);
    let AafRecords::Establishments(records) = &file.records else {
        panic!("{:?}", file.records)
    };
    let all = added(records);
    assert_eq!(all.len(), 1);
    let (id, etab) = &all[0];
    assert_eq!(id, "63999");
    assert_eq!(etab.uai, "0639999Z");
    assert_eq!(
        etab.name,
        "CLG-DES QUATRE PUYS-STE FLEUR DES DÔMES-ac-CLERMONT"
    );
    assert_eq!(
        etab.kind,
        Some(EstablishmentType {
            label: "COLLEGE".into(),
            kind: Some(EstablishmentKind::College)
        })
    );
    assert_eq!(etab.academie.as_deref(), Some("CLERMONT"));
    assert_eq!(etab.postal_code.as_deref(), Some("63999"));
    assert_eq!(etab.town.as_deref(), Some("STE FLEUR DES DÔMES"));
    assert_eq!(etab.street.as_deref(), Some("12 RUE DES CHEIRES"));
    assert_eq!(
        etab.classes,
        [
            AafClass {
                code: "6A".into(),
                label: Some("6EME".into()),
                mefs: vec!["10010012110".into()]
            },
            AafClass {
                code: "5B".into(),
                label: Some("5EME".into()),
                mefs: vec!["10110001110".into()]
            },
        ]
    );
    assert!(etab.groups.is_empty());
}

#[test]
fn subjects() {
    let file = parse_file(&complet("MatiereEducNat")).unwrap();
    let AafRecords::Subjects(records) = &file.records else {
        panic!("{:?}", file.records)
    };
    let got: Vec<(String, String)> = added(records)
        .into_iter()
        .map(|(id, s)| (id, s.label))
        .collect();
    let expected = [
        ("020700", "FRANÇAIS"),
        ("030201", "ANGLAIS LV1"),
        ("030602", "ESPAGNOL LV2"),
        ("040600", "HISTOIRE-GÉOGRAPHIE"),
        ("061300", "MATHÉMATIQUES"),
        ("100100", "ÉDUCATION PHYSIQUE ET SPORTIVE"),
    ]
    .map(|(c, l)| (c.to_owned(), l.to_owned()));
    assert_eq!(got, expected);
}

#[test]
fn students_with_classes_and_relatives() {
    let file = parse_file(&complet("Eleve")).unwrap();
    let all = added(students(&file));
    let summary: Vec<(&str, &str, &str, jiff::civil::Date, Vec<StructRef>)> = all
        .iter()
        .map(|(id, s)| {
            (
                id.as_str(),
                s.identity.first_name.as_str(),
                s.identity.last_name.as_str(),
                s.identity.birth_date.unwrap(),
                s.classes.clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "3100001",
                "Chloé",
                "BERGERON",
                date(2014, 3, 14),
                vec![sref("6A")]
            ),
            (
                "3100002",
                "Noé",
                "LECŒUR",
                date(2013, 7, 5),
                vec![sref("5B")]
            ),
            (
                "3100003",
                "Anaïs",
                "ROUSSEL",
                date(2013, 11, 27),
                vec![sref("6A")]
            ),
        ]
    );
    let links = |i: usize| -> Vec<(&str, Relation, u8, bool)> {
        all[i]
            .1
            .relatives
            .iter()
            .map(|r| {
                (
                    r.relative_id.as_str(),
                    r.relation,
                    r.legal,
                    r.is_legal_representative(),
                )
            })
            .collect()
    };
    assert_eq!(
        links(0),
        [
            ("3200002", Relation::Pere, 1, true),
            ("3200001", Relation::Mere, 2, true)
        ]
    );
    assert_eq!(links(1), [("3200001", Relation::Mere, 1, true)]);
    assert_eq!(links(2), [("3200003", Relation::Tuteur, 1, true)]);
    let chloe = &all[0].1;
    assert_eq!(
        chloe.relatives[0],
        RelativeLink {
            relative_id: "3200002".into(),
            relation: Relation::Pere,
            relation_code: Some(1),
            financial: true,
            legal: 1,
            contact: true,
            payment: false,
        }
    );
    assert!(!chloe.relatives[1].financial);
    assert_eq!(chloe.identity.birth_name.as_deref(), Some("BERGERON"));
    assert_eq!(chloe.mef.as_deref(), Some("10010012110"));
    assert_eq!(chloe.mef_label.as_deref(), Some("6EME"));
    assert_eq!(chloe.level.as_deref(), Some("6EME"));
    assert_eq!(chloe.structures, ["63999"]);
    assert_eq!(chloe.attachment_id.as_deref(), Some("512301"));
    assert_eq!(chloe.ine, None);
    assert!(chloe.groups.is_empty());
    assert_eq!(all[1].1.identity.birth_name.as_deref(), Some("LECŒUR"));
}

#[test]
fn relatives() {
    let file = parse_file(&complet("PersRelEleve")).unwrap();
    let AafRecords::Relatives(records) = &file.records else {
        panic!("{:?}", file.records)
    };
    let all = added(records);
    let summary: Vec<String> = all
        .iter()
        .map(|(id, r)| {
            format!(
                "{id} {} {} née {:?} {:?} enfants {}",
                r.identity.first_name,
                r.identity.last_name,
                r.identity.birth_name.as_deref(),
                r.email.as_deref(),
                r.children.join(","),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            "3200001 Hélène BERGERON née Some(\"FAURE\") \
             Some(\"helene.bergeron@courriel.example\") enfants 3100001,3100002",
            "3200002 Frédéric BERGERON née Some(\"BERGERON\") \
             Some(\"frederic.bergeron@courriel.example\") enfants 3100001",
            "3200003 Jérôme ROUSSEL née Some(\"ROUSSEL\") \
             Some(\"jerome.roussel@courriel.example\") enfants 3100003",
        ]
    );
    let helene = &all[0].1;
    assert_eq!(helene.identity.birth_date, Some(date(1984, 8, 22)));
    assert_eq!(helene.mobile.as_deref(), Some("+33 6 39 98 20 01"));
    assert_eq!(helene.home_phone.as_deref(), Some("+33 4 65 71 20 01"));
    assert_eq!(helene.work_phone, None);
    assert_eq!(helene.phone(), Some("+33 6 39 98 20 01"));
}

#[test]
fn staff_teachers_and_cpe() {
    let file = parse_file(&complet("PersEducNat")).unwrap();
    let AafRecords::Staff(records) = &file.records else {
        panic!("{:?}", file.records)
    };
    let all = added(records);
    assert_eq!(all.len(), 3);
    let teaching = |class: &str, subject: &str| TeachingRef {
        structure_id: "63999".into(),
        audience: class.into(),
        subject_code: subject.into(),
    };

    let (id, aurelien) = &all[0];
    assert_eq!(id, "3300001");
    assert_eq!(aurelien.identity.first_name, "Aurélien");
    assert_eq!(aurelien.identity.last_name, "CHASTAGNOL");
    assert_eq!(
        aurelien.email.as_deref(),
        Some("aurelien.chastagnol@ac-clermont.example")
    );
    assert!(aurelien.is_teacher());
    assert_eq!(
        aurelien.teachings,
        [teaching("6A", "061300"), teaching("5B", "061300")]
    );
    assert_eq!(aurelien.head_teacher_of, [sref("5B")]);
    assert_eq!(
        aurelien.functions,
        [AafFunction {
            structure_id: "63999".into(),
            code: "ENS".into(),
            label: Some("ENSEIGNEMENT".into()),
            discipline_code: Some("L1300".into()),
            discipline: Some("MATHÉMATIQUES".into()),
            role: Role::Enseignant,
        }]
    );

    let (id, benedicte) = &all[1];
    assert_eq!(id, "3300002");
    assert_eq!(benedicte.identity.first_name, "Bénédicte");
    assert!(benedicte.is_teacher());
    assert_eq!(benedicte.teachings, [teaching("6A", "020700")]);
    assert_eq!(benedicte.head_teacher_of, [sref("6A")]);
    assert_eq!(
        benedicte.functions[0].discipline.as_deref(),
        Some("LETTRES MODERNES")
    );

    let (id, severine) = &all[2];
    assert_eq!(id, "3300003");
    assert_eq!(severine.identity.first_name, "Séverine");
    assert!(!severine.is_teacher());
    assert!(!severine.in_front_of_pupils);
    assert!(severine.teachings.is_empty() && severine.head_teacher_of.is_empty());
    assert_eq!(severine.functions.len(), 1);
    assert_eq!(
        severine.functions[0].role,
        Role::Personnel(StaffFunction::Cpe)
    );
    assert_eq!(
        severine.functions[0].discipline.as_deref(),
        Some("CONSEILLER PRINCIPAL D'ÉDUCATION")
    );

    let teachings: usize = all.iter().map(|(_, s)| s.teachings.len()).sum();
    let heads: usize = all.iter().map(|(_, s)| s.head_teacher_of.len()).sum();
    assert_eq!((teachings, heads), (3, 2));
}

#[test]
fn whole_complet_counts() {
    let files = parse_dir(&fixtures());
    let counts: Vec<(Category, usize)> = files
        .iter()
        .map(|f| (f.category, f.records.len()))
        .collect();
    assert_eq!(
        counts,
        [
            (Category::EtabEducNat, 1),
            (Category::MatiereEducNat, 6),
            (Category::PersEducNat, 3),
            (Category::PersRelEleve, 3),
            (Category::Eleve, 3),
        ]
    );
    let links: usize = added(students(&files[4]))
        .iter()
        .map(|(_, s)| s.relatives.len())
        .sum();
    assert_eq!(links, 4);
}

#[test]
fn character_references_and_apos_are_decoded() {
    let file = parse_file(&complet("PersRelEleve")).unwrap();
    let AafRecords::Relatives(records) = &file.records else {
        panic!()
    };
    let helene = records.iter().find(|r| r.id == "3200001").unwrap();
    assert_eq!(helene.added().unwrap().identity.first_name, "Hélène");
}

#[test]
fn iso_8859_15_gives_identical_records() {
    let utf8 = parse_dir(&fixtures());
    let latin9 = parse_dir(&fixtures().join("iso-8859-15"));
    assert_eq!(utf8.len(), 5);
    assert_eq!(utf8, latin9);
    // The file really is ISO-8859-15: LECŒUR's Œ is the byte 0xBC.
    let raw = std::fs::read(
        fixtures().join("iso-8859-15/ENT2D_0639999Z_Complet_20250901_Eleve_0000.xml"),
    )
    .unwrap();
    assert!(raw.windows(6).any(|w| w == b"LEC\xBCUR"));
}

#[test]
fn delta_modify_and_delete() {
    let selection = select_files(&fixtures().join("delta")).unwrap();
    assert_eq!(selection.files.len(), 1);
    let file = parse_file(&selection.files[0].path).unwrap();
    assert_eq!(file.kind, ExportKind::Delta);
    assert_eq!(file.date, date(2025, 9, 15));
    assert_eq!(file.category, Category::Eleve);
    let records = students(&file);
    assert_eq!(records.len(), 2);

    assert_eq!(records[0].id, "3100003");
    assert_eq!(records[0].operation(), Operation::Modify);
    let Change::Modify(patch) = &records[0].change else {
        panic!("{:?}", records[0])
    };
    assert_eq!(
        patch,
        &StudentPatch {
            classes: Some(vec![sref("5B")]),
            mef: Some(Some("10110001110".into())),
            mef_label: Some(Some("5EME".into())),
            level: Some(Some("5EME".into())),
            ..StudentPatch::default()
        }
    );

    assert_eq!(records[1].id, "3100002");
    assert_eq!(records[1].operation(), Operation::Delete);
    assert_eq!(records[1].change, Change::Delete);
}

fn assert_forbidden(result: Result<AafFile, AafError>) {
    let err = result.unwrap_err();
    let AafError::Forbidden { reason, .. } = &err else {
        panic!("Forbidden expected, got {err:?}")
    };
    assert!(reason.contains("DTD interne ou d'entité"), "{reason}");
    assert!(err.to_string().contains("fichier refusé"), "{err}");
}

#[test]
fn hostile_file_is_refused_as_is() {
    assert_forbidden(parse_file(&fixtures().join("hostile_xxe.xml")));
    let bytes = std::fs::read(fixtures().join("hostile_xxe.xml")).unwrap();
    assert_forbidden(parse_bytes("ENT_X_Complet_20250901_Eleve_0000.xml", &bytes));
}

#[test]
fn hostile_file_is_refused_through_a_directory_import() {
    let dir = tempfile::tempdir().unwrap();
    let name = "ENT2D_0639999Z_Complet_20250901_Eleve_0000.xml";
    std::fs::copy(fixtures().join("hostile_xxe.xml"), dir.path().join(name)).unwrap();
    let selection = select_files(dir.path()).unwrap();
    assert_eq!(selection.files.len(), 1);
    assert_forbidden(parse_file(&selection.files[0].path));
}

const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
    <!DOCTYPE ficAlimMENESR SYSTEM \"ficAlimMENESR.dtd\">\n<ficAlimMENESR>\n";
const ELEVE: &str = "X_Complet_20250901_Eleve_0000.xml";

fn eleve(attrs: &str) -> String {
    format!(
        "{HEAD}<addRequest><identifier><id>1</id></identifier><attributes>\
         <attr name=\"sn\"><value>A</value></attr><attr name=\"givenName\"><value>B</value></attr>\
         {attrs}</attributes></addRequest></ficAlimMENESR>"
    )
}

#[test]
fn entity_references_other_than_predefined_are_refused() {
    let body = eleve("<attr name=\"mail\"><value>&xxe;</value></attr>");
    let err = parse_bytes(ELEVE, body.as_bytes()).unwrap_err();
    assert!(
        matches!(&err, AafError::Forbidden { reason, .. } if reason.contains("&xxe;")),
        "{err:?}"
    );
    let body = eleve("<attr name=\"&xxe;\"><value>x</value></attr>");
    assert!(matches!(
        parse_bytes(ELEVE, body.as_bytes()),
        Err(AafError::Forbidden { .. })
    ));
    // An internal subset without entities is refused too.
    let body = eleve("").replace(
        "SYSTEM \"ficAlimMENESR.dtd\"",
        "[<!ELEMENT ficAlimMENESR ANY>]",
    );
    assert!(matches!(
        parse_bytes(ELEVE, body.as_bytes()),
        Err(AafError::Forbidden { .. })
    ));
    // The five predefined entities and character references are fine.
    let body = eleve(
        "<attr name=\"ENTEleveINE\"><value>&lt;&gt;&amp;&apos;&quot;&#x41;&#66;</value></attr>",
    );
    let file = parse_bytes(ELEVE, body.as_bytes()).unwrap();
    let student = students(&file)[0].added().unwrap();
    assert_eq!(student.ine.as_deref(), Some("<>&'\"AB"));
}

#[test]
fn record_errors_name_the_file_record_and_attribute() {
    let body = eleve("<attr name=\"ENTPersonDateNaissance\"><value>2014-03-14</value></attr>");
    let err = parse_bytes(ELEVE, body.as_bytes()).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(ELEVE)
            && text.contains("enregistrement 1")
            && text.contains("ENTPersonDateNaissance"),
        "{text}"
    );
    let body = eleve("<attr name=\"ENTEleveClasses\"><value>6A</value></attr>");
    let err = parse_bytes(ELEVE, body.as_bytes()).unwrap_err();
    assert!(matches!(&err, AafError::Invalid { attribute: Some(a), .. } if a == "ENTEleveClasses"));
    let body = eleve("").replace("<attr name=\"sn\"><value>A</value></attr>", "");
    let err = parse_bytes(ELEVE, body.as_bytes()).unwrap_err();
    assert!(
        matches!(&err, AafError::Invalid { attribute: Some(a), .. } if a == "sn"),
        "{err:?}"
    );
    let err = parse_bytes("eleves.xml", eleve("").as_bytes()).unwrap_err();
    assert!(matches!(err, AafError::FileName { .. }));
    let err = parse_bytes(ELEVE, b"<ficAlimMENESR><addRequest>").unwrap_err();
    assert!(matches!(err, AafError::Xml { .. }), "{err:?}");
    let err = parse_bytes(ELEVE, b"").unwrap_err();
    assert!(matches!(err, AafError::Invalid { .. }), "{err:?}");
}

#[test]
fn values_are_trimmed_empty_and_unknown_attributes_ignored() {
    let body = eleve(
        "<attr name=\"ENTEleveINE\"><value> 999999000X </value></attr>\
         <attr name=\"entelevegroupes\"><value/><value>63999$LV2</value></attr>\
         <attr name=\"Inconnu\"><value>x</value></attr>\
         <attr name=\"ENTEleveMEF\"><value/></attr>",
    );
    let file = parse_bytes(ELEVE, body.as_bytes()).unwrap();
    let s = students(&file)[0].added().unwrap();
    assert_eq!(s.ine.as_deref(), Some("999999000X"));
    assert_eq!(s.groups, [sref("LV2")]);
    assert_eq!(s.mef, None);
}

#[test]
fn oversized_values_are_refused() {
    let big = "A".repeat(MAX_VALUE_BYTES + 1);
    let body = eleve(&format!("<attr name=\"mail\"><value>{big}</value></attr>"));
    let err = parse_bytes(ELEVE, body.as_bytes()).unwrap_err();
    assert!(matches!(err, AafError::TooLarge { .. }), "{err:?}");
    // Read-ahead buffers let an event exceed the limit by a few kilobytes before it stops.
    let huge = "B".repeat(MAX_EVENT_BYTES + 32 * 1024);
    let body = eleve(&format!("<!--{huge}-->"));
    let err = parse_bytes(ELEVE, body.as_bytes()).unwrap_err();
    assert!(matches!(err, AafError::TooLarge { .. }), "{err:?}");
}

#[test]
fn modify_with_another_operation_is_refused() {
    let body = format!(
        "{HEAD}<modifyRequest><identifier><id>7</id></identifier><modifications>\
         <modification name=\"ENTEleveGroupes\" operation=\"add\"><value>1$G</value></modification>\
         </modifications></modifyRequest></ficAlimMENESR>"
    );
    let err = parse_bytes(ELEVE, body.as_bytes()).unwrap_err();
    assert!(err.to_string().contains("« add »"), "{err}");
}

#[test]
fn unsupported_encoding_is_refused() {
    let body = eleve("").replace("UTF-8", "UTF-16");
    assert!(matches!(
        parse_bytes(ELEVE, body.as_bytes()),
        Err(AafError::Encoding { .. })
    ));
    // Latin-9 bytes in a file declared UTF-8.
    let body = eleve("<attr name=\"mail\"><value>LEC\u{0}UR</value></attr>").into_bytes();
    let mut body = body;
    let at = body.iter().position(|&b| b == 0).unwrap();
    body[at] = 0xBC;
    assert!(matches!(
        parse_bytes(ELEVE, &body),
        Err(AafError::Encoding { .. })
    ));
}

/// Pieces of AAF-like XML that the property test below strings together at random.
const PIECES: [&str; 40] = [
    "<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?>",
    "<!DOCTYPE ficAlimMENESR SYSTEM \"ficAlimMENESR.dtd\">",
    "<!DOCTYPE x [<!ENTITY a \"b\">]>",
    "<ficAlimMENESR>",
    "</ficAlimMENESR>",
    "<addRequest>",
    "</addRequest>",
    "<modifyRequest>",
    "</modifyRequest>",
    "<deleteRequest>",
    "</deleteRequest>",
    "<identifier><id>",
    "</id></identifier>",
    "<attributes>",
    "</attributes>",
    "<modifications>",
    "</modifications>",
    "<modification name=\"ENTEleveClasses\" operation=\"replace\">",
    "</modification>",
    "<attr name=\"sn\">",
    "<attr name=\"givenName\">",
    "<attr name=\"ENTElevePersRelEleve\">",
    "<attr name=\"ENTPersonDateNaissance\">",
    "</attr>",
    "<value>",
    "</value>",
    "<value/>",
    "&amp;",
    "&xxe;",
    "&#233;",
    "&#xFFFFFF;",
    "&",
    "<![CDATA[x]]>",
    "<!-- c -->",
    "<?pi x?>",
    "$",
    "12/13/2014",
    "1$2$3$4$5$6",
    " ",
    "<attr name=\"ENTPersonFonctions\">",
];

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse_bytes(ELEVE, &bytes);
        let _ = parse_bytes("x.xml", &bytes);
    }

    #[test]
    fn xml_ish_strings_never_panic(
        pieces in proptest::collection::vec(
            prop_oneof![
                proptest::sample::select(&PIECES[..]).prop_map(str::to_owned),
                "[a-zA-Z0-9éŒ$/<>&;\"'=]{0,12}",
            ],
            0..40,
        )
    ) {
        let text: String = pieces.concat();
        for name in [
            ELEVE,
            "X_Delta_20250901_PersEducNat_0000.xml",
            "X_Complet_20250901_EtabEducNat_0000.xml",
            "X_Complet_20250901_PersRelEleve_0000.xml",
            "X_Complet_20250901_MatiereEducNat_0000.xml",
        ] {
            let _ = parse_bytes(name, text.as_bytes());
        }
    }
}
