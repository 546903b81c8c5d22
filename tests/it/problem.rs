//! The one error map (issue 13 §2): an API error answers RFC 9457 `application/problem+json`
//! with its request id (and the members the scripts read); a page error is the error page in
//! the visitor's language (Fluent).

use serde_json::Value;

use crate::common::app::TestApp;

/// The status, the content type, the `x-request-id` header and the body of a response.
async fn parts(r: reqwest::Response) -> (u16, String, String, String) {
    let status = r.status().as_u16();
    let header = |name: &str| {
        r.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let (kind, id) = (header("content-type"), header("x-request-id"));
    (status, kind, id, r.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn an_api_error_is_a_problem_with_its_request_id() {
    let app = TestApp::start().await;

    // Not signed in: 401, French by default.
    let r = app
        .client()
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap();
    let (status, kind, id, body) = parts(r).await;
    assert_eq!((status, kind.as_str()), (401, "application/problem+json"));
    let json: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["type"], "urn:cartable:problem:unauthenticated");
    assert_eq!(json["title"], "Unauthorized");
    assert_eq!(json["status"], 401);
    assert_eq!(json["detail"], "Connectez-vous pour continuer.");
    assert_eq!(json["message"], json["detail"]);
    assert_eq!(json["error"], "unauthenticated");
    assert!(!id.is_empty());
    assert_eq!(json["request_id"], id.as_str());

    // A message that does not exist, asked in English.
    let prof = app.as_user("prof.a").await;
    let r = prof
        .get(app.url("/api/v1/messagerie/messages/999999"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    let (status, kind, id, body) = parts(r).await;
    assert_eq!((status, kind.as_str()), (404, "application/problem+json"));
    let json: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["status"], 404);
    assert_eq!(json["error"], "not_found");
    assert_eq!(
        json["detail"],
        "This page does not exist or you do not have access to it."
    );
    assert_eq!(json["request_id"], id.as_str());

    // A body that does not read: a field error.
    let r = prof
        .post(app.url("/api/v1/messagerie/messages"))
        .header("content-type", "application/json")
        .body("[1")
        .send()
        .await
        .unwrap();
    let (status, kind, _, body) = parts(r).await;
    assert_eq!((status, kind.as_str()), (422, "application/problem+json"));
    let json: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["field"], "body");
    assert_eq!(json["errors"][0]["field"], "body");
    assert_eq!(json["errors"][0]["detail"], json["detail"]);

    // Wrong credentials: 401 with the sign-in page's sentence.
    let r = app
        .client()
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body(r#"{"login": "prof.a", "password": "faux"}"#)
        .send()
        .await
        .unwrap();
    let (status, kind, _, body) = parts(r).await;
    assert_eq!((status, kind.as_str()), (401, "application/problem+json"));
    let json: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["error"], "wrong_credentials");
    assert!(
        json["detail"]
            .as_str()
            .unwrap()
            .starts_with("Identifiant ou mot de passe incorrect.")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_error_speaks_the_visitors_language() {
    let app = TestApp::start().await;
    let prof = app.as_user("prof.a").await;
    for (lang, text, expired) in [
        (
            "fr",
            "Cette page n’existe pas ou vous n’y avez pas accès.",
            "Le formulaire a expiré",
        ),
        (
            "en",
            "This page does not exist or you do not have access to it.",
            "The form has expired",
        ),
    ] {
        let r = prof
            .get(app.url("/messagerie/messages/999999"))
            .header("accept-language", lang)
            .send()
            .await
            .unwrap();
        let (status, kind, _, html) = parts(r).await;
        assert_eq!(status, 404, "{lang}");
        assert!(kind.starts_with("text/html"), "{lang}: {kind}");
        assert!(html.contains(text), "{lang}: {html}");

        // A form without its token: the error page, not JSON.
        let r = prof
            .post(app.url("/messagerie/messages/1/non-lu"))
            .header("accept-language", lang)
            .form(&[("x", "1")])
            .send()
            .await
            .unwrap();
        let (status, kind, _, html) = parts(r).await;
        assert_eq!(status, 403, "{lang}");
        assert!(kind.starts_with("text/html"), "{lang}: {kind}");
        assert!(html.contains(expired), "{lang}: {html}");
    }
}
