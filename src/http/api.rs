//! The JSON API under `/api/v1`: the same domain functions as the pages.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use std::sync::LazyLock;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use crate::domain::accounts::session::COOKIE;
use crate::domain::accounts::signin::{self, SignIn};
use crate::domain::directory::queries;
use crate::error::Error;
use crate::http::extract::CurrentUser;
use crate::http::problem::{RequestError, body_rejection, deferred};
use crate::model::Origin;
use crate::state::AppState;

/// `POST /api/v1/auth/login` body.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginBody {
    login: String,
    #[schema(format = Password)]
    password: String,
}

fn session_cookie(value: &str, max_age: Option<i64>) -> HeaderValue {
    let age = max_age
        .map(|a| format!("; Max-Age={a}"))
        .unwrap_or_default();
    HeaderValue::from_str(&format!(
        "{COOKIE}={value}; Path=/; Secure; HttpOnly; SameSite=Lax{age}"
    ))
    .unwrap_or(HeaderValue::from_static(""))
}

/// The answer to a JSON body over the request body limit (413), for every JSON endpoint.
pub(super) fn body_too_large() -> Response {
    deferred(RequestError::BodyTooLarge)
}

/// `POST /api/v1/auth/login`: `{login, password}` → sets the session cookie.
#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = "api",
    summary = "Sign in",
    request_body = LoginBody,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = SignedIn),
        (status = 401, description = "Wrong login or password", body = ErrorBody),
        (status = 403, description = "Account disabled or not activated", body = ErrorBody),
        (status = 413, description = "The body is over the size limit", body = ErrorBody),
        (status = 422, description = "Not a `{login, password}` JSON body", body = ErrorBody),
        (status = 429, description = "Too many attempts (see Retry-After)", body = ErrorBody),
    ),
)]
pub async fn login(
    State(state): State<AppState>,
    client: Origin,
    body: Result<Json<LoginBody>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let body = match body {
        Ok(Json(body)) => body,
        Err(rejection) => return deferred(body_rejection(&rejection, "api-connexion-corps")),
    };
    let service = SignIn {
        store: &state.store,
        limiter: &state.auth.limiter,
        throttle: &state.auth.throttle,
    };
    match service
        .sign_in(&body.login, &body.password, &client, state.clock.now())
        .await
    {
        Ok((person, token)) => {
            let mut response = Json(json!({ "person": person })).into_response();
            response
                .headers_mut()
                .append(header::SET_COOKIE, session_cookie(token.as_str(), None));
            response
        }
        Err(e) => deferred(e),
    }
}

/// `POST /api/v1/auth/logout`: ends the session.
#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    tag = "api",
    summary = "Sign out (ends the session)",
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ),
    security(("session" = [])),
)]
pub async fn logout(State(state): State<AppState>, client: Origin, user: CurrentUser) -> Response {
    let now = state.clock.now();
    let st = state.clone();
    let result = tokio::task::spawn_blocking(move || {
        signin::sign_out(&st.store, &user.token, &st.auth.touches, &client, now)
    })
    .await;
    match result {
        Ok(Ok(())) => {
            let mut response = StatusCode::NO_CONTENT.into_response();
            response
                .headers_mut()
                .append(header::SET_COOKIE, session_cookie("", Some(0)));
            response
        }
        Ok(Err(e)) => Error::Store(e).into_response(),
        Err(e) => Error::Io(std::io::Error::other(e)).into_response(),
    }
}

/// `GET /api/v1/me`: the signed-in person, their profiles and (for a parent) children.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "api",
    summary = "The signed-in person, their profiles, classes and children",
    responses(
        (status = 200, description = "The person", body = Me),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ),
    security(("session" = [])),
)]
pub async fn me(State(state): State<AppState>, user: CurrentUser) -> Response {
    let Some(id) = user.actor.person else {
        return Error::NotFound.into_response();
    };
    let store = state.store.clone();
    let actor = user.actor.clone();
    let result = tokio::task::spawn_blocking(move || {
        let view = queries::person(&store, &actor, id)?;
        let children = queries::my_children(&store, &actor)?;
        Ok::<_, crate::domain::directory::DirectoryError>((view, children))
    })
    .await;
    match result {
        Ok(Ok((view, children))) => Json(json!({
            "id": view.person.id,
            "first_name": view.person.first_name,
            "last_name": view.person.last_name,
            "login": view.login,
            "platform_admin": user.actor.platform_admin,
            "profiles": view.profiles,
            "establishments": user.actor.establishments(),
            "classes": view.classes,
            "children": children,
        }))
        .into_response(),
        Ok(Err(e)) => Error::from(e).into_response(),
        Err(e) => Error::Io(std::io::Error::other(e)).into_response(),
    }
}

/// `GET /api/v1/openapi.json`: the API's description, generated from the handlers'
/// annotations with the routes (`http::routes::api_routes`); built once, then served as is.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "api",
    summary = "This document (OpenAPI 3.1)",
    responses((status = 200, description = "The OpenAPI document of the API", content_type = "application/json", body = Object)),
)]
pub async fn openapi() -> Response {
    static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
        crate::http::routes::openapi()
            .to_json()
            .unwrap_or_else(|_| "{}".to_owned())
    });
    (
        [(header::CONTENT_TYPE, "application/json")],
        DOCUMENT.as_str(),
    )
        .into_response()
}

/// The parts of the OpenAPI document that are not one route's: title, description, the session
/// cookie as security scheme. `http::routes::openapi` adds every route of `api_routes`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Cartable API",
        description = "JSON API of Cartable. Authentication: the `__Host-cartable` session cookie set by `POST /api/v1/auth/login` (security scheme `session`). Unsafe requests must send `Content-Type: application/json` (CSRF protection: a browser cannot send it cross-site without a preflight, which Cartable never grants), and no cross-site `Sec-Fetch-Site` or foreign `Origin`; a multipart upload carries the session's CSRF token in its URL (`_csrf`)."
    ),
    modifiers(&SessionCookie),
    tags(
        (name = "api", description = "Signing in and out, the signed-in person, this document"),
        (name = "messagerie", description = "Messaging"),
        (name = "recherche", description = "Search"),
        (name = "documents", description = "Documents"),
    )
)]
pub struct ApiDoc;

/// Adds the `session` security scheme: the session cookie, whose name is [`COOKIE`].
struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                COOKIE,
                "The session cookie set by `POST /api/v1/auth/login` (or the sign-in page)",
            ))),
        );
    }
}

/// The answer of a refusal: an RFC 9457 problem (`application/problem+json`), with the request
/// id and the members older clients read (`error`, `message`, `field`).
#[derive(ToSchema)]
#[schema(as = Problem)]
pub struct ErrorBody {
    /// `urn:cartable:problem:<code>`.
    #[schema(rename = "type")]
    pub kind: String,
    /// The HTTP status's reason (`Not Found`, `Unprocessable Entity`…).
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong and what to do, in the user's language (French by default).
    pub detail: String,
    /// A stable code (`not_found`, `forbidden`, `invalid`, `rate_limited`, …).
    pub error: String,
    /// The same text as `detail`.
    pub message: String,
    /// The first field that does not validate.
    pub field: Option<String>,
    /// Every field that does not validate, each with its text.
    pub errors: Option<Vec<FieldError>>,
    /// The request's id (`x-request-id`), to quote when reporting the problem.
    pub request_id: Option<String>,
}

/// One field of a refused request, with what to do.
#[derive(ToSchema)]
pub struct FieldError {
    /// The field's name.
    pub field: String,
    /// What to do, in the user's language.
    pub detail: String,
}

/// Refusals are `application/problem+json`: the media type of every 4xx/5xx answer of the
/// document (the handlers' annotations only name the [`ErrorBody`] schema).
pub fn problem_media_types(openapi: &mut utoipa::openapi::OpenApi) {
    for item in openapi.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            for (status, response) in operation.responses.responses.iter_mut() {
                let refusal = status.starts_with('4') || status.starts_with('5');
                if let (true, utoipa::openapi::RefOr::T(response)) = (refusal, response)
                    && let Some(content) = response.content.shift_remove("application/json")
                {
                    response
                        .content
                        .insert(crate::http::problem::PROBLEM_JSON.to_owned(), content);
                }
            }
        }
    }
}

/// `POST /api/v1/auth/login` answer.
#[derive(ToSchema)]
pub struct SignedIn {
    /// The signed-in person's id.
    pub person: u64,
}

/// `GET /api/v1/me` answer.
#[derive(ToSchema)]
pub struct Me {
    /// The person's id.
    pub id: u64,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Their login, if they have an account.
    pub login: Option<String>,
    /// Whether they administer the whole platform.
    pub platform_admin: bool,
    /// Their profiles (role and establishment).
    #[schema(value_type = Vec<Object>)]
    pub profiles: Vec<serde_json::Value>,
    /// The establishments they belong to (ids).
    pub establishments: Vec<u64>,
    /// Their classes.
    #[schema(value_type = Vec<Object>)]
    pub classes: Vec<serde_json::Value>,
    /// For a parent, their children.
    #[schema(value_type = Vec<Object>)]
    pub children: Vec<serde_json::Value>,
}
