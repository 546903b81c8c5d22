//! The permission matrix: for each role and each directory read, own / same-class / other-class
//! / other-establishment objects → allowed (200) or not found (404), exactly as the rules say
//! (DESIGN.md §4). Each kind of read names the one policy function that answers it
//! ([`Read::policy`]), and a second test asks that function directly for every cell. Later issues
//! add rows for their objects to `MATRIX`, with their policy function.

use crate::common::app::TestApp;
use crate::common::school::School;

/// What is read.
#[derive(Debug, Clone, Copy)]
enum Read {
    /// `/personnes/{id}` of the person with this login.
    Person(&'static str),
    /// `/classes/{id}` of the class with this name.
    Class(&'static str),
    /// `/personnes/{id}` and `/classes/{id}` of an id that does not exist.
    Missing,
    /// `/admin/personnes/{id}` of the person with this login (administration).
    AdminPerson(&'static str),
    /// `/admin/classes/{id}` of the class with this name (structure administration).
    AdminClass(&'static str),
    /// `/admin/personnes/{id}/responsables` of the pupil with this login.
    AdminParents(&'static str),
    /// `/admin/personnes/{id}/modifier` of the person with this login (account edit).
    AdminEdit(&'static str),
    /// `/admin/etablissements/{id}/personnes/nouvelle` of `"college"` or `"lycee"`.
    NewAccount(&'static str),
    /// `/admin/etablissements/{id}/administrateurs` of `"college"` or `"lycee"`, and
    /// `/admin/etablissements/nouveau` (platform administrator only).
    LocalAdmins(&'static str),
    /// `/admin/courriels`, the outgoing mail queue (administrators only).
    AdminMails,
    /// `/admin/etablissements/{id}/communication` and `…/signalements` of `"college"` or
    /// `"lycee"` (messaging administration).
    AdminMessaging(&'static str),
    /// `/documents/{space}` and `/api/v1/documents/{space}` of a documents space:
    /// `"perso:LOGIN"`, `"classe:NAME"` or `"etab:college"` / `"etab:lycee"`.
    DocSpace(&'static str),
}

use Read::*;

const OK: u16 = 200;
const NO: u16 = 404;

/// (actor, what, expected status)
const MATRIX: &[(&str, Read, u16)] = &[
    // A pupil: themselves, their classmates, their teachers and parents; nobody else.
    ("eleve.a1", Person("eleve.a1"), OK),
    ("eleve.a1", Person("eleve.a2"), OK),
    ("eleve.a1", Person("eleve.b1"), NO),
    ("eleve.a1", Person("eleve.c1"), NO),
    ("eleve.a1", Person("prof.a"), OK),
    ("eleve.a1", Person("prof.b"), NO),
    ("eleve.a1", Person("parent.a1"), OK),
    ("eleve.a2", Person("parent.a1"), NO),
    ("eleve.a1", Person("admin.a"), NO),
    ("eleve.a1", Class("5A"), OK),
    ("eleve.a1", Class("5B"), NO),
    ("eleve.a1", Class("2nde1"), NO),
    // A parent: their own child only.
    ("parent.a1", Person("parent.a1"), OK),
    ("parent.a1", Person("eleve.a1"), OK),
    ("parent.a1", Person("eleve.a2"), NO),
    ("parent.a1", Person("eleve.b1"), NO),
    ("parent.a1", Person("eleve.d1"), OK),
    ("parent.a1", Person("eleve.c1"), NO),
    ("parent.a1", Person("prof.b"), NO),
    // Their children's classes (issue 14 §9: the head teacher and the teachers, not the
    // classmates — tests/it/roles.rs), in either establishment; no other.
    ("parent.a1", Class("5A"), OK),
    ("parent.a1", Class("2nde1"), OK),
    ("parent.a1", Class("5B"), NO),
    ("eleve.d1", Class("5A"), NO),
    // A teacher: the pupils they teach and their parents, their colleagues.
    ("prof.a", Person("eleve.a1"), OK),
    ("prof.a", Person("eleve.b1"), NO),
    ("prof.a", Person("parent.a1"), OK),
    ("prof.b", Person("parent.a1"), NO),
    ("prof.a", Person("prof.b"), OK),
    ("prof.a", Person("cpe.a"), OK),
    ("prof.a", Person("eleve.c1"), NO),
    ("prof.a", Person("prof.c"), NO),
    ("prof.c", Person("parent.a1"), OK),
    ("prof.c", Person("eleve.a1"), NO),
    ("prof.a", Class("5A"), OK),
    ("prof.a", Class("5B"), NO),
    ("prof.a", Class("2nde1"), NO),
    // Staff: their whole establishment, nothing elsewhere.
    ("cpe.a", Person("eleve.b1"), OK),
    ("cpe.a", Person("parent.a1"), OK),
    ("cpe.a", Person("eleve.c1"), NO),
    ("cpe.a", Person("prof.c"), NO),
    ("cpe.a", Class("5B"), OK),
    ("cpe.a", Class("2nde1"), NO),
    // Local admins: their school only.
    ("admin.a", Person("eleve.b1"), OK),
    ("admin.a", Person("eleve.c1"), NO),
    ("admin.a", Person("admin.b"), NO),
    ("admin.a", Class("2nde1"), NO),
    ("admin.b", Person("eleve.c1"), OK),
    ("admin.b", Person("eleve.a1"), NO),
    ("admin.b", Person("parent.a1"), OK),
    ("admin.b", Class("2nde1"), OK),
    ("admin.b", Class("5A"), NO),
    // The platform administrator: everything.
    ("plateforme", Person("eleve.c1"), OK),
    ("plateforme", Person("eleve.a1"), OK),
    ("plateforme", Class("5A"), OK),
    // The administration's person page: administrators of one of the person's establishments
    // only; everyone else (themselves included, unless an admin) gets "not found".
    ("admin.a", AdminPerson("eleve.a1"), OK),
    ("admin.a", AdminPerson("parent.a1"), OK),
    ("admin.a", AdminPerson("admin.a"), OK),
    ("admin.a", AdminPerson("eleve.c1"), NO),
    ("admin.a", AdminPerson("eleve.d1"), NO),
    ("admin.a", AdminPerson("admin.b"), NO),
    ("admin.a", AdminPerson("plateforme"), NO),
    ("admin.b", AdminPerson("eleve.c1"), OK),
    ("admin.b", AdminPerson("parent.a1"), OK),
    ("admin.b", AdminPerson("eleve.a1"), NO),
    ("plateforme", AdminPerson("eleve.a1"), OK),
    ("plateforme", AdminPerson("eleve.c1"), OK),
    ("plateforme", AdminPerson("plateforme"), OK),
    ("cpe.a", AdminPerson("eleve.a1"), NO),
    ("prof.a", AdminPerson("eleve.a1"), NO),
    ("parent.a1", AdminPerson("eleve.a1"), NO),
    ("parent.a1", AdminPerson("parent.a1"), NO),
    ("eleve.a1", AdminPerson("eleve.a1"), NO),
    // Ids that do not exist: the same answer as a forbidden one.
    ("eleve.a1", Missing, NO),
    ("prof.a", Missing, NO),
    ("plateforme", Missing, NO),
    // The structure administration: the establishment's administrators, the platform
    // administrator; nobody else, not even the class's teacher or pupils.
    ("admin.a", AdminClass("5A"), OK),
    ("admin.a", AdminClass("2nde1"), NO),
    ("admin.b", AdminClass("2nde1"), OK),
    ("admin.b", AdminClass("5A"), NO),
    ("plateforme", AdminClass("5A"), OK),
    ("plateforme", AdminClass("2nde1"), OK),
    ("prof.a", AdminClass("5A"), NO),
    ("cpe.a", AdminClass("5A"), NO),
    ("eleve.a1", AdminClass("5A"), NO),
    ("parent.a1", AdminClass("5A"), NO),
    ("admin.a", AdminParents("eleve.a1"), OK),
    ("admin.a", AdminParents("eleve.d1"), NO),
    ("admin.a", AdminParents("parent.a1"), NO),
    ("admin.b", AdminParents("eleve.d1"), OK),
    ("admin.b", AdminParents("eleve.a1"), NO),
    ("plateforme", AdminParents("eleve.a1"), OK),
    ("parent.a1", AdminParents("eleve.a1"), NO),
    ("eleve.a1", AdminParents("eleve.a1"), NO),
    ("prof.a", AdminParents("eleve.a1"), NO),
    // Creating and editing accounts: the establishment's administrators (their own identity
    // included) and the platform administrator; establishments and local administrators: the
    // platform administrator only.
    ("admin.a", AdminEdit("eleve.a1"), OK),
    ("admin.a", AdminEdit("parent.a1"), OK),
    ("admin.a", AdminEdit("admin.a"), OK),
    ("admin.a", AdminEdit("eleve.c1"), NO),
    ("admin.a", AdminEdit("admin.b"), NO),
    ("admin.a", AdminEdit("plateforme"), NO),
    ("admin.b", AdminEdit("eleve.c1"), OK),
    ("admin.b", AdminEdit("eleve.a1"), NO),
    ("plateforme", AdminEdit("eleve.a1"), OK),
    ("plateforme", AdminEdit("admin.b"), OK),
    ("prof.a", AdminEdit("eleve.a1"), NO),
    ("cpe.a", AdminEdit("eleve.a1"), NO),
    ("parent.a1", AdminEdit("parent.a1"), NO),
    ("eleve.a1", AdminEdit("eleve.a1"), NO),
    ("admin.a", NewAccount("college"), OK),
    ("admin.a", NewAccount("lycee"), NO),
    ("admin.b", NewAccount("lycee"), OK),
    ("admin.b", NewAccount("college"), NO),
    ("plateforme", NewAccount("college"), OK),
    ("plateforme", NewAccount("lycee"), OK),
    ("prof.a", NewAccount("college"), NO),
    ("cpe.a", NewAccount("college"), NO),
    ("parent.a1", NewAccount("college"), NO),
    ("plateforme", LocalAdmins("college"), OK),
    ("plateforme", LocalAdmins("lycee"), OK),
    ("admin.a", LocalAdmins("college"), NO),
    ("admin.b", LocalAdmins("lycee"), NO),
    ("prof.a", LocalAdmins("college"), NO),
    ("eleve.a1", LocalAdmins("college"), NO),
    // The mail queue: administrators (each sees the mails of their people), nobody else.
    ("admin.a", AdminMails, OK),
    ("admin.b", AdminMails, OK),
    ("plateforme", AdminMails, OK),
    ("prof.a", AdminMails, NO),
    ("cpe.a", AdminMails, NO),
    ("parent.a1", AdminMails, NO),
    ("eleve.a1", AdminMails, NO),
    // Messaging administration (communication rules, reports): the establishment's
    // administrators and the platform administrator only.
    ("admin.a", AdminMessaging("college"), OK),
    ("admin.a", AdminMessaging("lycee"), NO),
    ("admin.b", AdminMessaging("lycee"), OK),
    ("admin.b", AdminMessaging("college"), NO),
    ("plateforme", AdminMessaging("college"), OK),
    ("plateforme", AdminMessaging("lycee"), OK),
    ("prof.a", AdminMessaging("college"), NO),
    ("cpe.a", AdminMessaging("college"), NO),
    ("parent.a1", AdminMessaging("college"), NO),
    ("eleve.a1", AdminMessaging("college"), NO),
    // Documents spaces: a class's for its pupils, its teachers and the establishment's staff; a
    // personal one for its owner only (not their parents, teachers or administrators); an
    // establishment's for everyone in it. Files and shares: tests/it/documents_pages.rs.
    ("eleve.a1", DocSpace("classe:5A"), OK),
    ("eleve.a2", DocSpace("classe:5A"), OK),
    ("eleve.b1", DocSpace("classe:5A"), NO),
    ("eleve.b1", DocSpace("classe:5B"), OK),
    ("eleve.a1", DocSpace("classe:5B"), NO),
    ("eleve.c1", DocSpace("classe:5A"), NO),
    ("prof.a", DocSpace("classe:5A"), OK),
    ("prof.a", DocSpace("classe:5B"), NO),
    ("prof.b", DocSpace("classe:5B"), OK),
    ("prof.c", DocSpace("classe:5A"), NO),
    ("cpe.a", DocSpace("classe:5B"), OK),
    ("admin.a", DocSpace("classe:5A"), OK),
    ("admin.b", DocSpace("classe:5A"), NO),
    ("parent.a1", DocSpace("classe:5A"), NO),
    ("eleve.a1", DocSpace("perso:eleve.a1"), OK),
    ("eleve.a2", DocSpace("perso:eleve.a1"), NO),
    ("parent.a1", DocSpace("perso:eleve.a1"), NO),
    ("prof.a", DocSpace("perso:eleve.a1"), NO),
    ("admin.a", DocSpace("perso:eleve.a1"), NO),
    ("plateforme", DocSpace("perso:eleve.a1"), NO),
    ("eleve.a1", DocSpace("etab:college"), OK),
    ("eleve.a1", DocSpace("etab:lycee"), NO),
    ("parent.a1", DocSpace("etab:lycee"), OK),
    ("prof.c", DocSpace("etab:college"), NO),
    ("admin.b", DocSpace("etab:college"), NO),
    ("admin.a", DocSpace("etab:college"), OK),
];

fn paths(school: &School, read: Read) -> Vec<String> {
    match read {
        Person(login) => vec![format!("/personnes/{}", school.id(login))],
        Class(name) => vec![format!(
            "/classes/{}",
            match name {
                "5A" => school.class_5a,
                "5B" => school.class_5b,
                _ => school.class_2nde,
            }
        )],
        Missing => vec![
            "/personnes/999999".into(),
            "/classes/999999".into(),
            "/admin/personnes/999999".into(),
        ],
        AdminPerson(login) => vec![format!("/admin/personnes/{}", school.id(login))],
        AdminClass(name) => vec![format!(
            "/admin/classes/{}",
            match name {
                "5A" => school.class_5a,
                "5B" => school.class_5b,
                _ => school.class_2nde,
            }
        )],
        AdminParents(login) => vec![format!(
            "/admin/personnes/{}/responsables",
            school.id(login)
        )],
        AdminEdit(login) => vec![format!("/admin/personnes/{}/modifier", school.id(login))],
        NewAccount(e) => vec![format!(
            "/admin/etablissements/{}/personnes/nouvelle",
            if e == "college" {
                school.college
            } else {
                school.lycee
            }
        )],
        LocalAdmins(e) => vec![
            format!(
                "/admin/etablissements/{}/administrateurs",
                if e == "college" {
                    school.college
                } else {
                    school.lycee
                }
            ),
            "/admin/etablissements/nouveau".into(),
        ],
        AdminMails => vec!["/admin/courriels".into()],
        AdminMessaging(e) => {
            let id = if e == "college" {
                school.college
            } else {
                school.lycee
            };
            vec![
                format!("/admin/etablissements/{id}/communication"),
                format!("/admin/etablissements/{id}/signalements"),
            ]
        }
        DocSpace(what) => {
            let slug = match what.split_once(':') {
                Some(("perso", login)) => format!("perso-{}", school.id(login).0),
                Some(("classe", "5A")) => format!("classe-{}", school.class_5a.0),
                Some(("classe", "5B")) => format!("classe-{}", school.class_5b.0),
                Some(("classe", _)) => format!("classe-{}", school.class_2nde.0),
                Some(("etab", "college")) => format!("etab-{}", school.college.0),
                _ => format!("etab-{}", school.lycee.0),
            };
            vec![
                format!("/documents/{slug}"),
                format!("/api/v1/documents/{slug}"),
            ]
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn directory_permission_matrix() {
    let app = TestApp::start().await;
    let mut clients = std::collections::BTreeMap::new();
    let mut failures = Vec::new();
    for (login, read, expected) in MATRIX {
        if !clients.contains_key(login) {
            clients.insert(*login, app.as_user(login).await);
        }
        let client = &clients[login];
        for path in paths(&app.school, *read) {
            let (status, body) = app.get(client, &path).await;
            if status != *expected {
                failures.push(format!(
                    "{login} GET {path} ({read:?}, {}): {status}, expected {expected}",
                    read.policy()
                ));
            }
            if status == NO {
                // A refusal says nothing about the object (the header names the visitor).
                let body = crate::common::app::main_part(&body);
                assert!(
                    !body.contains("ÉLÈVE") && !body.contains("LYCÉENNE"),
                    "{login} {path}"
                );
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test(flavor = "multi_thread")]
async fn anonymous_visitors_are_sent_to_sign_in_from_every_private_page() {
    let app = TestApp::start().await;
    let client = app.client();
    for path in [
        "/",
        "/profil",
        "/sessions",
        "/personnes/1",
        "/classes/1",
        "/admin",
        "/admin/personnes/1",
        "/admin/etablissements/1/journal",
        "/messagerie",
        "/messagerie/nouveau",
        "/messagerie/messages/1",
        "/messagerie/messages/1/pieces-jointes/0",
        "/documents",
        "/documents/perso-1",
        "/documents/fichier/1",
        "/documents/fichier/1/telecharger",
        "/recherche?q=eleve",
    ] {
        let r = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 303, "{path}");
        let location = r.headers()["location"].to_str().unwrap();
        assert!(location.starts_with("/connexion"), "{path} → {location}");
    }
    let r = client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    let r = client
        .get(app.url("/api/v1/search?q=eleve"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

impl Read {
    /// The one policy function that answers this cell (issue 13 §3): the page's status must be
    /// its answer, and [`policy_answer`] asks it directly.
    fn policy(self) -> &'static str {
        match self {
            Person(_) => "domain::directory::policy::may_see_person",
            Class(_) => "domain::directory::policy::may_see_class (class_view, not Hidden)",
            Missing => "(no object: not found for everyone)",
            AdminPerson(_) => "domain::directory::policy::administers_person",
            AdminParents(_) => "domain::admin::policy::pupil_establishments",
            AdminEdit(_) => "domain::admin::policy::editing",
            AdminClass(_) => "model::Actor::administers (of the class's establishment)",
            NewAccount(_) | AdminMessaging(_) => {
                "domain::admin::policy::administered_establishment"
            }
            LocalAdmins(_) => "domain::admin::policy::manages_platform",
            AdminMails => "domain::admin::policy::is_admin",
            DocSpace(_) => "domain::documents::policy::space_access",
        }
    }
}

/// What the policy function of `read` answers for `login`, asked directly (`None` for a cell
/// without an object).
fn policy_answer(app: &TestApp, login: &str, read: Read) -> Option<bool> {
    use cartable::domain::documents::policy::Access;
    use cartable::domain::{admin, directory, documents};
    use cartable::model::documents::Space;
    use cartable::store::tables::PERSON_PROFILES;
    let school = &app.school;
    let store = &app.state.store;
    let tx = store.read().unwrap();
    let actor = directory::queries::load_actor(&tx, school.id(login))
        .unwrap()
        .unwrap();
    let class = |name: &str| match name {
        "5A" => school.class_5a,
        "5B" => school.class_5b,
        _ => school.class_2nde,
    };
    let establishment = |e: &str| {
        if e == "college" {
            school.college
        } else {
            school.lycee
        }
    };
    Some(match read {
        Person(l) => directory::policy::may_see_person(&tx, &actor, school.id(l)).unwrap(),
        Class(n) => directory::policy::may_see_class(&tx, &actor, class(n)).unwrap(),
        Missing => return None,
        AdminPerson(l) => directory::policy::administers_person(&tx, &actor, school.id(l)).unwrap(),
        AdminParents(l) => {
            let profiles = tx
                .scan_prefix(&PERSON_PROFILES, &(school.id(l),))
                .unwrap()
                .map(|r| r.map(|(_, p)| (p.establishment, p.role)).unwrap());
            !admin::policy::pupil_establishments(profiles, &actor).is_empty()
        }
        AdminEdit(l) => admin::policy::editing(&tx, &actor, school.id(l)).is_ok(),
        AdminClass(n) => {
            let e = if n == "2nde1" {
                school.lycee
            } else {
                school.college
            };
            actor.administers(e)
        }
        NewAccount(e) | AdminMessaging(e) => {
            admin::policy::administered_establishment(&tx, &actor, establishment(e))
                .unwrap()
                .is_some()
        }
        LocalAdmins(_) => admin::policy::manages_platform(&actor),
        AdminMails => admin::policy::is_admin(&actor),
        DocSpace(what) => {
            let space = match what.split_once(':') {
                Some(("perso", l)) => Space::Personal(school.id(l)),
                Some(("classe", n)) => Space::Class(class(n)),
                Some((_, e)) => Space::Establishment(establishment(e)),
                None => unreachable!("{what}"),
            };
            documents::policy::space_access(&tx, &actor, space).unwrap() != Access::None
        }
    })
}

/// Every cell of the matrix is the answer of the one policy function its row names: the pages
/// above answer what the policy says, and nothing else decides.
#[tokio::test(flavor = "multi_thread")]
async fn every_cell_is_answered_by_its_policy_function() {
    let app = TestApp::start().await;
    let mut failures = Vec::new();
    for (login, read, expected) in MATRIX {
        let Some(allowed) = policy_answer(&app, login, *read) else {
            continue;
        };
        if allowed != (*expected == OK) {
            failures.push(format!(
                "{login} {read:?}: {} says {allowed}, the matrix {expected}",
                read.policy()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
