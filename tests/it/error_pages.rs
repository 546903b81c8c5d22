//! Errors a user must never see (issue 14 §2): a walk of the whole route table with malformed
//! path ids and query values, GET and POST, as a pupil and as an administrator. No answer is a
//! server error, none is English or plain text, every HTML error page is `lang="fr"` with a
//! French title and the signed-in header, every API error is `application/problem+json`. A
//! server error shows its request id.

use cartable::model::directory::PersonId;
use cartable::store::StoreError;
use cartable::store::tables::Table;

use crate::common::app::TestApp;

/// What axum, serde and the HTTP reasons say in English: none of it may reach a person.
const ENGLISH: &[&str] = &[
    "Failed to",
    "Invalid URL",
    "annot parse",
    "missing field",
    "invalid digit",
    "invalid type",
    "invalid value",
    "unknown variant",
    "deserialize",
    "Expected request",
    "Method Not Allowed",
    "Not Found",
    "Internal Server Error",
    "Forbidden",
    "Bad Request",
    "Unauthorized",
    "Payload Too Large",
    "length limit",
    "Unsupported Media Type",
    "Unprocessable",
    "boundary",
    "number too large",
];

/// The titles of the French error pages.
const FRENCH_TITLES: &[&str] = &[
    "Erreur",
    "Demande incorrecte",
    "Connexion requise",
    "Accès refusé",
    "Page introuvable",
    "Action impossible ici",
    "Modification simultanée",
    "Envoi trop volumineux",
    "Informations à corriger",
    "Trop de tentatives",
    "Erreur interne",
];

/// Every query parameter a page or the API reads.
const PARAMS: &[&str] = &[
    "fait",
    "etat",
    "q",
    "personne",
    "action",
    "du",
    "au",
    "terminee",
    "retour",
    "mdp",
    "reprendre",
    "repondre",
    "repondre_tous",
    "transferer",
    "brouillon",
    "avant",
    "expediteur",
    "objet",
    "enfant",
    "version",
    "dossier",
    "nombre",
    "type",
    "depuis",
    "jusqua",
    "proprietaire",
    "page",
];

/// The parameters that are numbers or dates, each also sent alone.
const TYPED_PARAMS: &[&str] = &[
    "avant", "page", "enfant", "terminee", "mdp", "nombre", "du", "au", "depuis", "jusqua",
    "version", "dossier",
];

/// Routes a signed-in walker must not POST to (they end its session).
const SIGN_OUT: &[&str] = &["/deconnexion", "/sessions/terminer", "/api/v1/auth/logout"];

/// Routes for visitors who are not signed in: their own forms have no header bar.
fn is_public(route: &str) -> bool {
    [
        "/connexion",
        "/activation",
        "/mot-de-passe-oublie",
        "/langue/",
        "/static/",
    ]
    .iter()
    .any(|p| route.starts_with(p))
}

/// Malformed values of an id in a path.
fn bad_ids() -> Vec<String> {
    vec![
        "abc".into(),
        "-1".into(),
        "99999999999999999999".into(),
        "0".into(),
        "1".repeat(400),
        "%FF".into(),
    ]
}

/// Malformed query values.
fn bad_values() -> Vec<String> {
    vec![
        "abc".into(),
        "-3".into(),
        "99999999999999999999".into(),
        "2026-13-45".into(),
        "%FF".into(),
        "9".repeat(500),
    ]
}

/// A well-formed value for a placeholder (`999999`: no such object).
fn valid(name: &str) -> &'static str {
    match name {
        "space" => "perso-999999",
        "dossier" => "reception",
        "file" => "cartable.css",
        "code" => "fr",
        "jeton" => "jeton-inconnu",
        _ => "999999",
    }
}

/// `route` with its placeholders filled: the `bad`-th one (if any) with `value`, the others
/// well-formed.
fn fill(route: &str, bad: Option<usize>, value: &str) -> String {
    let mut n = 0;
    route
        .split('/')
        .map(|segment| {
            if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                n += 1;
                if bad == Some(n - 1) {
                    value.to_owned()
                } else {
                    valid(name).to_owned()
                }
            } else {
                segment.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn placeholders(route: &str) -> usize {
    route.matches('{').count()
}

/// One answer.
struct Seen {
    status: u16,
    kind: String,
    body: String,
}

async fn fetch(app: &TestApp, client: &reqwest::Client, post: Option<&str>, path: &str) -> Seen {
    let url = app.url(path);
    let request = match post {
        Some(csrf) => client.post(url).form(&[("_csrf", csrf)]),
        None => client.get(url),
    };
    let r = request.send().await.unwrap();
    let status = r.status().as_u16();
    let kind = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    Seen {
        status,
        kind,
        body: r.text().await.unwrap(),
    }
}

/// The `<title>` of a page, without the application's name.
fn title(html: &str) -> &str {
    let start = html.find("<title>").map_or(0, |i| i + 7);
    let rest = &html[start..];
    let end = rest
        .find(" — ")
        .or_else(|| rest.find("</title>"))
        .unwrap_or(0);
    &rest[..end]
}

fn english_in(text: &str) -> Option<&'static str> {
    ENGLISH.iter().find(|p| text.contains(*p)).copied()
}

/// What is wrong with an answer, if anything.
fn problems(route: &str, what: &str, seen: &Seen) -> Vec<String> {
    let mut found = Vec::new();
    let mut say = |s: String| found.push(format!("{what} (route {route}): {s}"));
    if seen.status >= 500 {
        say(format!("status {}: {}", seen.status, seen.body));
    }
    if seen.kind.starts_with("text/plain") {
        say(format!("text/plain: {}", seen.body));
    }
    if seen.status < 400 {
        return found;
    }
    if route.starts_with("/api/") {
        if seen.kind != "application/problem+json" {
            say(format!("{} is not a problem: {}", seen.kind, seen.body));
        }
        match serde_json::from_str::<serde_json::Value>(&seen.body) {
            Ok(json) => {
                let detail = json["detail"].as_str().unwrap_or_default();
                if detail.is_empty() {
                    say(format!("no detail: {}", seen.body));
                }
                if let Some(p) = english_in(detail) {
                    say(format!("English {p:?} in {detail}"));
                }
            }
            Err(_) => say(format!("not JSON: {}", seen.body)),
        }
        return found;
    }
    if !seen.kind.starts_with("text/html") {
        say(format!("{} for a page: {}", seen.kind, seen.body));
        return found;
    }
    if let Some(p) = english_in(&seen.body) {
        say(format!("English {p:?}: {}", seen.body));
    }
    if !seen.body.contains("<html lang=\"fr\">") {
        say("no <html lang=\"fr\">".to_owned());
    }
    let t = title(&seen.body);
    // The error map's page (with its links back) has one of the French titles; a form shown
    // again keeps its page's own.
    let map_page = seen.body.contains("<ul class=\"retour\">");
    if t.is_empty() || english_in(t).is_some() || (map_page && !FRENCH_TITLES.contains(&t)) {
        say(format!("title {t:?}"));
    }
    if !is_public(route) && !seen.body.contains("class=\"deconnexion\"") {
        say(format!("no signed-in header ({}): {}", seen.status, t));
    }
    found
}

/// The whole walk for one signed-in person; returns what went wrong.
async fn walk(app: &TestApp, login: &str) -> Vec<String> {
    let client = app.as_user(login).await;
    let csrf = app.csrf(&client).await;
    let routes: Vec<String> = cartable::http::routes::route_table()
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    let mut found = Vec::new();
    for route in &routes {
        let post = (!SIGN_OUT.contains(&route.as_str())).then_some(csrf.as_str());
        let methods: Vec<Option<&str>> = std::iter::once(None).chain(post.map(Some)).collect();
        // Malformed ids, one placeholder at a time.
        for slot in 0..placeholders(route) {
            for value in bad_ids() {
                let path = fill(route, Some(slot), &value);
                for method in &methods {
                    let seen = fetch(app, &client, *method, &path).await;
                    let what = format!("{login} {} {path:.120}", name(*method));
                    found.extend(problems(route, &what, &seen));
                }
            }
        }
        // Malformed query values: all parameters at once, then the typed ones alone.
        let base = fill(route, None, "");
        let mut queries: Vec<String> = bad_values()
            .iter()
            .map(|v| {
                PARAMS
                    .iter()
                    .map(|p| format!("{p}={v}"))
                    .collect::<Vec<_>>()
                    .join("&")
            })
            .collect();
        for p in TYPED_PARAMS {
            for v in ["abc", "-3", "2026-13-45"] {
                queries.push(format!("{p}={v}"));
            }
            queries.push(format!("{p}=1&{p}=2"));
        }
        let combined = bad_values().len();
        for (i, query) in queries.iter().enumerate() {
            let path = format!("{base}?{query}");
            // The combined queries are also posted (an upload reads its folder from the query).
            let sent = if i < combined {
                &methods[..]
            } else {
                &methods[..1]
            };
            for method in sent {
                let seen = fetch(app, &client, *method, &path).await;
                let what = format!("{login} {} {path:.120}", name(*method));
                found.extend(problems(route, &what, &seen));
            }
        }
    }
    found
}

fn name(post: Option<&str>) -> &'static str {
    if post.is_some() { "POST" } else { "GET" }
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_ids_and_queries_on_every_route_get_french_pages_or_problems() {
    let app = TestApp::start().await;
    let (pupil, admin) = tokio::join!(walk(&app, "eleve.a1"), walk(&app, "admin.a"));
    let found: Vec<String> = pupil.into_iter().chain(admin).collect();
    assert!(
        found.is_empty(),
        "{} answers a person must not see; the first ones:\n{}",
        found.len(),
        found
            .iter()
            .take(25)
            .map(|s| s.chars().take(600).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_issues_examples_answer_french_pages_with_the_header_and_a_way_back() {
    let app = TestApp::start().await;
    let prof = app.as_user("prof.a").await;
    for (path, status, heading) in [
        ("/classes/abc", 404, "Page introuvable"),
        ("/personnes/99999999999999999999", 404, "Page introuvable"),
        ("/nulle-part", 404, "Page introuvable"),
        ("/messagerie?avant=abc", 400, "Demande incorrecte"),
    ] {
        let r = prof
            .get(app.url(path))
            .header("referer", app.url("/documents"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), status, "{path}");
        let html = r.text().await.unwrap();
        assert_eq!(title(&html), heading, "{path}");
        assert!(html.contains(&format!("<h1>{heading}</h1>")), "{path}");
        assert!(html.contains("Paul PROFA"), "{path}: the signed-in header");
        assert!(html.contains("href=\"/documents\""), "{path}: back");
        assert!(
            html.contains(">Retour au portail</a>"),
            "{path}: the portal"
        );
        assert!(english_in(&html).is_none(), "{path}: {html}");
    }
    let (_, html) = app.get(&prof, "/messagerie?avant=abc").await;
    assert!(html.contains("L’adresse de cette page contient une valeur incorrecte."));

    // A previous page of another site is not offered.
    let r = prof
        .get(app.url("/classes/abc"))
        .header("referer", "https://ailleurs.example/piege")
        .send()
        .await
        .unwrap();
    let html = r.text().await.unwrap();
    assert!(!html.contains("ailleurs.example"), "{html}");

    // A form without its token: 403, « Accès refusé », still the header.
    let r = prof
        .post(app.url("/messagerie/dossiers"))
        .form(&[("nom", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let html = r.text().await.unwrap();
    assert_eq!(title(&html), "Accès refusé");
    assert!(html.contains("Paul PROFA"));

    // A form that does not read (a field twice): 400 in French, nothing English.
    let (status, _, html) = app
        .post_form(&prof, "/messagerie/dossiers", &[("nom", "a"), ("nom", "b")])
        .await;
    assert_eq!(status, 400, "{html}");
    assert!(html.contains("Le formulaire envoyé est incomplet ou incorrect"));

    // A method the route does not have: a French page, `Allow` kept.
    let r = prof.get(app.url("/deconnexion")).send().await.unwrap();
    assert_eq!(r.status(), 405);
    assert!(r.headers().contains_key("allow"));
    let html = r.text().await.unwrap();
    assert_eq!(title(&html), "Action impossible ici");
    assert!(html.contains("Paul PROFA"));

    // Not signed in: no header, a link to the sign-in page.
    let (status, html) = app
        .get(&app.client(), "/activation?reprendre=1&reprendre=2")
        .await;
    assert_eq!(status, 400);
    assert!(html.contains("href=\"/connexion\""), "{html}");
    assert!(!html.contains("class=\"deconnexion\""));

    // The English interface stays English.
    let r = prof
        .get(app.url("/classes/abc"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    let html = r.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\">"));
    assert_eq!(title(&html), "Page not found");
    assert!(html.contains(">Back to the portal</a>"));
    let english = app.as_user("prof.b").await;
    let (status, _) = app.get(&english, "/langue/en").await;
    assert!(status < 400);
    let (_, html) = app.get(&english, "/messagerie?avant=abc").await;
    assert_eq!(title(&html), "Bad request");

    // The API: problem+json, French detail, the stable English title, `invalid_query`.
    let r = prof
        .get(app.url("/api/v1/messagerie/dossiers/reception?avant=abc"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let json: serde_json::Value = r.json().await.unwrap();
    assert_eq!(json["error"], "invalid_query");
    assert_eq!(json["title"], "Bad Request");
    assert!(json["detail"].as_str().unwrap().starts_with("L’adresse"));
    let r = prof
        .get(app.url("/api/v1/auth/logout"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
}

/// A person's record that no longer decodes: the store answers, the record does not read.
const BROKEN_PEOPLE: Table<PersonId, u8> = Table::logged("people_v1");

#[tokio::test(flavor = "multi_thread")]
async fn a_server_error_page_shows_its_request_id() {
    let app = TestApp::start().await;
    // A pupil the administrator may see, whose record no longer decodes.
    let broken = app.school.id("eleve.a1");
    tokio::task::block_in_place(|| {
        app.state.store.write(|tx| {
            tx.insert(&BROKEN_PEOPLE, &broken, &7)?;
            Ok::<_, StoreError>(())
        })
    })
    .unwrap();
    let admin = app.as_user("admin.a").await;
    let r = admin
        .get(app.url(&format!("/personnes/{broken}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 500);
    let id = r.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert!(!id.is_empty());
    let html = r.text().await.unwrap();
    assert_eq!(title(&html), "Erreur interne");
    assert!(
        html.contains(&format!("signalez-la avec le numéro {id}")),
        "{html}"
    );
    assert!(html.contains(&format!("<code>{id}</code>")), "{html}");
    assert!(html.contains("Anne ADMIN"), "the signed-in header");
    assert!(html.contains(">Retour au portail</a>"));
    assert!(english_in(&html).is_none(), "{html}");
    assert!(
        !html.contains("decode") && !html.contains("postcard"),
        "{html}"
    );
}
