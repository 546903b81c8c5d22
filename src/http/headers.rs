//! Security headers on every response (DESIGN.md §5) and the request id.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::request_id::{MakeRequestId, RequestId};

/// The Content-Security-Policy: no inline script, nothing from elsewhere, no framing.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
frame-ancestors 'none'";

const HSTS: &str = "max-age=31536000; includeSubDomains";

fn set_default(response: &mut Response, name: HeaderName, value: &'static str) {
    response
        .headers_mut()
        .entry(name)
        .or_insert(HeaderValue::from_static(value));
}

/// Middleware adding the security headers (and `Cache-Control: no-store` on private answers); the state says whether the listener is HTTPS
/// (HSTS is only sent over HTTPS).
pub async fn security_headers(
    axum::extract::State(https): axum::extract::State<bool>,
    request: Request,
    next: Next,
) -> Response {
    let private = is_private(&request);
    let mut response = next.run(request).await;
    if private || response.headers().contains_key(header::SET_COOKIE) {
        // A handler may say more (`private, no-cache` on downloads, with their validators).
        set_default(&mut response, header::CACHE_CONTROL, "no-store");
    }
    set_default(&mut response, header::CONTENT_SECURITY_POLICY, CSP);
    set_default(&mut response, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set_default(&mut response, header::X_FRAME_OPTIONS, "DENY");
    set_default(&mut response, header::REFERRER_POLICY, "same-origin");
    set_default(
        &mut response,
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=()",
    );
    set_default(
        &mut response,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    if https {
        set_default(&mut response, header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    response
}

/// Whether the answer to `request` may hold someone's data, so no cache may keep it: every
/// request carrying a session cookie (valid or not: checking it here would cost a store read),
/// and the whole JSON API (answers that set a cookie too). Static files keep their own cache.
fn is_private(request: &Request) -> bool {
    let path = request.uri().path();
    if path.starts_with("/static/") {
        return false;
    }
    path.starts_with("/api/")
        || crate::http::extract::cookie(request.headers(), crate::domain::accounts::session::COOKIE)
            .is_some()
}

/// Request ids: a random per-process prefix and a counter, short enough to read out on the phone.
#[derive(Clone)]
pub struct RequestIds {
    prefix: u32,
    next: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl RequestIds {
    /// A new generator.
    pub fn new() -> RequestIds {
        let mut bytes = [0u8; 4];
        // Without randomness the prefix is 0: ids stay unique within the process.
        let _ = getrandom::fill(&mut bytes);
        RequestIds {
            prefix: u32::from_be_bytes(bytes),
            next: Default::default(),
        }
    }
}

impl Default for RequestIds {
    fn default() -> Self {
        Self::new()
    }
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _request: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        HeaderValue::from_str(&format!("{:08x}-{n}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}
