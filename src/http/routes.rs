//! Every route of Cartable, grouped by domain, with its guard (STYLE.md §1).

use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::routing::{get, post};
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use super::{admin, api, assets, csrf, headers, health, pages, redirect};
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

/// Every route of the application with its handler. Guards: `CurrentUser` in a handler's
/// arguments requires a session (pages redirect to `/connexion`, the API answers 401); every
/// unsafe method passes the CSRF guard, which wraps the whole router.
pub fn route_table() -> Vec<(&'static str, axum::routing::MethodRouter<AppState>)> {
    vec![
        // Public: probes, the sign-in page, static files, the language switch.
        ("/healthz", get(health::healthz)),
        ("/static/{file}", get(assets::file)),
        (
            "/connexion",
            get(pages::sign_in_form).post(pages::sign_in_submit),
        ),
        ("/langue/{code}", get(pages::language)),
        // Signed in: portal, profiles, classes, sessions.
        ("/", get(pages::portal_page)),
        ("/deconnexion", post(pages::sign_out)),
        ("/profil", get(pages::own_profile)),
        (
            "/profil/mot-de-passe",
            get(pages::password_form).post(pages::password_submit),
        ),
        ("/personnes/{id}", get(pages::person)),
        ("/classes/{id}", get(pages::class)),
        ("/sessions", get(pages::sessions)),
        ("/sessions/terminer", post(pages::end_session)),
        // Administration: `domain::admin` decides (404 for anyone who does not administer the
        // establishment or person).
        ("/admin", get(admin::home)),
        ("/admin/etablissements/{id}/personnes", get(admin::search)),
        ("/admin/etablissements/{id}/journal", get(admin::journal)),
        ("/admin/personnes/{id}", get(admin::person)),
        ("/admin/personnes/{id}/desactiver", post(admin::disable)),
        ("/admin/personnes/{id}/reactiver", post(admin::enable)),
        (
            "/admin/personnes/{id}/mot-de-passe",
            post(admin::reset_password),
        ),
        // JSON API.
        ("/api/v1/auth/login", post(api::login)),
        ("/api/v1/auth/logout", post(api::logout)),
        ("/api/v1/me", get(api::me)),
        ("/api/v1/openapi.json", get(api::openapi)),
    ]
}

/// The application.
pub fn app(state: AppState, scheme: Scheme) -> Router {
    let mut router = Router::new();
    for (path, route) in route_table() {
        router = router.route(path, route);
    }
    let router = router
        .fallback(|t: pages_tr::Tr, uri: axum::http::Uri| async move {
            if uri.path().starts_with("/api/") {
                axum::response::IntoResponse::into_response(Error::NotFound)
            } else {
                pages::error_page(&t, &Error::NotFound)
            }
        })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf::guard,
        ))
        .with_state(state);
    finish(router, scheme)
}

use super::extract as pages_tr;

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
