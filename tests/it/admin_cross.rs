//! Issue 12 §1: a local administrator of one establishment never reaches the people or the
//! structure of another, directly or through linking, importing or printing; and someone who
//! belongs to both is seen by each administrator but kept from every account-level action
//! (password, codes, login, identity, state, messaging suspension) by either alone.

use std::collections::BTreeMap;

use cartable::domain::activation::letters::{self, LetterScope, PrintSettings};
use cartable::domain::admin::accounts::{self, Identity, NewAccount, NewProfile};
use cartable::domain::admin::structure::{self as st, Stamp};
use cartable::domain::directory::policy::{AdminReach, admin_reach};
use cartable::domain::directory::queries::load_actor;
use cartable::domain::directory::service;
use cartable::domain::messaging::abuse;
use cartable::model::Actor;
use cartable::model::Origin;
use cartable::model::directory::*;
use cartable::store::Store;
use cartable::store::tables::*;
use jiff::Timestamp;
use proptest::prelude::*;

use crate::common::app::TestApp;
use crate::common::school::{self, School};

fn actor(store: &Store, id: PersonId) -> Actor {
    load_actor(&store.read().unwrap(), id).unwrap().unwrap()
}

fn client() -> Origin {
    Origin {
        ip: "127.0.0.1".into(),
        user_agent: "test".into(),
    }
}

fn now() -> Timestamp {
    "2026-09-01T08:00:00Z".parse().unwrap()
}

/// Everything about an account that only someone administering all of its schools may change.
#[derive(Debug, Clone, PartialEq, Eq)]
struct AccountFacts {
    person: Person,
    lycee_profiles: Vec<Role>,
    code: bool,
    suspended: bool,
}

fn facts(store: &Store, school: &School, id: PersonId) -> AccountFacts {
    let read = store.read().unwrap();
    let person = read.get(&PEOPLE, &id).unwrap().unwrap();
    let lycee_profiles = read
        .scan_prefix(&PERSON_PROFILES, &(id, school.lycee))
        .unwrap()
        .map(|r| r.unwrap().1.role)
        .collect();
    AccountFacts {
        person,
        lycee_profiles,
        code: read.get(&ACTIVATION_CODES, &id).unwrap().is_some(),
        suspended: read.get(&MESSAGING_SUSPENSIONS, &id).unwrap().is_some(),
    }
}

/// The people of the lycée (and the platform) whom the collège's administrator must never
/// reach, and the parent of both schools whom they reach only partly.
const OUTSIDE: &[&str] = &["admin.b", "prof.c", "eleve.c1", "eleve.d1", "plateforme"];
const SHARED: &str = "parent.a1";

/// One administrative action by the collège's administrator, with indices into the test
/// school's logins (and a few strangers).
#[derive(Debug, Clone)]
enum Action {
    LinkParent(usize, usize),
    UnlinkParent(usize, usize),
    AddProfile(usize, bool, usize),
    RemoveProfile(usize, bool, usize),
    SetEnabled(usize, bool),
    ResetPassword(usize),
    EditIdentity(usize, usize),
    AddPupil(usize, usize),
    AddTeaching(usize, usize, bool),
    HeadTeacher(usize, usize),
    CreateAccount(bool, usize),
    Letters(bool, Option<usize>),
    Suspend(usize, bool),
}

fn action() -> impl Strategy<Value = Action> {
    let who = 0..school::LOGINS.len() + 2;
    prop_oneof![
        4 => (who.clone(), who.clone()).prop_map(|(a, b)| Action::LinkParent(a, b)),
        1 => (who.clone(), who.clone()).prop_map(|(a, b)| Action::UnlinkParent(a, b)),
        1 => (who.clone(), any::<bool>(), 0..4usize).prop_map(|(a, e, r)| Action::AddProfile(a, e, r)),
        1 => (who.clone(), any::<bool>(), 0..4usize)
            .prop_map(|(a, e, r)| Action::RemoveProfile(a, e, r)),
        2 => (who.clone(), any::<bool>()).prop_map(|(a, b)| Action::SetEnabled(a, b)),
        2 => who.clone().prop_map(Action::ResetPassword),
        2 => (who.clone(), who.clone()).prop_map(|(a, b)| Action::EditIdentity(a, b)),
        1 => (0..3usize, who.clone()).prop_map(|(c, b)| Action::AddPupil(c, b)),
        1 => (0..3usize, who.clone(), any::<bool>()).prop_map(|(c, t, s)| Action::AddTeaching(c, t, s)),
        1 => (0..3usize, who.clone()).prop_map(|(c, t)| Action::HeadTeacher(c, t)),
        1 => (any::<bool>(), 0..4usize).prop_map(|(e, r)| Action::CreateAccount(e, r)),
        1 => (any::<bool>(), proptest::option::of(who.clone())).prop_map(|(e, p)| Action::Letters(e, p)),
        1 => (who, any::<bool>()).prop_map(|(a, b)| Action::Suspend(a, b)),
    ]
}

const ROLE_CODES: [&str; 4] = ["eleve", "parent", "enseignant", "admin-local"];

/// Runs `action` as `admin`; refusals are expected and ignored (the invariant is what counts).
fn run(store: &Store, school: &School, admin: &Actor, extra: &[PersonId], action: &Action) {
    let people: Vec<PersonId> = school::LOGINS
        .iter()
        .map(|l| school.id(l))
        .chain(extra.iter().copied())
        .chain([PersonId(u64::MAX)])
        .collect();
    let person = |i: usize| people[i % people.len()];
    let login = |i: usize| {
        school::LOGINS
            .get(i)
            .map_or_else(|| format!("inconnu.{i}"), |l| (*l).to_owned())
    };
    let est = |lycee: bool| if lycee { school.lycee } else { school.college };
    let class = |i: usize| [school.class_5a, school.class_5b, school.class_2nde][i % 3];
    let subject = |lycee: bool| {
        let read = store.read().unwrap();
        read.scan_prefix(&ESTABLISHMENT_SUBJECTS, &(est(lycee),))
            .unwrap()
            .next()
            .map(|r| r.unwrap().0.1)
            .unwrap()
    };
    let client = client();
    let stamp = Stamp {
        client: &client,
        now: now(),
    };
    let touches = Default::default();
    let link = ParentLink {
        relation: Relation::Autre,
        parental_authority: true,
        receives_mail: true,
    };
    match action {
        Action::LinkParent(child, parent) => {
            let _ = st::link_parent(store, admin, person(*child), &login(*parent), link, stamp);
        }
        Action::UnlinkParent(child, parent) => {
            let _ = st::unlink_parent(store, admin, person(*child), person(*parent), stamp);
        }
        Action::AddProfile(target, lycee, role) => {
            let _ = accounts::add_profile(
                store,
                admin,
                person(*target),
                &NewProfile {
                    establishment: est(*lycee),
                    role: ROLE_CODES[*role].into(),
                    class: if *lycee { "2nde1" } else { "5A" }.into(),
                },
                &client,
                now(),
            );
        }
        Action::RemoveProfile(target, lycee, role) => {
            let _ = accounts::remove_profile(
                store,
                admin,
                person(*target),
                est(*lycee),
                ROLE_CODES[*role],
                &client,
                now(),
            );
        }
        Action::SetEnabled(target, enabled) => {
            let _ = cartable::domain::admin::set_enabled(
                store,
                admin,
                person(*target),
                *enabled,
                &touches,
                &client,
                now(),
            );
        }
        Action::ResetPassword(target) => {
            let _ = cartable::domain::admin::reset_password(
                store,
                admin,
                person(*target),
                std::time::Duration::from_secs(3600),
                &touches,
                &client,
                now(),
            );
        }
        Action::EditIdentity(target, other) => {
            let _ = accounts::update_identity(
                store,
                admin,
                person(*target),
                &Identity {
                    first_name: "Prise".into(),
                    last_name: "Dotage".into(),
                    birth_name: String::new(),
                    birth_date: "01/01/2010".into(),
                    email: format!("pirate{other}@example.org"),
                    login: format!("pris.{other}"),
                },
                &client,
                now(),
            );
        }
        Action::AddPupil(c, who) => {
            let _ = st::add_pupil(
                store,
                admin,
                Audience::Class(class(*c)),
                &login(*who),
                stamp,
            );
        }
        Action::AddTeaching(c, teacher, lycee) => {
            let _ = st::add_teaching(
                store,
                admin,
                Audience::Class(class(*c)),
                person(*teacher),
                subject(*lycee),
                stamp,
            );
        }
        Action::HeadTeacher(c, teacher) => {
            let _ = st::set_head_teacher(store, admin, class(*c), Some(person(*teacher)), stamp);
        }
        Action::CreateAccount(lycee, role) => {
            let _ = accounts::create_account(
                store,
                admin,
                est(*lycee),
                &NewAccount {
                    first_name: "Nouveau".into(),
                    last_name: "Compte".into(),
                    birth_date: "02/02/2013".into(),
                    role: ROLE_CODES[*role].into(),
                    class: school.class_5a.0.to_string(),
                    confirmed: true,
                    ..NewAccount::default()
                },
                &client,
                now(),
                None,
            );
        }
        Action::Letters(lycee, target) => {
            let scope = match target {
                Some(t) => LetterScope::Person(person(*t)),
                None => LetterScope::Establishment,
            };
            let _ = letters::print(
                store,
                admin,
                est(*lycee),
                scope,
                &PrintSettings {
                    instance_url: "https://ent.example",
                    lifetime: std::time::Duration::from_secs(3600),
                    client: &client,
                    now: now(),
                },
            );
        }
        Action::Suspend(target, on) => {
            let _ = abuse::set_suspended(store, admin, person(*target), *on, &client, now());
        }
    }
}

/// A copy of one test school's store: building it hashes a password, which a debug build
/// does slowly, so the cases share one built store.
fn template_copy() -> (tempfile::TempDir, Store, School) {
    static TEMPLATE: std::sync::OnceLock<(tempfile::TempDir, School)> = std::sync::OnceLock::new();
    let (template, school) = TEMPLATE.get_or_init(|| {
        let (dir, store) = crate::common::temp_store();
        let school = school::build(&store);
        drop(store);
        (dir, school)
    });
    let dir = tempfile::tempdir().unwrap();
    let file = cartable::store::STORE_FILE;
    std::fs::copy(template.path().join(file), dir.path().join(file)).unwrap();
    let store = Store::open(dir.path(), crate::common::clock()).unwrap();
    (dir, store, school.clone())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Whatever the collège's administrator does, nobody of the lycée (nor the platform
    /// administrator) becomes administrable by them or loses an account-level property, and the
    /// parent of both schools stays only partly theirs, with the same account.
    #[test]
    fn a_local_admin_never_reaches_another_establishments_people(
        actions in proptest::collection::vec(action(), 1..16),
        pending_outside in any::<bool>(),
    ) {
        let (_dir, store, school) = template_copy();
        // Pending accounts give letters something to print; a pending lycée pupil and the
        // shared parent must still get no code from the collège.
        let mut extra = Vec::new();
        store
            .write(|tx| {
                let who = if pending_outside { "eleve.c1" } else { SHARED };
                let id = school.id(who);
                let mut p = tx.get(&PEOPLE, &id)?.unwrap();
                p.state = AccountState::Pending;
                p.password_hash = None;
                tx.insert(&PEOPLE, &id, &p)?;
                let pupil = service::create_person(
                    tx,
                    service::NewPerson {
                        first_name: "Jade".into(),
                        last_name: "Attente".into(),
                        ..Default::default()
                    },
                )?;
                service::add_profile(tx, pupil, school.college, Role::Eleve)?;
                service::enrol_in_class(tx, pupil, school.class_5a)?;
                extra.push(pupil);
                Ok::<_, cartable::domain::directory::DirectoryError>(())
            })
            .unwrap();
        let admin_a = actor(&store, school.id("admin.a"));
        let watched: Vec<&str> = OUTSIDE.iter().copied().chain([SHARED]).collect();
        let before: BTreeMap<&str, AccountFacts> = watched
            .iter()
            .map(|l| (*l, facts(&store, &school, school.id(l))))
            .collect();
        for a in &actions {
            run(&store, &school, &admin_a, &extra, a);
            let read = store.read().unwrap();
            for login in OUTSIDE {
                prop_assert_eq!(
                    admin_reach(&read, &admin_a, school.id(login)).unwrap(),
                    AdminReach::Outside,
                    "{} became reachable after {:?}", login, a
                );
            }
            prop_assert!(
                admin_reach(&read, &admin_a, school.id(SHARED)).unwrap() <= AdminReach::Partial,
                "the shared parent became wholly administered after {:?}", a
            );
            drop(read);
            for login in &watched {
                prop_assert_eq!(
                    &facts(&store, &school, school.id(login)),
                    &before[login],
                    "{}'s account changed after {:?}", login, a
                );
            }
        }
    }
}

#[test]
fn the_command_line_import_reaches_everyone_and_a_local_admin_only_their_own() {
    let (_dir, store) = crate::common::temp_store();
    let school = school::build(&store);
    // The lycée pupil has an INE; a collège file that names it must not bring them in.
    let ine = "9999999901A";
    store
        .write(|tx| {
            let id = school.id("eleve.c1");
            let mut p = tx.get(&PEOPLE, &id)?.unwrap();
            p.national_ids.push(("ine".into(), ine.into()));
            service::update_person(tx, id, &p)
        })
        .unwrap();
    let before = facts(&store, &school, school.id("eleve.c1"));
    let admin_a = actor(&store, school.id("admin.a"));
    let file = format!(
        "Nom;Prénom;Date de naissance;Classe;Identifiant national\nPIRATE;Inès;01/01/2010;5A;{ine}\n"
    );
    let year = SchoolYear(2026);
    let today = jiff::civil::date(2026, 9, 1);
    let refused = cartable::domain::import::csv_apply::import_csv(
        &store,
        &admin_a,
        school.college,
        year,
        cartable::domain::import::csv_apply::CsvKind::Students,
        file.as_bytes(),
        today,
        false,
    );
    let Err(cartable::domain::import::aaf_apply::ImportError::Refused(report)) = refused else {
        panic!("a collège file with a lycée pupil's INE was accepted: {refused:?}");
    };
    assert!(
        report.errors.iter().any(|e| e
            .render(cartable::i18n::Lang::Fr)
            .contains("autre établissement")),
        "{:?}",
        report.errors
    );
    assert_eq!(facts(&store, &school, school.id("eleve.c1")), before);
    let read = store.read().unwrap();
    assert_eq!(
        admin_reach(&read, &admin_a, school.id("eleve.c1")).unwrap(),
        AdminReach::Outside
    );
    assert!(
        read.get(&CLASS_STUDENTS, &(school.class_2nde, school.id("eleve.c1")))
            .unwrap()
            .is_some(),
        "the lycée pupil left their class"
    );
}

// ---------------------------------------------------------------------------------------------
// Over HTTP: the attack as it was found, the shared parent, and every admin route.
// ---------------------------------------------------------------------------------------------

/// The error text of a refused parent link (the field's message).
fn field_error(html: &str) -> String {
    let start = html.find("erreur-champ").expect("a field error");
    let rest = &html[start..];
    let from = rest.find('>').unwrap() + 1;
    let to = rest.find("</").unwrap();
    rest[from..to].to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn linking_a_login_of_another_school_is_answered_as_an_unknown_one_and_gives_nothing() {
    let app = TestApp::start().await;
    let s = app.school.clone();
    let admin = app.as_user("admin.a").await;
    let path = format!("/admin/personnes/{}/responsables", s.id("eleve.a1"));
    let (status, _, unknown) = app
        .post_form(
            &admin,
            &path,
            &[
                ("identifiant", "personne.inexistante"),
                ("relation", "autre"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    let unknown = field_error(&unknown);
    let head = app.state.store.head();
    for login in ["admin.b", "eleve.c1", "prof.c", "plateforme"] {
        let (status, location, body) = app
            .post_form(
                &admin,
                &path,
                &[("identifiant", login), ("relation", "autre")],
            )
            .await;
        assert_eq!(status, 422, "{login}: {location}");
        assert_eq!(
            field_error(&body),
            unknown,
            "{login} is answered differently"
        );
        let id = s.id(login);
        for (method, route) in [
            ("GET", format!("/admin/personnes/{id}")),
            ("POST", format!("/admin/personnes/{id}/mot-de-passe")),
        ] {
            let status = if method == "GET" {
                app.get(&admin, &route).await.0
            } else {
                app.post_form(&admin, &route, &[]).await.0
            };
            assert_eq!(status, 404, "{login}: {method} {route}");
        }
    }
    assert_eq!(
        app.state.store.head(),
        head,
        "a refused link wrote something"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_parent_of_both_schools_is_seen_by_each_admin_but_taken_over_by_neither() {
    let app = TestApp::start().await;
    let s = app.school.clone();
    let parent = s.id(SHARED);
    for login in ["admin.a", "admin.b"] {
        let admin = app.as_user(login).await;
        let (status, page) = app.get(&admin, &format!("/admin/personnes/{parent}")).await;
        assert_eq!(status, 200, "{login}");
        assert!(
            !page.contains("/mot-de-passe\""),
            "{login} is offered a reset"
        );
        assert!(
            page.contains("seul l’administrateur de la plateforme"),
            "{login}"
        );
        let (status, page) = app
            .get(&admin, &format!("/admin/personnes/{parent}/modifier"))
            .await;
        assert_eq!(status, 200, "{login}");
        assert!(
            !page.contains("name=\"identifiant\""),
            "{login} may edit the login"
        );
        let head = app.state.store.head();
        for (route, fields) in [
            ("mot-de-passe", vec![]),
            ("desactiver", vec![]),
            ("reactiver", vec![]),
            ("courrier", vec![]),
            ("messagerie", vec![("suspendre", "oui")]),
            (
                "modifier",
                vec![
                    ("action", "identite"),
                    ("prenom", "Prise"),
                    ("nom", "Dotage"),
                    ("nom_naissance", ""),
                    ("naissance", ""),
                    ("courriel", "pirate@example.org"),
                    ("identifiant", "pris.en.otage"),
                ],
            ),
        ] {
            let path = format!("/admin/personnes/{parent}/{route}");
            let (status, location, _) = app.post_form(&admin, &path, &fields).await;
            assert_eq!(status, 403, "{login}: POST {path} → {location}");
        }
        assert_eq!(
            app.state.store.head(),
            head,
            "{login}: a refusal wrote something"
        );
    }
    // The platform administrator still may.
    let platform = app.as_user("plateforme").await;
    let path = format!("/admin/personnes/{parent}/mot-de-passe");
    let (status, _, _) = app.post_form(&platform, &path, &[]).await;
    assert_eq!(status, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_admin_route_refuses_the_collège_admin_the_lycées_objects() {
    let app = TestApp::start().await;
    let s = app.school.clone();
    let store = &app.state.store;
    // A group, a teaching and a subject of the lycée, to aim at.
    let group = store
        .write(|tx| {
            let g = service::create_group(
                tx,
                Group {
                    establishment: s.lycee,
                    year: SchoolYear(2026),
                    name: "Euro anglais".into(),
                },
            )?;
            service::enrol_in_group(tx, s.id("eleve.c1"), g)?;
            Ok::<_, cartable::domain::directory::DirectoryError>(g)
        })
        .unwrap();
    let read = store.read().unwrap();
    let (physique, teaching) = {
        let subject = read
            .scan_prefix(&ESTABLISHMENT_SUBJECTS, &(s.lycee,))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .0
            .1;
        let teaching = read
            .scan_prefix(&CLASS_TEACHINGS, &(s.class_2nde,))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .0
            .1;
        (subject, teaching)
    };
    drop(read);
    let lycee = s.lycee.0;
    let class = s.class_2nde.0;
    let (c1, d1, admin_b, prof_c, parent) = (
        s.id("eleve.c1"),
        s.id("eleve.d1"),
        s.id("admin.b"),
        s.id("prof.c"),
        s.id(SHARED),
    );
    let prof_c_value = prof_c.0.to_string();
    let physique_value = physique.0.to_string();
    let admin = app.as_user("admin.a").await;
    let head = store.head();
    let gets = [
        format!("/admin/etablissements/{lycee}/personnes?q=a"),
        format!("/admin/etablissements/{lycee}/journal"),
        format!("/admin/etablissements/{lycee}/courriers"),
        format!("/admin/etablissements/{lycee}/charte"),
        format!("/admin/etablissements/{lycee}/import"),
        format!("/admin/etablissements/{lycee}/personnes/nouvelle"),
        format!("/admin/etablissements/{lycee}/administrateurs"),
        format!("/admin/etablissements/{lycee}/classes"),
        format!("/admin/etablissements/{lycee}/groupes"),
        format!("/admin/etablissements/{lycee}/matieres"),
        format!("/admin/etablissements/{lycee}/communication"),
        format!("/admin/etablissements/{lycee}/signalements"),
        "/admin/etablissements/nouveau".to_owned(),
        format!("/admin/classes/{class}"),
        format!("/admin/groupes/{}", group.0),
        format!("/admin/matieres/{}", physique.0),
        format!("/admin/personnes/{c1}"),
        format!("/admin/personnes/{admin_b}"),
        format!("/admin/personnes/{prof_c}"),
        format!("/admin/personnes/{c1}/modifier"),
        format!("/admin/personnes/{admin_b}/modifier"),
        format!("/admin/personnes/{d1}/responsables"),
    ];
    for path in &gets {
        let (status, _) = app.get(&admin, path).await;
        assert_eq!(status, 404, "GET {path}");
    }
    let identity = [
        ("action", "identite"),
        ("prenom", "Prise"),
        ("nom", "Dotage"),
        ("nom_naissance", ""),
        ("naissance", "01/01/2010"),
        ("courriel", "pirate@example.org"),
        ("identifiant", "pris.en.otage"),
    ];
    let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            format!("/admin/etablissements/{lycee}/courriers"),
            vec![("portee", "etablissement")],
        ),
        (
            format!("/admin/etablissements/{lycee}/charte"),
            vec![("texte", "Charte pirate")],
        ),
        (
            format!("/admin/etablissements/{lycee}/import/confirmer"),
            vec![("jeton", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")],
        ),
        (
            format!("/admin/etablissements/{lycee}/personnes/nouvelle"),
            vec![
                ("prenom", "Faux"),
                ("nom", "Compte"),
                ("role", "enseignant"),
                ("creer_quand_meme", "oui"),
            ],
        ),
        (
            format!("/admin/etablissements/{lycee}/administrateurs"),
            vec![("identifiant", "admin.a")],
        ),
        (
            format!("/admin/etablissements/{lycee}/administrateurs/{admin_b}/retirer"),
            vec![],
        ),
        (
            format!("/admin/etablissements/{lycee}/classes"),
            vec![("nom", "2nde9"), ("niveau", "2nde")],
        ),
        (
            format!("/admin/etablissements/{lycee}/groupes"),
            vec![("nom", "Pirates")],
        ),
        (
            format!("/admin/etablissements/{lycee}/matieres"),
            vec![("nom", "Piraterie"), ("code", "")],
        ),
        (
            format!("/admin/etablissements/{lycee}/communication"),
            vec![("eleve-eleve", "oui")],
        ),
        (
            "/admin/etablissements/nouveau".to_owned(),
            vec![("uai", "0639993C"), ("nom", "Faux"), ("type", "college")],
        ),
        (
            format!("/admin/classes/{class}/modifier"),
            vec![("nom", "2nde pirate"), ("niveau", "2nde")],
        ),
        (
            format!("/admin/classes/{class}/professeur-principal"),
            vec![("professeur_principal", prof_c_value.as_str())],
        ),
        (
            format!("/admin/classes/{class}/eleves"),
            vec![("identifiant", "eleve.a1")],
        ),
        (
            format!("/admin/classes/{class}/eleves/{c1}/retirer"),
            vec![],
        ),
        (
            format!("/admin/classes/{class}/enseignements"),
            vec![
                ("enseignant", prof_c_value.as_str()),
                ("matiere", physique_value.as_str()),
            ],
        ),
        (
            format!(
                "/admin/classes/{class}/enseignements/{}/retirer",
                teaching.0
            ),
            vec![],
        ),
        (format!("/admin/classes/{class}/supprimer"), vec![]),
        (
            format!("/admin/groupes/{}/modifier", group.0),
            vec![("nom", "Pirates")],
        ),
        (
            format!("/admin/groupes/{}/eleves", group.0),
            vec![("identifiant", "eleve.a1")],
        ),
        (
            format!("/admin/groupes/{}/eleves/{c1}/retirer", group.0),
            vec![],
        ),
        (
            format!("/admin/groupes/{}/enseignements", group.0),
            vec![
                ("enseignant", prof_c_value.as_str()),
                ("matiere", physique_value.as_str()),
            ],
        ),
        (format!("/admin/groupes/{}/supprimer", group.0), vec![]),
        (
            format!("/admin/matieres/{}/modifier", physique.0),
            vec![("nom", "Piraterie"), ("code", "")],
        ),
        (format!("/admin/matieres/{}/supprimer", physique.0), vec![]),
        (format!("/admin/personnes/{c1}/desactiver"), vec![]),
        (format!("/admin/personnes/{c1}/reactiver"), vec![]),
        (format!("/admin/personnes/{c1}/mot-de-passe"), vec![]),
        (format!("/admin/personnes/{c1}/courrier"), vec![]),
        (
            format!("/admin/personnes/{c1}/messagerie"),
            vec![("suspendre", "oui")],
        ),
        (format!("/admin/personnes/{c1}/modifier"), identity.to_vec()),
        (
            format!("/admin/personnes/{c1}/modifier"),
            vec![
                ("action", "ajouter-profil"),
                ("etablissement", "1"),
                ("role", "parent"),
            ],
        ),
        (format!("/admin/personnes/{admin_b}/mot-de-passe"), vec![]),
        (format!("/admin/personnes/{admin_b}/desactiver"), vec![]),
        (
            format!("/admin/personnes/{admin_b}/modifier"),
            identity.to_vec(),
        ),
        (
            format!("/admin/personnes/{d1}/responsables"),
            vec![("identifiant", "admin.a"), ("relation", "autre")],
        ),
        (
            format!("/admin/personnes/{d1}/responsables/{parent}/modifier"),
            vec![("relation", "autre")],
        ),
        (
            format!("/admin/personnes/{d1}/responsables/{parent}/retirer"),
            vec![],
        ),
    ];
    for (path, fields) in &posts {
        let (status, location, _) = app.post_form(&admin, path, fields).await;
        assert_eq!(status, 404, "POST {path} → {location}");
    }
    // Through the collège's own objects: the lycée's people and subjects are strangers there.
    let college_class = s.class_5a.0;
    for (path, fields, field) in [
        (
            format!("/admin/classes/{college_class}/eleves"),
            vec![("identifiant", "eleve.c1")],
            "identifiant",
        ),
        (
            format!("/admin/classes/{college_class}/professeur-principal"),
            vec![("professeur_principal", prof_c_value.as_str())],
            "professeur_principal",
        ),
        (
            format!("/admin/personnes/{}/responsables", s.id("eleve.a1")),
            vec![("identifiant", "eleve.d1"), ("relation", "autre")],
            "identifiant",
        ),
    ] {
        let (status, location, _) = app.post_form(&admin, &path, &fields).await;
        assert!(
            status == 404 || status == 422,
            "POST {path} ({field}) → {status} {location}"
        );
    }
    let (status, location, _) = app
        .post_form(
            &admin,
            &format!("/admin/classes/{college_class}/enseignements"),
            &[
                ("enseignant", prof_c_value.as_str()),
                ("matiere", physique_value.as_str()),
            ],
        )
        .await;
    assert!(status == 404 || status == 422, "{status} {location}");
    assert_eq!(store.head(), head, "a refused request wrote something");
    // And after all that, the lycée's people are still out of reach.
    let admin_a = actor(store, s.id("admin.a"));
    let read = store.read().unwrap();
    for login in OUTSIDE {
        assert_eq!(
            admin_reach(&read, &admin_a, s.id(login)).unwrap(),
            AdminReach::Outside,
            "{login}"
        );
    }
}

#[test]
fn a_mail_to_someone_of_both_schools_is_cancelled_by_neither_local_admin() {
    let (_dir, store, school) = template_copy();
    let queued = |person: &str| {
        store
            .write(|tx| {
                cartable::mail::enqueue(
                    tx,
                    now(),
                    cartable::mail::NewMail {
                        kind: cartable::mail::MailKind::Test,
                        person: Some(school.id(person)),
                        sender: None,
                        to: "parent@example.org".into(),
                        subject: "Lien de mot de passe".into(),
                        body: "…\n".into(),
                    },
                )
            })
            .unwrap()
    };
    let (shared, outside, own) = (queued(SHARED), queued("eleve.c1"), queued("eleve.a1"));
    let admin_a = actor(&store, school.id("admin.a"));
    // The queue shows the shared person's mail without the buttons, and not the outsider's.
    let queue = cartable::domain::admin::mail::mail_queue(&store, &admin_a, None).unwrap();
    let row = |id| queue.rows.iter().find(|r| r.id == id);
    assert!(row(shared).is_some_and(|r| !r.can_cancel && !r.can_retry));
    assert!(row(outside).is_none());
    assert!(row(own).is_some_and(|r| r.can_cancel));
    let cancel = |id| cartable::domain::admin::mail::cancel(&store, &admin_a, id, &client(), now());
    assert!(matches!(
        cancel(shared),
        Err(cartable::domain::admin::AdminError::Forbidden)
    ));
    assert!(matches!(
        cancel(outside),
        Err(cartable::domain::admin::AdminError::NotFound)
    ));
    cancel(own).unwrap();
}
