//! Creating and editing accounts, creating establishments and naming local administrators
//! (issue 5 §1): what each administrator may do, every refused input (422, nothing written),
//! duplicates, and the journal.

use cartable::model::directory::{AccountState, EstablishmentId, PersonId, Role};
use cartable::store::tables::{LOGIN_TO_PERSON, PEOPLE, PERSON_PROFILES, STUDENT_CLASSES};

use crate::common::app::TestApp;
use crate::common::school::PASSWORD;

/// How many rows of the journal page show this action.
fn rows(log: &str, action: &str) -> usize {
    log.matches(&format!("<td data-label=\"Action\">{action}</td>"))
        .count()
}

fn new_path(e: EstablishmentId) -> String {
    format!("/admin/etablissements/{e}/personnes/nouvelle")
}

fn edit_path(p: PersonId) -> String {
    format!("/admin/personnes/{p}/modifier")
}

/// The id at the end of `/admin/personnes/{id}?…` or `/admin/etablissements/{id}/…`.
fn id_in(location: &str) -> u64 {
    location
        .split('/')
        .nth(3)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

fn login_of(app: &TestApp, login: &str) -> Option<PersonId> {
    app.state
        .store
        .read()
        .unwrap()
        .get(&LOGIN_TO_PERSON, &login.to_owned())
        .unwrap()
}

fn person(app: &TestApp, id: PersonId) -> cartable::model::directory::Person {
    app.state
        .store
        .read()
        .unwrap()
        .get(&PEOPLE, &id)
        .unwrap()
        .unwrap()
}

fn roles_of(app: &TestApp, id: PersonId, e: EstablishmentId) -> Vec<Role> {
    app.state
        .store
        .read()
        .unwrap()
        .scan_prefix(&PERSON_PROFILES, &(id, e))
        .unwrap()
        .map(|r| r.unwrap().1.role)
        .collect()
}

fn journal(e: EstablishmentId) -> String {
    format!("/admin/etablissements/{e}/journal")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_local_admin_creates_a_pupil_a_parent_and_a_teacher() {
    let app = TestApp::start().await;
    let s = &app.school;
    let admin = app.as_user("admin.a").await;
    let (_, home) = app.get(&admin, "/admin").await;
    assert!(home.contains(&format!("href=\"{}\"", new_path(s.college))));
    assert!(!home.contains("/admin/etablissements/nouveau"));
    assert!(!home.contains("/administrateurs"));
    let (status, form) = app.get(&admin, &new_path(s.college)).await;
    assert_eq!(status, 200);
    assert!(form.contains("<label for=\"prenom\">") && form.contains("<label for=\"classe\">"));
    assert!(form.contains(&format!("<option value=\"{}\">5A</option>", s.class_5a)));
    assert!(!form.contains("2nde1"), "only the establishment's classes");
    assert!(form.contains("considérée comme vérifiée"));

    let class = s.class_5a.to_string();
    let (status, location, _) = app
        .post_form(
            &admin,
            &new_path(s.college),
            &[
                ("prenom", "  Jeanne "),
                ("nom", "Dupont"),
                ("naissance", "12/01/2014"),
                ("role", "eleve"),
                ("classe", &class),
                ("courriel", " Jeanne.Dupont@Exemple.fr "),
                ("ine", "1234567890a"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert!(location.ends_with("?fait=cree"), "{location}");
    let pupil = PersonId(id_in(&location));
    let (status, html) = app.get(&admin, &location).await;
    assert_eq!(status, 200);
    assert!(html.contains("Le compte a été créé"));
    assert!(html.contains("Jeanne DUPONT") && html.contains("jeanne.dupont"));
    assert!(html.contains("En attente d’activation"));
    assert!(html.contains("5A (Collège Test A)"));
    assert!(html.contains(&format!("href=\"{}\"", edit_path(pupil))));
    let p = person(&app, pupil);
    assert_eq!(p.state, AccountState::Pending);
    assert_eq!(p.login, "jeanne.dupont");
    assert_eq!(p.email.as_deref(), Some("jeanne.dupont@exemple.fr"));
    assert_eq!(p.birth_date, Some(jiff::civil::date(2014, 1, 12)));
    assert_eq!(
        p.national_ids,
        [("ine".to_owned(), "1234567890A".to_owned())]
    );
    assert_eq!(roles_of(&app, pupil, s.college), [Role::Eleve]);
    let read = app.state.store.read().unwrap();
    assert!(
        read.get(&STUDENT_CLASSES, &(pupil, s.class_5a))
            .unwrap()
            .is_some()
    );
    drop(read);
    let (_, found) = app
        .get(
            &admin,
            &format!("/admin/etablissements/{}/personnes?q=dupont", s.college),
        )
        .await;
    assert!(found.contains("Jeanne DUPONT") && found.contains("En attente"));

    // A parent and a teacher: no birth date needed, no class.
    for (first, role, login, expected) in [
        ("Marc", "parent", "marc.dupont", Role::Parent),
        ("Sophie", "enseignant", "sophie.dupont", Role::Enseignant),
        (
            "Luc",
            "personnel-cpe",
            "luc.dupont",
            Role::Personnel(cartable::model::directory::StaffFunction::Cpe),
        ),
    ] {
        let (status, location, _) = app
            .post_form(
                &admin,
                &new_path(s.college),
                &[("prenom", first), ("nom", "Dupont"), ("role", role)],
            )
            .await;
        assert_eq!(status, 303, "{role}");
        let id = PersonId(id_in(&location));
        assert_eq!(person(&app, id).login, login);
        assert_eq!(roles_of(&app, id, s.college), [expected]);
    }
    let (_, log) = app.get(&admin, &journal(s.college)).await;
    assert_eq!(rows(&log, "Compte créé"), 4, "{log}");
    assert!(log.contains("Jeanne DUPONT (jeanne.dupont)"));
    // A homonym of the pupil is offered "Créer quand même"; the button is not there otherwise.
    assert!(!form.contains("creer_quand_meme"));
}

#[tokio::test(flavor = "multi_thread")]
async fn every_bad_field_is_refused_with_its_message_and_nothing_is_written() {
    let app = TestApp::start().await;
    let s = &app.school;
    let admin = app.as_user("admin.a").await;
    let a5 = s.class_5a.to_string();
    let lycee_class = s.class_2nde.to_string();
    let long = "x".repeat(101);
    let ok = |changes: &[(&'static str, &str)]| {
        let mut f: Vec<(&'static str, String)> = vec![
            ("prenom", "Jeanne".into()),
            ("nom", "Dupont".into()),
            ("naissance", "12/01/2014".into()),
            ("role", "eleve".into()),
            ("classe", a5.clone()),
        ];
        for (k, v) in changes {
            f.retain(|(key, _)| key != k);
            f.push((k, (*v).to_owned()));
        }
        f
    };
    type Fields = Vec<(&'static str, String)>;
    let cases: Vec<(Fields, &str, &str)> = vec![
        (
            ok(&[("prenom", "   ")]),
            "prenom",
            "Ce champ est obligatoire",
        ),
        (ok(&[("nom", "")]), "nom", "Ce champ est obligatoire"),
        (ok(&[("nom", &long)]), "nom", "100 caractères au plus"),
        (ok(&[("nom", "Du\u{7}pont")]), "nom", "caractère invalide"),
        (
            ok(&[("naissance", "")]),
            "naissance",
            "obligatoire pour un élève",
        ),
        (
            ok(&[("naissance", "31/02/2014")]),
            "naissance",
            "Date invalide",
        ),
        (
            ok(&[("naissance", "2014-01-12")]),
            "naissance",
            "Date invalide",
        ),
        (
            ok(&[("naissance", "01/01/2030")]),
            "naissance",
            "dans le futur",
        ),
        (
            ok(&[("naissance", "01/01/2024")]),
            "naissance",
            "entre 5 et 30 ans",
        ),
        (
            ok(&[("role", "parent"), ("naissance", "01/01/2020")]),
            "naissance",
            "entre 14 et 120 ans",
        ),
        (
            ok(&[("courriel", "jeanne@")]),
            "courriel",
            "Adresse invalide",
        ),
        (ok(&[("ine", "12-34")]), "ine", "INE invalide"),
        (
            ok(&[("role", "parent"), ("ine", "123")]),
            "ine",
            "Seul un élève a un INE",
        ),
        (ok(&[("role", "")]), "role", "Choisissez un rôle"),
        (ok(&[("role", "admin-local")]), "role", "Choisissez un rôle"),
        (ok(&[("classe", "")]), "classe", "Choisissez la classe"),
        (ok(&[("classe", "abc")]), "classe", "n’existe pas"),
        (ok(&[("classe", &lycee_class)]), "classe", "n’existe pas"),
    ];
    let head = app.state.store.head();
    for (fields, field, message) in cases {
        let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, _, html) = app.post_form(&admin, &new_path(s.college), &form).await;
        assert_eq!(status, 422, "{fields:?}");
        assert!(html.contains(message), "{fields:?}: {message}");
        assert!(
            html.contains(&format!("aria-describedby=\"{field}-erreur\""))
                || html.contains(&format!(" {field}-erreur\"")),
            "{fields:?}: {field} described by its error"
        );
        assert!(html.contains("aria-invalid=\"true\""), "{fields:?}");
        assert!(html.contains("Certaines informations sont à corriger"));
        // The values typed are kept.
        assert!(
            html.contains("value=\"Dupont\"") || field == "nom",
            "{fields:?}"
        );
        assert_eq!(app.state.store.head(), head, "{fields:?} wrote something");
    }
    // Several errors at once: each field has its message.
    let (status, _, html) = app
        .post_form(
            &admin,
            &new_path(s.college),
            &[("prenom", ""), ("nom", ""), ("role", "eleve")],
        )
        .await;
    assert_eq!(status, 422);
    for id in [
        "prenom-erreur",
        "nom-erreur",
        "naissance-erreur",
        "classe-erreur",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert_eq!(app.state.store.head(), head);
}

#[tokio::test(flavor = "multi_thread")]
async fn duplicates_are_refused_by_ine_and_confirmed_by_name_and_birth_date() {
    let app = TestApp::start().await;
    let s = &app.school;
    let admin = app.as_user("admin.a").await;
    let a5 = s.class_5a.to_string();
    let pupil = |first: &str, last: &str, ine: &str, class: &str| -> Vec<(&'static str, String)> {
        vec![
            ("prenom", first.to_owned()),
            ("nom", last.to_owned()),
            ("naissance", "07/11/2013".to_owned()),
            ("role", "eleve".to_owned()),
            ("ine", ine.to_owned()),
            ("classe", class.to_owned()),
        ]
    };
    let (status, location, _) = app
        .post_form_owned(
            &admin,
            &new_path(s.college),
            &pupil("Marie", "Curie", "111A", &a5),
        )
        .await;
    assert_eq!(status, 303);
    let marie = PersonId(id_in(&location));

    // The same INE: refused, naming who has it, even when "créer quand même" is sent.
    let head = app.state.store.head();
    for confirm in [false, true] {
        let mut form = pupil("Pierre", "Martin", " 111a ", &a5);
        if confirm {
            form.push(("creer_quand_meme", "1".to_owned()));
        }
        let (status, _, html) = app
            .post_form_owned(&admin, &new_path(s.college), &form)
            .await;
        assert_eq!(status, 422);
        assert!(html.contains("Cet INE est déjà celui de"));
        assert!(html.contains(&format!("href=\"/admin/personnes/{marie}\"")));
        assert!(html.contains("Marie CURIE"));
        assert!(!html.contains("name=\"creer_quand_meme\""));
        assert_eq!(app.state.store.head(), head);
    }
    // An INE held in another establishment: refused without naming the person.
    let admin_b = app.as_user("admin.b").await;
    let lycee_class = s.class_2nde.to_string();
    let (status, _, _) = app
        .post_form_owned(
            &admin_b,
            &new_path(s.lycee),
            &pupil("Tom", "Autre", "222B", &lycee_class),
        )
        .await;
    assert_eq!(status, 303);
    let head = app.state.store.head();
    let (status, _, html) = app
        .post_form_owned(
            &admin,
            &new_path(s.college),
            &pupil("Tim", "Autre", "222B", &a5),
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("inscrite dans un autre établissement"));
    assert!(!html.contains("Tom AUTRE"));
    assert_eq!(app.state.store.head(), head);

    // The same names (accents and case aside) and birth date: asked, then created on "Créer
    // quand même".
    let form = pupil("MARIE ", "curie", "", &a5);
    let (status, _, html) = app
        .post_form_owned(&admin, &new_path(s.college), &form)
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Une personne porte déjà ces nom, prénom et date de naissance"));
    assert!(html.contains(&format!("href=\"/admin/personnes/{marie}\"")));
    assert!(html.contains("name=\"creer_quand_meme\" value=\"1\""));
    assert!(html.contains("Créer quand même"));
    assert!(html.contains("value=\"MARIE \"") || html.contains("value=\"MARIE\""));
    assert_eq!(app.state.store.head(), head);
    // Another birth date is not a homonym.
    let mut other = form.clone();
    other.retain(|(k, _)| *k != "naissance");
    other.push(("naissance", "08/11/2013".to_owned()));
    let mut confirmed = form.clone();
    confirmed.push(("creer_quand_meme", "1".to_owned()));
    let (status, location, _) = app
        .post_form_owned(&admin, &new_path(s.college), &confirmed)
        .await;
    assert_eq!(status, 303);
    let second = PersonId(id_in(&location));
    assert_ne!(second, marie);
    assert_eq!(person(&app, second).login, "marie.curie2");
    let (status, _, _) = app
        .post_form_owned(&admin, &new_path(s.college), &other)
        .await;
    assert_eq!(status, 303, "a different birth date is someone else");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_edits_identity_login_and_profiles() {
    let app = TestApp::start().await;
    let s = &app.school;
    let admin = app.as_user("admin.a").await;
    let hugo = s.id("eleve.b1");
    let path = edit_path(hugo);
    let (status, html) = app.get(&admin, &path).await;
    assert_eq!(status, 200);
    assert!(html.contains("value=\"Hugo\"") && html.contains("value=\"eleve.b1\""));
    assert!(html.contains("<label for=\"identifiant\">"));
    // Hugo is a pupil: his birth date is required (the test school has none).
    let identity = |first: &'static str, login: &'static str, date: &'static str| {
        vec![
            ("action", "identite"),
            ("prenom", first),
            ("nom", "Bernard"),
            ("nom_naissance", ""),
            ("naissance", date),
            ("courriel", "Hugo.B@Exemple.fr"),
            ("identifiant", login),
        ]
    };
    let head = app.state.store.head();
    for (form, message) in [
        (
            identity("Hugo", "eleve.b1", ""),
            "obligatoire pour un élève",
        ),
        (
            identity("", "eleve.b1", "03/04/2013"),
            "Ce champ est obligatoire",
        ),
        (identity("Hugo", "prof.a", "03/04/2013"), "déjà pris"),
        (identity("Hugo", "PROF.A ", "03/04/2013"), "déjà pris"),
        (identity("Hugo", "hb", "03/04/2013"), "De 3 à 40 caractères"),
        (
            identity("Hugo", "hugo_b", "03/04/2013"),
            "De 3 à 40 caractères",
        ),
        (
            identity("Hugo", "hugo.bé", "03/04/2013"),
            "De 3 à 40 caractères",
        ),
    ] {
        let (status, _, html) = app.post_form(&admin, &path, &form).await;
        assert_eq!(status, 422, "{form:?}");
        assert!(html.contains(message), "{form:?}: {message}");
        assert!(html.contains("aria-invalid=\"true\""));
        assert_eq!(app.state.store.head(), head, "{form:?}");
    }
    let (status, location, _) = app
        .post_form(
            &admin,
            &path,
            &identity("Hugues", "Hugues.Bernard", "03/04/2013"),
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("{path}?fait=modifie"));
    let (_, html) = app.get(&admin, &location).await;
    assert!(html.contains("Les modifications ont été enregistrées"));
    let p = person(&app, hugo);
    assert_eq!(
        (p.first_name.as_str(), p.login.as_str()),
        ("Hugues", "hugues.bernard")
    );
    assert_eq!(p.email.as_deref(), Some("hugo.b@exemple.fr"));
    assert_eq!(p.birth_date, Some(jiff::civil::date(2013, 4, 3)));
    assert_eq!(login_of(&app, "eleve.b1"), None);
    assert_eq!(login_of(&app, "hugues.bernard"), Some(hugo));
    let (_, found) = app
        .get(
            &admin,
            &format!("/admin/etablissements/{}/personnes?q=hugues", s.college),
        )
        .await;
    assert!(found.contains("Hugues BERNARD"));
    // He signs in with the new login and the same password.
    let _ = app.as_user_with("hugues.bernard", PASSWORD).await;
    // The same values again: nothing written.
    let head = app.state.store.head();
    let (status, location, _) = app
        .post_form(
            &admin,
            &path,
            &identity("Hugues", "hugues.bernard", "03/04/2013"),
        )
        .await;
    assert_eq!((status, location.ends_with("fait=inchange")), (303, true));
    assert_eq!(app.state.store.head(), head);

    // Profiles: prof.a becomes a parent too, then is one no longer.
    let prof = s.id("prof.a");
    let college = s.college.to_string();
    let add = |e: &str, role: &'static str, class: &'static str| {
        vec![
            ("action", "ajouter-profil".to_owned()),
            ("etablissement", e.to_owned()),
            ("role", role.to_owned()),
            ("classe", class.to_owned()),
        ]
    };
    let (status, location, _) = app
        .post_form_owned(&admin, &edit_path(prof), &add(&college, "parent", ""))
        .await;
    assert_eq!(status, 303);
    assert!(location.ends_with("fait=profil-ajoute"));
    assert_eq!(
        roles_of(&app, prof, s.college),
        [Role::Parent, Role::Enseignant]
    );
    let (_, html) = app.get(&admin, &format!("/admin/personnes/{prof}")).await;
    assert!(html.contains("Parent — Collège Test A"));
    let head = app.state.store.head();
    for (form, status_expected, message) in [
        (add(&college, "parent", ""), 422, "déjà ce profil"),
        (add(&college, "admin-local", ""), 422, "Choisissez un rôle"),
        (add(&college, "", ""), 422, "Choisissez un rôle"),
        (add(&college, "eleve", ""), 422, "Choisissez la classe"),
        (add(&college, "eleve", "9Z"), 422, "n’existe pas"),
        (add(&s.lycee.to_string(), "parent", ""), 404, ""),
        (add("999999", "parent", ""), 404, ""),
        (add("abc", "parent", ""), 404, ""),
    ] {
        let (status, _, html) = app
            .post_form_owned(&admin, &edit_path(prof), &form.clone())
            .await;
        assert_eq!(status, status_expected, "{form:?}");
        assert!(html.contains(message), "{form:?}");
        assert_eq!(app.state.store.head(), head, "{form:?}");
    }
    // A pupil profile with a class named as typed.
    let (status, _, _) = app
        .post_form_owned(&admin, &edit_path(prof), &add(&college, "eleve", " 5b "))
        .await;
    assert_eq!(status, 303);
    let read = app.state.store.read().unwrap();
    assert!(
        read.get(&STUDENT_CLASSES, &(prof, s.class_5b))
            .unwrap()
            .is_some()
    );
    drop(read);
    let remove = |role: &'static str| {
        vec![
            ("action", "retirer-profil".to_owned()),
            ("etablissement", college.clone()),
            ("role", role.to_owned()),
        ]
    };
    for role in ["parent", "eleve"] {
        let (status, location, _) = app
            .post_form_owned(&admin, &edit_path(prof), &remove(role))
            .await;
        assert_eq!(status, 303, "{role}");
        assert!(location.ends_with("fait=profil-retire"));
    }
    assert_eq!(roles_of(&app, prof, s.college), [Role::Enseignant]);
    let read = app.state.store.read().unwrap();
    assert!(
        read.get(&STUDENT_CLASSES, &(prof, s.class_5b))
            .unwrap()
            .is_none(),
        "a pupil profile removed takes them out of the class"
    );
    drop(read);
    // The last profile stays, with a clear message; a profile not held is "not found".
    let head = app.state.store.head();
    let (status, _, html) = app
        .post_form_owned(&admin, &edit_path(prof), &remove("enseignant"))
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Le dernier profil d’une personne ne peut pas être retiré"));
    let (status, _, _) = app
        .post_form_owned(&admin, &edit_path(prof), &remove("parent"))
        .await;
    assert_eq!(status, 404);
    let (_, html) = app.get(&admin, &edit_path(prof)).await;
    assert!(
        !html.contains("value=\"retirer-profil\""),
        "no button for the last profile"
    );
    assert_eq!(app.state.store.head(), head);

    // Their own account: identity yes, profiles no (403); no profile form shown.
    let own = s.id("admin.a");
    let (status, html) = app.get(&admin, &edit_path(own)).await;
    assert_eq!(status, 200);
    assert!(!html.contains("value=\"ajouter-profil\""));
    assert!(html.contains("Vous ne pouvez pas modifier vos propres profils"));
    for form in [
        add(&college, "enseignant", ""),
        vec![
            ("action", "retirer-profil".to_owned()),
            ("etablissement", college.clone()),
            ("role", "admin-local".to_owned()),
        ],
    ] {
        let (status, _, _) = app.post_form_owned(&admin, &edit_path(own), &form).await;
        assert_eq!(status, 403);
    }
    assert_eq!(app.state.store.head(), head);
    let (status, _, _) = app
        .post_form(&admin, &edit_path(prof), &[("action", "autre")])
        .await;
    assert_eq!(status, 422, "an unknown action");
    assert_eq!(app.state.store.head(), head);
    // Each change is in the journal.
    let (_, log) = app.get(&admin, &journal(s.college)).await;
    assert_eq!(rows(&log, "Compte modifié"), 5, "{log}");
    let (_, log) = app
        .get(
            &admin,
            &format!(
                "{}?personne=hugues.bernard&action=modification",
                journal(s.college)
            ),
        )
        .await;
    assert_eq!(rows(&log, "Compte modifié"), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn other_admins_and_everyone_else_get_not_found_and_nothing_changes() {
    let app = TestApp::start().await;
    let s = &app.school;
    let pupil = s.id("eleve.a1");
    let college = s.college.to_string();
    let head = app.state.store.head();
    for login in ["admin.b", "prof.a", "parent.a1", "cpe.a", "eleve.a1"] {
        let client = app.as_user(login).await;
        let head = app.state.store.head();
        for path in [
            edit_path(pupil),
            new_path(s.college),
            "/admin/etablissements/nouveau".to_owned(),
            format!("/admin/etablissements/{}/administrateurs", s.college),
            "/admin/personnes/abc/modifier".to_owned(),
            "/admin/etablissements/abc/personnes/nouvelle".to_owned(),
        ] {
            assert_eq!(app.get(&client, &path).await.0, 404, "{login} GET {path}");
        }
        let cases: Vec<(String, Vec<(&str, &str)>)> = vec![
            (
                edit_path(pupil),
                vec![
                    ("action", "identite"),
                    ("prenom", "X"),
                    ("nom", "Y"),
                    ("naissance", "01/01/2014"),
                    ("identifiant", "pirate"),
                ],
            ),
            (
                edit_path(pupil),
                vec![("action", "identite"), ("prenom", "")],
            ),
            (edit_path(pupil), vec![("action", "autre")]),
            (
                edit_path(pupil),
                vec![
                    ("action", "ajouter-profil"),
                    ("etablissement", &college),
                    ("role", "parent"),
                ],
            ),
            (
                edit_path(pupil),
                vec![
                    ("action", "retirer-profil"),
                    ("etablissement", &college),
                    ("role", "eleve"),
                ],
            ),
            (
                new_path(s.college),
                vec![("prenom", "X"), ("nom", "Y"), ("role", "parent")],
            ),
            (new_path(s.college), vec![("prenom", "")]),
            (
                "/admin/etablissements/nouveau".to_owned(),
                vec![
                    ("uai", "0631234X"),
                    ("nom", "Pirate"),
                    ("type_etablissement", "college"),
                ],
            ),
            (
                format!("/admin/etablissements/{}/administrateurs", s.college),
                vec![("identifiant", "prof.a")],
            ),
            (
                format!(
                    "/admin/etablissements/{}/administrateurs/{}/retirer",
                    s.college,
                    s.id("admin.a")
                ),
                vec![],
            ),
        ];
        for (path, form) in cases {
            let (status, _, body) = app.post_form(&client, &path, &form).await;
            assert_eq!(status, 404, "{login} POST {path} {form:?}");
            assert!(
                !crate::common::app::main_part(&body).contains("ÉLÈVE"),
                "{login} POST {path}"
            );
        }
        assert_eq!(app.state.store.head(), head, "{login} changed something");
    }
    let _ = head;
    // Non-numeric ids are "not found" for the platform administrator too.
    let platform = app.as_user("plateforme").await;
    for path in [
        "/admin/personnes/abc/modifier",
        "/admin/etablissements/x1/personnes/nouvelle",
        "/admin/etablissements/x1/administrateurs",
        "/admin/etablissements/999999/administrateurs",
        "/admin/etablissements/999999/personnes/nouvelle",
        "/admin/personnes/999999/modifier",
    ] {
        assert_eq!(app.get(&platform, path).await.0, 404, "{path}");
    }
    let (status, _, _) = app
        .post_form(
            &platform,
            &format!(
                "/admin/etablissements/{}/administrateurs/x/retirer",
                s.college
            ),
            &[],
        )
        .await;
    assert_eq!(status, 404);
    // The platform administrator's own profiles are not theirs to change either.
    let plateforme = s.id("plateforme");
    let (status, _, _) = app
        .post_form(
            &platform,
            &edit_path(plateforme),
            &[
                ("action", "ajouter-profil"),
                ("etablissement", &college),
                ("role", "personnel-direction"),
            ],
        )
        .await;
    assert_eq!(
        status, 403,
        "not their own profiles, even for the platform administrator"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_platform_admin_creates_an_establishment_and_names_its_administrator() {
    let app = TestApp::start().await;
    let s = &app.school;
    let platform = app.as_user("plateforme").await;
    let (_, home) = app.get(&platform, "/admin").await;
    assert!(home.contains("href=\"/admin/etablissements/nouveau\""));
    assert!(home.contains(&format!(
        "href=\"/admin/etablissements/{}/administrateurs\"",
        s.lycee
    )));
    let (status, form) = app.get(&platform, "/admin/etablissements/nouveau").await;
    assert_eq!(status, 200);
    assert!(form.contains("<label for=\"uai\">") && form.contains("Lycée professionnel"));

    let good = |uai: &'static str| {
        vec![
            ("uai", uai),
            ("nom", "Lycée Neuf"),
            ("type_etablissement", "lycee-general"),
            ("ville", "Vichy"),
            ("academie", "Clermont-Ferrand"),
        ]
    };
    let head = app.state.store.head();
    let path = "/admin/etablissements/nouveau";
    for (form, field, message) in [
        (good("123"), "uai", "UAI invalide"),
        (good("0631234"), "uai", "UAI invalide"),
        (good(""), "uai", "Ce champ est obligatoire"),
        (good("0639991a"), "uai", "Un établissement a déjà cet UAI"),
        (
            vec![("uai", "0631234X"), ("type_etablissement", "college")],
            "nom",
            "Ce champ est obligatoire",
        ),
        (
            vec![
                ("uai", "0631234X"),
                ("nom", "X"),
                ("type_etablissement", "ecole"),
            ],
            "type",
            "Choisissez un type",
        ),
    ] {
        let (status, _, html) = app.post_form(&platform, path, &form).await;
        assert_eq!(status, 422, "{form:?}");
        assert!(html.contains(message), "{form:?}");
        assert!(html.contains(&format!("id=\"{field}-erreur\"")), "{form:?}");
        assert_eq!(app.state.store.head(), head, "{form:?}");
    }
    let (status, location, _) = app.post_form(&platform, path, &good(" 0631234x ")).await;
    assert_eq!(status, 303);
    assert!(location.ends_with("/administrateurs?fait=etablissement-cree"));
    let neuf = EstablishmentId(id_in(&location));
    let admins = format!("/admin/etablissements/{neuf}/administrateurs");
    let (status, html) = app.get(&platform, &location).await;
    assert_eq!(status, 200);
    assert!(html.contains("L’établissement a été créé") && html.contains("0631234X"));
    assert!(html.contains("n’a pas encore d’administrateur"));

    // Naming: the person must be a teacher or staff member there already.
    let head = app.state.store.head();
    for (login, message) in [
        ("", "Ce champ est obligatoire"),
        ("personne.inconnue", "Aucun compte n’a cet identifiant"),
        ("prof.a", "n’a pas de profil dans cet établissement"),
    ] {
        let (status, _, html) = app
            .post_form(&platform, &admins, &[("identifiant", login)])
            .await;
        assert_eq!(status, 422, "{login}");
        assert!(html.contains(message), "{login}");
        assert!(html.contains("aria-invalid=\"true\""));
        assert_eq!(app.state.store.head(), head);
    }
    // A pupil or a parent cannot be named.
    let college_admins = format!("/admin/etablissements/{}/administrateurs", s.college);
    for login in ["eleve.a1", "parent.a1"] {
        let (status, _, html) = app
            .post_form(&platform, &college_admins, &[("identifiant", login)])
            .await;
        assert_eq!(status, 422, "{login}");
        assert!(html.contains("pas un élève ni un parent"), "{login}");
    }
    let (status, _, html) = app
        .post_form(&platform, &college_admins, &[("identifiant", "admin.a")])
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("administre déjà"));
    assert_eq!(app.state.store.head(), head);

    // prof.a gets a teacher profile in the new lycée, then is named its administrator.
    let prof = s.id("prof.a");
    let neuf_id = neuf.to_string();
    let (status, _, _) = app
        .post_form(
            &platform,
            &edit_path(prof),
            &[
                ("action", "ajouter-profil"),
                ("etablissement", &neuf_id),
                ("role", "enseignant"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (status, location, _) = app
        .post_form(&platform, &admins, &[("identifiant", " Prof.A ")])
        .await;
    assert_eq!(status, 303);
    assert!(location.ends_with("?fait=nomme"));
    assert_eq!(
        roles_of(&app, prof, neuf),
        [Role::Enseignant, Role::AdminLocal]
    );
    let (_, html) = app.get(&platform, &location).await;
    assert!(html.contains("L’administrateur a été nommé") && html.contains("Paul PROFA"));

    // The new administrator reaches the new lycée's pages; admin.a does not.
    let new_admin = app.as_user("prof.a").await;
    let search = format!("/admin/etablissements/{neuf}/personnes");
    assert_eq!(app.get(&new_admin, &search).await.0, 200);
    assert_eq!(app.get(&new_admin, &new_path(neuf)).await.0, 200);
    let (_, home) = app.get(&new_admin, "/admin").await;
    assert!(home.contains("Lycée Neuf") && !home.contains("Collège Test A"));
    assert!(!home.contains("/administrateurs") && !home.contains("/admin/etablissements/nouveau"));
    let admin_a = app.as_user("admin.a").await;
    assert_eq!(app.get(&admin_a, &search).await.0, 404);
    assert_eq!(app.get(&admin_a, &new_path(neuf)).await.0, 404);
    // A local administrator has no establishment or administrators pages.
    for client in [&new_admin, &admin_a] {
        for path in ["/admin/etablissements/nouveau".to_owned(), admins.clone()] {
            assert_eq!(app.get(client, &path).await.0, 404, "{path}");
        }
        let (status, _, _) = app
            .post_form(client, &admins, &[("identifiant", "prof.a")])
            .await;
        assert_eq!(status, 404);
    }
    assert_eq!(
        app.get(
            &new_admin,
            &format!("/admin/etablissements/{}/personnes", s.college)
        )
        .await
        .0,
        404
    );

    // Removing: the lycée's administrator goes; admin.a, whose only profile it is, stays.
    let remove = format!("{admins}/{prof}/retirer");
    let (status, location, _) = app.post_form(&platform, &remove, &[]).await;
    assert_eq!(status, 303);
    assert!(location.ends_with("?fait=retire"));
    assert_eq!(roles_of(&app, prof, neuf), [Role::Enseignant]);
    assert_eq!(app.get(&new_admin, &search).await.0, 404);
    assert_eq!(app.post_form(&platform, &remove, &[]).await.0, 404);
    let head = app.state.store.head();
    let (status, _, html) = app
        .post_form(
            &platform,
            &format!("{college_admins}/{}/retirer", s.id("admin.a")),
            &[],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Le dernier profil"));
    assert_eq!(app.state.store.head(), head);

    // The journal of the new lycée tells the story.
    let (_, log) = app.get(&platform, &journal(neuf)).await;
    for action in [
        "Établissement créé",
        "Compte modifié",
        "Administrateur nommé",
        "Administrateur retiré",
    ] {
        assert_eq!(rows(&log, action), 1, "{action}: {log}");
    }
    let (_, log) = app
        .get(&platform, &format!("{}?action=admin-nomme", journal(neuf)))
        .await;
    assert!(log.contains("Paul PROFA (prof.a)"));
    let (_, log) = app.get(&platform, &journal(s.college)).await;
    assert_eq!(
        rows(&log, "Établissement créé") + rows(&log, "Administrateur nommé"),
        0
    );
}
