//! The JSON API under `/api/v1`: the same domain functions as the pages.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use crate::domain::accounts::session::COOKIE;
use crate::domain::accounts::signin::{self, Client, SignIn};
use crate::domain::directory::queries;
use crate::error::Error;
use crate::http::extract::CurrentUser;
use crate::http::problem::{RequestError, body_rejection, deferred};
use crate::state::AppState;

/// `POST /api/v1/auth/login` body.
#[derive(Debug, Deserialize)]
pub struct LoginBody {
    login: String,
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
pub async fn login(
    State(state): State<AppState>,
    client: Client,
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
pub async fn logout(State(state): State<AppState>, client: Client, user: CurrentUser) -> Response {
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

/// `GET /api/v1/openapi.json`: the API's description (grows with each issue).
pub async fn openapi() -> Json<serde_json::Value> {
    let error = json!({ "$ref": "#/components/schemas/Error" });
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Cartable API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "JSON API of Cartable. Authentication: the `__Host-cartable` session cookie set by `POST /api/v1/auth/login`. Unsafe requests must send `Content-Type: application/json` (CSRF protection)."
        },
        "paths": {
            "/api/v1/auth/login": { "post": {
                "summary": "Sign in",
                "requestBody": { "required": true, "content": { "application/json": { "schema": {
                    "type": "object", "required": ["login", "password"],
                    "properties": { "login": { "type": "string" }, "password": { "type": "string", "format": "password" } }
                }}}},
                "responses": {
                    "200": { "description": "Signed in; the session cookie is set", "content": { "application/json": { "schema": {
                        "type": "object", "properties": { "person": { "type": "integer" } } }}}},
                    "401": { "description": "Wrong login or password", "content": { "application/json": { "schema": error.clone() }}},
                    "403": { "description": "Account disabled or not activated", "content": { "application/json": { "schema": error.clone() }}},
                    "429": { "description": "Too many attempts (see Retry-After)", "content": { "application/json": { "schema": error.clone() }}}
                }
            }},
            "/api/v1/auth/logout": { "post": {
                "summary": "Sign out (ends the session)",
                "responses": { "204": { "description": "Signed out" }, "401": { "description": "Not signed in" } }
            }},
            "/api/v1/me": { "get": {
                "summary": "The signed-in person, their profiles, classes and children",
                "responses": {
                    "200": { "description": "The person", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Me" }}}},
                    "401": { "description": "Not signed in", "content": { "application/json": { "schema": error.clone() }}}
                }
            }},
            "/healthz": { "get": {
                "summary": "Health probe",
                "responses": { "200": { "description": "Version, schema version and store status" }, "503": { "description": "Store unreadable" } }
            }}
        },
        "components": { "schemas": {
            "Error": { "type": "object", "properties": { "error": { "type": "string" }, "message": { "type": "string" } } },
            "Me": { "type": "object", "properties": {
                "id": { "type": "integer" }, "first_name": { "type": "string" }, "last_name": { "type": "string" },
                "login": { "type": ["string", "null"] }, "platform_admin": { "type": "boolean" },
                "profiles": { "type": "array", "items": { "type": "object" } },
                "establishments": { "type": "array", "items": { "type": "integer" } },
                "classes": { "type": "array", "items": { "type": "object" } },
                "children": { "type": "array", "items": { "type": "object" } }
            }}
        }}
    });
    // The messaging endpoints (issue 6) are described next to their handlers.
    let (paths, schemas) = crate::http::messaging::api::openapi_paths();
    if let (Some(target), serde_json::Value::Object(more)) = (doc["paths"].as_object_mut(), paths) {
        target.extend(more);
    }
    if let (Some(target), serde_json::Value::Object(more)) =
        (doc["components"]["schemas"].as_object_mut(), schemas)
    {
        target.extend(more);
    }
    // The search endpoint (issue 7) is described next to its handler.
    let (paths, schemas) = crate::http::search::openapi_paths();
    if let (Some(target), serde_json::Value::Object(more)) = (doc["paths"].as_object_mut(), paths) {
        target.extend(more);
    }
    if let (Some(target), serde_json::Value::Object(more)) =
        (doc["components"]["schemas"].as_object_mut(), schemas)
    {
        target.extend(more);
    }
    // The documents endpoints (issue 7 §2) are described next to their handlers.
    let (paths, schemas) = crate::http::documents::api::openapi_paths();
    if let (Some(target), serde_json::Value::Object(more)) = (doc["paths"].as_object_mut(), paths) {
        target.extend(more);
    }
    if let (Some(target), serde_json::Value::Object(more)) =
        (doc["components"]["schemas"].as_object_mut(), schemas)
    {
        target.extend(more);
    }
    Json(doc)
}
