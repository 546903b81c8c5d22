//! Importing Cartable's spreadsheet files (shared/fixtures/README.md §2 is the contract):
//! pupils, parents, teachers, re-imports, Windows-1252, the file with errors, the CLI.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use cartable::domain::directory::service;
use cartable::domain::import::aaf_apply::{ImportError, ImportReport};
use cartable::domain::import::csv_apply::{self, CsvKind};
use cartable::model::Actor;
use cartable::model::directory::*;
use cartable::store::tables::*;
use cartable::store::{KeyCodec, Store, Table};
use jiff::civil::Date;

use crate::common::{cartable, temp_store};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures/csv");
const YEAR: SchoolYear = SchoolYear(2025);
const UAI: &str = "0639990X";
const TODAY: Date = Date::constant(2025, 9, 15);

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(FIXTURES).join(name)).unwrap()
}

fn fixture_path(name: &str) -> PathBuf {
    Path::new(FIXTURES).join(name)
}

/// The establishment and its classes 6A, 5B, 4C for [`YEAR`] (the README's precondition).
fn school(store: &Store) -> EstablishmentId {
    store
        .write(|tx| {
            let e = service::create_establishment(
                tx,
                Establishment {
                    uai: UAI.to_owned(),
                    name: "Collège du tableur".to_owned(),
                    kind: EstablishmentKind::College,
                    town: "Riom".to_owned(),
                    academie: "Clermont-Ferrand".to_owned(),
                },
            )?;
            for (name, level) in [("6A", "6e"), ("5B", "5e"), ("4C", "4e")] {
                service::create_class(
                    tx,
                    Class {
                        establishment: e,
                        year: YEAR,
                        name: name.to_owned(),
                        level: level.to_owned(),
                        head_teacher: None,
                    },
                )?;
            }
            Ok::<_, cartable::domain::directory::DirectoryError>(e)
        })
        .unwrap()
}

fn import(
    store: &Store,
    e: EstablishmentId,
    kind: CsvKind,
    file: &str,
    dry_run: bool,
) -> Result<ImportReport, ImportError> {
    csv_apply::import_csv(
        store,
        &Actor::system(),
        e,
        YEAR,
        kind,
        &fixture(file),
        TODAY,
        dry_run,
    )
}

fn ok(store: &Store, e: EstablishmentId, kind: CsvKind, file: &str) -> ImportReport {
    match import(store, e, kind, file, false) {
        Ok(report) => report,
        Err(ImportError::Refused(report)) => panic!("refused: {:#?}", report.errors),
        Err(e) => panic!("{e}"),
    }
}

fn rows<K: KeyCodec + 'static, V: serde::de::DeserializeOwned + 'static>(
    store: &Store,
    table: &Table<K, V>,
) -> Vec<(K, V)> {
    store
        .read()
        .unwrap()
        .range(table, ..)
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn people(store: &Store) -> BTreeMap<PersonId, Person> {
    rows(store, &PEOPLE).into_iter().collect()
}

fn with_role(store: &Store, role: Role) -> Vec<PersonId> {
    rows(store, &ESTABLISHMENT_PEOPLE)
        .into_iter()
        .filter(|((_, code, _), ())| *code == role.code())
        .map(|((_, _, p), ())| p)
        .collect()
}

/// The line numbers named by `ligne N : …` messages.
fn lines_of(messages: &[cartable::i18n::Text]) -> Vec<usize> {
    messages
        .iter()
        .map(|m| {
            let m = m.render(cartable::i18n::Lang::Fr);
            m.strip_prefix("ligne ")
                .and_then(|r| r.split(' ').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("not a line message: {m}"))
        })
        .collect()
}

/// "Prénom NOM" of a person.
fn name(people: &BTreeMap<PersonId, Person>, id: PersonId) -> String {
    people[&id].display_name()
}

#[test]
fn pupils_are_imported_in_their_classes_and_a_reimport_changes_nothing() {
    let (_dir, store) = temp_store();
    let e = school(&store);
    let report = ok(&store, e, CsvKind::Students, "eleves.csv");
    assert_eq!(report.students.created, 30);
    assert!(report.errors.is_empty() && report.warnings.is_empty());

    let pupils = with_role(&store, Role::Eleve);
    assert_eq!(pupils.len(), 30);
    let all = people(&store);
    let with_ine = pupils
        .iter()
        .filter(|p| all[p].national_ids.iter().any(|(k, _)| k == "ine"))
        .count();
    assert_eq!(with_ine, 15);
    assert!(pupils.iter().all(|p| all[p].state == AccountState::Pending));
    let classes: BTreeMap<ClassId, String> = rows(&store, &CLASSES)
        .into_iter()
        .map(|(id, c)| (id, c.name))
        .collect();
    let mut per_class: BTreeMap<String, usize> = BTreeMap::new();
    for ((class, _), ()) in rows(&store, &CLASS_STUDENTS) {
        *per_class.entry(classes[&class].clone()).or_default() += 1;
    }
    assert_eq!(
        per_class,
        BTreeMap::from([
            ("4C".to_owned(), 10),
            ("5B".to_owned(), 10),
            ("6A".to_owned(), 10)
        ])
    );
    assert!(all.values().any(|p| p.last_name == "CŒURDEROY"));
    assert!(all.values().any(|p| p.first_name == "Ilyès"));
    assert_eq!(rows(&store, &CLASSES).len(), 3, "no class is created");

    // The same file again, then its Windows-1252 copy: nothing changes.
    let head = store.head();
    let again = ok(&store, e, CsvKind::Students, "eleves.csv");
    assert_eq!(again.students.unchanged, 30);
    assert!(again.changed_nothing(), "{again:#?}");
    assert_eq!(store.head(), head);
    let cp1252 = ok(&store, e, CsvKind::Students, "eleves_windows-1252.csv");
    assert_eq!(cp1252.students.unchanged, 30, "{cp1252:#?}");
    assert_eq!(store.head(), head);
    assert_eq!(people(&store), all);
}

#[test]
fn a_dry_run_reports_the_creations_and_writes_nothing() {
    let (_dir, store) = temp_store();
    let e = school(&store);
    let head = store.head();
    let report = import(&store, e, CsvKind::Students, "eleves.csv", true).unwrap();
    assert!(report.dry_run);
    assert_eq!(report.students.created, 30);
    assert_eq!(store.head(), head);
    assert!(with_role(&store, Role::Eleve).is_empty());

    // Several files previewed together: the parents see the pupils of the file before.
    let files = [
        (CsvKind::Students, fixture("eleves.csv")),
        (CsvKind::Parents, fixture("parents.csv")),
    ];
    let inputs: Vec<(CsvKind, &[u8])> = files.iter().map(|(k, b)| (*k, b.as_slice())).collect();
    let reports =
        csv_apply::preview_csv(&store, &Actor::system(), e, YEAR, &inputs, TODAY).unwrap();
    assert_eq!(reports[1].relatives.created, 40, "{:#?}", reports[1].errors);
    assert_eq!(reports[1].links_created, 47);
    assert_eq!(store.head(), head);
}

#[test]
fn parents_are_linked_to_their_children() {
    let (_dir, store) = temp_store();
    let e = school(&store);
    ok(&store, e, CsvKind::Students, "eleves.csv");
    let report = ok(&store, e, CsvKind::Parents, "parents.csv");
    assert_eq!(report.relatives.created, 40);
    assert_eq!(report.links_created, 47);

    let all = people(&store);
    let parents = with_role(&store, Role::Parent);
    assert_eq!(parents.len(), 40);
    assert_eq!(
        parents.iter().filter(|p| all[p].email.is_some()).count(),
        39
    );
    let links = rows(&store, &PARENT_CHILDREN);
    assert_eq!(links.len(), 47);
    let relations = |r: Relation| links.iter().filter(|(_, l)| l.relation == r).count();
    assert_eq!(
        (
            relations(Relation::Mere),
            relations(Relation::Pere),
            relations(Relation::Tuteur)
        ),
        (26, 20, 1)
    );
    assert!(
        links
            .iter()
            .all(|(_, l)| l.parental_authority && l.receives_mail)
    );
    let mut per_child: BTreeMap<PersonId, usize> = BTreeMap::new();
    for ((_, child), _) in &links {
        *per_child.entry(*child).or_default() += 1;
    }
    assert_eq!(per_child.len(), 30);
    assert_eq!(per_child.values().filter(|n| **n == 1).count(), 13);
    assert_eq!(per_child.values().filter(|n| **n == 2).count(), 17);

    // Who is linked to whom, by name.
    let children_of = |parent: &str| -> BTreeSet<String> {
        links
            .iter()
            .filter(|((p, _), _)| name(&all, *p) == parent)
            .map(|((_, c), _)| name(&all, *c))
            .collect()
    };
    let set = |names: &[&str]| {
        names
            .iter()
            .map(|s| (*s).to_owned())
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(
        children_of("Karima BENALI"),
        set(&["Yanis BENALI", "Inès BENALI"])
    );
    assert_eq!(
        children_of("Sofiane BENALI"),
        set(&["Yanis BENALI", "Inès BENALI"])
    );
    assert_eq!(
        children_of("Aurore FAVIER"),
        set(&["Maëlle FAVIER", "Timothée FAVIER"])
    );
    assert_eq!(
        children_of("Pascal RENAUD"),
        set(&["Céleste RENAUD", "Hugo RENAUD"])
    );
    assert_eq!(
        children_of("Nadège DUFOUR"),
        set(&["Zoé DUFOUR", "Sacha DELORME"])
    );
    assert_eq!(children_of("Cédric DELORME"), set(&["Sacha DELORME"]));
    assert_eq!(children_of("Élodie CHAUVET"), set(&["Lilou CHAUVET"]));
    assert_eq!(children_of("Mélanie ROCHE"), set(&["Lilou CHAUVET"]));
    assert_eq!(children_of("Claire PONS"), set(&["Raphaël PONS-ROUVIÈRE"]));
    assert_eq!(
        children_of("Mathieu ROUVIÈRE"),
        set(&["Raphaël PONS-ROUVIÈRE"])
    );
    assert_eq!(children_of("Bernard MASSON"), set(&["Océane FERRAND"]));
    let masson = links
        .iter()
        .find(|((p, _), _)| name(&all, *p) == "Bernard MASSON")
        .unwrap();
    assert_eq!(masson.1.relation, Relation::Tuteur);
    let perier = all
        .values()
        .find(|p| p.display_name() == "Annick PÉRIER")
        .unwrap();
    assert_eq!(perier.email, None);
    assert_eq!(children_of("Annick PÉRIER"), set(&["Baptiste PÉRIER"]));
    assert!(
        all.values()
            .filter(|p| p.display_name() == "Karima BENALI")
            .count()
            == 1,
        "one account per parent"
    );

    // Again: nothing changes.
    let head = store.head();
    let again = ok(&store, e, CsvKind::Parents, "parents.csv");
    assert_eq!(again.relatives.unchanged, 40);
    assert!(again.changed_nothing(), "{again:#?}");
    assert_eq!(store.head(), head);
}

#[test]
fn parents_of_unknown_children_are_refused() {
    let (_dir, store) = temp_store();
    let e = school(&store);
    let head = store.head();
    let Err(ImportError::Refused(report)) =
        import(&store, e, CsvKind::Parents, "parents.csv", false)
    else {
        panic!("expected a refusal");
    };
    assert_eq!(report.errors.len(), 47);
    let first = report.errors[0].render(cartable::i18n::Lang::Fr);
    assert!(first.starts_with("ligne 2 : enfant"), "{first}");
    assert_eq!(store.head(), head);
}

#[test]
fn teachers_get_their_subjects_and_teachings() {
    let (_dir, store) = temp_store();
    let e = school(&store);
    let report = ok(&store, e, CsvKind::Teachers, "enseignants.csv");
    assert_eq!(report.staff.created, 6);
    assert_eq!(report.subjects_created, 8);
    assert_eq!(report.teachings_created, 18);

    let all = people(&store);
    let teachers = with_role(&store, Role::Enseignant);
    assert_eq!(teachers.len(), 6);
    assert!(teachers.iter().all(|t| all[t].email.is_some()));
    let subjects: BTreeMap<SubjectId, String> = rows(&store, &SUBJECTS)
        .into_iter()
        .map(|(id, s)| (id, s.name))
        .collect();
    assert_eq!(subjects.len(), 8);
    assert!(
        subjects
            .values()
            .any(|s| s == "Éducation physique et sportive")
    );
    let classes: BTreeMap<ClassId, String> = rows(&store, &CLASSES)
        .into_iter()
        .map(|(id, c)| (id, c.name))
        .collect();
    let teachings: BTreeSet<(String, String, String)> = rows(&store, &TEACHINGS)
        .into_iter()
        .map(|(_, t)| {
            let Audience::Class(c) = t.audience else {
                panic!("a group teaching")
            };
            (
                name(&all, t.teacher),
                classes[&c].clone(),
                subjects[&t.subject].clone(),
            )
        })
        .collect();
    assert_eq!(teachings.len(), 18);
    assert!(teachings.contains(&(
        "Marion LAVAL".to_owned(),
        "4C".to_owned(),
        "Enseignement moral et civique".to_owned()
    )));
    assert!(!teachings.contains(&(
        "Nathalie ROCHER".to_owned(),
        "4C".to_owned(),
        "Français".to_owned()
    )));

    let head = store.head();
    let again = ok(&store, e, CsvKind::Teachers, "enseignants.csv");
    assert_eq!(again.staff.unchanged, 6);
    assert!(again.changed_nothing(), "{again:#?}");
    assert_eq!(store.head(), head);
}

#[test]
fn the_file_with_errors_is_refused_with_every_bad_line() {
    let (_dir, store) = temp_store();
    let e = school(&store);
    let head = store.head();
    for dry_run in [true, false] {
        let Err(ImportError::Refused(report)) =
            import(&store, e, CsvKind::Students, "eleves_erreurs.csv", dry_run)
        else {
            panic!("expected a refusal");
        };
        assert_eq!(
            lines_of(&report.errors),
            [3, 5, 6, 8, 11, 13],
            "{report:#?}"
        );
        assert_eq!(lines_of(&report.warnings), [9]);
        let errors: Vec<String> = report
            .errors
            .iter()
            .map(|e| e.render(cartable::i18n::Lang::Fr))
            .collect();
        assert!(errors[2].contains("6Z") && errors[2].contains("inconnue"));
        assert!(errors.iter().all(|e| e.len() < 400), "{errors:#?}");
        assert_eq!(store.head(), head);
        assert!(with_role(&store, Role::Eleve).is_empty());
    }
}

#[test]
fn moving_class_leaves_the_old_one() {
    let (_dir, store) = temp_store();
    let e = school(&store);
    ok(&store, e, CsvKind::Students, "eleves.csv");
    let moved = String::from_utf8(fixture("eleves.csv")).unwrap().replace(
        "ABADIE;Léonie;12/01/2014;6A;",
        "ABADIE;Léonie;12/01/2014;5B;",
    );
    let report = csv_apply::import_csv(
        &store,
        &Actor::system(),
        e,
        YEAR,
        csv_apply::CsvKind::Students,
        moved.as_bytes(),
        TODAY,
        false,
    )
    .unwrap();
    assert_eq!(
        (report.students.updated, report.students.unchanged),
        (1, 29)
    );
    let all = people(&store);
    let leonie = *all
        .iter()
        .find(|(_, p)| p.display_name() == "Léonie ABADIE")
        .unwrap()
        .0;
    let classes: Vec<ClassId> = rows(&store, &STUDENT_CLASSES)
        .into_iter()
        .filter(|((p, _), ())| *p == leonie)
        .map(|((_, c), ())| c)
        .collect();
    assert_eq!(classes.len(), 1);
    let class = store
        .read()
        .unwrap()
        .get(&CLASSES, &classes[0])
        .unwrap()
        .unwrap();
    assert_eq!(class.name, "5B");
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = cartable().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_cli_previews_then_imports_and_refuses_bad_files() {
    let data = tempfile::tempdir().unwrap();
    {
        let store = Store::open(data.path(), crate::common::clock()).unwrap();
        school(&store);
    }
    let dir = data.path().to_str().unwrap();
    let eleves = fixture_path("eleves.csv");
    let parents = fixture_path("parents.csv");
    let (eleves, parents) = (eleves.to_str().unwrap(), parents.to_str().unwrap());
    let base = [
        "--data-dir",
        dir,
        "import",
        "--establishment",
        UAI,
        "--year",
        "2025",
    ];

    // Parents given first: sorted after the pupils, previewed together.
    let (code, stdout, stderr) = run(&[&base[..], &["--dry-run", parents, eleves]].concat());
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("Students: 30 created"), "{stdout}");
    assert!(stdout.contains("Parents: 40 created"), "{stdout}");
    assert!(stdout.contains("Dry run: nothing was written."), "{stdout}");

    let (code, stdout, stderr) = run(&[&base[..], &[parents, eleves]].concat());
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("Students: 30 created"), "{stdout}");
    assert!(stdout.contains("Created: 47 parent links"), "{stdout}");
    assert!(stdout.contains("Import done"), "{stdout}");

    let (code, stdout, _) = run(&[&base[..], &[eleves]].concat());
    assert_eq!(code, 0);
    assert!(
        stdout.contains("Students: 0 created, 0 updated, 30 unchanged"),
        "{stdout}"
    );
    assert!(stdout.contains("Nothing to change"), "{stdout}");

    let erreurs = fixture_path("eleves_erreurs.csv");
    let (code, stdout, stderr) = run(&[&base[..], &[erreurs.to_str().unwrap()]].concat());
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    for line in [3, 5, 6, 8, 11, 13] {
        assert!(
            stdout.contains(&format!("ERROR: ligne {line} : ")),
            "{stdout}"
        );
    }
    assert!(stdout.contains("WARNING: ligne 9 : "), "{stdout}");
    assert!(stderr.contains("refused"), "{stderr}");
}
