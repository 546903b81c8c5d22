//! The messaging pages, JSON API and administration (issue 6 §1–§3) through real HTTP: writing,
//! reading (unread counts in the header), replies within the rules, forged recipients, the
//! hourly limit, reports and freezing, suspensions, attachments byte for byte, drafts, trash,
//! personal folders, search, recall, acknowledgements, the rules' matrix — and 404 for anyone
//! who is not party to a message, on every page and action.

use cartable::model::directory::PersonId;
use cartable::model::messaging::MessageId;
use cartable::store::tables::MESSAGES;

use crate::common::app::TestApp;
use crate::common::multipart;

/// POSTs the compose form (multipart, token in the URL).
pub(crate) async fn compose(
    app: &TestApp,
    client: &reqwest::Client,
    fields: &[(&str, String)],
    files: &[(&str, &str, &str, Vec<u8>)],
    json: bool,
) -> reqwest::Response {
    let csrf = app.csrf(client).await;
    let mut request = client
        .post(app.url(&format!("/messagerie/nouveau?_csrf={csrf}")))
        .multipart(multipart(fields, files));
    if json {
        request = request.header("accept", "application/json");
    }
    request.send().await.unwrap()
}

/// Sends a message through the form; returns the response.
async fn send(
    app: &TestApp,
    client: &reqwest::Client,
    to: &[PersonId],
    subject: &str,
    body: &str,
    extra: &[(&str, String)],
) -> reqwest::Response {
    let mut fields: Vec<(&str, String)> = to
        .iter()
        .map(|p| ("destinataires", p.0.to_string()))
        .collect();
    fields.push(("objet", subject.to_owned()));
    fields.push(("corps", body.to_owned()));
    fields.extend(extra.iter().cloned());
    fields.push(("action", "envoyer".to_owned()));
    compose(app, client, &fields, &[], false).await
}

/// POSTs JSON to the API.
async fn api_post(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value, reqwest::header::HeaderMap) {
    let r = client.post(app.url(path)).json(&body).send().await.unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
        headers,
    )
}

fn message_count(app: &TestApp) -> usize {
    let read = app.state.store.read().unwrap();
    read.range(&MESSAGES, ..).unwrap().count()
}

/// The newest message (sent or draft).
fn latest(app: &TestApp) -> MessageId {
    let read = app.state.store.read().unwrap();
    read.range(&MESSAGES, ..)
        .unwrap()
        .next_back()
        .unwrap()
        .unwrap()
        .0
}

fn assert_redirect(r: &reqwest::Response, to: &str) {
    assert_eq!(r.status(), 303, "expected a redirect to {to}");
    assert_eq!(r.headers()["location"].to_str().unwrap(), to);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_message_goes_out_arrives_unread_and_opening_it_reads_it() {
    let app = TestApp::start().await;
    let s = &app.school;
    let prof = app.as_user("prof.a").await;
    // The header and the portal lead to the messaging.
    let (_, portal) = app.get(&prof, "/").await;
    assert!(portal.contains("href=\"/messagerie\">Messagerie</a>"));
    assert!(portal.contains("<a href=\"/messagerie\">Messagerie</a></h3>"));
    let (status, form) = app.get(&prof, "/messagerie/nouveau").await;
    assert_eq!(status, 200);
    assert!(form.contains("enctype=\"multipart/form-data\""));
    assert!(form.contains("action=\"/messagerie/nouveau?_csrf="));
    assert!(form.contains("Parents de 5A") && form.contains("Enseignants de 5A"));
    assert!(!form.contains("Parents de 5B"), "prof.a teaches 5A only");
    assert!(form.contains("<label for=\"accuse\">"));
    assert!(form.contains("<script src=\"/static/messagerie.js\" defer></script>"));
    assert!(form.contains("**gras**"));

    let r = send(
        &app,
        &prof,
        &[s.id("parent.a1")],
        "Sortie au musée",
        "Bonjour **Madame**,\n\n- départ 8 h\n- retour 17 h\n\n<script>alert(1)</script>",
        &[],
    )
    .await;
    assert_redirect(&r, "/messagerie/envoyes?fait=envoye");
    let id = latest(&app);
    let (_, sent) = app.get(&prof, "/messagerie/envoyes?fait=envoye").await;
    assert!(sent.contains("Votre message a été envoyé."));
    assert!(sent.contains("Sortie au musée") && sent.contains("Nathalie ÉLÈVE"));

    let parent = app.as_user("parent.a1").await;
    let (_, portal) = app.get(&parent, "/").await;
    assert!(
        portal.contains(">Messagerie (1<span class=\"visuellement-cache\"> message non lu</span>)"),
        "{portal}"
    );
    let (status, inbox) = app.get(&parent, "/messagerie").await;
    assert_eq!(status, 200);
    assert!(inbox.contains("<tr class=\"non-lu\">"));
    assert!(inbox.contains("Sortie au musée") && inbox.contains("Paul PROFA"));
    assert!(inbox.contains(&format!("href=\"/messagerie/messages/{id}\"")));
    assert!(inbox.contains("<bdi>Boîte de réception</bdi> <span class=\"non-lus\">(1"));

    let (status, page) = app
        .get(&parent, &format!("/messagerie/messages/{id}"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("<strong>Madame</strong>"));
    assert!(page.contains("<li>départ 8 h</li>"));
    assert!(page.contains("&lt;script&gt;") && !page.contains("<script>alert"));
    assert!(page.contains("01/09/2026 08:00"), "Paris time");
    assert!(
        !page.contains("Messagerie (1"),
        "the header counts it read already"
    );
    assert!(page.contains("href=\"/messagerie/nouveau?repondre="));
    assert!(page.contains("Signaler ce message"));
    let (_, inbox) = app.get(&parent, "/messagerie").await;
    assert!(!inbox.contains("<tr class=\"non-lu\">"));
    assert!(!inbox.contains("Messagerie (1"));

    // The sender sees who read it.
    let (_, mine) = app.get(&prof, &format!("/messagerie/messages/{id}")).await;
    assert!(mine.contains("1 sur 1 ont lu le message."));
    assert!(!mine.contains("Rappeler"), "read: no recall");
    // Mark unread again, back in the count.
    let (status, location, _) = app
        .post_form(
            &parent,
            &format!("/messagerie/messages/{id}/non-lu"),
            &[("dossier", "reception")],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/messagerie?fait=non-lu")
    );
    let (_, inbox) = app.get(&parent, "/messagerie").await;
    assert!(inbox.contains("<tr class=\"non-lu\">"));

    // Search by subject, without accents or case; by sender; by dates.
    for (query, found) in [
        ("objet=MUSEE", true),
        ("objet=sortie+musee", true),
        ("objet=piscine", false),
        ("expediteur=profa", true),
        ("expediteur=pia", false),
        ("du=01%2F09%2F2026&au=01%2F09%2F2026", true),
        ("du=02%2F09%2F2026", false),
    ] {
        let (status, html) = app.get(&parent, &format!("/messagerie?{query}")).await;
        assert_eq!(status, 200, "{query}");
        assert_eq!(html.contains("Sortie au musée"), found, "{query}");
    }
    let (status, html) = app.get(&parent, "/messagerie?du=31%2F02%2F2026").await;
    assert_eq!(status, 422);
    assert!(html.contains("aria-invalid=\"true\"") && html.contains("du-erreur"));
}

#[tokio::test(flavor = "multi_thread")]
async fn replies_keep_only_recipients_the_rules_allow_and_forged_ones_are_refused() {
    let app = TestApp::start().await;
    let s = &app.school;
    let prof = app.as_user("prof.a").await;
    // A teacher may write to any pupil of the collège, 5B included.
    let r = send(
        &app,
        &prof,
        &[s.id("eleve.a1"), s.id("eleve.a2"), s.id("eleve.b1")],
        "Devoir",
        "Pour lundi.",
        &[],
    )
    .await;
    assert_eq!(r.status(), 303);
    let first = latest(&app);
    let lea = app.as_user("eleve.a1").await;
    // Reply: the sender only.
    let (status, form) = app
        .get(&lea, &format!("/messagerie/nouveau?repondre={first}"))
        .await;
    assert_eq!(status, 200);
    assert!(form.contains(&format!("id=\"d-{}\"", s.id("prof.a"))));
    assert!(!form.contains(&format!("id=\"d-{}\"", s.id("eleve.a2"))));
    assert!(form.contains("value=\"RE : Devoir\""));
    assert!(form.contains("a écrit :\n&#62; Pour lundi."), "{form}");
    // Reply to all: Zoé (same class) stays; Hugo (5B) is not someone Léa may see: neither
    // on the message nor in the form.
    let (status, form) = app
        .get(&lea, &format!("/messagerie/nouveau?repondre_tous={first}"))
        .await;
    assert_eq!(status, 200);
    assert!(form.contains(&format!("id=\"d-{}\"", s.id("prof.a"))));
    assert!(form.contains(&format!("id=\"d-{}\"", s.id("eleve.a2"))));
    assert!(!form.contains(&format!("value=\"{}\"", s.id("eleve.b1"))));
    assert!(!form.contains("Hugo") && !form.contains("retiré"), "{form}");
    let (_, page) = app
        .get(&lea, &format!("/messagerie/messages/{first}"))
        .await;
    assert!(page.contains("Zoé") && !page.contains("Hugo"), "{page}");

    // Forging Hugo back into the form: 403, said beside the recipients, nothing stored.
    let before = message_count(&app);
    let r = send(
        &app,
        &lea,
        &[s.id("prof.a"), s.id("eleve.b1")],
        "RE : Devoir",
        "Merci",
        &[("reponse", first.to_string())],
    )
    .await;
    assert_eq!(r.status(), 403);
    let html = r.text().await.unwrap();
    assert!(html.contains("Vous ne pouvez pas écrire à :"), "{html}");
    assert!(html.contains("id=\"destinataires-erreur\""));
    assert_eq!(message_count(&app), before);
    // The same through the API.
    let (status, body, _) = api_post(
        &app,
        &lea,
        "/api/v1/messagerie/messages",
        serde_json::json!({ "recipients": [s.id("eleve.b1").0], "subject": "Coucou", "body": "?" }),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(body["error"], "forbidden");
    assert_eq!(message_count(&app), before);
    // A list is for staff and teachers only.
    let (status, body, _) = api_post(
        &app,
        &lea,
        "/api/v1/messagerie/messages",
        serde_json::json!({ "lists": [format!("parents-{}", s.class_5a)], "subject": "Tous", "body": "?" }),
    )
    .await;
    assert_eq!((status, body["error"].as_str()), (403, Some("forbidden")));
    assert_eq!(message_count(&app), before);

    // The allowed reply goes out, in the same thread.
    let r = send(
        &app,
        &lea,
        &[s.id("prof.a"), s.id("eleve.a2")],
        "RE : Devoir",
        "Merci",
        &[("reponse", first.to_string())],
    )
    .await;
    assert_redirect(&r, "/messagerie/envoyes?fait=envoye");
    let reply = latest(&app);
    let (_, page) = app
        .get(&prof, &format!("/messagerie/messages/{reply}"))
        .await;
    assert!(page.contains(&format!("href=\"/messagerie/messages/{first}\"")));
    // Hugo never sees the reply.
    let hugo = app.as_user("eleve.b1").await;
    let (status, _) = app
        .get(&hugo, &format!("/messagerie/messages/{reply}"))
        .await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_json_api_lists_reads_sends_suggests_and_needs_a_session() {
    let app = TestApp::start().await;
    let s = &app.school;
    let anonymous = app.client();
    for path in [
        "/api/v1/messagerie/dossiers",
        "/api/v1/messagerie/dossiers/reception",
        "/api/v1/messagerie/messages/1",
        "/api/v1/messagerie/suggestions?q=a",
    ] {
        let r = anonymous.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 401, "{path}");
    }
    let r = anonymous
        .post(app.url("/api/v1/messagerie/messages"))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    let lea = app.as_user("eleve.a1").await;
    // Suggestions never offer someone the rules forbid.
    let get_json = |path: String| {
        let lea = lea.clone();
        let url = app.url(&path);
        async move {
            let r = lea.get(url).send().await.unwrap();
            let status = r.status().as_u16();
            (status, r.json::<serde_json::Value>().await.unwrap())
        }
    };
    let (status, zoe) = get_json("/api/v1/messagerie/suggestions?q=durand".into()).await;
    assert_eq!(status, 200);
    assert_eq!(zoe["suggestions"][0]["name"], "Zoé DURAND");
    assert_eq!(zoe["suggestions"][0]["roles"][0], "Élève");
    let (_, hugo) = get_json("/api/v1/messagerie/suggestions?q=bernard".into()).await;
    assert_eq!(hugo["suggestions"].as_array().unwrap().len(), 0);
    let (_, admin) = get_json("/api/v1/messagerie/suggestions?q=admin".into()).await;
    assert_eq!(admin["suggestions"].as_array().unwrap().len(), 0);
    let (_, cpe) = get_json("/api/v1/messagerie/suggestions?q=cepe".into()).await;
    assert_eq!(cpe["suggestions"][0]["id"], s.id("cpe.a").0);

    let (status, sent, _) = api_post(
        &app,
        &lea,
        "/api/v1/messagerie/messages",
        serde_json::json!({ "recipients": [s.id("eleve.a2").0], "subject": "Exposé", "body": "On se voit **demain** ?" }),
    )
    .await;
    assert_eq!(status, 201, "{sent}");
    let id = sent["id"].as_u64().unwrap();
    let zoe = app.as_user("eleve.a2").await;
    let r = zoe
        .get(app.url("/api/v1/messagerie/dossiers"))
        .send()
        .await
        .unwrap();
    let folders: serde_json::Value = r.json().await.unwrap();
    assert_eq!(folders["folders"][0]["code"], "reception");
    assert_eq!(folders["folders"][0]["unread"], 1);
    let r = zoe
        .get(app.url("/api/v1/messagerie/dossiers/reception?objet=expose"))
        .send()
        .await
        .unwrap();
    let page: serde_json::Value = r.json().await.unwrap();
    assert_eq!(page["messages"][0]["id"], id);
    assert_eq!(page["messages"][0]["unread"], true);
    let r = zoe
        .get(app.url(&format!("/api/v1/messagerie/messages/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let m: serde_json::Value = r.json().await.unwrap();
    assert_eq!(m["subject"], "Exposé");
    assert_eq!(m["sender"]["id"], s.id("eleve.a1").0);
    assert!(
        m["body_html"]
            .as_str()
            .unwrap()
            .contains("<strong>demain</strong>")
    );
    assert_eq!(m["mine"], false);
    // Read now: the count is back to zero.
    let r = zoe
        .get(app.url("/api/v1/messagerie/dossiers"))
        .send()
        .await
        .unwrap();
    let folders: serde_json::Value = r.json().await.unwrap();
    assert_eq!(folders["folders"][0]["unread"], 0);
    // Invalid input: 422 with the field.
    let (status, body, _) = api_post(
        &app,
        &lea,
        "/api/v1/messagerie/messages",
        serde_json::json!({ "recipients": [s.id("eleve.a2").0], "subject": "", "body": "x" }),
    )
    .await;
    assert_eq!((status, body["field"].as_str()), (422, Some("objet")));
    assert_eq!(body["message"], "Indiquez l’objet du message.");
    // Not party: 404.
    let hugo = app.as_user("eleve.b1").await;
    let r = hugo
        .get(app.url(&format!("/api/v1/messagerie/messages/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    // The OpenAPI document describes the messaging.
    let doc: serde_json::Value = app
        .client()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for path in [
        "/api/v1/messagerie/messages",
        "/api/v1/messagerie/suggestions",
        "/api/v1/messagerie/messages/{id}/rappel",
    ] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
    assert!(doc["components"]["schemas"]["SendMessage"].is_object());
    assert!(doc["paths"]["/api/v1/me"].is_object());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pupil_over_the_hourly_limit_gets_a_french_429_and_nothing_is_sent() {
    let app = TestApp::start_with_config(|c| c.messaging_limit_pupil = 2).await;
    let s = &app.school;
    let lea = app.as_user("eleve.a1").await;
    for n in 0..2 {
        let r = send(
            &app,
            &lea,
            &[s.id("prof.a")],
            &format!("Question {n}"),
            "?",
            &[],
        )
        .await;
        assert_eq!(r.status(), 303, "message {n}");
    }
    let before = message_count(&app);
    let r = send(&app, &lea, &[s.id("prof.a")], "Question 3", "?", &[]).await;
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "3600");
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Vous avez envoyé trop de messages : réessayez dans 60 minutes."),
        "{html}"
    );
    assert!(
        html.contains("value=\"Question 3\""),
        "the form keeps what was typed"
    );
    assert_eq!(message_count(&app), before);
    let (status, body, headers) = api_post(
        &app,
        &lea,
        "/api/v1/messagerie/messages",
        serde_json::json!({ "recipients": [s.id("prof.a").0], "subject": "Question 4", "body": "?" }),
    )
    .await;
    assert_eq!(status, 429);
    assert_eq!(body["error"], "rate_limited");
    assert!(headers.contains_key("retry-after"));
    assert_eq!(message_count(&app), before);
    // An hour later, it goes again.
    app.clock.advance(std::time::Duration::from_secs(3601));
    let r = send(&app, &lea, &[s.id("prof.a")], "Question 3", "?", &[]).await;
    assert_eq!(r.status(), 303);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_report_freezes_the_thread_until_an_admin_reviews_it() {
    let app = TestApp::start().await;
    let s = &app.school;
    let prof = app.as_user("prof.a").await;
    let r = send(
        &app,
        &prof,
        &[s.id("eleve.a1")],
        "Remarque",
        "Un message désagréable",
        &[],
    )
    .await;
    assert_eq!(r.status(), 303);
    let id = latest(&app);
    let lea = app.as_user("eleve.a1").await;
    let (_, page) = app.get(&lea, &format!("/messagerie/messages/{id}")).await;
    assert!(page.contains(&format!("action=\"/messagerie/messages/{id}/signaler\"")));
    assert!(page.contains("<label for=\"motif\">"));
    // The sender has no report button.
    let (_, own) = app.get(&prof, &format!("/messagerie/messages/{id}")).await;
    assert!(!own.contains("/signaler\""));
    let (status, location, _) = app
        .post_form(
            &lea,
            &format!("/messagerie/messages/{id}/signaler"),
            &[("motif", "Il me parle mal")],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("/messagerie/messages/{id}?fait=signale"));
    let (_, page) = app.get(&lea, &location).await;
    assert!(page.contains("id=\"fil-gele\""));
    assert!(page.contains("La conversation est gelée"));
    assert!(
        !page.contains("repondre="),
        "no reply buttons on a frozen thread"
    );
    assert!(!page.contains("transferer="));
    // Replying anyway: refused, nothing stored.
    let (status, html) = app
        .get(&lea, &format!("/messagerie/nouveau?repondre={id}"))
        .await;
    assert_eq!(status, 409);
    assert!(html.contains("gelée"));
    let before = message_count(&app);
    let r = send(
        &app,
        &lea,
        &[s.id("prof.a")],
        "RE : Remarque",
        "!",
        &[("reponse", id.to_string())],
    )
    .await;
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("gelée"));
    let r = send(
        &app,
        &prof,
        &[s.id("eleve.a1")],
        "RE : Remarque",
        "!",
        &[("reponse", id.to_string())],
    )
    .await;
    assert_eq!(r.status(), 409, "the sender cannot reply either");
    assert_eq!(message_count(&app), before);

    // The administrator sees it, opens it, lifts the freeze.
    let admin = app.as_user("admin.a").await;
    let (_, home) = app.get(&admin, "/admin").await;
    assert!(home.contains(&format!("/admin/etablissements/{}/signalements", s.college)));
    let (status, list) = app
        .get(
            &admin,
            &format!("/admin/etablissements/{}/signalements", s.college),
        )
        .await;
    assert_eq!(status, 200);
    assert!(list.contains("1 signalement ouvert."));
    assert!(list.contains("Remarque") && list.contains("Léa ÉLÈVE") && list.contains("Paul PROFA"));
    let start = list.find("href=\"/admin/signalements/").unwrap() + 6;
    let href = list[start..].split('"').next().unwrap().to_owned();
    let (status, report) = app.get(&admin, &href).await;
    assert_eq!(status, 200);
    assert!(report.contains("Un message désagréable"));
    assert!(report.contains("Il me parle mal"));
    assert!(report.contains("Lever le gel et suspendre la messagerie de l’expéditeur"));
    // Nobody else reaches it.
    for login in ["admin.b", "prof.a", "eleve.a1", "cpe.a"] {
        let client = app.as_user(login).await;
        assert_eq!(app.get(&client, &href).await.0, 404, "{login}");
        let (status, _, _) = app
            .post_form(
                &client,
                &format!("{href}/examiner"),
                &[("suspendre", "non")],
            )
            .await;
        assert_eq!(status, 404, "{login}");
        let path = format!("/admin/etablissements/{}/signalements", s.college);
        assert_eq!(app.get(&client, &path).await.0, 404, "{login}");
    }
    let (status, location, _) = app
        .post_form(&admin, &format!("{href}/examiner"), &[("suspendre", "non")])
        .await;
    assert_eq!(status, 303);
    let (_, report) = app.get(&admin, &location).await;
    assert!(report.contains("la conversation n’est plus gelée"));
    assert!(!report.contains("/examiner\""));
    // Reviewing twice: a conflict, said on the page.
    let (status, _, body) = app
        .post_form(&admin, &format!("{href}/examiner"), &[("suspendre", "non")])
        .await;
    assert_eq!(status, 409);
    assert!(body.contains("déjà été examiné"));
    // The thread thaws: the reply goes out.
    let r = send(
        &app,
        &lea,
        &[s.id("prof.a")],
        "RE : Remarque",
        "D’accord",
        &[("reponse", id.to_string())],
    )
    .await;
    assert_eq!(r.status(), 303);
    // Audited.
    let (_, journal) = app
        .get(
            &admin,
            &format!("/admin/etablissements/{}/journal", s.college),
        )
        .await;
    assert!(journal.contains("Message signalé") && journal.contains("Signalement examiné"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_suspended_account_cannot_send_until_restored() {
    let app = TestApp::start().await;
    let s = &app.school;
    let lea_id = s.id("eleve.a1");
    let admin = app.as_user("admin.a").await;
    let (_, person) = app.get(&admin, &format!("/admin/personnes/{lea_id}")).await;
    assert!(person.contains("Suspendre la messagerie"));
    // Only the administrators of one of the person's establishments.
    let other = app.as_user("admin.b").await;
    let path = format!("/admin/personnes/{lea_id}/messagerie");
    let (status, _, _) = app.post_form(&other, &path, &[("suspendre", "oui")]).await;
    assert_eq!(status, 404);
    let prof = app.as_user("prof.a").await;
    let (status, _, _) = app.post_form(&prof, &path, &[("suspendre", "oui")]).await;
    assert_eq!(status, 404);
    let (status, location, _) = app.post_form(&admin, &path, &[("suspendre", "oui")]).await;
    assert_eq!(status, 303);
    let (_, person) = app.get(&admin, &location).await;
    assert!(person.contains("La messagerie de la personne est suspendue."));
    assert!(person.contains("Rétablir la messagerie"));

    let lea = app.as_user("eleve.a1").await;
    let before = message_count(&app);
    let r = send(&app, &lea, &[s.id("prof.a")], "Bonjour", "?", &[]).await;
    assert_eq!(r.status(), 403);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Votre messagerie est suspendue par l’établissement")
    );
    let (status, body, _) = api_post(
        &app,
        &lea,
        "/api/v1/messagerie/messages",
        serde_json::json!({ "recipients": [s.id("prof.a").0], "subject": "Bonjour", "body": "?" }),
    )
    .await;
    assert_eq!((status, body["error"].as_str()), (403, Some("suspended")));
    assert_eq!(message_count(&app), before);
    // Receiving still works.
    let r = send(&app, &prof, &[lea_id], "Pour toi", "…", &[]).await;
    assert_eq!(r.status(), 303);

    let (status, _, _) = app.post_form(&admin, &path, &[("suspendre", "non")]).await;
    assert_eq!(status, 303);
    let r = send(&app, &lea, &[s.id("prof.a")], "Bonjour", "?", &[]).await;
    assert_eq!(r.status(), 303);
    let (_, journal) = app
        .get(
            &admin,
            &format!("/admin/etablissements/{}/journal", s.college),
        )
        .await;
    assert!(journal.contains("Messagerie suspendue") && journal.contains("Messagerie rétablie"));
}

#[tokio::test(flavor = "multi_thread")]
async fn attachments_go_up_and_come_down_byte_for_byte_as_attachments() {
    let app = TestApp::start().await;
    let s = &app.school;
    let prof = app.as_user("prof.a").await;
    let every_byte: Vec<u8> = (0..=255u8).collect();
    let pdf = b"%PDF-1.4 not really".to_vec();
    let r = compose(
        &app,
        &prof,
        &[
            ("destinataires", s.id("parent.a1").0.to_string()),
            ("objet", "Documents".into()),
            ("corps", "Ci-joint.".into()),
            ("action", "envoyer".into()),
        ],
        &[
            (
                "pieces_jointes",
                "C:\\Temp\\données é.bin",
                "application/x-evil",
                every_byte.clone(),
            ),
            (
                "pieces_jointes",
                "Réunion.pdf",
                "application/pdf",
                pdf.clone(),
            ),
            ("pieces_jointes", "", "application/octet-stream", Vec::new()),
        ],
        false,
    )
    .await;
    assert_redirect(&r, "/messagerie/envoyes?fait=envoye");
    let id = latest(&app);
    // The blob is referenced once, in the message's own transaction.
    {
        let read = app.state.store.read().unwrap();
        let meta = cartable::blobs::meta(&read, cartable::blobs::BlobId::of(&every_byte))
            .unwrap()
            .unwrap();
        assert_eq!((meta.refs, meta.size), (1, 256));
    }
    let parent = app.as_user("parent.a1").await;
    let (_, page) = app
        .get(&parent, &format!("/messagerie/messages/{id}"))
        .await;
    assert!(page.contains("données é.bin</bdi></a> <span class=\"aide\">(256 octets)</span>"));
    assert!(page.contains("Réunion.pdf"));
    let r = parent
        .get(app.url(&format!("/messagerie/messages/{id}/pieces-jointes/0")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let h = r.headers().clone();
    assert_eq!(h["content-type"], "application/octet-stream");
    assert_eq!(
        h["content-disposition"],
        "attachment; filename=\"donnees e.bin\"; filename*=UTF-8''donn%C3%A9es%20%C3%A9.bin"
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(h["cache-control"].to_str().unwrap().starts_with("private"));
    assert_eq!(r.bytes().await.unwrap().to_vec(), every_byte);
    let r = parent
        .get(app.url(&format!("/messagerie/messages/{id}/pieces-jointes/1")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    assert_eq!(r.bytes().await.unwrap().to_vec(), pdf);
    for path in [
        format!("/messagerie/messages/{id}/pieces-jointes/2"),
        format!("/messagerie/messages/{id}/pieces-jointes/x"),
    ] {
        assert_eq!(app.get(&parent, &path).await.0, 404, "{path}");
    }
    let stranger = app.as_user("prof.b").await;
    let path = format!("/messagerie/messages/{id}/pieces-jointes/0");
    let (status, body) = app.get(&stranger, &path).await;
    assert_eq!(status, 404);
    assert!(!body.contains("données"));

    // Forwarding keeps them (by reference, checked again); a forged reference to a message
    // the parent is not party to names nothing.
    let prof_b = app.as_user("prof.b").await;
    let r = compose(
        &app,
        &prof_b,
        &[
            ("destinataires", s.id("eleve.b1").0.to_string()),
            ("objet", "Pour Hugo".into()),
            ("action", "envoyer".into()),
        ],
        &[(
            "pieces_jointes",
            "secret.txt",
            "text/plain",
            b"secret".to_vec(),
        )],
        false,
    )
    .await;
    assert_eq!(r.status(), 303);
    let foreign = latest(&app);
    let (_, form) = app
        .get(&parent, &format!("/messagerie/nouveau?transferer={id}"))
        .await;
    assert!(form.contains(&format!("name=\"garder\" value=\"{id}-0\" checked")));
    assert!(form.contains("value=\"TR : Documents\""));
    let r = compose(
        &app,
        &parent,
        &[
            ("destinataires", s.id("prof.c").0.to_string()),
            ("objet", "TR : Documents".into()),
            ("corps", "Pour information".into()),
            ("garder", format!("{id}-0")),
            ("garder", format!("{foreign}-0")),
            ("garder", "999999-0".into()),
            ("reponse", id.to_string()),
            ("action", "envoyer".into()),
        ],
        &[],
        false,
    )
    .await;
    assert_eq!(r.status(), 303);
    let forward = latest(&app);
    let prof_c = app.as_user("prof.c").await;
    let r = prof_c
        .get(app.url(&format!("/messagerie/messages/{forward}/pieces-jointes/0")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.bytes().await.unwrap().to_vec(), every_byte);
    assert_eq!(
        app.get(
            &prof_c,
            &format!("/messagerie/messages/{forward}/pieces-jointes/1")
        )
        .await
        .0,
        404
    );
    let read = app.state.store.read().unwrap();
    let meta = cartable::blobs::meta(&read, cartable::blobs::BlobId::of(&every_byte))
        .unwrap()
        .unwrap();
    assert_eq!(meta.refs, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_over_the_limit_is_refused_with_the_form_and_nothing_is_sent() {
    let app = TestApp::start_with_config(|c| c.message_attachment_max_mib = 1).await;
    let s = &app.school;
    let prof = app.as_user("prof.a").await;
    let big = vec![7u8; 1024 * 1024 + 1];
    let r = compose(
        &app,
        &prof,
        &[
            ("destinataires", s.id("parent.a1").0.to_string()),
            ("objet", "Trop gros".into()),
            ("corps", "…".into()),
            ("action", "envoyer".into()),
        ],
        &[("pieces_jointes", "film.mp4", "video/mp4", big)],
        false,
    )
    .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Le fichier « film.mp4 » dépasse la taille maximale de 1 Mo"),
        "{html}"
    );
    assert!(html.contains("id=\"pj-erreur\"") && html.contains("aria-invalid=\"true\""));
    assert!(html.contains("value=\"Trop gros\""));
    assert_eq!(message_count(&app), 0);
    let parent = app.as_user("parent.a1").await;
    let (_, inbox) = app.get(&parent, "/messagerie").await;
    assert!(inbox.contains("Aucun message dans ce dossier."));
}

#[tokio::test(flavor = "multi_thread")]
async fn whoever_is_not_party_gets_404_on_the_message_its_attachment_and_every_action() {
    let app = TestApp::start().await;
    let s = &app.school;
    let prof = app.as_user("prof.a").await;
    let r = compose(
        &app,
        &prof,
        &[
            ("destinataires", s.id("parent.a1").0.to_string()),
            ("objet", "Confidentiel".into()),
            ("corps", "Au sujet de Léa".into()),
            ("accuse", "1".into()),
            ("action", "envoyer".into()),
        ],
        &[(
            "pieces_jointes",
            "bulletin.pdf",
            "application/pdf",
            b"%PDF".to_vec(),
        )],
        false,
    )
    .await;
    assert_eq!(r.status(), 303);
    let id = latest(&app);
    // A draft of prof.a's too.
    let r = compose(
        &app,
        &prof,
        &[
            ("objet", "Brouillon secret".into()),
            ("action", "brouillon".into()),
        ],
        &[],
        false,
    )
    .await;
    assert_eq!(r.status(), 303);
    let draft = latest(&app);
    let gets = [
        format!("/messagerie/messages/{id}"),
        format!("/messagerie/messages/{id}/pieces-jointes/0"),
        format!("/messagerie/nouveau?repondre={id}"),
        format!("/messagerie/nouveau?repondre_tous={id}"),
        format!("/messagerie/nouveau?transferer={id}"),
        format!("/messagerie/nouveau?brouillon={id}"),
        format!("/messagerie/nouveau?brouillon={draft}"),
        format!("/messagerie/messages/{draft}"),
        format!("/api/v1/messagerie/messages/{id}"),
        "/messagerie/messages/999999".into(),
        "/messagerie/messages/abc".into(),
    ];
    let posts = [
        ("non-lu", vec![("dossier", "reception")]),
        ("deplacer", vec![("dossier", "reception")]),
        ("supprimer", vec![("dossier", "reception")]),
        ("restaurer", vec![]),
        ("supprimer-definitivement", vec![]),
        ("rappeler", vec![]),
        ("signer", vec![]),
        ("signaler", vec![("motif", "?")]),
    ];
    // Not party: another teacher, a pupil of the class, the establishment's administrator,
    // the platform administrator, the other parent-facing staff.
    for login in ["prof.b", "eleve.a1", "admin.a", "plateforme", "cpe.a"] {
        let client = app.as_user(login).await;
        for path in &gets {
            let (status, body) = app.get(&client, path).await;
            assert_eq!(status, 404, "{login} GET {path}");
            assert!(
                !body.contains("Confidentiel") && !body.contains("secret"),
                "{login} {path}"
            );
        }
        for (action, fields) in &posts {
            let path = format!("/messagerie/messages/{id}/{action}");
            let (status, _, _) = app.post_form(&client, &path, fields).await;
            assert_eq!(status, 404, "{login} POST {path}");
        }
        for action in ["accuse", "rappel", "signalement"] {
            let path = format!("/api/v1/messagerie/messages/{id}/{action}");
            let (status, _, _) = api_post(&app, &client, &path, serde_json::json!({})).await;
            assert_eq!(status, 404, "{login} POST {path}");
        }
        // Sending the draft of someone else, or answering a message one is not party to.
        let r = send(
            &app,
            &client,
            &[s.id("prof.a")],
            "x",
            "y",
            &[("brouillon", draft.to_string())],
        )
        .await;
        assert_eq!(r.status(), 404, "{login} sends prof.a's draft");
    }
    // Nothing changed for the parties.
    let parent = app.as_user("parent.a1").await;
    let (_, page) = app
        .get(&parent, &format!("/messagerie/messages/{id}"))
        .await;
    assert!(page.contains("Vu et signé") && !page.contains("id=\"fil-gele\""));
    let (_, form) = app
        .get(&prof, &format!("/messagerie/nouveau?brouillon={draft}"))
        .await;
    assert!(form.contains("value=\"Brouillon secret\""));
}

#[tokio::test(flavor = "multi_thread")]
async fn drafts_are_saved_resumed_autosaved_and_sent() {
    let app = TestApp::start().await;
    let s = &app.school;
    let prof = app.as_user("prof.a").await;
    let parent_id = s.id("parent.a1");
    let r = compose(
        &app,
        &prof,
        &[
            ("destinataires", parent_id.0.to_string()),
            ("listes", format!("enseignants-{}", s.class_5a)),
            ("objet", "Réunion".into()),
            ("corps", "Premier jet".into()),
            ("accuse", "1".into()),
            ("action", "brouillon".into()),
        ],
        &[(
            "pieces_jointes",
            "ordre du jour.txt",
            "text/plain",
            b"1. Rentree".to_vec(),
        )],
        false,
    )
    .await;
    let id = latest(&app);
    assert_redirect(
        &r,
        &format!("/messagerie/nouveau?brouillon={id}&fait=brouillon"),
    );
    let (_, drafts) = app.get(&prof, "/messagerie/brouillons").await;
    assert!(drafts.contains(&format!("href=\"/messagerie/nouveau?brouillon={id}\"")));
    assert!(drafts.contains("Réunion"));
    let (status, form) = app
        .get(
            &prof,
            &format!("/messagerie/nouveau?brouillon={id}&fait=brouillon"),
        )
        .await;
    assert_eq!(status, 200);
    assert!(form.contains("Le brouillon a été enregistré."));
    assert!(form.contains("value=\"Réunion\"") && form.contains(">Premier jet</textarea>"));
    assert!(form.contains(&format!(
        "id=\"d-{parent_id}\" name=\"destinataires\" value=\"{parent_id}\" checked"
    )));
    assert!(form.contains(&format!("value=\"enseignants-{}\" checked", s.class_5a)));
    assert!(form.contains("name=\"accuse\" value=\"1\"") && form.contains("accuse-aide\" checked"));
    assert!(form.contains(&format!("name=\"garder\" value=\"{id}-0\" checked")));
    assert!(form.contains(&format!(
        "id=\"brouillon\" name=\"brouillon\" value=\"{id}\""
    )));
    // The autosave (what the script sends): JSON in, JSON out, same draft.
    let r = compose(
        &app,
        &prof,
        &[
            ("brouillon", id.to_string()),
            ("destinataires", parent_id.0.to_string()),
            ("objet", "Réunion de rentrée".into()),
            ("corps", "Second jet".into()),
            ("garder", format!("{id}-0")),
            ("action", "brouillon".into()),
        ],
        &[],
        true,
    )
    .await;
    assert_eq!(r.status(), 200);
    let saved: serde_json::Value = r.json().await.unwrap();
    assert_eq!(saved["brouillon"], id.0);
    assert!(
        saved["message"]
            .as_str()
            .unwrap()
            .starts_with("Brouillon enregistré à ")
    );
    let (_, form) = app
        .get(&prof, &format!("/messagerie/nouveau?brouillon={id}"))
        .await;
    assert!(
        form.contains("value=\"Réunion de rentrée\"") && form.contains(">Second jet</textarea>")
    );
    assert!(form.contains("ordre du jour.txt"));
    // The search without JavaScript keeps what was typed and offers people as boxes.
    let r = compose(
        &app,
        &prof,
        &[
            ("brouillon", id.to_string()),
            ("destinataires", parent_id.0.to_string()),
            ("recherche", "dura".into()),
            ("objet", "Réunion de rentrée".into()),
            ("corps", "Second jet".into()),
            ("garder", format!("{id}-0")),
            ("action", "chercher".into()),
        ],
        &[],
        false,
    )
    .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(
        html.contains(&format!("id=\"s-{}\"", s.id("eleve.a2"))),
        "{html}"
    );
    assert!(html.contains("Zoé DURAND"));
    assert!(html.contains("value=\"dura\"") && html.contains(">Second jet</textarea>"));
    // Sent from the draft: it leaves the drafts, with its attachment.
    let r = compose(
        &app,
        &prof,
        &[
            ("brouillon", id.to_string()),
            ("destinataires", parent_id.0.to_string()),
            ("destinataires", s.id("eleve.a2").0.to_string()),
            ("objet", "Réunion de rentrée".into()),
            ("corps", "Second jet".into()),
            ("garder", format!("{id}-0")),
            ("action", "envoyer".into()),
        ],
        &[],
        false,
    )
    .await;
    assert_redirect(&r, "/messagerie/envoyes?fait=envoye");
    let (_, drafts) = app.get(&prof, "/messagerie/brouillons").await;
    assert!(drafts.contains("Aucun message dans ce dossier."));
    let zoe = app.as_user("eleve.a2").await;
    let (status, page) = app.get(&zoe, &format!("/messagerie/messages/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("ordre du jour.txt"));
    let read = app.state.store.read().unwrap();
    let meta = cartable::blobs::meta(&read, cartable::blobs::BlobId::of(b"1. Rentree"))
        .unwrap()
        .unwrap();
    assert_eq!(meta.refs, 1, "the draft's reference went to the message");
}

#[tokio::test(flavor = "multi_thread")]
async fn trash_restore_delete_forever_and_personal_folders() {
    let app = TestApp::start().await;
    let s = &app.school;
    let prof = app.as_user("prof.a").await;
    let r = send(&app, &prof, &[s.id("parent.a1")], "Cantine", "Menu", &[]).await;
    assert_eq!(r.status(), 303);
    let id = latest(&app);
    let parent = app.as_user("parent.a1").await;
    let message = format!("/messagerie/messages/{id}");
    let (status, location, _) = app
        .post_form(
            &parent,
            &format!("{message}/supprimer"),
            &[("dossier", "reception")],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/messagerie?fait=supprime")
    );
    assert!(!app.get(&parent, "/messagerie").await.1.contains("Cantine"));
    let (_, trash) = app.get(&parent, "/messagerie/corbeille").await;
    assert!(trash.contains("Cantine"));
    let (_, page) = app.get(&parent, &message).await;
    assert!(page.contains("/restaurer\"") && page.contains("/supprimer-definitivement\""));
    let (status, location, _) = app
        .post_form(&parent, &format!("{message}/restaurer"), &[])
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/messagerie/corbeille?fait=restaure")
    );
    assert!(app.get(&parent, "/messagerie").await.1.contains("Cantine"));
    // Deleting for good only from the trash.
    let (status, _, _) = app
        .post_form(&parent, &format!("{message}/supprimer-definitivement"), &[])
        .await;
    assert_eq!(status, 404);
    app.post_form(
        &parent,
        &format!("{message}/supprimer"),
        &[("dossier", "reception")],
    )
    .await;
    let (status, location, _) = app
        .post_form(&parent, &format!("{message}/supprimer-definitivement"), &[])
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/messagerie/corbeille?fait=efface")
    );
    assert!(
        !app.get(&parent, "/messagerie/corbeille")
            .await
            .1
            .contains("Cantine")
    );
    assert!(!app.get(&parent, "/messagerie").await.1.contains("Cantine"));

    // Personal folders.
    let r = send(&app, &prof, &[s.id("parent.a1")], "Sortie", "Au musée", &[]).await;
    assert_eq!(r.status(), 303);
    let id = latest(&app);
    let (status, _, html) = app
        .post_form(&parent, "/messagerie/dossiers", &[("nom", "  ")])
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("id=\"nom-erreur\""));
    let (status, location, _) = app
        .post_form(&parent, "/messagerie/dossiers", &[("nom", "École de Léa")])
        .await;
    assert_eq!(status, 303);
    let folder_path = location.split('?').next().unwrap().to_owned();
    let folder_id = folder_path.rsplit('/').next().unwrap().to_owned();
    let (_, folder) = app.get(&parent, &location).await;
    assert!(folder.contains("<h1>École de Léa</h1>") && folder.contains("Le dossier a été créé."));
    let (_, page) = app
        .get(&parent, &format!("/messagerie/messages/{id}"))
        .await;
    assert!(page.contains(&format!(
        "<option value=\"{folder_id}\">École de Léa</option>"
    )));
    let (status, location, _) = app
        .post_form(
            &parent,
            &format!("/messagerie/messages/{id}/deplacer"),
            &[("dossier", &folder_id)],
        )
        .await;
    assert_eq!(
        (status, location),
        (303, format!("{folder_path}?fait=deplace"))
    );
    assert!(app.get(&parent, &folder_path).await.1.contains("Sortie"));
    assert!(!app.get(&parent, "/messagerie").await.1.contains("Sortie"));
    // Someone else's folder does not exist for them.
    assert_eq!(app.get(&prof, &folder_path).await.0, 404);
    let (status, _, _) = app
        .post_form(&prof, &format!("{folder_path}/supprimer"), &[])
        .await;
    assert_eq!(status, 404);
    let (status, _, _) = app
        .post_form(
            &prof,
            "/messagerie/messages/1/deplacer",
            &[("dossier", &folder_id)],
        )
        .await;
    assert_eq!(status, 404);
    // Deleting the folder: its messages go back to the inbox.
    let (status, location, _) = app
        .post_form(&parent, &format!("{folder_path}/supprimer"), &[])
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/messagerie?fait=dossier-supprime")
    );
    assert!(app.get(&parent, "/messagerie").await.1.contains("Sortie"));
    assert_eq!(app.get(&parent, &folder_path).await.0, 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn recall_only_before_anyone_reads_and_within_the_window() {
    let app = TestApp::start().await;
    let s = &app.school;
    let prof = app.as_user("prof.a").await;
    let r = send(
        &app,
        &prof,
        &[s.id("eleve.a1"), s.id("eleve.a2")],
        "Erreur",
        "Oups",
        &[],
    )
    .await;
    assert_eq!(r.status(), 303);
    let id = latest(&app);
    let (_, page) = app.get(&prof, &format!("/messagerie/messages/{id}")).await;
    assert!(page.contains("Rappeler le message"));
    assert!(page.contains("Possible jusqu’au 01/09/2026 08:30"));
    let (status, location, _) = app
        .post_form(&prof, &format!("/messagerie/messages/{id}/rappeler"), &[])
        .await;
    assert_eq!(status, 303);
    let (_, page) = app.get(&prof, &location).await;
    assert!(page.contains("Le message a été rappelé"));
    assert!(page.contains("Message rappelé le"));
    let lea = app.as_user("eleve.a1").await;
    assert_eq!(
        app.get(&lea, &format!("/messagerie/messages/{id}")).await.0,
        404
    );
    let (_, inbox) = app.get(&lea, "/messagerie").await;
    assert!(!inbox.contains("Erreur") && !inbox.contains("Messagerie (1"));

    // Read by one: too late, said on the page.
    let r = send(
        &app,
        &prof,
        &[s.id("eleve.a1"), s.id("eleve.a2")],
        "Sortie",
        "Lundi",
        &[],
    )
    .await;
    assert_eq!(r.status(), 303);
    let id = latest(&app);
    assert_eq!(
        app.get(&lea, &format!("/messagerie/messages/{id}")).await.0,
        200
    );
    let (_, page) = app.get(&prof, &format!("/messagerie/messages/{id}")).await;
    assert!(!page.contains("Rappeler le message"));
    let (status, _, html) = app
        .post_form(&prof, &format!("/messagerie/messages/{id}/rappeler"), &[])
        .await;
    assert_eq!(status, 409);
    assert!(html.contains("un destinataire l’a déjà lu"));
    // Past the window (30 minutes by default).
    let r = send(&app, &prof, &[s.id("eleve.a2")], "Piscine", "Mardi", &[]).await;
    assert_eq!(r.status(), 303);
    let id = latest(&app);
    app.clock.advance(std::time::Duration::from_secs(31 * 60));
    let (status, _, html) = app
        .post_form(&prof, &format!("/messagerie/messages/{id}/rappeler"), &[])
        .await;
    assert_eq!(status, 409);
    assert!(html.contains("le délai est passé"));
    let (status, _, _) = api_post(
        &app,
        &prof,
        &format!("/api/v1/messagerie/messages/{id}/rappel"),
        serde_json::json!({}),
    )
    .await;
    assert_eq!(status, 409);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_list_with_an_acknowledgement_request_and_who_signed_when() {
    let app = TestApp::start().await;
    let s = &app.school;
    let prof = app.as_user("prof.a").await;
    let r = send(
        &app,
        &prof,
        &[],
        "Autorisation de sortie",
        "Merci de signer.",
        &[
            ("listes", format!("parents-{}", s.class_5a)),
            ("accuse", "1".into()),
        ],
    )
    .await;
    assert_redirect(&r, "/messagerie/envoyes?fait=envoye");
    let id = latest(&app);
    let parent = app.as_user("parent.a1").await;
    let (_, page) = app
        .get(&parent, &format!("/messagerie/messages/{id}"))
        .await;
    assert!(page.contains("Parents de 5A"));
    assert!(page.contains(&format!("action=\"/messagerie/messages/{id}/signer\"")));
    app.clock.advance(std::time::Duration::from_secs(3600));
    let (status, location, _) = app
        .post_form(&parent, &format!("/messagerie/messages/{id}/signer"), &[])
        .await;
    assert_eq!(status, 303);
    let (_, page) = app.get(&parent, &location).await;
    assert!(page.contains("Vous avez signé ce message le 01/09/2026 09:00."));
    assert!(!page.contains("/signer\""));
    let (_, mine) = app.get(&prof, &format!("/messagerie/messages/{id}")).await;
    assert!(mine.contains("1 sur 1 ont signé"));
    // The parent with the child she signs for (issue 14 §1), not her son at the lycée.
    assert!(mine.contains("<tr><th scope=\"row\">Nathalie ÉLÈVE (mère de Léa, 5A)</th><td data-label=\"Lu le\">01/09/2026 08:00</td><td data-label=\"Signé le\">01/09/2026 09:00</td></tr>"), "{mine}");
    assert!(!mine.contains("Tom"), "{mine}");
    // A pupil or a parent cannot ask for it.
    let r = send(
        &app,
        &parent,
        &[s.id("prof.a")],
        "Question",
        "?",
        &[("accuse", "1".into())],
    )
    .await;
    assert_eq!(r.status(), 422);
    // Acknowledging a message that asks nothing: a conflict.
    let r = send(
        &app,
        &prof,
        &[s.id("parent.a1")],
        "Info",
        "Rien à signer",
        &[],
    )
    .await;
    assert_eq!(r.status(), 303);
    let id = latest(&app);
    let (status, _, _) = api_post(
        &app,
        &parent,
        &format!("/api/v1/messagerie/messages/{id}/accuse"),
        serde_json::json!({}),
    )
    .await;
    assert_eq!(status, 409);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_local_admin_edits_the_communication_rules() {
    let app = TestApp::start().await;
    let s = &app.school;
    let path = format!("/admin/etablissements/{}/communication", s.college);
    let admin = app.as_user("admin.a").await;
    let (status, html) = app.get(&admin, &path).await;
    assert_eq!(status, 200);
    assert!(html.contains("Ce sont les règles par défaut."));
    assert!(html.contains("<label class=\"visuellement-cache\" for=\"r-eleve-eleve\">Des élèves vers les élèves</label>"));
    assert!(html.contains("aria-describedby=\"lies-parent-enseignant\""));
    assert!(html.contains("Parents vers enseignants : les enseignants de leurs enfants."));
    for login in ["prof.a", "cpe.a", "eleve.a1", "admin.b"] {
        let client = app.as_user(login).await;
        assert_eq!(app.get(&client, &path).await.0, 404, "{login}");
        let (status, _, _) = app
            .post_form(&client, &path, &[("action", "defauts")])
            .await;
        assert_eq!(status, 404, "{login}");
    }
    // Pupils may no longer write to pupils.
    let codes = ["eleve", "parent", "enseignant", "personnel"];
    let mut cells: Vec<(String, String)> = Vec::new();
    for from in codes {
        for to in codes {
            let value = match (from, to) {
                ("eleve", "eleve") => "personne",
                ("eleve", _) | ("parent", _) => "lies",
                _ => "tous",
            };
            cells.push((format!("r-{from}-{to}"), value.to_owned()));
        }
    }
    let fields: Vec<(&str, &str)> = cells
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut bad = fields.clone();
    bad[0].1 = "peut-etre";
    let (status, _, html) = app.post_form(&admin, &path, &bad).await;
    assert_eq!(status, 422);
    assert!(html.contains("rien n’a été changé"));
    let (status, location, _) = app.post_form(&admin, &path, &fields).await;
    assert_eq!((status, location), (303, format!("{path}?fait=enregistre")));
    let (_, html) = app.get(&admin, &path).await;
    assert!(html.contains("Modifiées le"));
    assert!(html.contains("<option value=\"personne\" selected>Personne</option>"));
    let lea = app.as_user("eleve.a1").await;
    let r = lea
        .get(app.url("/api/v1/messagerie/suggestions?q=durand"))
        .send()
        .await
        .unwrap();
    let found: serde_json::Value = r.json().await.unwrap();
    assert_eq!(found["suggestions"].as_array().unwrap().len(), 0);
    let r = send(&app, &lea, &[s.id("eleve.a2")], "Coucou", "?", &[]).await;
    assert_eq!(r.status(), 403);
    // Back to the defaults.
    let (status, _, _) = app.post_form(&admin, &path, &[("action", "defauts")]).await;
    assert_eq!(status, 303);
    let r = send(&app, &lea, &[s.id("eleve.a2")], "Coucou", "?", &[]).await;
    assert_eq!(r.status(), 303);
    let (_, journal) = app
        .get(
            &admin,
            &format!("/admin/etablissements/{}/journal", s.college),
        )
        .await;
    assert!(journal.contains("Règles de communication modifiées"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_folder_pages_fifty_at_a_time_with_an_older_link() {
    let app = TestApp::start().await;
    let s = &app.school;
    let prof = app.as_user("prof.a").await;
    for n in 0..51 {
        let (status, _, _) = api_post(
            &app,
            &prof,
            "/api/v1/messagerie/messages",
            serde_json::json!({ "recipients": [s.id("parent.a1").0], "subject": format!("Message n°{n:02}"), "body": "…" }),
        )
        .await;
        assert_eq!(status, 201);
        app.clock.advance(std::time::Duration::from_secs(1));
    }
    let parent = app.as_user("parent.a1").await;
    let (_, first) = app.get(&parent, "/messagerie").await;
    assert!(first.contains("Message n°50") && first.contains("Message n°01"));
    assert!(!first.contains("Message n°00"));
    assert!(first.contains(">Messagerie (51<"));
    let start = first
        .find("href=\"/messagerie?avant=")
        .expect("an older link")
        + 6;
    let href = first[start..]
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    let (status, older) = app.get(&parent, &href).await;
    assert_eq!(status, 200);
    assert!(older.contains("Message n°00") && !older.contains("Message n°01"));
    assert!(!older.contains("Messages plus anciens"));
    // The cursor keeps the search.
    let (_, searched) = app.get(&parent, "/messagerie?objet=message").await;
    assert!(
        searched.contains("href=\"/messagerie?objet=message&#38;avant=")
            || searched.contains("href=\"/messagerie?objet=message&amp;avant="),
        "{searched}"
    );
}

/// A malformed id in messaging's URLs (issue 13 §4) answers 404 like an id that does not exist:
/// the French page for the pages and forms, `problem+json` `not_found` for the API.
#[test_case::test_case("abc" ; "letters")]
#[test_case::test_case("+1" ; "a sign")]
#[test_case::test_case("0" ; "zero")]
#[test_case::test_case("-3" ; "negative")]
#[test_case::test_case("1.5" ; "a decimal")]
#[test_case::test_case("0x10" ; "hexadecimal")]
#[test_case::test_case("%201" ; "a space")]
#[test_case::test_case("99999999999999999999999" ; "too large")]
#[tokio::test(flavor = "multi_thread")]
async fn malformed_ids_answer_not_found(bad: &str) {
    let app = TestApp::start().await;
    let pupil = app.as_user("eleve.a1").await;
    let (status, known) = app.get(&pupil, "/messagerie/messages/999999").await;
    assert_eq!(status, 404);
    for path in [
        format!("/messagerie/messages/{bad}"),
        format!("/messagerie/messages/{bad}/pieces-jointes/0"),
        format!("/messagerie/dossiers/{bad}"),
        format!("/messagerie/nouveau?repondre={bad}"),
    ] {
        let (status, body) = app.get(&pupil, &path).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(body, known, "{path} answers like an unknown id");
    }
    for path in [
        format!("/messagerie/messages/{bad}/signer"),
        format!("/messagerie/messages/{bad}/non-lu"),
        format!("/messagerie/messages/{bad}/signaler"),
        format!("/messagerie/dossiers/{bad}/supprimer"),
    ] {
        let (status, _, body) = app.post_form(&pupil, &path, &[]).await;
        assert_eq!(status, 404, "POST {path}");
        assert_eq!(body, known, "POST {path} answers like an unknown id");
    }
    for (post, path) in [
        (false, format!("/api/v1/messagerie/messages/{bad}")),
        (false, format!("/api/v1/messagerie/dossiers/{bad}")),
        (true, format!("/api/v1/messagerie/messages/{bad}/accuse")),
        (true, format!("/api/v1/messagerie/messages/{bad}/rappel")),
        (
            true,
            format!("/api/v1/messagerie/messages/{bad}/signalement"),
        ),
    ] {
        let r = if post {
            pupil.post(app.url(&path)).json(&serde_json::json!({}))
        } else {
            pupil.get(app.url(&path))
        }
        .send()
        .await
        .unwrap();
        assert_eq!(r.status().as_u16(), 404, "{path}");
        assert_eq!(
            r.headers()["content-type"],
            "application/problem+json",
            "{path}"
        );
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["error"], "not_found", "{path}: {body}");
    }
}
