//! Accounts and sign-in over real HTTPS: every role, wrong passwords, throttling, cookies,
//! rotation, expiry with the fake clock, disabled accounts, CSRF on every unsafe route, the API.

use std::time::Duration;

use cartable::model::directory::AccountState;

use crate::common::app::{TestApp, csrf_of};
use crate::common::school::{LOGINS, PASSWORD};

#[tokio::test(flavor = "multi_thread")]
async fn every_role_signs_in_sees_its_portal_and_signs_out() {
    let app = TestApp::start().await;
    for login in LOGINS {
        let client = app.as_user(login).await;
        let (status, html) = app.get(&client, "/").await;
        assert_eq!(status, 200, "{login}");
        assert!(html.contains("Bonjour "), "{login}: {html}");
        assert!(html.contains("<html lang=\"fr\">"));
        assert!(html.contains("Mon profil"), "{login}");
        // Sign out with the form's token.
        let token = csrf_of(&html);
        let out = client
            .post(app.url("/deconnexion"))
            .form(&[("_csrf", token.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(out.status(), 303);
        assert_eq!(out.headers()["location"], "/connexion");
        let (status, _) = app.get(&client, "/").await;
        assert_eq!(
            status, 303,
            "{login}: signed out, the portal sends to sign-in"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn role_specific_portals() {
    let app = TestApp::start().await;
    let (_, teacher) = app.get(&app.as_user("prof.a").await, "/").await;
    assert!(
        teacher.contains("Mes classes") && teacher.contains(">5A<"),
        "{teacher}"
    );
    assert!(!teacher.contains(">5B<"));
    let (_, pupil) = app.get(&app.as_user("eleve.a1").await, "/").await;
    assert!(pupil.contains("Ma classe"));
    let parent = app.as_user("parent.a1").await;
    let (_, html) = app.get(&parent, "/").await;
    assert!(
        html.contains("Mes enfants") && html.contains("Léa ÉLÈVE"),
        "{html}"
    );
    let (_, staff) = app.get(&app.as_user("cpe.a").await, "/").await;
    assert!(staff.contains("Classes de l’établissement") && staff.contains(">5B<"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_session_cookie_has_the_right_flags_and_a_new_token_each_sign_in() {
    let app = TestApp::start().await;
    let mut tokens = Vec::new();
    for _ in 0..2 {
        let (_, response) = app.sign_in_with("prof.a", PASSWORD).await;
        assert_eq!(response.status(), 303);
        let cookie = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .find(|c| c.starts_with("__Host-cartable="))
            .unwrap();
        for flag in ["Path=/", "Secure", "HttpOnly", "SameSite=Lax"] {
            assert!(cookie.contains(flag), "{cookie} lacks {flag}");
        }
        assert!(!cookie.contains("Domain="));
        let value = cookie.split(';').next().unwrap().to_owned();
        assert!(value.len() > 40, "256-bit token: {value}");
        tokens.push(value);
    }
    assert_ne!(tokens[0], tokens[1]);
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_credentials_get_one_clear_message_and_unknown_logins_the_same() {
    let app = TestApp::start().await;
    let (_, wrong) = app.sign_in_with("prof.a", "pas le bon mot de passe").await;
    assert_eq!(wrong.status(), 422);
    let wrong = wrong.text().await.unwrap();
    let (_, unknown) = app
        .sign_in_with("personne.inconnue", "pas le bon mot de passe")
        .await;
    assert_eq!(unknown.status(), 422);
    let unknown = unknown.text().await.unwrap();
    let message = "Identifiant ou mot de passe incorrect.";
    assert!(wrong.contains(message) && unknown.contains(message));
    assert!(wrong.contains("value=\"prof.a\""), "the login is kept");
    let (_, empty) = app.sign_in_with("", "").await;
    assert_eq!(empty.status(), 422);
    assert!(
        empty
            .text()
            .await
            .unwrap()
            .contains("Saisissez votre identifiant")
    );
    // English on request.
    let client = app.client();
    let html = client
        .get(app.url("/connexion"))
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<html lang=\"en\">") && html.contains("Sign in"));
}

#[tokio::test(flavor = "multi_thread")]
async fn repeated_failures_are_throttled_with_429_and_retry_after() {
    let app = TestApp::start().await;
    let mut last = None;
    for _ in 0..6 {
        let (_, r) = app.sign_in_with("eleve.a2", "mauvais mot de passe").await;
        last = Some(r);
    }
    let r = last.unwrap();
    assert_eq!(r.status(), 429);
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&retry));
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Trop de tentatives pour ce compte")
    );
    // Even the right password waits; after the delay it works.
    let (_, r) = app.sign_in_with("eleve.a2", PASSWORD).await;
    assert_eq!(r.status(), 429);
    app.clock.advance(Duration::from_secs(31));
    let (_, r) = app.sign_in_with("eleve.a2", PASSWORD).await;
    assert_eq!(r.status(), 303);
    // Every attempt is in the audit log, without the password.
    let read = app.state.store.read().unwrap();
    let events: Vec<_> = read
        .range(&cartable::store::tables::AUDIT, ..)
        .unwrap()
        .map(|r| r.unwrap().1)
        .collect();
    assert!(events.len() >= 8);
    let dump = format!("{events:?}");
    assert!(!dump.contains("mauvais mot de passe") && !dump.contains(PASSWORD));
}

#[tokio::test(flavor = "multi_thread")]
async fn sessions_expire_when_idle_and_absolutely() {
    let app = TestApp::start().await;
    let client = app.as_user("prof.a").await;
    app.clock.advance(Duration::from_secs(2 * 3600 - 60));
    assert_eq!(app.get(&client, "/").await.0, 200, "active within 2 h");
    app.clock.advance(Duration::from_secs(2 * 3600 + 1));
    assert_eq!(app.get(&client, "/").await.0, 303, "idle for 2 h: ended");

    let client = app.as_user("prof.a").await;
    for _ in 0..11 {
        app.clock.advance(Duration::from_secs(3600));
        assert_eq!(app.get(&client, "/").await.0, 200);
    }
    app.clock.advance(Duration::from_secs(3600));
    assert_eq!(
        app.get(&client, "/").await.0,
        303,
        "12 h after sign-in: ended"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn disabling_an_account_ends_its_sessions_and_says_so_at_sign_in() {
    let app = TestApp::start().await;
    let client = app.as_user("eleve.b1").await;
    assert_eq!(app.get(&client, "/").await.0, 200);
    let id = app.school.id("eleve.b1");
    let state = app.state.clone();
    tokio::task::spawn_blocking(move || {
        cartable::domain::accounts::changes::set_state(
            &state.store,
            id,
            AccountState::Disabled,
            &state.auth.touches,
        )
        .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(app.get(&client, "/").await.0, 303);
    let (_, r) = app.sign_in_with("eleve.b1", PASSWORD).await;
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("Ce compte est désactivé"));
}

#[tokio::test(flavor = "multi_thread")]
async fn my_sessions_lists_and_ends_other_sessions() {
    let app = TestApp::start().await;
    let first = app.as_user("cpe.a").await;
    let second = app.as_user("cpe.a").await;
    let (status, html) = app.get(&second, "/sessions").await;
    assert_eq!(status, 200);
    assert!(html.contains("Cette session"));
    let start = html.find("name=\"session\" value=\"").unwrap() + 22;
    let other = &html[start..start + 64];
    let token = csrf_of(&html);
    let r = second
        .post(app.url("/sessions/terminer"))
        .form(&[("_csrf", token.as_str()), ("session", other)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(app.get(&first, "/").await.0, 303, "the other session ended");
    assert_eq!(app.get(&second, "/").await.0, 200, "this one goes on");
    // Someone else's session id is "not found".
    let intruder = app.as_user("prof.a").await;
    let (_, html) = app.get(&intruder, "/sessions").await;
    let token = csrf_of(&html);
    let r = intruder
        .post(app.url("/sessions/terminer"))
        .form(&[("_csrf", token.as_str()), ("session", &"ab".repeat(32))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_unsafe_route_refuses_a_missing_or_wrong_csrf_token() {
    let app = TestApp::start().await;
    let client = app.as_user("admin.a").await;
    for (path, _) in cartable::http::routes::route_table() {
        let path = path
            .replace("{id}", "1")
            .replace("{file}", "x")
            .replace("{code}", "fr");
        for method in ["POST", "PUT", "PATCH", "DELETE"] {
            let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
            let missing = client
                .request(method.clone(), app.url(&path))
                .form(&[("x", "1")])
                .send()
                .await
                .unwrap();
            assert_eq!(missing.status(), 403, "{method} {path} without a token");
            let wrong = client
                .request(method.clone(), app.url(&path))
                .form(&[("_csrf", "faux")])
                .send()
                .await
                .unwrap();
            assert_eq!(wrong.status(), 403, "{method} {path} with a wrong token");
            let cross_site = client
                .request(method.clone(), app.url(&path))
                .header("sec-fetch-site", "cross-site")
                .header("content-type", "application/json")
                .body("{}")
                .send()
                .await
                .unwrap();
            assert_eq!(cross_site.status(), 403, "{method} {path} cross-site");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_json_api_signs_in_answers_me_and_signs_out() {
    let app = TestApp::start().await;
    let client = app.client();
    let r = client
        .post(app.url("/api/v1/auth/login"))
        .json(&serde_json::json!({ "login": "parent.a1", "password": "faux faux faux" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    let r = client
        .post(app.url("/api/v1/auth/login"))
        .json(&serde_json::json!({ "login": "parent.a1", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let me: serde_json::Value = client
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["login"], "parent.a1");
    assert_eq!(me["children"][0]["person"]["first_name"], "Léa");
    assert_eq!(me["profiles"][0]["role"], "Parent");
    let r = client
        .post(app.url("/api/v1/auth/logout"))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(
        client
            .get(app.url("/api/v1/me"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let doc: serde_json::Value = client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for path in ["/api/v1/auth/login", "/api/v1/auth/logout", "/api/v1/me"] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
    // Unknown API paths answer JSON, unknown pages a French page.
    let r = client
        .get(app.url("/api/v1/nulle-part"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let r = client.get(app.url("/nulle-part")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("Cette page n’existe pas"));
}

#[tokio::test(flavor = "multi_thread")]
async fn api_me_for_each_role() {
    let app = TestApp::start().await;
    for login in LOGINS {
        let client = app.as_user(login).await;
        let me: serde_json::Value = client
            .get(app.url("/api/v1/me"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(me["login"], *login);
        assert_eq!(me["id"], app.school.id(login).0);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn changing_ones_password_checks_everything_and_ends_other_sessions() {
    let app = TestApp::start().await;
    let other_device = app.as_user("prof.b").await;
    let client = app.as_user("prof.b").await;
    let (status, html) = app.get(&client, "/profil/mot-de-passe").await;
    assert_eq!(status, 200);
    for label in ["Mot de passe actuel", "Nouveau mot de passe"] {
        assert!(html.contains(label));
    }
    let token = csrf_of(&html);
    let submit = |current: &'static str, new: &'static str, confirmation: &'static str| {
        let token = token.clone();
        let client = client.clone();
        let url = app.url("/profil/mot-de-passe");
        async move {
            let r = client
                .post(url)
                .form(&[
                    ("_csrf", token.as_str()),
                    ("actuel", current),
                    ("nouveau", new),
                    ("confirmation", confirmation),
                ])
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    // Each class of bad input: a clear message, nothing changed.
    let (s, body) = submit(
        "faux",
        "un nouveau mot de passe sûr",
        "un nouveau mot de passe sûr",
    )
    .await;
    assert_eq!(s, 422);
    assert!(body.contains("Le mot de passe actuel est incorrect."));
    let (s, body) = submit(PASSWORD, "un nouveau mot de passe sûr", "un autre").await;
    assert_eq!(s, 422);
    assert!(body.contains("ne sont pas identiques"));
    let (s, body) = submit(PASSWORD, "court", "court").await;
    assert_eq!(s, 422);
    assert!(body.contains("au moins 12 caractères"));
    let (s, body) = submit(PASSWORD, "profb profb profb", "profb profb profb").await;
    assert_eq!(s, 422);
    assert!(
        body.contains("ni l’identifiant ni le nom du compte"),
        "{body}"
    );
    let (s, body) = submit(PASSWORD, "motdepasse123", "motdepasse123").await;
    assert_eq!(s, 422);
    assert!(body.contains("trop courant"));
    assert_eq!(
        app.get(&other_device, "/").await.0,
        200,
        "nothing changed yet"
    );
    // The right way.
    let r = client
        .post(app.url("/profil/mot-de-passe"))
        .form(&[
            ("_csrf", token.as_str()),
            ("actuel", PASSWORD),
            ("nouveau", "la girafe lit sous la pluie"),
            ("confirmation", "la girafe lit sous la pluie"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (status, html) = app.get(&client, "/profil?mdp=1").await;
    assert_eq!(status, 200, "this device goes on with a new session");
    assert!(html.contains("Votre mot de passe a été changé"));
    assert_eq!(
        app.get(&other_device, "/").await.0,
        303,
        "other sessions ended"
    );
    let (_, old) = app.sign_in_with("prof.b", PASSWORD).await;
    assert_eq!(old.status(), 422);
    let (_, new) = app
        .sign_in_with("prof.b", "la girafe lit sous la pluie")
        .await;
    assert_eq!(new.status(), 303);
}

/// A sign-in answer with what is expected to differ taken out: the form's CSRF token and the
/// login echoed in the field.
async fn answer_of(app: &TestApp, login: &str, password: &str) -> (u16, String, u64) {
    let before = app.state.store.head().seq;
    let (_, r) = app.sign_in_with(login, password).await;
    let status = r.status().as_u16();
    let body = r.text().await.unwrap();
    let after = app.state.store.head().seq;
    let body = match body.contains("name=\"_csrf\"") {
        true => body.replace(&csrf_of(&body), "CSRF"),
        false => body,
    };
    (
        status,
        body.replace(&format!("value=\"{login}\""), "value=\"LOGIN\""),
        after - before,
    )
}

/// Issue 12 §8: the sign-in form answers an unknown login, an active account, an account
/// waiting for its activation code and an account holding a reset code the same way, byte for
/// byte, after the same number of commits — with an ordinary wrong password and with a wrong
/// code-shaped one.
#[tokio::test(flavor = "multi_thread")]
async fn sign_in_tells_nothing_of_which_accounts_exist_or_hold_a_code() {
    let app = TestApp::start().await;
    let (pupil, parent) = crate::activation::add_pending_family(&app);
    let pending_with_code = crate::activation::login_of(&app, pupil);
    let right = crate::activation::issue_code(&app, pupil);
    // Pending, no code issued yet.
    let pending = crate::activation::login_of(&app, parent);
    // The right code leads to the activation (first: the wrong attempts below use up the free
    // failures of each login).
    let (_, r) = app.sign_in_with(&pending_with_code, &right).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/activation/mot-de-passe");
    // Same-length logins are not needed: the echoed login is taken out.
    for password in ["pas le bon mot de passe", "ABCD-EFGH-JKMN", "abcdefghjkmn"] {
        assert_ne!(password, right);
        let reference = answer_of(&app, "personne.inconnue", password).await;
        assert_eq!(reference.0, 422, "{}", reference.1);
        assert!(
            reference
                .1
                .contains("Identifiant ou mot de passe incorrect.")
        );
        for login in ["prof.a", pending.as_str(), pending_with_code.as_str()] {
            let answer = answer_of(&app, login, password).await;
            assert_eq!(answer.0, reference.0, "{login} / {password}: {}", answer.1);
            assert_eq!(answer.1, reference.1, "{login} / {password}");
            assert_eq!(answer.2, reference.2, "{login} / {password}: commits");
        }
    }
}

/// Issue 12 §8: `/mot-de-passe-oublie` answers the same and does the same work (one commit)
/// for an adult with an address (a mail goes), a pupil, an adult without an address and a
/// login nobody has.
#[tokio::test(flavor = "multi_thread")]
async fn recovery_does_the_same_work_whatever_the_login() {
    use cartable::store::tables::PEOPLE;
    let app = TestApp::start().await;
    let parent = app.school.id("parent.a1");
    tokio::task::block_in_place(|| {
        app.state
            .store
            .write(|tx| {
                let mut p = tx.get(&PEOPLE, &parent)?.unwrap();
                p.email = Some("parent.a1@parents.example".into());
                cartable::domain::directory::service::update_person(tx, parent, &p)
            })
            .unwrap()
    });
    let mut answers = Vec::new();
    for login in ["parent.a1", "eleve.a1", "prof.a", "personne.inconnue"] {
        let client = app.client();
        let (_, html) = app.get(&client, "/mot-de-passe-oublie").await;
        let csrf = csrf_of(&html);
        let before = app.state.store.head().seq;
        let r = client
            .post(app.url("/mot-de-passe-oublie"))
            .form(&[("_csrf", csrf.as_str()), ("identifiant", login)])
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let body = r.text().await.unwrap();
        let after = app.state.store.head().seq;
        let body = match body.contains("name=\"_csrf\"") {
            true => body.replace(&csrf_of(&body), "CSRF"),
            false => body,
        };
        answers.push((login, status, body, after - before));
    }
    let (_, status, body, commits) = &answers[0];
    assert_eq!(*status, 200);
    assert_eq!(*commits, 1);
    for (login, s, b, c) in &answers[1..] {
        assert_eq!((s, c), (status, commits), "{login}");
        assert_eq!(b, body, "{login}");
    }
}
