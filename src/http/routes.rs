//! Every route of Cartable, grouped by domain, with its guard (STYLE.md §1).

use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::routing::get;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use super::{assets, headers, health, redirect};
use crate::error::Error;
use crate::state::AppState;

/// Whether a router serves over TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// HTTPS.
    Https,
    /// Plain HTTP (behind a reverse proxy that does TLS).
    Http,
}

/// The application.
pub fn app(state: AppState, scheme: Scheme) -> Router {
    let router = Router::new()
        // Public: probes and the welcome page.
        .route("/healthz", get(health::healthz))
        .route("/", get(assets::home))
        .route("/static/{file}", get(assets::file))
        .fallback(|| async { Error::NotFound })
        .with_state(state);
    finish(router, scheme)
}

/// The plain-HTTP listener in redirect mode: everything goes to HTTPS except `/healthz`.
pub fn redirect_to_https(state: AppState, https_port: u16) -> Router {
    let router = Router::new()
        .route("/healthz", get(health::healthz))
        .fallback(move |req: Request| redirect::to_https(req, https_port))
        .with_state(state);
    finish(router, Scheme::Http)
}

/// Layers every router gets: request id, one tracing span per request, security headers.
fn finish(router: Router, scheme: Scheme) -> Router {
    let security =
        axum::middleware::from_fn_with_state(scheme == Scheme::Https, headers::security_headers);
    router
        .layer(security)
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    // The route template, never the raw URI (it may carry tokens or names).
                    let route = req
                        .extensions()
                        .get::<MatchedPath>()
                        .map_or("(unmatched)", MatchedPath::as_str);
                    let id = req
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!("request", method = %req.method(), route, id)
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(headers::RequestIds::new()))
}
