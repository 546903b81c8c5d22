//! Every route of Cartable, grouped by domain, with its guard (STYLE.md §1).

use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::routing::{get, post};
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use crate::error::Error;
use crate::http::account::{activation, password, recovery, sessions, signin};
use crate::http::admin::{
    self as admin, accounts as admin_accounts, activation as admin_activation,
    import as admin_import, mail as admin_mail, messaging as admin_messaging,
    structure as admin_structure,
};
use crate::http::messaging::api as api_messaging;
use crate::http::{
    api, assets, csrf, directory, documents, headers, health, messaging, notifications, portal,
    problem, redirect, search,
};
use crate::model::directory::{ClassId, GroupId};
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
/// The pages come first, then [`api_routes`].
///
/// Code outside `http/` (mails, search hits, portal tiles) builds the paths it links to with
/// `domain::paths`; a test below holds every builder there to a route of this table, so a
/// route renamed here fails until the builders follow.
pub fn route_table() -> Vec<(String, axum::routing::MethodRouter<AppState>)> {
    let pages: Vec<(&str, axum::routing::MethodRouter<AppState>)> = vec![
        // Public: the sign-in page, static files, the language switch (the health probe is in
        // `api_routes`, being in the OpenAPI document).
        ("/static/{file}", get(assets::file)),
        (
            "/connexion",
            get(signin::sign_in_form).post(signin::sign_in_submit),
        ),
        ("/langue/{code}", get(signin::language)),
        // Public: first sign-in with a code, password recovery by mail.
        (
            "/activation",
            get(activation::code_form).post(activation::code_submit),
        ),
        (
            "/activation/mot-de-passe",
            get(activation::password_form).post(activation::password_submit),
        ),
        (
            "/activation/charte",
            get(activation::charter_step_form).post(activation::charter_step_submit),
        ),
        (
            "/mot-de-passe-oublie",
            get(recovery::forgot_form).post(recovery::forgot_submit),
        ),
        (
            "/mot-de-passe-oublie/{jeton}",
            get(recovery::new_password_form).post(recovery::new_password_submit),
        ),
        // Signed in: portal, profiles, classes, sessions.
        ("/", get(portal::portal_page)),
        ("/deconnexion", post(signin::sign_out)),
        ("/profil", get(directory::own_profile)),
        (
            "/profil/mot-de-passe",
            get(password::password_form).post(password::password_submit),
        ),
        ("/personnes/{id}", get(directory::person)),
        ("/classes/{id}", get(directory::class)),
        ("/sessions", get(sessions::sessions)),
        ("/sessions/terminer", post(sessions::end_session)),
        (
            "/charte",
            get(activation::charter_form).post(activation::charter_submit),
        ),
        // Notifications: the news and the mail preferences.
        ("/actualites", get(notifications::news)),
        (
            "/profil/notifications",
            get(notifications::prefs_form).post(notifications::prefs_submit),
        ),
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
        // Administration: activation letters, the charter, the mail queue.
        (
            "/admin/etablissements/{id}/courriers",
            get(admin_activation::letters_page).post(admin_activation::print_letters),
        ),
        (
            "/admin/personnes/{id}/courrier",
            post(admin_activation::print_person_letter),
        ),
        (
            "/admin/etablissements/{id}/charte",
            get(admin_activation::charter_form).post(admin_activation::charter_submit),
        ),
        ("/admin/courriels", get(admin_mail::mail_queue)),
        ("/admin/courriels/{id}/reessayer", post(admin_mail::retry)),
        ("/admin/courriels/{id}/annuler", post(admin_mail::cancel)),
        // Administration: importing a spreadsheet (upload, dry run, confirmation).
        (
            "/admin/etablissements/{id}/import",
            get(admin_import::form).post(admin_import::preview).layer(
                axum::extract::DefaultBodyLimit::max(admin_import::BODY_LIMIT),
            ),
        ),
        (
            "/admin/etablissements/{id}/import/confirmer",
            post(admin_import::confirm),
        ),
        // Administration: accounts and establishments. `domain::admin::accounts` decides: local
        // admins in their establishments, the platform administrator everywhere and alone for
        // establishments and local administrators; 404 for everyone else.
        (
            "/admin/etablissements/{id}/personnes/nouvelle",
            get(admin_accounts::new_account_form).post(admin_accounts::new_account_submit),
        ),
        (
            "/admin/personnes/{id}/modifier",
            get(admin_accounts::edit_form).post(admin_accounts::edit_submit),
        ),
        (
            "/admin/etablissements/nouveau",
            get(admin_accounts::new_establishment_form)
                .post(admin_accounts::new_establishment_submit),
        ),
        (
            "/admin/etablissements/{id}/administrateurs",
            get(admin_accounts::admins).post(admin_accounts::name_admin),
        ),
        (
            "/admin/etablissements/{id}/administrateurs/{person}/retirer",
            post(admin_accounts::remove_admin),
        ),
        // Administration: classes, groups, subjects, teachings, parent links.
        // `domain::admin::structure` decides: the administrators of the establishment that owns
        // the object (of one where the pupil is a pupil, for parent links); 404 for everyone
        // else and for ids that are not numbers.
        (
            "/admin/etablissements/{id}/classes",
            get(admin_structure::list::<ClassId>).post(admin_structure::create::<ClassId>),
        ),
        (
            "/admin/etablissements/{id}/groupes",
            get(admin_structure::list::<GroupId>).post(admin_structure::create::<GroupId>),
        ),
        (
            "/admin/etablissements/{id}/matieres",
            get(admin_structure::subjects).post(admin_structure::create_subject),
        ),
        ("/admin/classes/{id}", get(admin_structure::show::<ClassId>)),
        (
            "/admin/classes/{id}/modifier",
            post(admin_structure::edit::<ClassId>),
        ),
        (
            "/admin/classes/{id}/professeur-principal",
            post(admin_structure::class_head_teacher),
        ),
        (
            "/admin/classes/{id}/eleves",
            post(admin_structure::add_pupil::<ClassId>),
        ),
        (
            "/admin/classes/{id}/eleves/{pupil}/retirer",
            post(admin_structure::remove_pupil::<ClassId>),
        ),
        (
            "/admin/classes/{id}/enseignements",
            post(admin_structure::add_teaching::<ClassId>),
        ),
        (
            "/admin/classes/{id}/enseignements/{teaching}/retirer",
            post(admin_structure::remove_teaching::<ClassId>),
        ),
        (
            "/admin/classes/{id}/supprimer",
            post(admin_structure::delete::<ClassId>),
        ),
        ("/admin/groupes/{id}", get(admin_structure::show::<GroupId>)),
        (
            "/admin/groupes/{id}/modifier",
            post(admin_structure::edit::<GroupId>),
        ),
        (
            "/admin/groupes/{id}/eleves",
            post(admin_structure::add_pupil::<GroupId>),
        ),
        (
            "/admin/groupes/{id}/eleves/{pupil}/retirer",
            post(admin_structure::remove_pupil::<GroupId>),
        ),
        (
            "/admin/groupes/{id}/enseignements",
            post(admin_structure::add_teaching::<GroupId>),
        ),
        (
            "/admin/groupes/{id}/enseignements/{teaching}/retirer",
            post(admin_structure::remove_teaching::<GroupId>),
        ),
        (
            "/admin/groupes/{id}/supprimer",
            post(admin_structure::delete::<GroupId>),
        ),
        ("/admin/matieres/{id}", get(admin_structure::subject)),
        (
            "/admin/matieres/{id}/modifier",
            post(admin_structure::subject_edit),
        ),
        (
            "/admin/matieres/{id}/supprimer",
            post(admin_structure::subject_delete),
        ),
        (
            "/admin/personnes/{id}/responsables",
            get(admin_structure::parents).post(admin_structure::parent_add),
        ),
        (
            "/admin/personnes/{id}/responsables/{parent}/modifier",
            post(admin_structure::parent_edit),
        ),
        (
            "/admin/personnes/{id}/responsables/{parent}/retirer",
            post(admin_structure::parent_remove),
        ),
        // Messaging. `domain::messaging` decides: a message, attachment or folder the actor is
        // not party to is "not found" (404) for every page and action; the rules decide
        // recipients. The compose form is multipart (its CSRF token is in the action URL).
        ("/messagerie", get(messaging::folders::inbox)),
        ("/messagerie/envoyes", get(messaging::folders::sent)),
        ("/messagerie/brouillons", get(messaging::folders::drafts)),
        ("/messagerie/corbeille", get(messaging::folders::trash)),
        (
            "/messagerie/dossiers",
            post(messaging::folders::create_folder),
        ),
        (
            "/messagerie/dossiers/{id}",
            get(messaging::folders::personal),
        ),
        (
            "/messagerie/dossiers/{id}/supprimer",
            post(messaging::folders::delete_folder),
        ),
        (
            "/messagerie/nouveau",
            get(messaging::compose::form)
                .post(messaging::compose::submit)
                .layer(axum::extract::DefaultBodyLimit::max(
                    messaging::compose::BODY_LIMIT,
                )),
        ),
        ("/messagerie/messages/{id}", get(messaging::message::show)),
        (
            "/messagerie/messages/{id}/pieces-jointes/{index}",
            get(messaging::message::attachment),
        ),
        (
            "/messagerie/messages/{id}/non-lu",
            post(messaging::message::mark_unread),
        ),
        (
            "/messagerie/messages/{id}/deplacer",
            post(messaging::message::move_to),
        ),
        (
            "/messagerie/messages/{id}/supprimer",
            post(messaging::message::trash),
        ),
        (
            "/messagerie/messages/{id}/restaurer",
            post(messaging::message::restore),
        ),
        (
            "/messagerie/messages/{id}/supprimer-definitivement",
            post(messaging::message::delete_forever),
        ),
        (
            "/messagerie/messages/{id}/rappeler",
            post(messaging::message::recall),
        ),
        (
            "/messagerie/messages/{id}/signer",
            post(messaging::message::acknowledge),
        ),
        (
            "/messagerie/messages/{id}/signaler",
            post(messaging::message::report),
        ),
        // Messaging administration: the establishment's administrators (404 for everyone
        // else): communication rules, reports, suspensions.
        (
            "/admin/etablissements/{id}/communication",
            get(admin_messaging::rules_form).post(admin_messaging::rules_submit),
        ),
        (
            "/admin/etablissements/{id}/signalements",
            get(admin_messaging::reports),
        ),
        ("/admin/signalements/{id}", get(admin_messaging::report)),
        (
            "/admin/signalements/{id}/examiner",
            post(admin_messaging::review),
        ),
        (
            "/admin/personnes/{id}/messagerie",
            post(admin_messaging::suspension),
        ),
        // Search: `search::query` filters by the actor's principals and re-checks every hit
        // against the store (documents, messages, people the actor may read).
        ("/recherche", get(search::page_search)),
        // Documents. `domain::documents` decides: a space, folder or file the actor may not
        // read is "not found" (404) for every page, download and action; one they may read but
        // not change is 403. Uploads are multipart (CSRF token in the action URL), streamed
        // into the blob store with the size limit and quota; downloads honour single ranges
        // (the download is in `api_routes`, the API pointing to it).
        ("/documents", get(documents::pages::home)),
        ("/documents/fichier/{id}", get(documents::pages::file)),
        (
            "/documents/fichier/{id}/apercu",
            get(documents::download::preview),
        ),
        (
            "/documents/fichier/{id}/versions/{version}/restaurer",
            post(documents::actions::restore_version),
        ),
        (
            "/documents/elements/{id}/renommer",
            post(documents::actions::rename),
        ),
        (
            "/documents/elements/{id}/supprimer",
            post(documents::actions::trash),
        ),
        (
            "/documents/elements/{id}/deplacer",
            get(documents::manage::move_form).post(documents::actions::move_to),
        ),
        (
            "/documents/elements/{id}/copier",
            post(documents::actions::copy_to),
        ),
        (
            "/documents/elements/{id}/partage",
            get(documents::manage::share),
        ),
        (
            "/documents/elements/{id}/partages",
            post(documents::actions::share),
        ),
        (
            "/documents/elements/{id}/partages/retirer",
            post(documents::actions::unshare),
        ),
        (
            "/documents/elements/{id}/restaurer",
            post(documents::actions::restore),
        ),
        (
            "/documents/elements/{id}/supprimer-definitivement",
            post(documents::actions::delete_forever),
        ),
        ("/documents/{space}", get(documents::pages::space)),
        (
            "/documents/{space}/dossier/{id}",
            get(documents::pages::folder),
        ),
        (
            "/documents/{space}/corbeille",
            get(documents::manage::trash),
        ),
        (
            "/documents/{space}/dossiers",
            post(documents::actions::create_folder),
        ),
        (
            "/documents/{space}/fichiers",
            post(documents::upload::submit).layer(axum::extract::DefaultBodyLimit::disable()),
        ),
    ];
    let mut table: Vec<_> = pages
        .into_iter()
        .map(|(path, route)| (path.to_owned(), route))
        .collect();
    for (_, paths, route) in api_routes() {
        table.extend(paths.paths.into_keys().map(|path| (path, route.clone())));
    }
    table
}

/// The JSON API under `/api/v1`, and the two routes its document also describes (the health
/// probe, the file download the API points to). Each entry is a handler annotated with
/// `#[utoipa::path(…)]`: `routes!` takes its path and method from the annotation, so the route
/// and its OpenAPI description cannot part. Same domain functions as the pages; 401 without a
/// session.
pub fn api_routes() -> Vec<UtoipaMethodRouter<AppState>> {
    vec![
        routes!(health::healthz),
        // Signing in and out, the signed-in person, the document itself.
        routes!(api::login),
        routes!(api::logout),
        routes!(api::me),
        routes!(api::openapi),
        // Messaging.
        routes!(api_messaging::folders),
        routes!(api_messaging::folder),
        routes!(api_messaging::send),
        routes!(api_messaging::message),
        routes!(api_messaging::acknowledge),
        routes!(api_messaging::recall),
        routes!(api_messaging::report),
        routes!(api_messaging::suggestions),
        // Search.
        routes!(search::api_search),
        // Documents (uploads are streamed: no body limit, the domain counts the bytes).
        routes!(documents::api::home),
        routes!(documents::api::file),
        routes!(documents::api::listing),
        routes!(documents::api::upload).layer(axum::extract::DefaultBodyLimit::disable()),
        routes!(documents::download::download),
    ]
}

/// The OpenAPI 3.1 document of [`api_routes`] (served at `/api/v1/openapi.json`): the common
/// parts of [`api::ApiDoc`], then each route's path, operation and schemas.
pub fn openapi() -> utoipa::openapi::OpenApi {
    use utoipa::OpenApi as _;
    let mut document = api_routes()
        .into_iter()
        .fold(
            OpenApiRouter::with_openapi(api::ApiDoc::openapi()),
            OpenApiRouter::routes,
        )
        .into_openapi();
    api::problem_media_types(&mut document);
    document
}

/// The application.
pub fn app(state: AppState, scheme: Scheme) -> Router {
    let mut router = Router::new();
    for (path, route) in route_table() {
        router = router.route(&path, route);
    }
    let router = router
        // An unknown path: the API's plain JSON, or the "not found" page drawn by the error
        // map's layer (French title, the signed-in header, a way back).
        .fallback(|t: pages_tr::Tr, uri: axum::http::Uri| async move {
            if uri.path().starts_with("/api/") {
                problem::plain_json(&t, &Error::NotFound)
            } else {
                axum::response::IntoResponse::into_response(Error::NotFound)
            }
        })
        // Neither layer clones the application's state per request: the guard needs none, the
        // error map one `Arc` (it reads the session only to draw an error page's header).
        .layer(axum::middleware::from_fn(csrf::guard))
        .layer(axum::middleware::from_fn_with_state(
            std::sync::Arc::new(state.clone()),
            problem::render,
        ))
        .with_state(state);
    finish(router, scheme)
}

use crate::http::extract as pages_tr;

/// The plain-HTTP listener in redirect mode: everything goes to HTTPS except `/healthz`.
pub fn redirect_to_https(state: AppState, https_port: u16) -> Router {
    let config = state.config.clone();
    let router = Router::new()
        .route("/healthz", get(health::healthz))
        .fallback(move |req: Request| {
            let config = config.clone();
            async move { redirect::to_https(req, https_port, &config).await }
        })
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

#[cfg(test)]
mod tests {
    /// Whether `path` is one of `pattern`'s paths (a `{name}` segment takes any one segment).
    fn matches(pattern: &str, path: &str) -> bool {
        let (pattern, path): (Vec<&str>, Vec<&str>) =
            (pattern.split('/').collect(), path.split('/').collect());
        pattern.len() == path.len()
            && pattern.iter().zip(&path).all(|(p, s)| {
                if p.starts_with('{') && p.ends_with('}') {
                    !s.is_empty()
                } else {
                    p == s
                }
            })
    }

    #[test]
    fn every_path_builder_answers_a_route() {
        let routes: Vec<String> = super::route_table().into_iter().map(|(p, _)| p).collect();
        for path in crate::domain::paths::samples() {
            assert!(
                routes.iter().any(|r| matches(r, &path)),
                "no route of route_table() serves {path} (domain/paths.rs)"
            );
        }
        assert!(!matches("/classes/{id}", "/classes/"));
        assert!(!matches("/classes/{id}", "/classes/1/x"));
    }
}
