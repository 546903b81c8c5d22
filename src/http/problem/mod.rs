//! The one error map (issue 13 §2): every error a handler can return — the application's
//! [`Error`] and each domain's own enum — gets here its HTTP status, its code, its text (a
//! Fluent key, in the visitor's language) and its field errors, and is rendered in one of two
//! ways: an HTML page through [`crate::http::frame::error_page`] (with the request id), or, for
//! `/api/` requests, an RFC 9457 `application/problem+json` body.
//!
//! The domain's errors know no HTTP; handlers return `Result<_, E>` (or `E.into_response()`)
//! and never choose a status for an error. An [`Error`] turned into a response carries itself
//! to the [`render`] layer around the router, which knows the request (path, language, id) and
//! writes the body.
//!
//! Every error response is French (or the visitor's language) and never axum's English
//! plain text: [`Query`](crate::http::extract::Query) and [`Form`](crate::http::extract::Form)
//! refuse through [`query_rejection`] and [`form_rejection`], and the [`render`] layer turns
//! any error response that is still bare (no body, or `text/plain`: a 405, a multipart
//! rejection, axum's body limit) into the page or problem of its status ([`StatusProblem`]).
//! The page has a French title ([`title_key`]), the signed-in header (the layer looks the
//! session up only when it draws an error page), the request id for server errors, and a way
//! back (the previous page of this site, the portal). The problem body's `title` stays the
//! HTTP reason in English, as the API document says.
//!
//! A problem body holds the RFC's members (`type`, `title`, `status`, `detail`), the field
//! errors (`errors`: `[{"field", "detail"}]`), the request id (`request_id`), and the members
//! the API and the page scripts already read: `error` (a short code), `message` (the same text
//! as `detail`) and `field` (the first field in error).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::error::Error;
use crate::http::extract::{LANG_COOKIE, Tr, cookie};
use crate::i18n::Lang;
use crate::state::AppState;

mod accounts;
mod admin;
mod documents;
mod messaging;

pub use messaging::{conflict_key, messaging_field};

/// The media type of a problem body (RFC 9457 §3).
pub const PROBLEM_JSON: &str = "application/problem+json";

/// What the HTTP layer needs to know of an error: one implementation per error type, all in
/// this file.
pub trait Problem: std::fmt::Display + Send + Sync + 'static {
    /// The HTTP status.
    fn status(&self) -> StatusCode;
    /// A short, stable code (`not_found`, `rate_limited`…): the `error` member and the end of
    /// the `type` URI.
    fn code(&self) -> &'static str;
    /// What the visitor is told, in their language (never the cause's text).
    fn detail(&self, t: &Tr) -> String;
    /// The fields in error, each with its text.
    fn field_errors(&self, _t: &Tr) -> Vec<(String, String)> {
        Vec::new()
    }
    /// Seconds to wait before trying again (`Retry-After`).
    fn retry_after(&self) -> Option<u64> {
        None
    }
}

/// The text of an error (for a page that says it beside a form).
pub fn text(t: &Tr, e: &dyn Problem) -> String {
    e.detail(t)
}

/// The status of an error.
pub fn status(e: &dyn Problem) -> StatusCode {
    e.status()
}

/// Whether the user can act on an error beside the form (a field to correct), rather than
/// being shown the error page.
pub fn is_fixable(e: &dyn Problem) -> bool {
    e.status() == StatusCode::UNPROCESSABLE_ENTITY
}

/// The internal error text, with the request's id for the report.
fn internal(t: &Tr) -> String {
    t.msg1("erreur-interne", "numero", t.request_id().unwrap_or("—"))
}

/// A field error's text: a translation key, or (the directory's checks) a sentence already.
fn field_text(t: &Tr, text: &str) -> String {
    let is_key = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if is_key { t.msg(text) } else { text.to_owned() }
}

/// Logs the cause of a server error (within the request's span, which carries its id).
fn log(e: &dyn Problem) {
    if e.status().is_server_error() {
        tracing::error!(error = %e, "request failed");
    }
}

/// Adds `Retry-After` when the error has one.
pub fn add_retry_after(response: &mut Response, e: &dyn Problem) {
    if let Some(secs) = e.retry_after()
        && let Ok(v) = HeaderValue::from_str(&secs.to_string())
    {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
}

/// The problem body of an error.
pub fn body(t: &Tr, e: &dyn Problem) -> serde_json::Value {
    let status = e.status();
    let detail = e.detail(t);
    let errors = e.field_errors(t);
    let mut body = json!({
        "type": format!("urn:cartable:problem:{}", e.code()),
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "detail": detail,
        "error": e.code(),
        "message": detail,
        "request_id": t.request_id(),
    });
    if let Some((field, _)) = errors.first() {
        body["field"] = json!(field);
    }
    if !errors.is_empty() {
        body["errors"] = errors
            .into_iter()
            .map(|(field, detail)| json!({ "field": field, "detail": detail }))
            .collect();
    }
    body
}

/// An error as the JSON API (and the page scripts) say it: `application/problem+json`.
pub fn json(t: &Tr, e: &dyn Problem) -> Response {
    with_type(t, e, PROBLEM_JSON)
}

/// The same body as `application/json`: the answer to an unknown `/api/` path, which clients
/// (and `tests/it/accounts.rs`) read as plain JSON.
pub fn plain_json(t: &Tr, e: &dyn Problem) -> Response {
    with_type(t, e, "application/json")
}

fn with_type(t: &Tr, e: &dyn Problem, content_type: &'static str) -> Response {
    log(e);
    let mut response = (e.status(), body(t, e).to_string()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    add_retry_after(&mut response, e);
    response
}

/// A form shown again with its errors: the page the handler rendered beside the form, with
/// the error's status (422 for what the user can fix, 429 while throttled, 409 for a
/// conflict…) and its `Retry-After`. The one way a handler answers a refused form.
pub fn form_again(e: &dyn Problem, page: impl IntoResponse) -> Response {
    log(e);
    let mut response = (e.status(), page).into_response();
    add_retry_after(&mut response, e);
    response
}

/// An error as a page: the common error page in the visitor's language, with the header of
/// `user` (when signed in) and a link back to `back` (a path of this site).
pub fn page(
    t: &Tr,
    e: &dyn Problem,
    user: Option<crate::http::frame::UserBar>,
    back: Option<String>,
) -> Response {
    log(e);
    crate::http::frame::error_page(t, e, user, back)
}

/// The translation key of an error page's title (the HTML `<title>` and heading).
pub fn title_key(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 | 415 => "erreur-titre-requete",
        401 => "erreur-titre-connexion",
        403 => "erreur-titre-interdit",
        404 | 410 => "erreur-titre-introuvable",
        405 => "erreur-titre-methode",
        409 => "erreur-titre-conflit",
        413 => "erreur-titre-trop-gros",
        422 => "erreur-titre-saisie",
        429 => "erreur-titre-tentatives",
        500..=599 => "erreur-titre-interne",
        _ => "erreur-titre",
    }
}

/// An error waiting for the [`render`] layer (a response extension).
#[derive(Clone)]
struct Pending(Arc<dyn Problem>);

/// An error as a response whose body the [`render`] layer writes (it knows the request).
pub fn deferred<E: Problem>(e: E) -> Response {
    let mut response = e.status().into_response();
    add_retry_after(&mut response, &e);
    response.extensions_mut().insert(Pending(Arc::new(e)));
    response
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        deferred(self)
    }
}

/// What the [`render`] layer keeps of a request: cheap header clones, no parsing or
/// allocation on the way of a response that is not an error.
struct Kept {
    api: bool,
    cookies: Vec<HeaderValue>,
    accept: Option<HeaderValue>,
    id: Option<HeaderValue>,
    referer: Option<HeaderValue>,
    host: Option<HeaderValue>,
}

impl Kept {
    fn of(request: &Request) -> Kept {
        let headers = request.headers();
        Kept {
            api: request.uri().path().starts_with("/api/"),
            cookies: headers.get_all(header::COOKIE).iter().cloned().collect(),
            accept: headers.get(header::ACCEPT_LANGUAGE).cloned(),
            id: request
                .extensions()
                .get::<tower_http::request_id::RequestId>()
                .map(|id| id.header_value().clone()),
            referer: headers.get(header::REFERER).cloned(),
            host: headers.get(header::HOST).cloned().or_else(|| {
                let authority = request.uri().authority()?;
                HeaderValue::from_str(authority.as_str()).ok()
            }),
        }
    }

    /// The request's cookies as headers (the language choice, the session).
    fn cookie_headers(&self) -> axum::http::HeaderMap {
        let mut kept = axum::http::HeaderMap::new();
        for value in &self.cookies {
            kept.append(header::COOKIE, value.clone());
        }
        kept
    }

    /// The previous page when it is one of this site's (the `Referer`'s path and query).
    fn back(&self) -> Option<String> {
        let referer = self.referer.as_ref()?.to_str().ok()?;
        let host = self.host.as_ref()?.to_str().ok()?;
        back_link(referer, host)
    }
}

/// The path and query of `referer` when it points to `host`, as a link of this site (never
/// `//other.host`, never over 2,000 bytes).
fn back_link(referer: &str, host: &str) -> Option<String> {
    let uri: axum::http::Uri = referer.parse().ok()?;
    let same = uri
        .authority()
        .is_some_and(|a| a.as_str().eq_ignore_ascii_case(host));
    let path = uri.path_and_query()?.as_str();
    (same && path.starts_with('/') && !path.starts_with("//") && path.len() <= 2000)
        .then(|| path.to_owned())
}

/// Whether a response is an error still bare: no body type, or axum's `text/plain` (a 405,
/// an extractor's rejection, the body limit's 413).
fn is_bare_error(response: &Response) -> bool {
    let status = response.status();
    (status.is_client_error() || status.is_server_error())
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_none_or(|v| v.starts_with("text/plain"))
}

/// The layer around the router that writes the body of every [`deferred`] error, and of every
/// bare error response (a [`StatusProblem`]): problem+json under `/api/`, else the error page,
/// whose header needs the session: looked up here, only when an error page is drawn. Headers
/// the inner response set (`Allow`, `Retry-After`, `Content-Range`, cookies) are kept.
pub async fn render(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let kept = Kept::of(&request);
    let mut response = next.run(request).await;
    let e: Arc<dyn Problem> = match response.extensions_mut().remove::<Pending>() {
        Some(Pending(e)) => e,
        None if is_bare_error(&response) => Arc::new(StatusProblem(response.status())),
        None => return response,
    };
    let cookies = kept.cookie_headers();
    let lang = Lang::negotiate(
        cookie(&cookies, LANG_COOKIE),
        kept.accept.as_ref().and_then(|v| v.to_str().ok()),
    );
    let mut t = Tr::new(lang, state.i18n.clone());
    if let Some(id) = kept.id.clone() {
        t = t.with_request_id_value(id);
    }
    let mut fresh = if kept.api {
        json(&t, &*e)
    } else {
        let user = crate::http::extract::signed_in(&cookies, &state)
            .await
            .map(|user| crate::http::frame::error_bar(&user));
        page(&t, &*e, user, kept.back())
    };
    let (old, _) = response.into_parts();
    for name in old.headers.keys() {
        if !fresh.headers().contains_key(name)
            && name != header::CONTENT_TYPE
            && name != header::CONTENT_LENGTH
        {
            for value in old.headers.get_all(name) {
                fresh.headers_mut().append(name.clone(), value.clone());
            }
        }
    }
    fresh
}

/// An error response that came without a body of ours (a 405 from the router, a 400 or 415
/// from an extractor of axum, a 413 from the body limit): said by its status alone.
#[derive(Debug)]
pub struct StatusProblem(pub StatusCode);

impl std::fmt::Display for StatusProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "bare error response {}", self.0)
    }
}

impl Problem for StatusProblem {
    fn status(&self) -> StatusCode {
        self.0
    }

    fn code(&self) -> &'static str {
        match self.0.as_u16() {
            400 | 415 => "bad_request",
            401 => "unauthenticated",
            403 => "forbidden",
            404 => "not_found",
            405 => "method_not_allowed",
            409 => "conflict",
            413 => "body_too_large",
            422 => "invalid",
            429 => "rate_limited",
            500..=599 => "internal",
            _ => "error",
        }
    }

    fn detail(&self, t: &Tr) -> String {
        match self.0.as_u16() {
            400 | 415 | 422 => t.msg("erreur-requete"),
            401 => t.msg("erreur-connexion-requise"),
            403 => t.msg("erreur-interdit"),
            404 => t.msg("erreur-introuvable"),
            405 => t.msg("erreur-methode"),
            409 => t.msg("erreur-conflit"),
            413 => t.msg("erreur-corps-trop-gros"),
            500..=599 => internal(t),
            _ => t.msg("erreur-requete"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The application's error.
// ---------------------------------------------------------------------------------------------

impl Problem for Error {
    fn status(&self) -> StatusCode {
        match self {
            Error::NotFound => StatusCode::NOT_FOUND,
            Error::Forbidden | Error::Csrf => StatusCode::FORBIDDEN,
            Error::Unauthenticated => StatusCode::UNAUTHORIZED,
            Error::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Error::Conflict => StatusCode::CONFLICT,
            Error::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            Error::Store(_) | Error::Io(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Error::NotFound => "not_found",
            Error::Forbidden => "forbidden",
            Error::Unauthenticated => "unauthenticated",
            Error::Invalid(_) => "invalid",
            Error::Conflict => "conflict",
            Error::Csrf => "csrf",
            Error::RateLimited(_) => "rate_limited",
            Error::Store(_) | Error::Io(_) => "internal",
        }
    }

    fn detail(&self, t: &Tr) -> String {
        match self {
            Error::NotFound => t.msg("erreur-introuvable"),
            Error::Forbidden => t.msg("erreur-interdit"),
            Error::Unauthenticated => t.msg("erreur-connexion-requise"),
            Error::Invalid(_) => t.msg("erreur-saisie"),
            Error::Conflict => t.msg("erreur-conflit"),
            Error::Csrf => t.msg("erreur-csrf"),
            Error::RateLimited(secs) => t.count("erreur-trop-de-tentatives", "secondes", *secs),
            Error::Store(_) | Error::Io(_) => internal(t),
        }
    }

    fn field_errors(&self, t: &Tr) -> Vec<(String, String)> {
        match self {
            Error::Invalid(fields) => fields
                .iter()
                .map(|(field, text)| (field.clone(), field_text(t, text)))
                .collect(),
            _ => Vec::new(),
        }
    }

    fn retry_after(&self) -> Option<u64> {
        match self {
            Error::RateLimited(secs) => Some(*secs),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What the HTTP layer itself refuses.
// ---------------------------------------------------------------------------------------------

/// A request the HTTP layer refuses before any domain call: a body it cannot read.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// The body is over the request body limit.
    #[error("body too large")]
    BodyTooLarge,
    /// The JSON body does not read; the translation key says what to send.
    #[error("unreadable body")]
    Unreadable(&'static str),
    /// A query string value does not read (`?avant=abc`).
    #[error("unreadable query string")]
    BadQuery,
    /// A form body does not read (a missing or malformed field: not what the page sends).
    #[error("unreadable form")]
    BadForm,
    /// A field of the body does not validate; the translation key says what to do.
    #[error("{field}: {key}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// Translation key of what to do.
        key: &'static str,
    },
}

/// 413 for a body over the limit, 422 for a JSON body that does not read, 400 for a query
/// string or a form that does not.
impl Problem for RequestError {
    fn status(&self) -> StatusCode {
        match self {
            RequestError::BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            RequestError::BadQuery | RequestError::BadForm => StatusCode::BAD_REQUEST,
            RequestError::Unreadable(_) | RequestError::Invalid { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
        }
    }

    fn code(&self) -> &'static str {
        match self {
            RequestError::BodyTooLarge => "body_too_large",
            RequestError::BadQuery => "invalid_query",
            RequestError::BadForm => "invalid_form",
            RequestError::Unreadable(_) => "invalid_body",
            RequestError::Invalid { .. } => "invalid",
        }
    }

    fn detail(&self, t: &Tr) -> String {
        match self {
            RequestError::BodyTooLarge => t.msg("erreur-corps-trop-gros"),
            RequestError::BadQuery => t.msg("erreur-parametre"),
            RequestError::BadForm => t.msg("erreur-formulaire"),
            RequestError::Unreadable(key) | RequestError::Invalid { key, .. } => t.msg(key),
        }
    }

    fn field_errors(&self, t: &Tr) -> Vec<(String, String)> {
        match self {
            RequestError::Invalid { field, key } => vec![((*field).to_owned(), t.msg(key))],
            _ => Vec::new(),
        }
    }
}

/// A JSON body's extraction failure: 413 over the limit, else "send this shape" (`key`).
pub fn body_rejection(
    rejection: &axum::extract::rejection::JsonRejection,
    key: &'static str,
) -> RequestError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        RequestError::BodyTooLarge
    } else {
        RequestError::Unreadable(key)
    }
}

/// A query string that does not read: "bad query" (axum's English reason only in the log).
pub fn query_rejection(rejection: &axum::extract::rejection::QueryRejection) -> RequestError {
    tracing::info!(reason = %rejection.body_text(), "query string refused");
    RequestError::BadQuery
}

/// A form that does not read: 413 over the limit, else "bad form".
pub fn form_rejection(rejection: &axum::extract::rejection::FormRejection) -> RequestError {
    tracing::info!(reason = %rejection.body_text(), "form refused");
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        RequestError::BodyTooLarge
    } else {
        RequestError::BadForm
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::documents::DocumentError;
    use crate::domain::messaging::MessagingError;

    fn tr(lang: Lang) -> Tr {
        Tr::new(lang, Arc::new(crate::i18n::Catalog::load().unwrap())).with_request_id("req-42")
    }

    #[test]
    fn a_problem_body_has_the_rfc_members_and_the_old_ones() {
        let t = tr(Lang::Fr);
        let body = body(
            &t,
            &MessagingError::Invalid {
                field: "objet",
                key: "messagerie-erreur-objet",
            },
        );
        assert_eq!(body["status"], 422);
        assert_eq!(body["type"], "urn:cartable:problem:invalid");
        assert_eq!(body["title"], "Unprocessable Entity");
        assert_eq!(body["error"], "invalid");
        assert_eq!(body["field"], "objet");
        assert_eq!(body["errors"][0]["field"], "objet");
        assert_eq!(body["detail"], body["message"]);
        assert_eq!(body["request_id"], "req-42");
    }

    #[test]
    fn texts_are_translated_and_internal_errors_carry_the_request_id() {
        let fr = tr(Lang::Fr);
        let en = tr(Lang::En);
        assert_eq!(Error::Forbidden.detail(&fr), fr.msg("erreur-interdit"));
        assert_ne!(Error::Forbidden.detail(&fr), Error::Forbidden.detail(&en));
        let internal = Error::Io(std::io::Error::other("disk on fire"));
        assert!(internal.detail(&en).contains("req-42"));
        assert!(!internal.detail(&en).contains("disk"));
        assert_eq!(
            Error::Invalid(vec![("login".into(), "Déjà pris.".into())]).field_errors(&fr),
            vec![("login".to_owned(), "Déjà pris.".to_owned())]
        );
    }

    #[test]
    fn the_way_back_is_a_page_of_this_site_only() {
        let host = "ent.example:8443";
        assert_eq!(
            back_link("https://ent.example:8443/messagerie?avant=3", host).as_deref(),
            Some("/messagerie?avant=3")
        );
        assert_eq!(
            back_link("https://ENT.example:8443/", host).as_deref(),
            Some("/")
        );
        for foreign in [
            "https://ailleurs.example/messagerie",
            "https://ent.example:8443//ailleurs.example/x",
            "/relative",
            "javascript:alert(1)",
            "pas une adresse",
        ] {
            assert_eq!(back_link(foreign, host), None, "{foreign}");
        }
        let long = format!("https://{host}/{}", "a".repeat(3000));
        assert_eq!(back_link(&long, host), None);
    }

    #[test]
    fn bare_statuses_and_titles_are_said_in_the_visitors_language() {
        let (fr, en) = (tr(Lang::Fr), tr(Lang::En));
        for status in [
            400, 401, 403, 404, 405, 409, 413, 415, 416, 422, 429, 500, 503,
        ] {
            let status = StatusCode::from_u16(status).unwrap();
            let e = StatusProblem(status);
            assert_eq!(e.status(), status);
            for t in [&fr, &en] {
                let (title, detail) = (t.msg(title_key(status)), e.detail(t));
                assert!(!title.starts_with("erreur-"), "{status}: {title}");
                assert!(!detail.starts_with("erreur-"), "{status}: {detail}");
            }
            assert_ne!(fr.msg(title_key(status)), en.msg(title_key(status)));
        }
        assert!(
            StatusProblem(StatusCode::BAD_GATEWAY)
                .detail(&fr)
                .contains("req-42")
        );
        assert_eq!(RequestError::BadQuery.status(), StatusCode::BAD_REQUEST);
        assert_eq!(RequestError::BadForm.code(), "invalid_form");
    }

    #[test]
    fn every_refusal_has_its_status() {
        assert_eq!(Error::Csrf.status(), StatusCode::FORBIDDEN);
        assert_eq!(Error::RateLimited(3).retry_after(), Some(3));
        assert_eq!(
            MessagingError::DraftRateLimited(5).status(),
            StatusCode::TOO_MANY_REQUESTS
        );
        assert_eq!(MessagingError::Frozen.status(), StatusCode::CONFLICT);
        assert!(is_fixable(&DocumentError::QuotaExceeded {
            used: 1,
            quota: 2
        }));
        assert!(!is_fixable(&DocumentError::Forbidden));
    }
}
