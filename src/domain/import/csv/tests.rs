//! The fixtures of `shared/fixtures/csv` (README §2 is the contract), edge cases, and a
//! proptest that no input panics a parser.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use jiff::civil::{Date, date};
use proptest::prelude::*;

use super::*;
use crate::model::directory::Relation;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures/csv");
const TODAY: Date = date(2025, 9, 1);
const CLASSES: [&str; 3] = ["6A", "5B", "4C"];

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}/{name}")).unwrap()
}

fn expected() -> serde_json::Value {
    let text = std::fs::read_to_string(format!("{FIXTURES}/../expected.json")).unwrap();
    serde_json::from_str::<serde_json::Value>(&text).unwrap()["csv"].clone()
}

fn lines<T>(parsed: &Parsed<T>) -> Vec<usize> {
    parsed.rows.iter().map(|(l, _)| *l).collect()
}

fn problems(errors: &[LineError]) -> Vec<(usize, Problem)> {
    errors.iter().map(|e| (e.line, e.problem)).collect()
}

#[test]
fn eleves_csv_gives_30_students() {
    let parsed = parse_students(&fixture("eleves.csv"), TODAY);
    assert_eq!(parsed.errors, []);
    assert_eq!(parsed.warnings, []);
    assert_eq!((parsed.encoding, parsed.separator), (UTF8_BOM, ';'));
    assert_eq!(lines(&parsed), (2..=31).collect::<Vec<_>>());

    let mut by_class: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, row) in &parsed.rows {
        *by_class.entry(row.class.as_str()).or_default() += 1;
        let year = match row.class.as_str() {
            "6A" => 2014,
            "5B" => 2013,
            _ => 2012,
        };
        assert_eq!(row.birth_date.year(), year, "{row:?}");
    }
    assert_eq!(
        by_class,
        BTreeMap::from([("4C", 10), ("5B", 10), ("6A", 10)])
    );
    let with_id = parsed
        .rows
        .iter()
        .filter(|(_, r)| r.national_id.is_some())
        .count();
    assert_eq!(with_id, 15);
    assert_eq!(check_students(&parsed.rows, &CLASSES), []);

    let last: HashSet<&str> = parsed
        .rows
        .iter()
        .map(|(_, r)| r.last_name.as_str())
        .collect();
    let first: HashSet<&str> = parsed
        .rows
        .iter()
        .map(|(_, r)| r.first_name.as_str())
        .collect();
    for name in [
        "ÉTIENNE",
        "CŒURDEROY",
        "N'DIAYE",
        "PONS-ROUVIÈRE",
        "DA SILVA",
    ] {
        assert!(last.contains(name), "{name}");
    }
    for name in ["Éloïse", "Raphaël", "Ilyès"] {
        assert!(first.contains(name), "{name}");
    }
    assert_eq!(
        parsed.rows[9],
        (
            11,
            StudentRow {
                last_name: "PONS-ROUVIÈRE".into(),
                first_name: "Raphaël".into(),
                birth_date: date(2014, 10, 25),
                class: "6A".into(),
                national_id: None,
            }
        )
    );
    assert_eq!(parsed.rows[0].1.national_id.as_deref(), Some("9999990001A"));

    let expected = expected();
    assert_eq!(expected["eleves.csv"]["students"], parsed.rows.len());
    assert_eq!(expected["eleves.csv"]["with_national_id"], with_id);
}

#[test]
fn the_windows_1252_copy_reads_the_same() {
    let utf8 = parse_students(&fixture("eleves.csv"), TODAY);
    let cp1252 = parse_students(&fixture("eleves_windows-1252.csv"), TODAY);
    assert_eq!(cp1252.encoding, WINDOWS_1252);
    assert_eq!(cp1252.errors, []);
    assert_eq!(cp1252.rows, utf8.rows);
    let decoded = decode(&fixture("eleves_windows-1252.csv"));
    assert!(decoded.text.contains("CŒURDEROY"));
}

#[test]
fn parents_csv_gives_47_links() {
    let parsed = parse_parents(&fixture("parents.csv"), TODAY);
    assert_eq!(parsed.errors, []);
    assert_eq!(parsed.warnings, []);
    assert_eq!(parsed.rows.len(), 47);
    let rows: Vec<&ParentRow> = parsed.rows.iter().map(|(_, r)| r).collect();

    let parents: BTreeSet<(&str, &str, Option<&str>)> = rows
        .iter()
        .map(|r| {
            (
                r.last_name.as_str(),
                r.first_name.as_str(),
                r.email.as_deref(),
            )
        })
        .collect();
    assert_eq!(parents.len(), 40);
    assert_eq!(parents.iter().filter(|p| p.2.is_some()).count(), 39);
    let kinds = |k| rows.iter().filter(|r| r.relation == k).count();
    assert_eq!(
        (
            kinds(Relation::Mere),
            kinds(Relation::Pere),
            kinds(Relation::Tuteur)
        ),
        (26, 20, 1)
    );

    // Every child is a pupil of eleves.csv; 13 have one parent, 17 two.
    let students = parse_students(&fixture("eleves.csv"), TODAY);
    let mut per_child: BTreeMap<(&str, &str, Date), usize> = BTreeMap::new();
    for r in &rows {
        let child = (
            r.child_last_name.as_str(),
            r.child_first_name.as_str(),
            r.child_birth_date,
        );
        assert!(
            students.rows.iter().any(|(_, s)| (
                s.last_name.as_str(),
                s.first_name.as_str(),
                s.birth_date
            ) == child),
            "{child:?}"
        );
        *per_child.entry(child).or_default() += 1;
    }
    assert_eq!(per_child.len(), 30);
    assert_eq!(per_child.values().filter(|n| **n == 1).count(), 13);
    assert_eq!(per_child.values().filter(|n| **n == 2).count(), 17);

    let children_of = |nom: &str, prenom: &str| -> BTreeSet<String> {
        rows.iter()
            .filter(|r| r.last_name == nom && r.first_name == prenom)
            .map(|r| format!("{} {}", r.child_first_name, r.child_last_name))
            .collect()
    };
    let set = |names: &[&str]| {
        names
            .iter()
            .map(|n| (*n).to_owned())
            .collect::<BTreeSet<_>>()
    };
    // Siblings.
    for (nom, prenom) in [("BENALI", "Karima"), ("BENALI", "Sofiane")] {
        assert_eq!(
            children_of(nom, prenom),
            set(&["Inès BENALI", "Yanis BENALI"])
        );
    }
    for (nom, prenom) in [("FAVIER", "Aurore"), ("FAVIER", "Grégoire")] {
        assert_eq!(
            children_of(nom, prenom),
            set(&["Maëlle FAVIER", "Timothée FAVIER"])
        );
    }
    for (nom, prenom) in [("RENAUD", "Émilie"), ("RENAUD", "Pascal")] {
        assert_eq!(
            children_of(nom, prenom),
            set(&["Céleste RENAUD", "Hugo RENAUD"])
        );
    }
    // Blended family, two mothers, surnames that differ.
    assert_eq!(
        children_of("DUFOUR", "Nadège"),
        set(&["Sacha DELORME", "Zoé DUFOUR"])
    );
    assert_eq!(children_of("DELORME", "Cédric"), set(&["Sacha DELORME"]));
    let lilou: Vec<_> = rows
        .iter()
        .filter(|r| r.child_first_name == "Lilou")
        .collect();
    assert_eq!(lilou.len(), 2);
    assert!(lilou.iter().all(|r| r.relation == Relation::Mere));
    assert_eq!(
        children_of("PONS", "Claire"),
        set(&["Raphaël PONS-ROUVIÈRE"])
    );
    assert_eq!(
        children_of("ROUVIÈRE", "Mathieu"),
        set(&["Raphaël PONS-ROUVIÈRE"])
    );
    let masson = rows.iter().find(|r| r.last_name == "MASSON").unwrap();
    assert_eq!(masson.relation, Relation::Tuteur);
    assert_eq!(masson.child_last_name, "FERRAND");

    // Missing optional fields, and phones compared by digits.
    let find = |nom: &str, prenom: &str| {
        rows.iter()
            .find(|r| r.last_name == nom && r.first_name == prenom)
            .unwrap()
    };
    assert_eq!(find("PÉRIER", "Annick").email, None);
    assert_eq!(find("AUBERT", "Hervé").phone, None);
    assert_eq!(find("TESSIER", "Ludovic").phone, None);
    assert_eq!(
        find("ABADIE", "Sophie").phone.as_deref(),
        Some("0639983109")
    );
    assert_eq!(
        find("FAVIER", "Grégoire").phone.as_deref(),
        Some("0639983104")
    );
    assert_eq!(
        find("GIRAUD", "Marine").phone.as_deref(),
        Some("0639983114")
    );
    assert_eq!(
        find("RENAUD", "Pascal").phone.as_deref(),
        Some("0465713106")
    );
    assert!(
        rows.iter()
            .filter_map(|r| r.phone.as_deref())
            .all(|p| p.len() == 10)
    );
}

#[test]
fn enseignants_csv_gives_18_teachings() {
    let parsed = parse_teachers(&fixture("enseignants.csv"));
    assert_eq!(parsed.errors, []);
    assert_eq!(parsed.rows.len(), 6);
    assert_eq!(check_teachers(&parsed.rows, &CLASSES), []);
    let laval = &parsed.rows[2].1;
    assert_eq!(
        (laval.first_name.as_str(), laval.email.as_deref()),
        ("Marion", Some("marion.laval@college.example"))
    );
    assert_eq!(
        laval.subjects,
        ["Histoire-géographie", "Enseignement moral et civique"]
    );
    assert_eq!(laval.classes, ["5B", "4C"]);

    let expected = expected();
    let subjects: BTreeSet<&str> = parsed
        .rows
        .iter()
        .flat_map(|(_, r)| r.subjects.iter().map(String::as_str))
        .collect();
    let want: BTreeSet<&str> = expected["enseignants.csv"]["subjects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(subjects, want);
    let mut teachings = Vec::new();
    for (_, r) in &parsed.rows {
        for class in &r.classes {
            for subject in &r.subjects {
                teachings.push((
                    format!("{} {}", r.first_name, r.last_name),
                    class.clone(),
                    subject.clone(),
                ));
            }
        }
    }
    let mut want: Vec<(String, String, String)> = expected["enseignants.csv"]["teachings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let s = |k: &str| t[k].as_str().unwrap().to_owned();
            (s("teacher"), s("class"), s("subject"))
        })
        .collect();
    teachings.sort();
    want.sort();
    assert_eq!(teachings.len(), 18);
    assert_eq!(teachings, want);
}

#[test]
fn eleves_erreurs_csv_reports_exactly_the_bad_lines() {
    let mut parsed = parse_students(&fixture("eleves_erreurs.csv"), TODAY);
    assert_eq!(
        problems(&parsed.errors),
        [
            (3, Problem::MissingColumns),
            (5, Problem::InvalidDate),
            (8, Problem::Duplicate),
            (11, Problem::FieldTooLong),
            (13, Problem::UnclosedQuote),
        ]
    );
    assert_eq!(problems(&parsed.warnings), [(9, Problem::BlankLine)]);
    assert_eq!(lines(&parsed), [2, 4, 6, 7, 10, 12]);

    // The store's part: 6Z is not a class.
    let unknown = check_students(&parsed.rows, &CLASSES);
    assert_eq!(problems(&unknown), [(6, Problem::UnknownClass)]);
    assert!(
        unknown[0].to_string().contains("« 6Z » inconnue"),
        "{}",
        unknown[0]
    );
    parsed.reject(unknown);
    assert_eq!(lines(&parsed), [2, 4, 7, 10, 12]);

    let expected = &expected()["eleves_erreurs.csv"];
    let want = |k: &str| -> Vec<usize> {
        expected[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.get("line").unwrap_or(e).as_u64().unwrap() as usize)
            .collect()
    };
    let error_lines: Vec<usize> = parsed.errors.iter().map(|e| e.line).collect();
    assert_eq!(error_lines, want("errors"));
    assert_eq!(
        parsed.warnings.iter().map(|e| e.line).collect::<Vec<_>>(),
        want("warnings")
    );
    assert_eq!(lines(&parsed), want("valid_lines"));

    let message = |line| {
        parsed
            .errors
            .iter()
            .find(|e| e.line == line)
            .unwrap()
            .to_string()
    };
    assert!(
        message(3).starts_with("ligne 3 : 3 champs au lieu de 5"),
        "{}",
        message(3)
    );
    assert!(
        message(3).contains("Classe, Identifiant national"),
        "{}",
        message(3)
    );
    assert!(
        message(5).contains("« 31/02/2012 » invalide"),
        "{}",
        message(5)
    );
    assert!(message(8).contains("ligne 7"), "{}", message(8));
    assert!(message(11).contains("10 000 caractères"), "{}", message(11));
    assert!(message(11).chars().count() < 200, "{}", message(11));
    assert!(
        message(13).contains("guillemet non fermé"),
        "{}",
        message(13)
    );
    assert_eq!(
        parsed.warnings[0].to_string(),
        "ligne 9 : ligne vide, ignorée"
    );
}

fn students(text: &str) -> Parsed<StudentRow> {
    parse_students(text.as_bytes(), TODAY)
}

const HEADER: &str = "Nom;Prénom;Date de naissance;Classe;Identifiant national\r\n";

#[test]
fn headers_ignore_case_accents_and_order_and_may_omit_optional_columns() {
    let parsed = students("CLASSE ; prenom;NOM;date DE  naissance\n6A;Lucas;MARTIN;01/07/2013\n");
    assert_eq!(
        (parsed.errors.as_slice(), parsed.warnings.as_slice()),
        (&[][..], &[][..])
    );
    let row = &parsed.rows[0].1;
    assert_eq!(
        (
            row.last_name.as_str(),
            row.first_name.as_str(),
            row.class.as_str()
        ),
        ("MARTIN", "Lucas", "6A")
    );
    // An unknown column is ignored, and may be left out of the rows.
    let parsed = students(
        "Classe;Prénom;Nom;Date de naissance;Remarque\n6A;Lucas;MARTIN;01/07/2013;x\n\
         6A;Léa;MARTIN;01/07/2013\n",
    );
    assert_eq!(parsed.errors, []);
    assert_eq!(problems(&parsed.warnings), [(1, Problem::UnknownColumn)]);
    assert_eq!(lines(&parsed), [2, 3]);
    let row = &parsed.rows[0].1;
    assert_eq!(
        (
            row.last_name.as_str(),
            row.class.as_str(),
            row.national_id.as_ref()
        ),
        ("MARTIN", "6A", None)
    );
}

#[test]
fn a_missing_column_is_one_error_at_line_1() {
    let parsed = students("Nom;Prénom;Date de naissance\nMARTIN;Lucas;01/07/2013\n");
    assert_eq!(problems(&parsed.errors), [(1, Problem::Header)]);
    assert_eq!(
        parsed.errors[0].to_string(),
        "ligne 1 : colonne « Classe » absente de l'en-tête ; en-tête attendu : \
         Nom;Prénom;Date de naissance;Classe;Identifiant national"
    );
    assert!(parsed.rows.is_empty());
    let parsed = students("Nom;Nom;Prénom;Date de naissance;Classe\n");
    assert_eq!(problems(&parsed.errors), [(1, Problem::Header)]);
    for empty in [
        "",
        "\r\n",
        "\u{feff}",
        ";;;\r\nMARTIN;Lucas;01/07/2013;6A;\r\n",
    ] {
        assert_eq!(
            problems(&students(empty).errors),
            [(1, Problem::EmptyFile)],
            "{empty:?}"
        );
    }
}

#[test]
fn comma_separated_quoted_fields_work() {
    let text = "Nom,Prénom,Date de naissance,Classe,Identifiant national\n\
                \"DA SILVA, dit \"\"Tiago\"\"\",\"  Tiago \",22/04/2013,5B,\n";
    let parsed = students(text);
    assert_eq!(parsed.errors, []);
    assert_eq!(parsed.separator, ',');
    assert_eq!(parsed.encoding, UTF8);
    assert_eq!(parsed.rows[0].1.last_name, "DA SILVA, dit \"Tiago\"");
    assert_eq!(parsed.rows[0].1.first_name, "Tiago");

    let teachers = parse_teachers(
        "Nom,Prénom,Courriel,Disciplines,Classes\r\nBESSE,Julien,,Mathématiques,\"6A, 5B\"\r\n"
            .as_bytes(),
    );
    assert_eq!(teachers.errors, []);
    assert_eq!(teachers.rows[0].1.classes, ["6A", "5B"]);
    assert_eq!(teachers.rows[0].1.email, None);
    assert_eq!(
        problems(&check_teachers(&teachers.rows, &["6A"])),
        [(2, Problem::UnknownClass)]
    );
}

#[test]
fn bad_values_are_errors_and_their_lines_give_no_row() {
    let text = format!(
        "{HEADER}\
         MARTIN;Lucas;01/07/2030;5B;\r\n\
         MARTIN;Lucas;1er juillet;5B;\r\n\
         ;Lucas;01/07/2013;5B;\r\n\
         MARTIN;Lucas;01/07/2013;;\r\n\
         MARTIN;Lucas;01/07/2013;5B;9999-01\r\n\
         MARTIN;Lucas;01/07/2013;5B;;;\r\n\
         MARTIN;Lucas;01/07/2013;5B;;x\r\n\
         MAR\u{1}TIN;Lucas;01/07/2013;5B;\r\n\
         ;;;;\r\n\
         \"DUPONT\r\nJUNIOR\";Paul;02/03/2013;5b;9999990001A\r\n\
         DURAND;Léa;02/03/2013;5B;9999990001a\r\n"
    );
    let parsed = students(&text);
    assert_eq!(
        problems(&parsed.errors),
        [
            (2, Problem::FutureDate),
            (3, Problem::InvalidDate),
            (4, Problem::Required),
            (5, Problem::Required),
            (6, Problem::InvalidNationalId),
            (8, Problem::ExtraColumns),
            (9, Problem::BadCharacter),
            (13, Problem::Duplicate),
        ]
    );
    assert_eq!(problems(&parsed.warnings), [(10, Problem::BlankLine)]);
    // Trailing empty fields are fine; a quoted line end is part of the name, collapsed.
    assert_eq!(lines(&parsed), [7, 11]);
    assert_eq!(parsed.rows[1].1.last_name, "DUPONT JUNIOR");
    assert_eq!(check_students(&parsed.rows, &CLASSES), []);
    assert_eq!(find_class("5b", &CLASSES), Some("5B"));
    assert_eq!(find_class("5 B", &CLASSES), None);
}

#[test]
fn parent_values_and_repeats() {
    let header = "Nom;Prénom;Courriel;Téléphone;Nom de l'enfant;Prénom de l'enfant;\
                  Date de naissance de l'enfant;Lien\r\n";
    let text = format!(
        "{header}\
         ABADIE;Sophie;Sophie.Abadie@Courriel.example;+33 6 39 98 31 09;ABADIE;Léonie;12/01/2014;MÈRE\r\n\
         ABADIE;Sophie;sophie.abadie@courriel.example;06 39 98 31 09;ABADIE;Léonie;12/01/2014;mère\r\n\
         ABADIE;Sophie;sophie.abadie@courriel.example;06 39 98 31 00;ABADIE;Jules;12/01/2016;mère\r\n\
         ABADIE;Laurent;sophie.abadie@courriel.example;;ABADIE;Léonie;12/01/2014;père\r\n\
         ABADIE;Laurent;laurent@;;ABADIE;Léonie;12/01/2014;père\r\n\
         ABADIE;Laurent;;06 39;ABADIE;Léonie;12/01/2014;père\r\n\
         ABADIE;Laurent;;;ABADIE;Léonie;12/01/2014;oncle\r\n\
         ABADIE;Laurent;;;ABADIE;Léonie;31/04/2014;Pere\r\n\
         ABADIE;Laurent;;;ABADIE;Léonie;12/01/2014; Pere \r\n"
    );
    let parsed = parse_parents(text.as_bytes(), TODAY);
    assert_eq!(
        problems(&parsed.errors),
        [
            (3, Problem::Duplicate),
            (4, Problem::Duplicate),
            (5, Problem::Duplicate),
            (6, Problem::InvalidEmail),
            (7, Problem::InvalidPhone),
            (8, Problem::InvalidRelation),
            (9, Problem::InvalidDate),
        ]
    );
    assert_eq!(lines(&parsed), [2, 10]);
    let sophie = &parsed.rows[0].1;
    assert_eq!(
        sophie.email.as_deref(),
        Some("sophie.abadie@courriel.example")
    );
    assert_eq!(sophie.phone.as_deref(), Some("0639983109"));
    assert_eq!(parsed.rows[1].1.relation, Relation::Pere);
}

#[test]
fn decoding() {
    assert_eq!(decode(b"\xEF\xBB\xBFNom").encoding, UTF8_BOM);
    assert_eq!(decode(b"\xEF\xBB\xBFNom").text, "Nom");
    assert_eq!(decode("Prénom".as_bytes()).encoding, UTF8);
    let cp = decode(b"CL\xC9MENT C\x8CUR");
    assert_eq!(
        (cp.text.as_str(), cp.encoding),
        ("CLÉMENT CŒUR", WINDOWS_1252)
    );
    // Broken UTF-8 after a BOM is kept visible, and refused by the parser.
    let parsed = parse_students(
        format!("\u{feff}{HEADER}B\u{0}RUN;Anaïs;30/06/2013;5B;\r\n").as_bytes(),
        TODAY,
    );
    assert_eq!(problems(&parsed.errors), [(2, Problem::BadCharacter)]);
    let mut bytes = format!("\u{feff}{HEADER}").into_bytes();
    bytes.extend_from_slice(b"BRUN;Ana\xEFs;30/06/2013;5B;\r\n");
    let parsed = parse_students(&bytes, TODAY);
    assert_eq!(parsed.encoding, UTF8_BOM);
    assert_eq!(problems(&parsed.errors), [(2, Problem::BadCharacter)]);
}

/// Pieces that CSV readers trip on.
fn piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"\"".to_vec()),
        Just(b"\"\"".to_vec()),
        Just(b";".to_vec()),
        Just(b",".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just("é".as_bytes().to_vec()),
        Just("Œ".as_bytes().to_vec()),
        Just(b"\xC9\x8C".to_vec()),
        Just(b"31/02/2013".to_vec()),
        Just(b"14/03/2014".to_vec()),
        Just(b"m\xc3\xa8re".to_vec()),
        Just(b"+33 6 39 98 31 04".to_vec()),
        Just(b"a@b.example".to_vec()),
        Just(b"6A".to_vec()),
        Just(b"6A, 5B".to_vec()),
        Just(Vec::new()),
        "[A-Za-zÀ-ÿ' -]{0,12}".prop_map(String::into_bytes),
        proptest::collection::vec(any::<u8>(), 0..8),
    ]
}

fn headers() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(Vec::new()),
        Just(HEADER.as_bytes().to_vec()),
        Just(
            "Nom;Prénom;Courriel;Téléphone;Nom de l'enfant;Prénom de l'enfant;\
             Date de naissance de l'enfant;Lien\r\n"
                .as_bytes()
                .to_vec()
        ),
        Just(b"Nom,Pr\xc3\xa9nom,Courriel,Disciplines,Classes\n".to_vec()),
        Just(b"\xEF\xBB\xBFNom;Pr\xc3\xa9nom;Courriel;Disciplines;Classes\r\n".to_vec()),
    ]
}

fn check_invariants<T>(parsed: &Parsed<T>) {
    let error_lines: HashSet<usize> = parsed.errors.iter().map(|e| e.line).collect();
    for (line, _) in &parsed.rows {
        assert!(*line >= 2 && !error_lines.contains(line));
    }
    assert!(
        parsed
            .errors
            .iter()
            .chain(&parsed.warnings)
            .all(|e| e.line >= 1)
    );
    assert!(parsed.rows.windows(2).all(|w| w[0].0 < w[1].0));
    assert!(parsed.errors.windows(2).all(|w| w[0].line <= w[1].line));
}

proptest! {
    #[test]
    fn no_input_panics_a_parser(
        header in headers(),
        body in proptest::collection::vec(piece(), 0..80),
    ) {
        let mut bytes = header;
        bytes.extend(body.concat());
        let decoded = decode(&bytes);
        let line_count = decoded.text.split('\n').count() + decoded.text.matches('\r').count() + 1;
        let students = parse_students(&bytes, TODAY);
        check_invariants(&students);
        prop_assert!(students.rows.iter().all(|(l, _)| *l <= line_count));
        let _ = check_students(&students.rows, &CLASSES);
        check_invariants(&parse_parents(&bytes, TODAY));
        let teachers = parse_teachers(&bytes);
        check_invariants(&teachers);
        let _ = check_teachers(&teachers.rows, &CLASSES);
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        check_invariants(&parse_students(&bytes, TODAY));
        check_invariants(&parse_parents(&bytes, TODAY));
        check_invariants(&parse_teachers(&bytes));
    }
}

#[test]
fn every_message_is_said_in_french_and_in_english() {
    let parsed = students(
        "Nom;Prénom;Date de naissance;Classe;Inconnue\n\
         Abadie;Léa;31/02/2012;6A\n\
         Abadie;Léo;01/01/2099;6A\n\
         ;Léo;01/01/2012;6A\n\
         Abadie;Luc;01/01/2012;6A;x;y\n\
         Abadie;Lou;01/01/2012;6Z\n",
    );
    let all: Vec<&LineError> = parsed.errors.iter().chain(&parsed.warnings).collect();
    assert_eq!(all.len(), 5, "{all:?}");
    for e in all {
        let fr = e.text().render(Lang::Fr);
        let en = e.text().render(Lang::En);
        assert!(fr.starts_with(&format!("ligne {} : ", e.line)), "{fr}");
        assert!(en.starts_with(&format!("line {}: ", e.line)), "{en}");
        assert_ne!(fr, en);
        // Every argument was given: no Fluent placeholder is left.
        assert!(!fr.contains('{') && !en.contains('{'), "{fr} / {en}");
    }
    let unknown = check_students(&parsed.rows, &[]);
    let en = unknown[0].text().render(Lang::En);
    assert!(en.contains("(existing classes: none)"), "{en}");
}
