//! Plain HTTP → HTTPS redirect.

use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

/// Redirects (308, method kept) to the same path on the HTTPS port. The host is the request's
/// `Host` without its port; a malformed one gets a 400 rather than a redirect elsewhere.
pub async fn to_https(req: Request, https_port: u16) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(strip_port)
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':'))
        });
    let Some(host) = host else {
        return (StatusCode::BAD_REQUEST, "missing or malformed Host header").into_response();
    };
    let path = req
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    let target = if https_port == 443 {
        format!("https://{host}{path}")
    } else {
        format!("https://{host}:{https_port}{path}")
    };
    Redirect::permanent(&target).into_response()
}

fn strip_port(host: &str) -> &str {
    if let Some(end) = host.find(']') {
        &host[..=end]
    } else {
        host.split(':').next().unwrap_or(host)
    }
}
