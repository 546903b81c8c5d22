//! The directory's indexes: name search (accents folded, prefixes, several words), national ids,
//! classes by name — kept in step by the service, read by range, scoped by the rules.

use cartable::domain::directory::DirectoryError;
use cartable::domain::directory::queries::{self, load_actor};
use cartable::domain::directory::service::{self, NewPerson};
use cartable::model::Actor;
use cartable::model::directory::*;
use cartable::store::tables::PEOPLE;

use crate::common::school;

fn actor(store: &cartable::store::Store, id: PersonId) -> Actor {
    load_actor(&store.read().unwrap(), id).unwrap().unwrap()
}

fn names(found: &[queries::PersonSummary]) -> Vec<String> {
    found.iter().map(|p| p.display_name()).collect()
}

#[test]
fn people_search_folds_accents_matches_prefixes_and_stays_in_the_school() {
    let (_dir, store) = crate::common::temp_store();
    let school = school::build(&store);
    let admin = actor(&store, school.id("admin.a"));
    let search =
        |actor: &Actor, e: EstablishmentId, q: &str| queries::search_people(&store, actor, e, q);

    let found = search(&admin, school.college, "eleve").unwrap();
    assert_eq!(
        names(&found),
        ["Léa ÉLÈVE", "Nathalie ÉLÈVE"],
        "Tom is at the lycée"
    );
    assert_eq!(
        names(&search(&admin, school.college, "ÉL").unwrap()).len(),
        2
    );
    assert_eq!(
        names(&search(&admin, school.college, "lea el").unwrap()),
        ["Léa ÉLÈVE"]
    );
    assert_eq!(
        names(&search(&admin, school.college, "ele LÉA").unwrap()),
        ["Léa ÉLÈVE"]
    );
    assert!(search(&admin, school.college, "zzz").unwrap().is_empty());
    assert!(search(&admin, school.college, "  ' - ").unwrap().is_empty());
    // Another school's admin, a teacher, a parent: not found.
    for login in ["admin.b", "prof.a", "parent.a1", "eleve.a1"] {
        let other = actor(&store, school.id(login));
        assert!(
            matches!(
                search(&other, school.college, "eleve"),
                Err(DirectoryError::NotFound)
            ),
            "{login}"
        );
    }
    let platform = actor(&store, school.id("plateforme"));
    assert_eq!(
        names(&search(&platform, school.lycee, "eleve").unwrap()),
        ["Nathalie ÉLÈVE", "Tom ÉLÈVE"]
    );

    // A name change moves the person in the index.
    let id = school.id("eleve.a2");
    store
        .write(|tx| {
            let mut p = tx.get(&PEOPLE, &id)?.unwrap();
            p.last_name = "Lefèvre".into();
            service::update_person(tx, id, &p)
        })
        .unwrap();
    assert_eq!(
        names(&search(&admin, school.college, "lefe").unwrap()),
        ["Zoé LEFÈVRE"]
    );
    assert!(search(&admin, school.college, "durand").unwrap().is_empty());
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn national_ids_are_unique_and_found_again() {
    let (_dir, store) = crate::common::temp_store();
    let ine = ("ine".to_owned(), "999999000001A".to_owned());
    let first = store
        .write(|tx| {
            service::create_person(
                tx,
                NewPerson {
                    first_name: "Chloé".into(),
                    last_name: "Bergeron".into(),
                    national_ids: vec![ine.clone()],
                    ..NewPerson::default()
                },
            )
        })
        .unwrap();
    let found = store
        .write(|tx| service::person_by_national_id(tx, "ine", "999999000001A"))
        .unwrap();
    assert_eq!(found, Some(first));
    let duplicate = store.write(|tx| {
        service::create_person(
            tx,
            NewPerson {
                first_name: "Autre".into(),
                last_name: "Personne".into(),
                national_ids: vec![ine.clone()],
                ..NewPerson::default()
            },
        )
    });
    assert!(matches!(
        duplicate,
        Err(DirectoryError::Duplicate("national_id"))
    ));
}

#[test]
fn classes_are_found_by_name_and_names_are_unique_per_year() {
    let (_dir, store) = crate::common::temp_store();
    let school = school::build(&store);
    let found = store
        .write(|tx| service::class_by_name(tx, school.college, SchoolYear(2026), " 5a "))
        .unwrap();
    assert_eq!(found, Some(school.class_5a));
    let again = store.write(|tx| {
        service::create_class(
            tx,
            Class {
                establishment: school.college,
                year: SchoolYear(2026),
                name: "5A".into(),
                level: "5e".into(),
                head_teacher: None,
            },
        )
    });
    assert!(matches!(again, Err(DirectoryError::Duplicate("class"))));
    // Next year, 5A exists again.
    store
        .write(|tx| {
            service::create_class(
                tx,
                Class {
                    establishment: school.college,
                    year: SchoolYear(2027),
                    name: "5A".into(),
                    level: "5e".into(),
                    head_teacher: None,
                },
            )
        })
        .unwrap();
}
