//! CSRF protection for every unsafe request, as one layer over the whole router, so that a
//! route cannot be added without it (a test posts to every route without a token).
//!
//! 1. `Sec-Fetch-Site` must be `same-origin` or `none`; without it, `Origin` (if sent) must be
//!    this host.
//! 2. A form (`application/x-www-form-urlencoded`) must carry `_csrf`, derived from the session
//!    token — or, before sign-in, from the `__Host-cartable-pre` cookie set by the sign-in page,
//!    or during an activation from its ticket cookie.
//!    A file upload (`multipart/form-data`) carries it in the form's action URL (`?_csrf=`),
//!    as the guard does not parse multipart bodies. JSON requests (`application/json` exactly)
//!    need no token: a browser cannot send them cross-site without a CORS preflight, which
//!    Cartable never grants. Anything else is refused.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::domain::accounts::session::{COOKIE, SessionToken};
use crate::error::Error;
use crate::http::extract::cookie;

/// The pre-session cookie that anchors the sign-in form's CSRF token.
pub const PRE_SESSION_COOKIE: &str = "__Host-cartable-pre";

/// The form field carrying the token.
pub const FIELD: &str = "_csrf";

/// Largest form body read by the guard.
const MAX_FORM: usize = 1024 * 1024;

fn same_site(request: &Request) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => {
            let host = headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .or_else(|| request.uri().authority().map(|a| a.as_str()));
            let origin_host = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"));
            matches!((origin_host, host), (Some(o), Some(h)) if o == h)
        }
    }
}

/// The tokens a form may carry for this request.
fn expected_tokens(request: &Request) -> Vec<String> {
    [
        COOKIE,
        PRE_SESSION_COOKIE,
        crate::http::account::activation::TICKET_COOKIE,
    ]
    .into_iter()
    .filter_map(|name| cookie(request.headers(), name).and_then(SessionToken::parse))
    .map(|t| t.csrf())
    .collect()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The refusal: its page or problem body is written by `problem::render` (which knows the
/// request's language and whether it is an API call).
fn refuse() -> Response {
    tracing::info!("CSRF check failed");
    Error::Csrf.into_response()
}

/// The guard (a middleware over the whole application).
pub async fn guard(request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    ) {
        return next.run(request).await;
    }
    if !same_site(&request) {
        return refuse();
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    if content_type == "application/json" {
        return next.run(request).await;
    }
    if content_type == "multipart/form-data" {
        let sent = request.uri().query().and_then(|q| {
            form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == FIELD)
                .map(|(_, v)| v.into_owned())
        });
        let expected = expected_tokens(&request);
        let ok = sent.is_some_and(|s| {
            expected
                .iter()
                .any(|e| constant_time_eq(e.as_bytes(), s.as_bytes()))
        });
        return if ok {
            next.run(request).await
        } else {
            refuse()
        };
    }
    if content_type != "application/x-www-form-urlencoded" {
        return refuse();
    }
    let expected = expected_tokens(&request);
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_FORM).await else {
        return refuse();
    };
    let sent = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v.into_owned());
    let ok = sent.is_some_and(|s| {
        expected
            .iter()
            .any(|e| constant_time_eq(e.as_bytes(), s.as_bytes()))
    });
    let request = Request::from_parts(parts, Body::from(bytes));
    if ok {
        next.run(request).await
    } else {
        refuse()
    }
}
