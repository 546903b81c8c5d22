//! Wording and small gaps by role (issue 14 §8–§10): a parent's words are about their
//! children's classes, the report mail is offered to administrators only, a file's kind is said
//! in words, a pupil is told « tu » at activation; a parent's view of their child's class (head
//! teacher and teachers, never the classmates); people's profiles in the search results, as
//! their page shows them, and a search date that does not read named with its field.

use cartable::model::directory::*;
use cartable::store::tables::{CLASSES, NOTIFICATION_PREFS};

use crate::activation::{add_pending_family, issue_code, login_of};
use crate::common::app::{TestApp, csrf_of, main_part};
use crate::common::wait::search_caught_up;

/// Makes prof.a the head teacher of 5A.
fn name_head_teacher(app: &TestApp) {
    let (class, prof) = (app.school.class_5a, app.school.id("prof.a"));
    tokio::task::block_in_place(|| {
        app.state
            .store
            .write(|tx| {
                let mut c = tx.get(&CLASSES, &class)?.unwrap();
                c.head_teacher = Some(prof);
                tx.insert(&CLASSES, &class, &c)
            })
            .unwrap()
    });
}

#[tokio::test(flavor = "multi_thread")]
async fn each_role_reads_its_own_words() {
    let app = TestApp::start().await;
    let parent = app.as_user("parent.a1").await;
    let (_, portal) = app.get(&parent, "/").await;
    assert!(
        portal.contains("Écrire aux enseignants de vos enfants"),
        "{portal}"
    );
    assert!(portal.contains("ceux des établissements de vos enfants"));
    for wrong in ["vos classes", "Écrire à vos enseignants", "Mes classes"] {
        assert!(!portal.contains(wrong), "parent portal: {wrong}");
    }
    let (_, documents) = app.get(&parent, "/documents").await;
    assert!(
        documents.contains("Espaces des établissements de mes enfants"),
        "{documents}"
    );
    assert!(!documents.contains("mes classes"), "{documents}");

    let pupil = app.as_user("eleve.a1").await;
    let (_, portal) = app.get(&pupil, "/").await;
    assert!(portal.contains("Écrire à vos enseignants"), "{portal}");
    assert!(!portal.contains("vos enfants"));
    let (_, documents) = app.get(&pupil, "/documents").await;
    assert!(documents.contains("Espaces de mes classes et établissements"));

    let teacher = app.as_user("prof.a").await;
    let (_, documents) = app.get(&teacher, "/documents").await;
    assert!(documents.contains("où j’enseigne"), "{documents}");
    let (_, portal) = app.get(&teacher, "/").await;
    assert!(!portal.contains("vos enfants"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_report_mail_is_offered_to_administrators_only() {
    let app = TestApp::start().await;
    let field = r#"name="signalements""#;
    for login in ["eleve.a1", "parent.a1", "prof.a"] {
        let client = app.as_user(login).await;
        let (status, html) = app.get(&client, "/profil/notifications").await;
        assert_eq!(status, 200);
        assert!(!html.contains(field), "{login} is offered the report mail");
        assert!(!html.contains("signalé"), "{login}");
    }
    let admin = app.as_user("admin.a").await;
    let (_, html) = app.get(&admin, "/profil/notifications").await;
    assert!(html.contains(field));

    // A pupil's own form saves; a forged one asking for the reports is refused, nothing saved.
    let pupil = app.as_user("eleve.a1").await;
    let me = app.school.id("eleve.a1");
    let (status, location, _) = app
        .post_form(&pupil, "/profil/notifications", &[("messages", "1")])
        .await;
    assert_eq!(status, 303, "{location}");
    let saved = || {
        app.state
            .store
            .read()
            .unwrap()
            .get(&NOTIFICATION_PREFS, &me)
            .unwrap()
            .unwrap()
    };
    let before = saved();
    let (status, _, html) = app
        .post_form(
            &pupil,
            "/profil/notifications",
            &[("messages", "1"), ("signalements", "1"), ("resume", "1")],
        )
        .await;
    assert_eq!(status, 403);
    assert!(
        html.contains("Seuls les administrateurs de l’établissement reçoivent les signalements"),
        "{html}"
    );
    assert_eq!(saved(), before, "nothing of the forged form is kept");

    // An administrator chooses it.
    let (status, _, _) = app
        .post_form(&admin, "/profil/notifications", &[("messages", "1")])
        .await;
    assert_eq!(status, 303);
    let (_, html) = app.get(&admin, "/profil/notifications").await;
    assert!(!html.contains(r#"name="signalements" type="checkbox" value="1" checked"#));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_page_says_its_kind_in_words() {
    let app = TestApp::start().await;
    let pupil = app.as_user("eleve.a1").await;
    let csrf = app.csrf(&pupil).await;
    let slug = format!("perso-{}", app.school.id("eleve.a1").0);
    let form = crate::common::multipart(
        &[],
        &[(
            "fichiers",
            "notes.txt",
            "text/plain; charset=utf-8",
            b"des notes".to_vec(),
        )],
    );
    let r = pupil
        .post(app.url(&format!("/documents/{slug}/fichiers?dossier=&_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let (_, listing) = app.get(&pupil, &format!("/documents/{slug}")).await;
    let start = listing.find("/documents/fichier/").expect("the file") + 19;
    let id: String = listing[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let (status, html) = app.get(&pupil, &format!("/documents/fichier/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("<dd>Texte</dd>"), "{html}");
    assert!(!html.contains("text/plain"), "{html}");
    assert!(!listing.contains("text/plain"), "{listing}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pupil_is_told_tu_at_activation_and_a_parent_vous() {
    let app = TestApp::start().await;
    let (pupil, parent) = add_pending_family(&app);
    for (person, expected, wrong) in [
        (pupil, "Choisis ton mot de passe personnel", "Choisissez"),
        (
            parent,
            "Choisissez votre mot de passe personnel",
            "Choisis ton",
        ),
    ] {
        let login = login_of(&app, person);
        let code = issue_code(&app, person);
        let client = app.client();
        let (status, html) = app.get(&client, "/activation").await;
        assert_eq!(status, 200);
        for neither in ["Saisis", "Saisissez", " tu ", " vous "] {
            assert!(
                !main_part(&html).contains(neither),
                "the first step does not know its reader yet: {neither}"
            );
        }
        let r = app
            .post_with_csrf(
                &client,
                "/activation",
                &csrf_of(&html),
                &[("identifiant", login.as_str()), ("code", code.as_str())],
            )
            .await;
        assert_eq!(r.status(), 303);
        let (status, html) = app.get(&client, "/activation/mot-de-passe").await;
        assert_eq!(status, 200);
        assert!(html.contains(expected), "{html}");
        assert!(!html.contains(wrong), "{html}");
        if person == pupil {
            assert!(html.contains("Étape 2 sur 3 : ton mot de passe"), "{html}");
            // The reasons a password is refused speak to nobody in particular: never « vous »
            // to a pupil.
            let bad_ones = [format!("{login} {login}"), "motdepasse123".to_owned()];
            for bad in &bad_ones {
                let r = app
                    .post_with_csrf(
                        &client,
                        "/activation/mot-de-passe",
                        &csrf_of(&html),
                        &[("nouveau", bad.as_str()), ("confirmation", bad.as_str())],
                    )
                    .await;
                assert_eq!(r.status(), 422);
                let refused = r.text().await.unwrap();
                let main = main_part(&refused).to_lowercase();
                assert!(main.contains("mot de passe"), "{refused}");
                for word in ["vous", "votre", "choisissez"] {
                    assert!(!main.contains(word), "{word} said to a pupil: {refused}");
                }
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_parent_sees_their_childs_class_with_its_teachers_not_the_classmates() {
    let app = TestApp::start().await;
    name_head_teacher(&app);
    let s = app.school.clone();
    let parent = app.as_user("parent.a1").await;

    // The link on the child's page leads to the class.
    let (status, child) = app
        .get(&parent, &format!("/personnes/{}", s.id("eleve.a1")))
        .await;
    assert_eq!(status, 200);
    let link = format!("/classes/{}", s.class_5a);
    assert!(child.contains(&link), "{child}");
    assert!(child.contains("Élève de 5A — Collège Test A"), "{child}");
    let (status, html) = app.get(&parent, &link).await;
    assert_eq!(status, 200, "{html}");
    let page = main_part(&html);
    assert!(page.contains("Classe 5A"), "{page}");
    assert!(page.contains("Collège Test A"));
    assert!(page.contains("Professeur principal"));
    assert!(page.contains("Paul PROFA"), "{page}");
    assert!(page.contains("Mathématiques"));
    // Not the classmates, not even the child; the teachers' pages are not the parent's.
    for hidden in ["Zoé DURAND", "Léa ÉLÈVE", "liste-eleves", "élèves"] {
        assert!(!page.contains(hidden), "{hidden}: {page}");
    }
    assert!(!page.contains(&format!("/personnes/{}", s.id("prof.a"))));
    // The other child's class, in the other establishment.
    let (status, html) = app
        .get(&parent, &format!("/classes/{}", s.class_2nde))
        .await;
    assert_eq!(status, 200);
    assert!(main_part(&html).contains("Camille PROFC"));

    // Another class answers exactly like an unknown one, here and in an establishment of
    // their own.
    let elsewhere = tokio::task::block_in_place(|| {
        app.state
            .store
            .write(|tx| {
                use cartable::domain::directory::service;
                let e = service::create_establishment(
                    tx,
                    Establishment {
                        uai: "0639993C".into(),
                        name: "Collège Ailleurs".into(),
                        kind: EstablishmentKind::College,
                        town: "Ambert".into(),
                        academie: "Clermont-Ferrand".into(),
                    },
                )?;
                service::create_class(
                    tx,
                    Class {
                        establishment: e,
                        year: SchoolYear(2026),
                        name: "4C".into(),
                        level: "4e".into(),
                        head_teacher: None,
                    },
                )
            })
            .unwrap()
    });
    let (status, unknown) = app.get(&parent, "/classes/999999").await;
    assert_eq!(status, 404);
    for class in [s.class_5b, elsewhere] {
        let (status, html) = app.get(&parent, &format!("/classes/{class}")).await;
        assert_eq!(status, 404);
        assert_eq!(main_part(&html), main_part(&unknown), "{class}");
    }

    // A pupil sees their class whole: the team and the classmates, with links.
    let pupil = app.as_user("eleve.a1").await;
    let (status, html) = app.get(&pupil, &link).await;
    assert_eq!(status, 200);
    let page = main_part(&html);
    assert!(
        page.contains("Zoé DURAND") && page.contains("Paul PROFA"),
        "{page}"
    );
    assert!(page.contains(&format!("/personnes/{}", s.id("prof.a"))));
    assert!(page.contains("2 élèves"), "{page}");
}

#[tokio::test(flavor = "multi_thread")]
async fn search_results_say_who_people_are_as_their_page_would() {
    let app = TestApp::start().await;
    search_caught_up(&app).await;
    // A teacher of Léa sees her mother as « Parent de Léa (5A) », not Tom, whom they do not
    // teach.
    let teacher = app.as_user("prof.a").await;
    let (status, html) = app.get(&teacher, "/recherche?q=nathalie").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Parent de Léa (5A) — Collège Test A"),
        "{html}"
    );
    assert!(!html.contains("Tom"), "{html}");
    // A pupil sees their teacher's subject.
    let pupil = app.as_user("eleve.a1").await;
    let (_, html) = app.get(&pupil, "/recherche?q=profa").await;
    assert!(
        html.contains("Professeur de mathématiques — Collège Test A"),
        "{html}"
    );
    // Léa sees her mother, but not her brother's class in the other school.
    let (_, html) = app.get(&pupil, "/recherche?q=nathalie").await;
    assert!(html.contains("Parent de Léa (5A)"), "{html}");
    assert!(!html.contains("Tom") && !html.contains("2nde1"), "{html}");
    // A classmate may not see Léa's mother: no result, so no profile.
    let other = app.as_user("eleve.a2").await;
    let (_, html) = app.get(&other, "/recherche?q=nathalie").await;
    assert!(!html.contains("Parent de"), "{html}");
    // Staff: the class of each pupil.
    let cpe = app.as_user("cpe.a").await;
    let (_, html) = app.get(&cpe, "/recherche?q=bernard").await;
    assert!(html.contains("Élève de 5B — Collège Test A"), "{html}");
    // The API says the same.
    let r = teacher
        .get(app.url("/api/v1/search?q=nathalie"))
        .send()
        .await
        .unwrap();
    let json: serde_json::Value = r.json().await.unwrap();
    let profile = json["results"][0]["profile"].as_str().unwrap_or_default();
    assert!(
        profile.starts_with("Parent de Léa (5A) — Collège Test A"),
        "{json}"
    );
    assert!(!profile.contains("Tom"), "{json}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_search_date_that_does_not_read_is_named_and_nothing_typed_is_lost() {
    let app = TestApp::start().await;
    let pupil = app.as_user("eleve.a1").await;
    let (status, html) = app
        .get(
            &pupil,
            "/recherche?q=volcan&type=document&depuis=31/02/2026&jusqua=hier&proprietaire=moi",
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("« Depuis le » : cette date ne se lit pas. Écrivez-la au format JJ/MM/AAAA"),
        "{html}"
    );
    assert!(
        html.contains("« Jusqu’au » : cette date ne se lit pas"),
        "{html}"
    );
    assert!(html.contains(r#"value="volcan""#), "{html}");
    assert!(html.contains(r#"value="31/02/2026""#), "{html}");
    assert!(
        html.contains(r#"<option value="document" selected>"#),
        "{html}"
    );
    assert!(html.contains(r#"<option value="moi" selected>"#), "{html}");
    // An end before the start says so.
    let (status, html) = app
        .get(
            &pupil,
            "/recherche?q=volcan&depuis=2026-09-15&jusqua=2026-09-01",
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("« Jusqu’au » est avant « Depuis le »"),
        "{html}"
    );
}
