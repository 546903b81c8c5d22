//! Activation (issue 5 §4, §5): credential letters with one-time codes, the first sign-in
//! (code → password → charter → portal), codes that work once, expire and are throttled, the
//! charter edited by the administrator and accepted again, password recovery by mail.

use std::process::Command;

use cartable::domain::activation::codes::{self, CodeReason};
use cartable::domain::directory::service::{self, NewPerson};
use cartable::model::directory::*;
use cartable::store::tables::{CHARTER_ACCEPTANCES, MAIL_QUEUE, PEOPLE};

use crate::common::app::{TestApp, csrf_of};
use crate::common::school::PASSWORD;

pub const NEW_PASSWORD: &str = "cheval agrafe batterie correcte";

/// Adds a pending pupil "Zoé ATTENTE" in 5A with a pending parent "Hugo ATTENTE"; returns
/// their ids.
pub fn add_pending_family(app: &TestApp) -> (PersonId, PersonId) {
    let s = app.school.clone();
    tokio::task::block_in_place(|| {
        app.state
            .store
            .write(|tx| {
                let pupil = service::create_person(
                    tx,
                    NewPerson {
                        first_name: "Zoé".into(),
                        last_name: "Attente".into(),
                        birth_date: Some(jiff::civil::date(2014, 3, 2)),
                        national_ids: vec![],
                        email: None,
                    },
                )?;
                service::ensure_profile(tx, pupil, s.college, Role::Eleve)?;
                service::enrol_in_class(tx, pupil, s.class_5a)?;
                let parent = service::create_person(
                    tx,
                    NewPerson {
                        first_name: "Hugo".into(),
                        last_name: "Attente".into(),
                        birth_date: None,
                        national_ids: vec![],
                        email: Some("hugo.attente@parents.example".into()),
                    },
                )?;
                service::ensure_profile(tx, parent, s.college, Role::Parent)?;
                service::link_parent(
                    tx,
                    parent,
                    pupil,
                    ParentLink {
                        relation: Relation::Pere,
                        parental_authority: true,
                        receives_mail: true,
                    },
                )?;
                Ok::<_, cartable::domain::directory::DirectoryError>((pupil, parent))
            })
            .unwrap()
    })
}

pub fn login_of(app: &TestApp, id: PersonId) -> String {
    app.state
        .store
        .read()
        .unwrap()
        .get(&PEOPLE, &id)
        .unwrap()
        .unwrap()
        .login
}

/// A code made directly in the store (the letters are tested on their own).
pub fn issue_code(app: &TestApp, id: PersonId) -> String {
    let now = app.clock_now();
    tokio::task::block_in_place(|| {
        app.state
            .store
            .write(|tx| {
                codes::issue_in(
                    tx,
                    id,
                    now,
                    std::time::Duration::from_secs(30 * 86_400),
                    CodeReason::Letter,
                )
            })
            .unwrap()
            .0
    })
}

trait Now {
    fn clock_now(&self) -> jiff::Timestamp;
}

impl Now for TestApp {
    fn clock_now(&self) -> jiff::Timestamp {
        use cartable::clock::Clock;
        self.clock.now()
    }
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_owned()
}

/// Step 1 on `/activation`; returns the client (holding the ticket) and the response.
async fn submit_code(
    app: &TestApp,
    login: &str,
    code: &str,
) -> (reqwest::Client, reqwest::Response) {
    let client = app.client();
    let (status, html) = app.get(&client, "/activation").await;
    assert_eq!(status, 200);
    let csrf = csrf_of(&html);
    let r = app
        .post_with_csrf(
            &client,
            "/activation",
            &csrf,
            &[("identifiant", login), ("code", code)],
        )
        .await;
    (client, r)
}

/// The whole first sign-in through the pages; returns the signed-in client.
pub async fn activate(app: &TestApp, login: &str, code: &str) -> reqwest::Client {
    let (client, r) = submit_code(app, login, code).await;
    assert_eq!(r.status(), 303, "{login}: {}", r.text().await.unwrap());
    finish_activation(app, client, r).await
}

/// Steps 2 and 3 after a successful step 1 (`r` redirects to the password step).
pub async fn finish_activation(
    app: &TestApp,
    client: reqwest::Client,
    r: reqwest::Response,
) -> reqwest::Client {
    assert_eq!(location(&r), "/activation/mot-de-passe");
    let (status, html) = app.get(&client, "/activation/mot-de-passe").await;
    assert_eq!(status, 200);
    let csrf = csrf_of(&html);
    let r = app
        .post_with_csrf(
            &client,
            "/activation/mot-de-passe",
            &csrf,
            &[("nouveau", NEW_PASSWORD), ("confirmation", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), 303);
    if location(&r) == "/activation/charte" {
        let (status, html) = app.get(&client, "/activation/charte").await;
        assert_eq!(status, 200);
        let csrf = csrf_of(&html);
        let versions = value_of(&html, "versions");
        let r = app
            .post_with_csrf(
                &client,
                "/activation/charte",
                &csrf,
                &[("versions", versions.as_str()), ("accepte", "1")],
            )
            .await;
        assert_eq!(r.status(), 303);
        assert_eq!(location(&r), "/");
    } else {
        assert_eq!(location(&r), "/");
    }
    assert_eq!(app.get(&client, "/").await.0, 200, "signed in");
    client
}

fn value_of(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).expect("the field") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_family_activates_through_code_password_and_charter_and_the_code_works_once() {
    let app = TestApp::start().await;
    let (pupil, _) = add_pending_family(&app);
    let login = login_of(&app, pupil);
    let code = issue_code(&app, pupil);
    // The code is typed in groups, in lower case: still the code.
    let grouped = format!("{}-{} {}", &code[..4], &code[4..8], &code[8..]).to_lowercase();
    let (client, r) = submit_code(&app, &login, &grouped).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/activation/mot-de-passe");
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("__Host-cartable-activation=") && cookie.contains("HttpOnly"));

    // Step 2: bad passwords are refused with the reason, nothing changes.
    let (status, html) = app.get(&client, "/activation/mot-de-passe").await;
    assert_eq!(status, 200);
    assert!(html.contains("Bonjour Zoé"), "{html}");
    assert!(html.contains("Étape 2 sur 3"));
    let csrf = csrf_of(&html);
    for (new, confirmation, expected) in [
        ("court", "court", "12"),
        (NEW_PASSWORD, "autre chose encore", "une seconde fois"),
    ] {
        let r = app
            .post_with_csrf(
                &client,
                "/activation/mot-de-passe",
                &csrf,
                &[("nouveau", new), ("confirmation", confirmation)],
            )
            .await;
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains("aria-invalid=\"true\""), "{expected}");
    }
    let p = app
        .state
        .store
        .read()
        .unwrap()
        .get(&PEOPLE, &pupil)
        .unwrap()
        .unwrap();
    assert_eq!(p.state, AccountState::Pending);
    assert!(p.password_hash.is_none());

    let r = app
        .post_with_csrf(
            &client,
            "/activation/mot-de-passe",
            &csrf,
            &[("nouveau", NEW_PASSWORD), ("confirmation", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/activation/charte");

    // Step 3: the charter must be ticked.
    let (status, html) = app.get(&client, "/activation/charte").await;
    assert_eq!(status, 200);
    assert!(html.contains("Collège Test A") && html.contains("Charte d’utilisation"));
    assert!(html.contains("Mon compte est personnel"));
    let csrf = csrf_of(&html);
    let versions = value_of(&html, "versions");
    let r = app
        .post_with_csrf(
            &client,
            "/activation/charte",
            &csrf,
            &[("versions", versions.as_str())],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("La case doit être cochée"));
    assert_eq!(
        app.state
            .store
            .read()
            .unwrap()
            .get(&PEOPLE, &pupil)
            .unwrap()
            .unwrap()
            .state,
        AccountState::Pending
    );
    let r = app
        .post_with_csrf(
            &client,
            "/activation/charte",
            &csrf,
            &[("versions", versions.as_str()), ("accepte", "1")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/");
    let (status, portal) = app.get(&client, "/").await;
    assert_eq!(status, 200);
    assert!(portal.contains("Bonjour Zoé"));

    // The account is active with the new password; the acceptance is recorded with its time.
    let read = app.state.store.read().unwrap();
    let p = read.get(&PEOPLE, &pupil).unwrap().unwrap();
    assert_eq!(p.state, AccountState::Active);
    let accepted = read
        .get(&CHARTER_ACCEPTANCES, &(pupil, app.school.college))
        .unwrap()
        .unwrap();
    assert_eq!(accepted.version, 0);
    assert_eq!(accepted.at, app.clock_now());
    assert!(
        codes::current(&read, pupil).unwrap().is_none(),
        "the code is spent"
    );
    drop(read);
    let _ = app.as_user_with(&login, NEW_PASSWORD).await;

    // The code works once.
    let (_, r) = submit_code(&app, &login, &code).await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Identifiant ou code incorrect")
    );

    // The journal tells the story, never the code.
    let admin = app.as_user("admin.a").await;
    let (_, log) = app
        .get(
            &admin,
            &format!(
                "/admin/etablissements/{}/journal?personne={login}",
                app.school.college
            ),
        )
        .await;
    assert!(
        log.contains("Compte activé") && log.contains("Charte acceptée"),
        "{log}"
    );
    assert!(!log.contains(&code));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_code_typed_on_the_sign_in_page_leads_to_the_activation() {
    let app = TestApp::start().await;
    let (pupil, _) = add_pending_family(&app);
    let login = login_of(&app, pupil);
    let code = issue_code(&app, pupil);
    let (client, r) = app.sign_in_with(&login, &code).await;
    assert_eq!(r.status(), 303);
    let client = finish_activation(&app, client, r).await;
    assert_eq!(app.get(&client, "/profil").await.0, 200);
    // A pending account without its code answers like any wrong password (issue 12 §8: "not
    // activated yet" to any password told that the account exists).
    let (_, parent) = (pupil, login_of(&app, add_pending_family(&app).1));
    let (_, r) = app
        .sign_in_with(&parent, "un mot de passe quelconque")
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Identifiant ou mot de passe incorrect.")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn codes_expire_and_wrong_codes_are_throttled_like_passwords() {
    let app = TestApp::start().await;
    let (pupil, parent) = add_pending_family(&app);
    let login = login_of(&app, pupil);
    let code = issue_code(&app, pupil);
    app.clock
        .advance(std::time::Duration::from_secs(31 * 86_400));
    let (_, r) = submit_code(&app, &login, &code).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("a expiré"));

    // Wrong codes: five are free, then the account must wait, even with the right code.
    let parent_login = login_of(&app, parent);
    let right = issue_code(&app, parent);
    for _ in 0..5 {
        let (_, r) = submit_code(&app, &parent_login, "ABCD-EFGH-JKMN").await;
        assert_eq!(r.status(), 422);
    }
    let (_, r) = submit_code(&app, &parent_login, &right).await;
    assert_eq!(r.status(), 429);
    assert!(r.text().await.unwrap().contains("Trop de tentatives"));
    app.clock.advance(std::time::Duration::from_secs(60));
    let client = activate(&app, &parent_login, &right).await;
    assert_eq!(app.get(&client, "/").await.0, 200);

    // Bad input: empty fields, nonsense, an unknown login.
    for (l, c) in [
        ("", ""),
        (parent_login.as_str(), ""),
        ("personne.inconnue", "ABCDEFGHJKMN"),
    ] {
        let (_, r) = submit_code(&app, l, c).await;
        assert_eq!(r.status(), 422, "{l:?} {c:?}");
    }
    // A stale or forged ticket sends back to step 1.
    let client = app.client();
    let r = client
        .get(app.url("/activation/mot-de-passe"))
        .header(
            "cookie",
            "__Host-cartable-activation=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/activation?reprendre=1");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_code_cancels_an_activation_in_progress() {
    let app = TestApp::start().await;
    let (pupil, _) = add_pending_family(&app);
    let login = login_of(&app, pupil);
    let first = issue_code(&app, pupil);
    let (client, r) = submit_code(&app, &login, &first).await;
    assert_eq!(r.status(), 303);
    let _second = issue_code(&app, pupil);
    let r = client
        .get(app.url("/activation/mot-de-passe"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "the ticket of the old code is gone");
    let (_, r) = submit_code(&app, &login, &first).await;
    assert_eq!(r.status(), 422);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reset_code_makes_the_person_choose_a_new_password() {
    let app = TestApp::start().await;
    let target = app.school.id("eleve.a2");
    let victim = app.as_user("eleve.a2").await;
    let admin = app.as_user("admin.a").await;
    let (_, html) = app.get(&admin, &format!("/admin/personnes/{target}")).await;
    let csrf = csrf_of(&html);
    let r = app
        .post_with_csrf(
            &admin,
            &format!("/admin/personnes/{target}/mot-de-passe"),
            &csrf,
            &[],
        )
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    let start = html.find("id=\"code-unique\">").unwrap() + 17;
    let code = html[start..].split('<').next().unwrap().to_owned();
    assert_eq!(code.len(), 14, "grouped: {code}");
    assert_eq!(app.get(&victim, "/").await.0, 303, "their sessions ended");
    let (_, r) = app.sign_in_with("eleve.a2", PASSWORD).await;
    assert_eq!(r.status(), 422, "the old password no longer works");
    let (client, r) = app.sign_in_with("eleve.a2", &code).await;
    assert_eq!(r.status(), 303);
    let _ = finish_activation(&app, client, r).await;
    let _ = app.as_user_with("eleve.a2", NEW_PASSWORD).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_admin_edits_the_charter_and_everyone_accepts_it_again() {
    let app = TestApp::start().await;
    let college = app.school.college;
    let path = format!("/admin/etablissements/{college}/charte");
    let admin = app.as_user("admin.a").await;
    let (status, html) = app.get(&admin, &path).await;
    assert_eq!(status, 200);
    assert!(html.contains("Charte par défaut"));
    let csrf = csrf_of(&html);
    // Bad input: empty, too long.
    let long = "a".repeat(20_001);
    for text in ["   ", long.as_str()] {
        let r = app
            .post_with_csrf(&admin, &path, &csrf, &[("texte", text)])
            .await;
        assert_eq!(r.status(), 422);
    }
    assert!(app.get(&admin, &path).await.1.contains("Charte par défaut"));
    let r = app
        .post_with_csrf(
            &admin,
            &path,
            &csrf,
            &[(
                "texte",
                "Règle 1 : le respect.\n\nRègle 2 : <b>pas de HTML</b>.",
            )],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = app.get(&admin, &format!("{path}?fait=1")).await;
    assert!(html.contains("Version 1"));

    // A pupil of the collège must accept it before the portal; the lycée's are not stopped.
    let pupil = app.as_user("eleve.a1").await;
    let r = pupil.get(app.url("/")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/charte");
    let (status, html) = app.get(&pupil, "/charte").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Règle 2 : &#60;b&#62;pas de HTML&#60;/b&#62;."),
        "escaped: {html}"
    );
    let csrf = csrf_of(&html);
    let versions = value_of(&html, "versions");
    let r = app
        .post_with_csrf(&pupil, "/charte", &csrf, &[("versions", versions.as_str())])
        .await;
    assert_eq!(r.status(), 422);
    let r = app
        .post_with_csrf(
            &pupil,
            "/charte",
            &csrf,
            &[("versions", versions.as_str()), ("accepte", "1")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(app.get(&pupil, "/").await.0, 200);
    let lycee = app.as_user("eleve.c1").await;
    assert_eq!(app.get(&lycee, "/").await.0, 200);

    // Nobody else edits the collège's charter.
    for login in ["admin.b", "prof.a", "parent.a1", "eleve.a1"] {
        let client = app.as_user(login).await;
        let (status, html) = app.get(&client, &path).await;
        assert_eq!(status, 404, "{login}");
        let _ = html;
        let (_, home) = app.get(&client, "/profil").await;
        let csrf = csrf_of(&home);
        let r = app
            .post_with_csrf(&client, &path, &csrf, &[("texte", "piratée")])
            .await;
        assert_eq!(r.status(), 404, "{login}");
    }
    let (_, html) = app.get(&admin, &path).await;
    assert!(html.contains("Règle 1"));
}

#[tokio::test(flavor = "multi_thread")]
async fn letters_print_pending_accounts_with_new_codes_that_activate() {
    let app = TestApp::start().await;
    let (pupil, parent) = add_pending_family(&app);
    let pupil_login = login_of(&app, pupil);
    let parent_login = login_of(&app, parent);
    let college = app.school.college;
    let admin = app.as_user("admin.a").await;
    let page = format!("/admin/etablissements/{college}/courriers");
    let (status, html) = app.get(&admin, &page).await;
    assert_eq!(status, 200);
    assert!(html.contains("2 comptes attendent leur courrier"), "{html}");
    let csrf = csrf_of(&html);
    let r = app
        .post_with_csrf(
            &admin,
            &page,
            &csrf,
            &[("classe", &app.school.class_5a.0.to_string())],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"courriers-5A.pdf\"")
    );
    assert_eq!(r.headers()["cache-control"], "no-store");
    let pdf = r.bytes().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("courriers.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let text = pdftotext(&file);
    assert!(
        text.contains(&pupil_login) && text.contains(&parent_login),
        "{text}"
    );
    assert!(text.contains("Zoé ATTENTE") && text.contains("Élève de 5A"));
    assert!(!text.contains("eleve.a1"), "active accounts get no letter");
    let png = Command::new("pdftoppm")
        .args(["-r", "30", "-png"])
        .arg(&file)
        .arg(dir.path().join("page"))
        .output()
        .unwrap();
    assert!(
        png.status.success(),
        "{}",
        String::from_utf8_lossy(&png.stderr)
    );

    // The code printed for each person activates their account.
    let codes = codes_in(&text);
    assert_eq!(codes.len(), 2, "{text}");
    let client = activate(&app, &pupil_login, &codes[0]).await;
    assert_eq!(app.get(&client, "/").await.0, 200);
    let client = activate(&app, &parent_login, &codes[1]).await;
    assert_eq!(app.get(&client, "/").await.0, 200);

    // Nothing left to print; the person page of an active account offers no letter.
    let r = app
        .post_with_csrf(&admin, &page, &csrf, &[("classe", "")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Aucun compte à activer"));
    let r = app
        .post_with_csrf(
            &admin,
            &format!("/admin/personnes/{pupil}/courrier"),
            &csrf,
            &[],
        )
        .await;
    assert_eq!(r.status(), 422);

    // The journal counts the letters, without codes.
    let (_, log) = app
        .get(
            &admin,
            &format!("/admin/etablissements/{college}/journal?action=courrier"),
        )
        .await;
    assert!(log.contains("Courrier d’activation imprimé"));
    assert!(!log.contains(&codes[0]));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_person_letter_replaces_the_earlier_code() {
    let app = TestApp::start().await;
    let (pupil, _) = add_pending_family(&app);
    let login = login_of(&app, pupil);
    let old = issue_code(&app, pupil);
    let admin = app.as_user("admin.a").await;
    let (_, html) = app.get(&admin, &format!("/admin/personnes/{pupil}")).await;
    assert!(html.contains(&format!("/admin/personnes/{pupil}/courrier")));
    let csrf = csrf_of(&html);
    let r = app
        .post_with_csrf(
            &admin,
            &format!("/admin/personnes/{pupil}/courrier"),
            &csrf,
            &[],
        )
        .await;
    assert_eq!(r.status(), 200);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("un.pdf");
    std::fs::write(&file, r.bytes().await.unwrap()).unwrap();
    let new = codes_in(&pdftotext(&file));
    assert_eq!(new.len(), 1);
    let (_, r) = submit_code(&app, &login, &old).await;
    assert_eq!(r.status(), 422, "the old code no longer works");
    let _ = activate(&app, &login, &new[0]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn letters_are_for_the_establishment_admin_only() {
    let app = TestApp::start().await;
    let (pupil, _) = add_pending_family(&app);
    let college = app.school.college;
    for login in ["admin.b", "prof.a", "parent.a1", "eleve.a1", "cpe.a"] {
        let client = app.as_user(login).await;
        let page = format!("/admin/etablissements/{college}/courriers");
        assert_eq!(app.get(&client, &page).await.0, 404, "{login}");
        let (_, html) = app.get(&client, "/profil").await;
        let csrf = csrf_of(&html);
        let r = app
            .post_with_csrf(&client, &page, &csrf, &[("classe", "")])
            .await;
        assert_eq!(r.status(), 404, "{login}");
        let r = app
            .post_with_csrf(
                &client,
                &format!("/admin/personnes/{pupil}/courrier"),
                &csrf,
                &[],
            )
            .await;
        assert_eq!(r.status(), 404, "{login}");
    }
    // A class of another establishment, or nonsense, is not found.
    let admin = app.as_user("admin.a").await;
    let (_, html) = app.get(&admin, "/admin").await;
    let csrf = csrf_of(&html);
    let page = format!("/admin/etablissements/{college}/courriers");
    for class in [
        app.school.class_2nde.0.to_string(),
        "abc".into(),
        "999999".into(),
    ] {
        let r = app
            .post_with_csrf(&admin, &page, &csrf, &[("classe", class.as_str())])
            .await;
        assert_eq!(r.status(), 404, "{class}");
    }
    assert!(
        codes::current(&app.state.store.read().unwrap(), pupil)
            .unwrap()
            .is_none()
    );
    // The platform administrator may.
    let platform = app.as_user("plateforme").await;
    assert_eq!(app.get(&platform, &page).await.0, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_adult_with_an_address_recovers_by_a_single_use_link() {
    let app = TestApp::start().await;
    let parent = app.school.id("parent.a1");
    tokio::task::block_in_place(|| {
        app.state
            .store
            .write(|tx| {
                let mut p = tx.get(&PEOPLE, &parent)?.unwrap();
                p.email = Some("parent.a1@parents.example".into());
                service::update_person(tx, parent, &p)
            })
            .unwrap()
    });
    let ask = |login: &'static str| {
        let app = &app;
        async move {
            let client = app.client();
            let (_, html) = app.get(&client, "/mot-de-passe-oublie").await;
            let csrf = csrf_of(&html);
            let r = app
                .post_with_csrf(
                    &client,
                    "/mot-de-passe-oublie",
                    &csrf,
                    &[("identifiant", login)],
                )
                .await;
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    // The same answer for an adult with an address, a pupil, and nobody.
    let (status, answer) = ask("parent.a1").await;
    assert_eq!(status, 200);
    assert!(answer.contains("id=\"oubli-envoye\""));
    for login in ["eleve.a1", "personne.inconnue", "prof.a"] {
        let (status, other) = ask(login).await;
        assert_eq!(status, 200);
        assert!(other.contains("id=\"oubli-envoye\""), "{login}");
    }
    let (status, _) = ask("").await;
    assert_eq!(status, 422);
    // One mail queued, for the parent only, with the link.
    let mails: Vec<_> = app
        .state
        .store
        .read()
        .unwrap()
        .range(&MAIL_QUEUE, ..)
        .unwrap()
        .map(|r| r.unwrap().1)
        .collect();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, "parent.a1@parents.example");
    let body = &mails[0].body;
    let start = body.find("/mot-de-passe-oublie/").unwrap();
    let link = body[start..].split_whitespace().next().unwrap().to_owned();
    let token = link.trim_start_matches("/mot-de-passe-oublie/").to_owned();
    // The admin sees the queue, never the link.
    let admin = app.as_user("admin.a").await;
    let (status, queue) = app.get(&admin, "/admin/courriels").await;
    assert_eq!(status, 200);
    assert!(queue.contains("parent.a1@parents.example"));
    assert!(!queue.contains(&token));
    let prof = app.as_user("prof.a").await;
    assert_eq!(app.get(&prof, "/admin/courriels").await.0, 404);

    // The link: a form, then the new password; the old one and the link stop working.
    let session = app.as_user("parent.a1").await;
    let client = app.client();
    let (status, html) = app.get(&client, &link).await;
    assert_eq!(status, 200);
    assert!(html.contains("parent.a1"));
    let csrf = csrf_of(&html);
    let r = app
        .post_with_csrf(
            &client,
            &link,
            &csrf,
            &[("nouveau", "court"), ("confirmation", "court")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = app
        .post_with_csrf(
            &client,
            &link,
            &csrf,
            &[("nouveau", NEW_PASSWORD), ("confirmation", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/connexion?mdp=1");
    assert_eq!(app.get(&session, "/").await.0, 303, "other sessions ended");
    let (_, r) = app.sign_in_with("parent.a1", PASSWORD).await;
    assert_eq!(r.status(), 422);
    let _ = app.as_user_with("parent.a1", NEW_PASSWORD).await;
    assert_eq!(app.get(&client, &link).await.0, 410, "single use");
    assert_eq!(
        app.get(&client, "/mot-de-passe-oublie/nimportequoi")
            .await
            .0,
        410
    );

    // A link expires.
    let (_, _) = ask("parent.a1").await;
    let mails: Vec<_> = app
        .state
        .store
        .read()
        .unwrap()
        .range(&MAIL_QUEUE, ..)
        .unwrap()
        .map(|r| r.unwrap().1)
        .collect();
    let body = &mails.last().unwrap().body;
    let start = body.find("/mot-de-passe-oublie/").unwrap();
    let link = body[start..].split_whitespace().next().unwrap().to_owned();
    app.clock.advance(std::time::Duration::from_secs(31 * 60));
    assert_eq!(app.get(&client, &link).await.0, 410);
}

#[tokio::test(flavor = "multi_thread")]
async fn recovery_requests_are_throttled() {
    let app = TestApp::start().await;
    let client = app.client();
    let (_, html) = app.get(&client, "/mot-de-passe-oublie").await;
    let csrf = csrf_of(&html);
    let mut statuses = Vec::new();
    for _ in 0..7 {
        let r = app
            .post_with_csrf(
                &client,
                "/mot-de-passe-oublie",
                &csrf,
                &[("identifiant", "parent.a1")],
            )
            .await;
        statuses.push(r.status().as_u16());
    }
    assert_eq!(&statuses[..5], &[200; 5]);
    assert_eq!(statuses[6], 429, "{statuses:?}");
}

fn pdftotext(file: &std::path::Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/test");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// The grouped codes printed in a letters PDF, in page order.
fn codes_in(text: &str) -> Vec<String> {
    let alphabet = codes::CODE_ALPHABET;
    let mut out = Vec::new();
    for word in text.split_whitespace() {
        let parts: Vec<&str> = word.split('-').collect();
        if parts.len() == 3
            && parts
                .iter()
                .all(|p| p.len() == 4 && p.bytes().all(|b| alphabet.contains(&b)))
        {
            out.push(word.to_owned());
        }
    }
    out
}
