//! Unit tests of the structure administration: permissions aside (the integration tests
//! cover them), every change keeps the index tables in step and a refusal writes nothing.

use super::*;
use crate::domain::directory::service::NewPerson;
use crate::model::directory::{Establishment, EstablishmentKind, Relation};

struct Fixture {
    _dir: tempfile::TempDir,
    store: Store,
    college: EstablishmentId,
    year: SchoolYear,
    pupil: PersonId,
    teacher: PersonId,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let clock = crate::clock::FakeClock::new("2026-09-01T06:00:00Z".parse().unwrap());
    let store = Store::open(dir.path(), clock).unwrap();
    let (college, pupil, teacher) = store
        .write(|tx| {
            let college = service::create_establishment(
                tx,
                Establishment {
                    uai: "0639991A".into(),
                    name: "Collège".into(),
                    kind: EstablishmentKind::College,
                    town: "Riom".into(),
                    academie: "Clermont-Ferrand".into(),
                },
            )?;
            let mut person = |first: &str, role| {
                let id = service::create_person(
                    tx,
                    NewPerson {
                        first_name: first.into(),
                        last_name: "Test".into(),
                        ..NewPerson::default()
                    },
                )?;
                service::add_profile(tx, id, college, role)?;
                Ok::<_, crate::domain::directory::DirectoryError>(id)
            };
            let pupil = person("Léa", Role::Eleve)?;
            let teacher = person("Paul", Role::Enseignant)?;
            Ok::<_, crate::domain::directory::DirectoryError>((college, pupil, teacher))
        })
        .unwrap();
    Fixture {
        _dir: dir,
        store,
        college,
        year: SchoolYear(2026),
        pupil,
        teacher,
    }
}

fn client() -> Origin {
    Origin {
        ip: "127.0.0.1".into(),
        user_agent: "test".into(),
    }
}

fn stamp(client: &Origin) -> Stamp<'_> {
    Stamp {
        client,
        now: "2026-09-01T06:00:00Z".parse().unwrap(),
    }
}

fn class(f: &Fixture, name: &str) -> ClassId {
    let c = client();
    let input = UnitInput {
        name: name.into(),
        level: "5e".into(),
    };
    let id = create_unit(
        &f.store,
        &Actor::system(),
        f.college,
        UnitKind::Class,
        f.year,
        &input,
        stamp(&c),
    )
    .unwrap();
    let Audience::Class(id) = id else {
        panic!("a class")
    };
    id
}

fn login(f: &Fixture, id: PersonId) -> String {
    f.store
        .read()
        .unwrap()
        .get(&PEOPLE, &id)
        .unwrap()
        .unwrap()
        .login
}

#[test]
fn the_school_year_turns_at_midnight_in_paris() {
    let at = |s: &str| SchoolYear::at(s.parse().unwrap());
    assert_eq!(at("2026-08-31T21:59:00Z"), SchoolYear(2025));
    assert_eq!(at("2026-08-31T22:00:00Z"), SchoolYear(2026));
    assert_eq!(at("2027-06-30T12:00:00Z"), SchoolYear(2026));
}

#[test]
fn renaming_and_deleting_a_class_keep_the_name_index_in_step() {
    let f = fixture();
    let c = client();
    let a = class(&f, "5A");
    let system = Actor::system();
    let rename = |name: &str| UnitInput {
        name: name.into(),
        level: "5e".into(),
    };
    edit_unit(
        &f.store,
        &system,
        Audience::Class(a),
        &rename("5 Alpha"),
        stamp(&c),
    )
    .unwrap();
    let read = f.store.read().unwrap();
    let key = |n: &str| (f.college, f.year, fold(n));
    assert_eq!(
        read.get(&ESTABLISHMENT_CLASS_NAMES, &key("5a")).unwrap(),
        None
    );
    assert_eq!(
        read.get(&ESTABLISHMENT_CLASS_NAMES, &key("5 alpha"))
            .unwrap(),
        Some(a)
    );
    drop(read);
    // A name taken by another class (accents and case ignored) is refused.
    class(&f, "5É");
    let err = edit_unit(
        &f.store,
        &system,
        Audience::Class(a),
        &rename("5e"),
        stamp(&c),
    );
    assert!(matches!(
        err,
        Err(AdminError::Invalid {
            field: "nom",
            key: "structure-classe-existe"
        })
    ));
    // Not empty: refused, and nothing changes.
    add_pupil(
        &f.store,
        &system,
        Audience::Class(a),
        &login(&f, f.pupil),
        stamp(&c),
    )
    .unwrap();
    let head = f.store.head();
    let err = delete_unit(&f.store, &system, Audience::Class(a), stamp(&c));
    assert!(matches!(
        err,
        Err(AdminError::Invalid {
            field: "supprimer",
            ..
        })
    ));
    assert_eq!(f.store.head(), head);
    remove_pupil(&f.store, &system, Audience::Class(a), f.pupil, stamp(&c)).unwrap();
    delete_unit(&f.store, &system, Audience::Class(a), stamp(&c)).unwrap();
    let read = f.store.read().unwrap();
    assert_eq!(read.get(&CLASSES, &a).unwrap(), None);
    assert_eq!(
        read.get(&ESTABLISHMENT_CLASS_NAMES, &key("5 alpha"))
            .unwrap(),
        None
    );
    assert_eq!(
        read.get(&ESTABLISHMENT_CLASSES, &(f.college, a)).unwrap(),
        None
    );
}

#[test]
fn a_pupil_moves_between_classes_of_the_same_year_only() {
    let f = fixture();
    let c = client();
    let system = Actor::system();
    let (a, b) = (class(&f, "5A"), class(&f, "5B"));
    let old = f
        .store
        .write(|tx| {
            let old = service::create_class(
                tx,
                Class {
                    establishment: f.college,
                    year: SchoolYear(2025),
                    name: "6A".into(),
                    level: "6e".into(),
                    head_teacher: None,
                },
            )?;
            service::enrol_in_class(tx, f.pupil, old)?;
            service::enrol_in_class(tx, f.pupil, a)?;
            Ok::<_, crate::domain::directory::DirectoryError>(old)
        })
        .unwrap();
    let added = add_pupil(
        &f.store,
        &system,
        Audience::Class(b),
        &login(&f, f.pupil),
        stamp(&c),
    )
    .unwrap();
    assert_eq!(added.left, ["5A"]);
    let read = f.store.read().unwrap();
    let classes: Vec<ClassId> = read
        .scan_prefix(&crate::store::tables::STUDENT_CLASSES, &(f.pupil,))
        .unwrap()
        .map(|r| r.unwrap().0.1)
        .collect();
    assert_eq!(classes, [b, old], "5B, and last year's class kept");
    assert_eq!(read.get(&CLASS_STUDENTS, &(a, f.pupil)).unwrap(), None);
    // A teacher is not a pupil; an unknown login is unknown.
    drop(read);
    let err = add_pupil(
        &f.store,
        &system,
        Audience::Class(a),
        &login(&f, f.teacher),
        stamp(&c),
    );
    assert!(matches!(
        err,
        Err(AdminError::Invalid {
            key: "structure-pas-eleve",
            ..
        })
    ));
    let err = add_pupil(&f.store, &system, Audience::Class(a), "personne", stamp(&c));
    assert!(matches!(
        err,
        Err(AdminError::Invalid {
            key: "structure-identifiant-inconnu",
            ..
        })
    ));
}

#[test]
fn teachings_and_subjects_keep_their_indexes_in_step() {
    let f = fixture();
    let c = client();
    let system = Actor::system();
    let a = class(&f, "5A");
    let input = SubjectInput {
        name: "Mathématiques".into(),
        code: "061300".into(),
    };
    let maths = create_subject(&f.store, &system, f.college, &input, stamp(&c)).unwrap();
    let again = SubjectInput {
        name: "MATHEMATIQUES".into(),
        code: String::new(),
    };
    let err = create_subject(&f.store, &system, f.college, &again, stamp(&c));
    assert!(matches!(err, Err(AdminError::Invalid { field: "nom", .. })));
    let teaching = add_teaching(
        &f.store,
        &system,
        Audience::Class(a),
        f.teacher,
        maths,
        stamp(&c),
    )
    .unwrap();
    let err = add_teaching(
        &f.store,
        &system,
        Audience::Class(a),
        f.teacher,
        maths,
        stamp(&c),
    );
    assert!(matches!(
        err,
        Err(AdminError::Invalid {
            key: "structure-enseignement-existe",
            ..
        })
    ));
    let err = add_teaching(
        &f.store,
        &system,
        Audience::Class(a),
        f.pupil,
        maths,
        stamp(&c),
    );
    assert!(matches!(
        err,
        Err(AdminError::Invalid {
            field: "enseignant",
            ..
        })
    ));
    let err = delete_subject(&f.store, &system, maths, stamp(&c));
    assert!(matches!(
        err,
        Err(AdminError::Invalid {
            field: "supprimer",
            ..
        })
    ));
    remove_teaching(&f.store, &system, Audience::Class(a), teaching, stamp(&c)).unwrap();
    let read = f.store.read().unwrap();
    assert_eq!(read.get(&TEACHINGS, &teaching).unwrap(), None);
    assert_eq!(read.get(&CLASS_TEACHINGS, &(a, teaching)).unwrap(), None);
    assert_eq!(
        read.get(
            &crate::store::tables::TEACHER_TEACHINGS,
            &(f.teacher, teaching)
        )
        .unwrap(),
        None
    );
    drop(read);
    delete_subject(&f.store, &system, maths, stamp(&c)).unwrap();
    let read = f.store.read().unwrap();
    assert_eq!(read.get(&SUBJECTS, &maths).unwrap(), None);
    assert_eq!(
        read.get(&ESTABLISHMENT_SUBJECT_CODES, &(f.college, "061300".into()))
            .unwrap(),
        None
    );
    assert_eq!(
        read.get(&ESTABLISHMENT_SUBJECTS, &(f.college, maths))
            .unwrap(),
        None
    );
}

#[test]
fn a_parent_link_gives_a_parent_profile_and_both_indexes() {
    let f = fixture();
    let c = client();
    let system = Actor::system();
    let parent = f
        .store
        .write(|tx| {
            service::create_person(
                tx,
                NewPerson {
                    first_name: "Nathalie".into(),
                    last_name: "Test".into(),
                    ..NewPerson::default()
                },
            )
        })
        .unwrap();
    let link = ParentLink {
        relation: Relation::Mere,
        parental_authority: true,
        receives_mail: false,
    };
    let p = login(&f, parent);
    assert_eq!(
        link_parent(&f.store, &system, f.pupil, &p, link.clone(), stamp(&c)).unwrap(),
        parent
    );
    let read = f.store.read().unwrap();
    assert!(has_role(&read, parent, f.college, Role::Parent).unwrap());
    assert_eq!(
        read.get(&PARENT_CHILDREN, &(parent, f.pupil)).unwrap(),
        Some(link.clone())
    );
    assert!(
        read.get(&CHILD_PARENTS, &(f.pupil, parent))
            .unwrap()
            .is_some()
    );
    drop(read);
    let err = link_parent(&f.store, &system, f.pupil, &p, link.clone(), stamp(&c));
    assert!(matches!(
        err,
        Err(AdminError::Invalid {
            key: "structure-parent-deja-lie",
            ..
        })
    ));
    // A teacher is not a pupil: no parent page for them.
    assert!(matches!(
        parents(&f.store, &system, f.teacher),
        Err(AdminError::NotFound)
    ));
    unlink_parent(&f.store, &system, f.pupil, parent, stamp(&c)).unwrap();
    let read = f.store.read().unwrap();
    assert_eq!(
        read.get(&PARENT_CHILDREN, &(parent, f.pupil)).unwrap(),
        None
    );
    assert_eq!(read.get(&CHILD_PARENTS, &(f.pupil, parent)).unwrap(), None);
}
