//! Importing the académie's AAF export (shared/fixtures/README.md §1 is the contract): the
//! expected result, dry run, re-import, ISO-8859-15, the delta, the hostile file, the CLI.

use std::path::{Path, PathBuf};

use cartable::domain::import::aaf::{self, AafFile};
use cartable::domain::import::aaf_apply::{ImportReport, import_aaf};
use cartable::model::directory::*;
use cartable::store::tables::*;
use cartable::store::{KeyCodec, Store, Table};

use crate::common::{cartable, temp_store};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures/aaf");
const YEAR: SchoolYear = SchoolYear(2025);

fn fixtures(sub: &str) -> PathBuf {
    Path::new(FIXTURES).join(sub)
}

fn parse_dir(dir: &Path) -> Vec<AafFile> {
    aaf::select_files(dir)
        .unwrap()
        .files
        .iter()
        .map(|f| aaf::parse_file(&f.path).unwrap())
        .collect()
}

fn import(store: &Store, dir: &Path, dry_run: bool) -> ImportReport {
    import_aaf(store, &parse_dir(dir), YEAR, dry_run).unwrap()
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

fn person(store: &Store, aaf_id: &str) -> (PersonId, Person) {
    let read = store.read().unwrap();
    let id = read
        .get(
            &NATIONAL_ID_TO_PERSON,
            &("aaf".to_owned(), aaf_id.to_owned()),
        )
        .unwrap()
        .unwrap_or_else(|| panic!("no person with AAF id {aaf_id}"));
    (id, read.get(&PEOPLE, &id).unwrap().unwrap())
}

fn class(store: &Store, name: &str) -> (ClassId, Class) {
    rows(store, &CLASSES)
        .into_iter()
        .find(|(_, c)| c.name == name)
        .unwrap_or_else(|| panic!("no class {name}"))
}

/// First names of the members of a class, sorted.
fn members(store: &Store, name: &str) -> Vec<String> {
    let (id, _) = class(store, name);
    let mut out: Vec<String> = rows(store, &CLASS_STUDENTS)
        .into_iter()
        .filter(|((c, _), ())| *c == id)
        .map(|((_, p), ())| {
            store
                .read()
                .unwrap()
                .get(&PEOPLE, &p)
                .unwrap()
                .unwrap()
                .first_name
        })
        .collect();
    out.sort();
    out
}

/// People holding `role` (by role code) in any establishment, per ESTABLISHMENT_PEOPLE.
fn with_role(store: &Store, role: Role) -> Vec<PersonId> {
    rows(store, &ESTABLISHMENT_PEOPLE)
        .into_iter()
        .filter(|((_, code, _), ())| *code == role.code())
        .map(|((_, _, p), ())| p)
        .collect()
}

/// A table's name and raw rows.
type RawTable = (String, Vec<(Vec<u8>, Vec<u8>)>);

/// The raw rows of every directory table (and the AAF tables), by name.
fn directory_rows(store: &Store) -> Vec<RawTable> {
    let names = [
        ESTABLISHMENTS.name(),
        UAI_TO_ESTABLISHMENT.name(),
        PEOPLE.name(),
        LOGIN_TO_PERSON.name(),
        PERSON_PROFILES.name(),
        ESTABLISHMENT_PEOPLE.name(),
        CLASSES.name(),
        ESTABLISHMENT_CLASSES.name(),
        CLASS_STUDENTS.name(),
        STUDENT_CLASSES.name(),
        GROUPS.name(),
        ESTABLISHMENT_GROUPS.name(),
        GROUP_STUDENTS.name(),
        STUDENT_GROUPS.name(),
        SUBJECTS.name(),
        ESTABLISHMENT_SUBJECTS.name(),
        TEACHINGS.name(),
        TEACHER_TEACHINGS.name(),
        CLASS_TEACHINGS.name(),
        GROUP_TEACHINGS.name(),
        PARENT_CHILDREN.name(),
        CHILD_PARENTS.name(),
        NATIONAL_ID_TO_PERSON.name(),
        ESTABLISHMENT_CLASS_NAMES.name(),
        PERSON_NAME_WORDS.name(),
        AAF_STRUCTURES.name(),
        ESTABLISHMENT_SUBJECT_CODES.name(),
        ID_COUNTERS.name(),
    ];
    let read = store.read().unwrap();
    names
        .iter()
        .map(|name| {
            (
                (*name).to_owned(),
                read.raw_rows(name).unwrap().map(Result::unwrap).collect(),
            )
        })
        .collect()
}

fn assert_complet_result(store: &Store) {
    let establishments = rows(store, &ESTABLISHMENTS);
    assert_eq!(establishments.len(), 1);
    let (est, e) = &establishments[0];
    assert_eq!(e.uai, "0639999Z");
    assert_eq!(
        e.name,
        "CLG-DES QUATRE PUYS-STE FLEUR DES DÔMES-ac-CLERMONT"
    );
    assert_eq!(e.kind, EstablishmentKind::College);
    assert_eq!(e.academie, "CLERMONT");
    assert_eq!(e.town, "STE FLEUR DES DÔMES");
    assert_eq!(
        rows(store, &AAF_STRUCTURES),
        vec![("63999".to_owned(), *est)]
    );

    let mut classes: Vec<(String, String)> = rows(store, &CLASSES)
        .into_iter()
        .map(|(_, c)| (c.name, c.level))
        .collect();
    classes.sort();
    assert_eq!(
        classes,
        [("5B".into(), "5e".into()), ("6A".into(), "6e".into())]
    );
    assert!(rows(store, &GROUPS).is_empty());

    let mut subjects: Vec<(Option<String>, String)> = rows(store, &SUBJECTS)
        .into_iter()
        .map(|(_, s)| (s.code, s.name))
        .collect();
    subjects.sort();
    let expected = [
        ("020700", "FRANÇAIS"),
        ("030201", "ANGLAIS LV1"),
        ("030602", "ESPAGNOL LV2"),
        ("040600", "HISTOIRE-GÉOGRAPHIE"),
        ("061300", "MATHÉMATIQUES"),
        ("100100", "ÉDUCATION PHYSIQUE ET SPORTIVE"),
    ];
    assert_eq!(
        subjects,
        expected
            .iter()
            .map(|(c, n)| (Some((*c).to_owned()), (*n).to_owned()))
            .collect::<Vec<_>>()
    );
    assert_eq!(rows(store, &ESTABLISHMENT_SUBJECT_CODES).len(), 6);

    // Students.
    assert_eq!(with_role(store, Role::Eleve).len(), 3);
    assert_eq!(members(store, "6A"), ["Anaïs", "Chloé"]);
    assert_eq!(members(store, "5B"), ["Noé"]);
    let (chloe, c) = person(store, "3100001");
    assert_eq!(c.display_name(), "Chloé BERGERON");
    assert_eq!(c.birth_date, Some(jiff::civil::date(2014, 3, 14)));
    assert_eq!(c.state, AccountState::Pending);
    let (noe, n) = person(store, "3100002");
    assert_eq!(n.last_name, "LECŒUR");
    let (anais, _) = person(store, "3100003");

    // Relatives.
    let (helene, h) = person(store, "3200001");
    assert_eq!(h.display_name(), "Hélène BERGERON");
    assert_eq!(h.birth_name.as_deref(), Some("FAURE"));
    assert_eq!(h.email.as_deref(), Some("helene.bergeron@courriel.example"));
    let (frederic, f) = person(store, "3200002");
    assert_eq!(
        f.email.as_deref(),
        Some("frederic.bergeron@courriel.example")
    );
    let (jerome, _) = person(store, "3200003");
    assert_eq!(with_role(store, Role::Parent).len(), 3);
    let link = |relation, authority| ParentLink {
        relation,
        parental_authority: authority,
        receives_mail: authority,
    };
    let mut links = rows(store, &PARENT_CHILDREN);
    links.sort_by_key(|(k, _)| *k);
    let mut expected = vec![
        ((frederic, chloe), link(Relation::Pere, true)),
        ((helene, chloe), link(Relation::Mere, true)),
        ((helene, noe), link(Relation::Mere, true)),
        ((jerome, anais), link(Relation::Tuteur, true)),
    ];
    expected.sort_by_key(|(k, _)| *k);
    assert_eq!(links, expected);
    assert_eq!(rows(store, &CHILD_PARENTS).len(), 4);

    // Staff.
    let (chastagnol, ch) = person(store, "3300001");
    assert_eq!(
        ch.email.as_deref(),
        Some("aurelien.chastagnol@ac-clermont.example")
    );
    let (vialle, _) = person(store, "3300002");
    let (delmas, _) = person(store, "3300003");
    let mut teachers = with_role(store, Role::Enseignant);
    teachers.sort();
    assert_eq!(teachers, [chastagnol, vialle]);
    let profile = store
        .read()
        .unwrap()
        .get(
            &PERSON_PROFILES,
            &(delmas, *est, Role::Personnel(StaffFunction::Cpe).code()),
        )
        .unwrap()
        .unwrap();
    assert_eq!(profile.role, Role::Personnel(StaffFunction::Cpe));
    assert_eq!(
        with_role(store, Role::Personnel(StaffFunction::Cpe)),
        [delmas]
    );

    let subject = |code: &str| {
        store
            .read()
            .unwrap()
            .get(&ESTABLISHMENT_SUBJECT_CODES, &(*est, code.to_owned()))
            .unwrap()
            .unwrap()
    };
    let (a6, six_a) = class(store, "6A");
    let (b5, five_b) = class(store, "5B");
    let mut teachings: Vec<(PersonId, Audience, SubjectId)> = rows(store, &TEACHINGS)
        .into_iter()
        .map(|(_, t)| (t.teacher, t.audience, t.subject))
        .collect();
    teachings.sort_by_key(|t| format!("{t:?}"));
    let mut expected = vec![
        (chastagnol, Audience::Class(a6), subject("061300")),
        (chastagnol, Audience::Class(b5), subject("061300")),
        (vialle, Audience::Class(a6), subject("020700")),
    ];
    expected.sort_by_key(|t| format!("{t:?}"));
    assert_eq!(teachings, expected);
    assert_eq!(five_b.head_teacher, Some(chastagnol));
    assert_eq!(six_a.head_teacher, Some(vialle));

    let check = store.check().unwrap();
    assert!(check.is_ok(), "{:?}", check.problems);
}

#[test]
fn importing_the_complet_gives_the_expected_result() {
    let (_dir, store) = temp_store();
    let report = import(&store, Path::new(FIXTURES), false);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.establishments.created, 1);
    assert_eq!(report.subjects.created, 6);
    assert_eq!(report.students.created, 3);
    assert_eq!(report.relatives.created, 3);
    assert_eq!(report.staff.created, 3);
    assert_eq!(report.classes_created, 2);
    assert_eq!(report.teachings_created, 3);
    assert_eq!(report.links_created, 4);
    assert_eq!(report.head_teachers_set, 2);
    assert!(
        report
            .lines
            .iter()
            .map(|l| l.render(cartable::i18n::Lang::Fr))
            .any(|l| l.contains("Chloé BERGERON") && l.contains("création")),
        "{:?}",
        report.lines
    );
    assert_complet_result(&store);
}

#[test]
fn a_dry_run_writes_nothing_and_reports_the_same_counts() {
    let (_dir, store) = temp_store();
    let head = store.head();
    let dry = import(&store, Path::new(FIXTURES), true);
    assert!(dry.dry_run);
    assert_eq!(store.head(), head, "a dry run must not move the change log");
    for (name, rows) in directory_rows(&store) {
        assert!(rows.is_empty(), "{name} was written by a dry run");
    }
    let real = import(&store, Path::new(FIXTURES), false);
    assert_eq!(
        ImportReport {
            dry_run: false,
            ..dry
        },
        real
    );
    assert_complet_result(&store);
}

#[test]
fn re_importing_changes_nothing() {
    let (_dir, store) = temp_store();
    import(&store, Path::new(FIXTURES), false);
    let head = store.head();
    let before = directory_rows(&store);
    let again = import(&store, Path::new(FIXTURES), false);
    assert_eq!(
        store.head(),
        head,
        "a re-import must not move the change log"
    );
    assert!(again.changed_nothing(), "{again:?}");
    assert_eq!(again.establishments.unchanged, 1);
    assert_eq!(again.subjects.unchanged, 6);
    assert_eq!(again.students.unchanged, 3);
    assert_eq!(again.relatives.unchanged, 3);
    assert_eq!(again.staff.unchanged, 3);
    assert!(again.lines.is_empty(), "{:?}", again.lines);
    assert_eq!(directory_rows(&store), before);
}

#[test]
fn the_iso_8859_15_export_gives_identical_tables() {
    let (_a, utf8) = temp_store();
    let (_b, latin) = temp_store();
    import(&utf8, Path::new(FIXTURES), false);
    import(&latin, &fixtures("iso-8859-15"), false);
    assert_eq!(directory_rows(&utf8), directory_rows(&latin));
    assert_eq!(person(&latin, "3100002").1.last_name, "LECŒUR");
}

#[test]
fn the_delta_moves_anais_and_noe_leaves_twice_without_change() {
    let (_dir, store) = temp_store();
    import(&store, Path::new(FIXTURES), false);
    let parents_before = rows(&store, &PARENT_CHILDREN);
    let staff_before: Vec<_> = ["3300001", "3300002", "3300003"]
        .iter()
        .map(|id| person(&store, id))
        .collect();
    let teachings_before = rows(&store, &TEACHINGS);

    let report = import(&store, &fixtures("delta"), false);
    assert_eq!(report.students.updated, 1, "{report:?}");
    assert_eq!(report.students.left, 1, "{report:?}");

    assert_eq!(members(&store, "6A"), ["Chloé"]);
    assert_eq!(members(&store, "5B"), ["Anaïs"]);
    let (noe, n) = person(&store, "3100002");
    assert_eq!(n.state, AccountState::Left(jiff::civil::date(2025, 9, 15)));
    assert!(
        rows(&store, &STUDENT_CLASSES)
            .iter()
            .all(|((p, _), ())| *p != noe)
    );
    let pupils = with_role(&store, Role::Eleve);
    assert_eq!(pupils.len(), 2);
    assert!(!pupils.contains(&noe));
    assert!(
        rows(&store, &PERSON_PROFILES)
            .iter()
            .all(|((p, _, code), _)| !(*p == noe && *code == Role::Eleve.code()))
    );
    assert!(
        rows(&store, &PERSON_NAME_WORDS)
            .iter()
            .all(|((_, _, p), ())| *p != noe),
        "Noé is no longer found by name in the school"
    );
    assert_eq!(rows(&store, &PARENT_CHILDREN), parents_before);
    assert_eq!(with_role(&store, Role::Parent).len(), 3);
    let staff_after: Vec<_> = ["3300001", "3300002", "3300003"]
        .iter()
        .map(|id| person(&store, id))
        .collect();
    assert_eq!(staff_after, staff_before);
    assert_eq!(rows(&store, &TEACHINGS), teachings_before);

    let head = store.head();
    let before = directory_rows(&store);
    let again = import(&store, &fixtures("delta"), false);
    assert!(again.changed_nothing(), "{again:?}");
    assert_eq!(again.students.unchanged, 2);
    assert_eq!(store.head(), head);
    assert_eq!(directory_rows(&store), before);
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn an_unknown_class_refuses_the_whole_import() {
    let (_dir, store) = temp_store();
    let mut files = parse_dir(Path::new(FIXTURES));
    for file in &mut files {
        if let aaf::AafRecords::Students(records) = &mut file.records
            && let aaf::Change::Add(student) = &mut records[0].change
        {
            student.classes[0].code = "4Z".to_owned();
        }
    }
    let head = store.head();
    let err = import_aaf(&store, &files, YEAR, false).unwrap_err();
    let cartable::domain::import::aaf_apply::ImportError::Refused(report) = err else {
        panic!("expected a refusal, got {err:?}");
    };
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    let error = report.errors[0].render(cartable::i18n::Lang::Fr);
    assert!(error.contains("3100001"), "{error}");
    assert!(error.contains("4Z"), "{error}");
    assert!(error.contains("_Eleve_"), "{error}");
    assert_eq!(store.head(), head);
    assert!(rows(&store, &PEOPLE).is_empty());
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
fn the_cli_refuses_the_hostile_file_and_writes_nothing() {
    let input = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixtures("hostile_xxe.xml"),
        input
            .path()
            .join("ENT2D_0639999Z_Complet_20250901_Eleve_0000.xml"),
    )
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run(&[
        "--data-dir",
        data.path().to_str().unwrap(),
        "import",
        "--aaf",
        input.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("DTD") || stderr.contains("ENTITY") || stderr.contains("entité"),
        "the cause must be named: {stderr}"
    );
    assert!(!stderr.contains("aucun fichier AAF"), "{stderr}");
    let store = Store::open(data.path(), crate::common::clock()).unwrap();
    for (name, rows) in directory_rows(&store) {
        assert!(rows.is_empty(), "{name} was written");
    }
}

#[test]
fn the_cli_imports_with_and_without_dry_run() {
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().to_str().unwrap();
    let (code, stdout, stderr) = run(&[
        "--data-dir",
        data_dir,
        "import",
        "--aaf",
        FIXTURES,
        "--dry-run",
    ]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("Ignored (not an AAF file name): hostile_xxe.xml"),
        "{stdout}"
    );
    assert!(stdout.contains("Students: 3 created"), "{stdout}");
    assert!(stdout.contains("Dry run: nothing was written."), "{stdout}");
    {
        let store = Store::open(data.path(), crate::common::clock()).unwrap();
        assert!(rows(&store, &PEOPLE).is_empty());
    }
    let (code, stdout, stderr) = run(&["--data-dir", data_dir, "import", "--aaf", FIXTURES]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("Students: 3 created"), "{stdout}");
    assert!(stdout.contains("2 classes"), "{stdout}");
    assert!(!stdout.contains("Dry run"), "{stdout}");
    let store = Store::open(data.path(), crate::common::clock()).unwrap();
    assert_complet_result(&store);
}
