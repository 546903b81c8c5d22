//! A small school for tests: two establishments, a few classes and people with fixed logins,
//! everyone active with the password [`PASSWORD`].

use cartable::domain::directory::DirectoryError;
use cartable::domain::directory::service::{self, NewPerson};
use cartable::model::directory::*;
use cartable::store::Store;

/// The password of every test account.
pub const PASSWORD: &str = "un mot de passe de test";

/// The ids of the test school.
#[derive(Debug, Clone)]
#[allow(dead_code)]
pub struct School {
    pub college: EstablishmentId,
    pub lycee: EstablishmentId,
    pub class_5a: ClassId,
    pub class_5b: ClassId,
    pub class_2nde: ClassId,
    /// login → person
    pub people: std::collections::BTreeMap<&'static str, PersonId>,
}

impl School {
    /// The person with this login.
    pub fn id(&self, login: &str) -> PersonId {
        self.people[login]
    }
}

/// Every test login with its role and where, for tables of tests.
pub const LOGINS: &[&str] = &[
    "admin.a",
    "cpe.a",
    "prof.a",
    "prof.b",
    "eleve.a1",
    "eleve.a2",
    "eleve.b1",
    "parent.a1",
    "admin.b",
    "prof.c",
    "eleve.c1",
    "eleve.d1",
    "plateforme",
];

/// Builds the school in `store`.
pub fn build(store: &Store) -> School {
    let hash = cartable::domain::accounts::password::hash(PASSWORD).unwrap();
    store
        .write(|tx| {
            let college = service::create_establishment(
                tx,
                Establishment {
                    uai: "0639991A".into(),
                    name: "Collège Test A".into(),
                    kind: EstablishmentKind::College,
                    town: "Riom".into(),
                    academie: "Clermont-Ferrand".into(),
                },
            )?;
            let lycee = service::create_establishment(
                tx,
                Establishment {
                    uai: "0639992B".into(),
                    name: "Lycée Test B".into(),
                    kind: EstablishmentKind::LyceeGeneral,
                    town: "Thiers".into(),
                    academie: "Clermont-Ferrand".into(),
                },
            )?;
            let year = SchoolYear(2026);
            let class = |tx: &mut cartable::store::Tx, e, name: &str, level: &str| {
                service::create_class(
                    tx,
                    Class {
                        establishment: e,
                        year,
                        name: name.into(),
                        level: level.into(),
                        head_teacher: None,
                    },
                )
            };
            let class_5a = class(tx, college, "5A", "5e")?;
            let class_5b = class(tx, college, "5B", "5e")?;
            let class_2nde = class(tx, lycee, "2nde1", "2nde")?;
            let maths = service::create_subject(
                tx,
                Subject {
                    establishment: college,
                    code: None,
                    name: "Mathématiques".into(),
                },
            )?;
            let physique = service::create_subject(
                tx,
                Subject {
                    establishment: lycee,
                    code: None,
                    name: "Physique-chimie".into(),
                },
            )?;
            let mut people = std::collections::BTreeMap::new();
            let mut person = |tx: &mut cartable::store::Tx,
                              login: &'static str,
                              first: &str,
                              last: &str,
                              profiles: &[(EstablishmentId, Role)]|
             -> Result<PersonId, DirectoryError> {
                let id = service::create_person(
                    tx,
                    NewPerson {
                        first_name: first.into(),
                        last_name: last.into(),
                        ..NewPerson::default()
                    },
                )?;
                service::set_login(tx, id, login)?;
                let mut p = tx.get(&cartable::store::tables::PEOPLE, &id)?.unwrap();
                p.state = AccountState::Active;
                p.password_hash = Some(hash.clone());
                tx.insert(&cartable::store::tables::PEOPLE, &id, &p)?;
                for (e, role) in profiles {
                    service::add_profile(tx, id, *e, *role)?;
                }
                people.insert(login, id);
                Ok(id)
            };
            person(
                tx,
                "admin.a",
                "Anne",
                "Admin",
                &[(college, Role::AdminLocal)],
            )?;
            person(
                tx,
                "cpe.a",
                "Claire",
                "Cépé",
                &[(college, Role::Personnel(StaffFunction::Cpe))],
            )?;
            let prof_a = person(
                tx,
                "prof.a",
                "Paul",
                "Profa",
                &[(college, Role::Enseignant)],
            )?;
            let prof_b = person(tx, "prof.b", "Pia", "Profb", &[(college, Role::Enseignant)])?;
            let a1 = person(tx, "eleve.a1", "Léa", "Élève", &[(college, Role::Eleve)])?;
            let a2 = person(tx, "eleve.a2", "Zoé", "Durand", &[(college, Role::Eleve)])?;
            let b1 = person(tx, "eleve.b1", "Hugo", "Bernard", &[(college, Role::Eleve)])?;
            let parent = person(
                tx,
                "parent.a1",
                "Nathalie",
                "Élève",
                &[(college, Role::Parent), (lycee, Role::Parent)],
            )?;
            person(
                tx,
                "admin.b",
                "Bruno",
                "Admin",
                &[(lycee, Role::AdminLocal)],
            )?;
            let prof_c = person(
                tx,
                "prof.c",
                "Camille",
                "Profc",
                &[(lycee, Role::Enseignant)],
            )?;
            let c1 = person(tx, "eleve.c1", "Inès", "Lycéenne", &[(lycee, Role::Eleve)])?;
            // Léa's big brother, at the lycée: the parent has two children in two schools.
            let d1 = person(tx, "eleve.d1", "Tom", "Élève", &[(lycee, Role::Eleve)])?;
            let admin = person(tx, "plateforme", "Pierre", "Plateforme", &[])?;
            let mut p = tx.get(&cartable::store::tables::PEOPLE, &admin)?.unwrap();
            p.platform_admin = true;
            tx.insert(&cartable::store::tables::PEOPLE, &admin, &p)?;

            service::enrol_in_class(tx, a1, class_5a)?;
            service::enrol_in_class(tx, a2, class_5a)?;
            service::enrol_in_class(tx, b1, class_5b)?;
            service::enrol_in_class(tx, c1, class_2nde)?;
            service::enrol_in_class(tx, d1, class_2nde)?;
            for (teacher, audience, subject, e) in [
                (prof_a, class_5a, maths, college),
                (prof_b, class_5b, maths, college),
                (prof_c, class_2nde, physique, lycee),
            ] {
                service::create_teaching(
                    tx,
                    Teaching {
                        establishment: e,
                        teacher,
                        audience: Audience::Class(audience),
                        subject,
                    },
                )?;
            }
            service::link_parent(
                tx,
                parent,
                a1,
                ParentLink {
                    relation: Relation::Mere,
                    parental_authority: true,
                    receives_mail: true,
                },
            )?;
            service::link_parent(
                tx,
                parent,
                d1,
                ParentLink {
                    relation: Relation::Mere,
                    parental_authority: true,
                    receives_mail: true,
                },
            )?;
            Ok::<_, DirectoryError>(School {
                college,
                lycee,
                class_5a,
                class_5b,
                class_2nde,
                people,
            })
        })
        .unwrap()
}
