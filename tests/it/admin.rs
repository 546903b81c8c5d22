//! The administration pages (issue 5 §1): search, person view, disable / re-enable, password
//! reset, audit log — and who may reach them.

use crate::common::app::TestApp;
use crate::common::school::PASSWORD;

fn search_path(e: impl std::fmt::Display, q: &str) -> String {
    format!("/admin/etablissements/{e}/personnes?q={q}")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_local_admin_searches_their_establishment_without_accents() {
    let app = TestApp::start().await;
    let admin = app.as_user("admin.a").await;
    let (status, html) = app.get(&admin, "/admin").await;
    assert_eq!(status, 200);
    assert!(html.contains("Collège Test A"));
    assert!(!html.contains("Lycée Test B"));
    for q in ["eleve", "%C3%A9l%C3%A8", "ELE"] {
        let (status, html) = app.get(&admin, &search_path(app.school.college, q)).await;
        assert_eq!(status, 200, "{q}");
        assert!(html.contains("Léa ÉLÈVE"), "{q}");
        assert!(html.contains("Nathalie ÉLÈVE"), "{q}");
        assert!(!html.contains("Tom"), "{q}: Tom is at the lycée");
        assert!(html.contains("eleve.a1") && html.contains("Actif"));
    }
    let (_, html) = app
        .get(&admin, &search_path(app.school.college, "lea+ele"))
        .await;
    assert!(html.contains("Léa ÉLÈVE") && !html.contains("Nathalie"));
    // The form alone, without a query.
    let (status, html) = app
        .get(
            &admin,
            &format!("/admin/etablissements/{}/personnes", app.school.college),
        )
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("<label for=\"q\">"));
    // The portal shows the tile to admins only.
    let (_, portal) = app.get(&admin, "/").await;
    assert!(portal.contains("href=\"/admin\""));
    let prof = app.as_user("prof.a").await;
    let (_, portal) = app.get(&prof, "/").await;
    assert!(!portal.contains("href=\"/admin\""));
}

#[tokio::test(flavor = "multi_thread")]
async fn each_admin_reaches_only_their_establishment_and_the_platform_admin_both() {
    let app = TestApp::start().await;
    let s = &app.school;
    let cases = [
        ("admin.a", s.lycee, "eleve.c1", s.college, "eleve.b1"),
        ("admin.b", s.college, "eleve.a2", s.lycee, "eleve.c1"),
    ];
    for (login, other, stranger, own, member) in cases {
        let client = app.as_user(login).await;
        let stranger = s.id(stranger);
        for path in [
            search_path(other, "eleve"),
            format!("/admin/etablissements/{other}/journal"),
            format!("/admin/personnes/{stranger}"),
            "/admin/etablissements/999999/personnes?q=a".into(),
            "/admin/personnes/999999".into(),
        ] {
            assert_eq!(app.get(&client, &path).await.0, 404, "{login} GET {path}");
        }
        for action in ["desactiver", "reactiver", "mot-de-passe"] {
            let path = format!("/admin/personnes/{stranger}/{action}");
            assert_eq!(
                app.post_form(&client, &path, &[]).await.0,
                404,
                "{login} POST {path}"
            );
        }
        for path in [
            search_path(own, "a"),
            format!("/admin/etablissements/{own}/journal"),
            format!("/admin/personnes/{}", s.id(member)),
        ] {
            assert_eq!(app.get(&client, &path).await.0, 200, "{login} GET {path}");
        }
    }
    // A stranger's sessions were not touched and their account still works.
    let _ = app.as_user("eleve.c1").await;
    let platform = app.as_user("plateforme").await;
    let (_, html) = app.get(&platform, "/admin").await;
    assert!(html.contains("Collège Test A") && html.contains("Lycée Test B"));
    for e in [s.college, s.lycee] {
        assert_eq!(app.get(&platform, &search_path(e, "eleve")).await.0, 200);
        let path = format!("/admin/etablissements/{e}/journal");
        assert_eq!(app.get(&platform, &path).await.0, 200);
    }
    let (_, html) = app.get(&platform, &search_path(s.lycee, "eleve")).await;
    assert!(html.contains("Tom ÉLÈVE") && !html.contains("Léa"));
    for who in ["eleve.a1", "eleve.c1", "admin.a"] {
        let path = format!("/admin/personnes/{}", s.id(who));
        assert_eq!(app.get(&platform, &path).await.0, 200, "{path}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn teachers_parents_pupils_and_staff_get_not_found_on_every_admin_route() {
    let app = TestApp::start().await;
    let s = &app.school;
    let target = s.id("eleve.b1");
    for login in ["prof.a", "parent.a1", "eleve.a1", "cpe.a"] {
        let client = app.as_user(login).await;
        for path in [
            "/admin".to_owned(),
            search_path(s.college, "eleve"),
            format!("/admin/etablissements/{}/journal", s.college),
            format!("/admin/personnes/{target}"),
        ] {
            assert_eq!(app.get(&client, &path).await.0, 404, "{login} GET {path}");
        }
        for action in ["desactiver", "reactiver", "mot-de-passe"] {
            let path = format!("/admin/personnes/{target}/{action}");
            assert_eq!(
                app.post_form(&client, &path, &[]).await.0,
                404,
                "{login} POST {path}"
            );
        }
    }
    // eleve.b1 was never touched.
    let _ = app.as_user("eleve.b1").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn disabling_ends_sessions_and_re_enabling_lets_them_back_in() {
    let app = TestApp::start().await;
    let target = app.school.id("eleve.b1");
    let victim = app.as_user("eleve.b1").await;
    let admin = app.as_user("admin.a").await;
    let (status, html) = app.get(&admin, &format!("/admin/personnes/{target}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Hugo BERNARD") && html.contains("eleve.b1"));
    assert!(html.contains("5B (Collège Test A)"));
    assert!(html.contains(&format!("action=\"/admin/personnes/{target}/desactiver\"")));

    let (status, location, _) = app
        .post_form(
            &admin,
            &format!("/admin/personnes/{target}/desactiver"),
            &[],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(
        location,
        format!("/admin/personnes/{target}?fait=desactive")
    );
    let (_, html) = app.get(&admin, &location).await;
    assert!(html.contains("Le compte a été désactivé"));
    assert!(html.contains("Désactivé"));
    assert!(html.contains(&format!("action=\"/admin/personnes/{target}/reactiver\"")));
    assert_eq!(app.get(&victim, "/").await.0, 303, "their session ended");
    let (_, r) = app.sign_in_with("eleve.b1", PASSWORD).await;
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("Ce compte est désactivé"));

    let (status, location, _) = app
        .post_form(&admin, &format!("/admin/personnes/{target}/reactiver"), &[])
        .await;
    assert_eq!(status, 303);
    assert!(location.ends_with("fait=reactive"));
    let back = app.as_user("eleve.b1").await;
    assert_eq!(app.get(&back, "/").await.0, 200);

    // Not oneself: the admin sees their own page but may not act on it.
    let own = app.school.id("admin.a");
    let (status, html) = app.get(&admin, &format!("/admin/personnes/{own}")).await;
    assert_eq!(status, 200);
    assert!(!html.contains("/desactiver"));
    let (status, _, _) = app
        .post_form(&admin, &format!("/admin/personnes/{own}/desactiver"), &[])
        .await;
    assert_eq!(status, 403);
    let _ = app.as_user("admin.a").await;
}

const ALPHABET: &str = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

fn code_of(html: &str) -> String {
    let start = html.find("id=\"code-unique\">").expect("a code") + 17;
    html[start..].split('<').next().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_password_reset_shows_a_one_time_code_once_and_ends_sessions() {
    let app = TestApp::start().await;
    let target = app.school.id("eleve.a2");
    let victim = app.as_user("eleve.a2").await;
    let admin = app.as_user("admin.a").await;
    let path = format!("/admin/personnes/{target}/mot-de-passe");
    let r = app.post_signed(&admin, &path, &[]).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let html = r.text().await.unwrap();
    let code = code_of(&html);
    assert!(code.replace('-', "").len() >= 10, "{code}");
    assert!(
        code.chars().all(|c| c == '-' || ALPHABET.contains(c)),
        "{code}"
    );
    assert!(html.contains("eleve.a2"));
    assert_eq!(app.get(&victim, "/").await.0, 303, "their session ended");
    let (_, r) = app.sign_in_with("eleve.a2", PASSWORD).await;
    assert_eq!(r.status(), 422, "the old password no longer works");
    // The code leads to choosing a new password (tests/it/activation.rs walks the rest).
    let (_, r) = app.sign_in_with("eleve.a2", &code).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/activation/mot-de-passe");
    // A second reset gives another code, and the page is not reachable by GET.
    let (_, _, again) = app.post_form(&admin, &path, &[]).await;
    assert_ne!(code_of(&again), code);
    assert_eq!(app.get(&admin, &path).await.0, 405);
    // The code is not in the audit log.
    let (_, log) = app
        .get(
            &admin,
            &format!("/admin/etablissements/{}/journal", app.school.college),
        )
        .await;
    assert!(!log.contains(&code));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_journal_lists_actions_and_sign_ins_with_filters() {
    let app = TestApp::start().await;
    let s = &app.school;
    let b1 = s.id("eleve.b1");
    let _ = app.as_user("eleve.b1").await;
    let _ = app.as_user("eleve.c1").await; // lycée: not in the collège's journal
    let admin = app.as_user("admin.a").await;
    app.post_form(&admin, &format!("/admin/personnes/{b1}/desactiver"), &[])
        .await;
    app.post_form(&admin, &format!("/admin/personnes/{b1}/reactiver"), &[])
        .await;
    app.post_form(&admin, &format!("/admin/personnes/{b1}/mot-de-passe"), &[])
        .await;
    let platform = app.as_user("plateforme").await;
    app.post_form(&platform, &format!("/admin/personnes/{b1}/desactiver"), &[])
        .await;
    let journal = format!("/admin/etablissements/{}/journal", s.college);

    let (status, html) = app.get(&admin, &journal).await;
    assert_eq!(status, 200);
    for text in [
        "Connexion",
        "Compte désactivé",
        "Compte réactivé",
        "Nouveau mot de passe donné",
        "Hugo BERNARD (eleve.b1)",
        "Anne ADMIN (admin.a)",
        "Pierre PLATEFORME (plateforme)",
        "01/09/2026 08:00",
        "<th scope=\"col\">",
    ] {
        assert!(html.contains(text), "{text}");
    }
    assert!(!html.contains("eleve.c1"), "lycée sign-ins stay out");
    // Newest first: the platform admin's action comes before admin.a's reset.
    let platform_at = html.find("Pierre PLATEFORME").unwrap();
    let reset_at = html.find("Nouveau mot de passe donné</td>").unwrap();
    assert!(platform_at < reset_at);

    let (_, html) = app
        .get(&admin, &format!("{journal}?action=desactivation"))
        .await;
    assert_eq!(
        html.matches("<td data-label=\"Action\">Compte désactivé</td>")
            .count(),
        2
    );
    assert!(!html.contains("<td data-label=\"Action\">Connexion</td>"));
    assert!(html.contains("2 actions."));

    let (_, html) = app
        .get(
            &admin,
            &format!("{journal}?personne=eleve.b1&action=connexion"),
        )
        .await;
    assert!(html.contains("1 action."), "eleve.b1 signed in once");
    let (_, html) = app.get(&admin, &format!("{journal}?personne=prof.a")).await;
    assert!(html.contains("Aucune action."));
    // Another establishment's person: nothing, whatever they did.
    let (_, html) = app
        .get(&admin, &format!("{journal}?personne=eleve.c1"))
        .await;
    assert!(html.contains("Aucune action."));

    let (_, html) = app
        .get(
            &admin,
            &format!("{journal}?du=01%2F09%2F2026&au=01%2F09%2F2026"),
        )
        .await;
    assert!(html.contains("Compte réactivé"));
    let (_, html) = app
        .get(&admin, &format!("{journal}?du=02%2F09%2F2026"))
        .await;
    assert!(html.contains("Aucune action."));
    let (_, html) = app
        .get(&admin, &format!("{journal}?au=31%2F08%2F2026"))
        .await;
    assert!(html.contains("Aucune action."));
    let (status, html) = app.get(&admin, &format!("{journal}?du=demain")).await;
    assert_eq!(status, 422);
    assert!(html.contains("Date invalide"));
    assert!(html.contains("aria-invalid=\"true\""));

    // The person page shows the last sign-in and links to their journal.
    let (_, html) = app.get(&admin, &format!("/admin/personnes/{b1}")).await;
    assert!(html.contains("01/09/2026 08:00"));
    assert!(html.contains(&format!("{journal}?personne=eleve.b1")));
}

// ---------------------------------------------------------------------------------------------
// Malformed ids (issue 13 §4): in the path or in a form, on the class/group handlers, the
// accounts and the letters, anything but a positive number answers 404 and writes nothing.
// (The administration has no `/api/v1` route.)
// ---------------------------------------------------------------------------------------------

#[test_case::test_case("abc" ; "letters")]
#[test_case::test_case("0" ; "zero")]
#[test_case::test_case("-3" ; "negative")]
#[test_case::test_case("+1" ; "plus sign")]
#[test_case::test_case("1.5" ; "decimal")]
#[test_case::test_case("0x10" ; "hexadecimal")]
#[test_case::test_case("1e3" ; "exponent")]
#[test_case::test_case("99999999999999999999999" ; "over u64")]
#[test_case::test_case("%E2%80%8B1" ; "zero width space")]
#[tokio::test(flavor = "multi_thread")]
async fn malformed_admin_ids_answer_404_and_write_nothing(bad: &str) {
    let app = TestApp::start().await;
    let s = &app.school;
    let admin = app.as_user("admin.a").await;
    let (class, college) = (s.class_5a, s.college);
    let head = app.state.store.head();
    for path in [
        format!("/admin/classes/{bad}"),
        format!("/admin/groupes/{bad}"),
        format!("/admin/etablissements/{bad}/classes"),
        format!("/admin/etablissements/{bad}/groupes"),
        format!("/admin/personnes/{bad}/modifier"),
        format!("/admin/matieres/{bad}"),
    ] {
        let (status, body) = app.get(&admin, &path).await;
        assert_eq!(status, 404, "GET {path}");
        assert!(body.contains("<html"), "GET {path}: {body}");
    }
    let pupil = s.id("eleve.a1");
    let prof = s.id("prof.a").to_string();
    let posts: Vec<(String, Vec<(&str, String)>)> = vec![
        (format!("/admin/classes/{bad}/supprimer"), vec![]),
        (format!("/admin/groupes/{bad}/supprimer"), vec![]),
        (
            format!("/admin/groupes/{bad}/eleves"),
            vec![("identifiant", "eleve.a1".to_owned())],
        ),
        (
            format!("/admin/classes/{class}/eleves/{bad}/retirer"),
            vec![],
        ),
        (
            format!("/admin/groupes/{bad}/eleves/{pupil}/retirer"),
            vec![],
        ),
        (
            format!("/admin/classes/{class}/enseignements/{bad}/retirer"),
            vec![],
        ),
        (
            format!("/admin/etablissements/{bad}/classes"),
            vec![("nom", "6e Z".to_owned())],
        ),
        // Ids chosen in a form.
        (
            format!("/admin/classes/{class}/enseignements"),
            vec![("enseignant", prof.clone()), ("matiere", bad.to_owned())],
        ),
        (
            format!("/admin/classes/{class}/professeur-principal"),
            vec![("professeur_principal", bad.to_owned())],
        ),
        (
            format!("/admin/personnes/{pupil}/modifier"),
            vec![
                ("action", "ajouter-profil".to_owned()),
                ("etablissement", bad.to_owned()),
                ("role", "eleve".to_owned()),
            ],
        ),
        (
            format!("/admin/etablissements/{college}/courriers"),
            vec![("classe", bad.to_owned())],
        ),
    ];
    for (path, form) in posts {
        let (status, _, body) = app.post_form_owned(&admin, &path, &form).await;
        assert_eq!(status, 404, "POST {path} {form:?}");
        assert!(body.contains("<html"), "POST {path}: {body}");
    }
    assert_eq!(app.state.store.head(), head, "nothing was written");
}
