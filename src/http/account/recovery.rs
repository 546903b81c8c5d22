//! Password recovery by mail: the request form and the new-password page of the link.

use crate::http::extract::Form;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::accounts::recovery::{Recovery, RecoveryError};
use crate::domain::accounts::session::SessionToken;
use crate::error::Error;
use crate::http::account::signin::pre_session;
use crate::http::account::{MissingField, answer};
use crate::http::extract::Tr;
use crate::http::frame::{OrPage, PageCtx, PageError, render};
use crate::http::problem::Problem;
use crate::model::Origin;
use crate::state::AppState;

/// The cookie holding an activation ticket.
pub const TICKET_COOKIE: &str = "__Host-cartable-activation";

use super::activation::*;

// ---------------------------------------------------------------------------------------------
// Password recovery.
// ---------------------------------------------------------------------------------------------

fn recovery(state: &AppState) -> Recovery<'_> {
    Recovery {
        store: &state.store,
        limiter: &state.auth.limiter,
        throttle: &state.auth.recovery_throttle,
        touches: &state.auth.touches,
    }
}

#[derive(Template)]
#[template(path = "compte/oubli.html")]
struct ForgotPage {
    page: PageCtx,
    csrf: String,
    login: String,
    sent: bool,
    error: Option<String>,
}

fn forgot_page(
    t: &Tr,
    headers: &HeaderMap,
    login: String,
    sent: bool,
    refusal: Option<&dyn Problem>,
) -> Result<Response, PageError> {
    let (pre, set) = pre_session(headers).or_page(t)?;
    let error = refusal.map(|e| e.detail(t));
    let mut response = render(
        StatusCode::OK,
        &ForgotPage {
            page: no_user(t),
            csrf: pre.csrf(),
            login,
            sent,
            error,
        },
    );
    if let Some(set) = set {
        response.headers_mut().append(header::SET_COOKIE, set);
    }
    Ok(answer(refusal, response))
}

/// `GET /mot-de-passe-oublie`.
pub async fn forgot_form(t: Tr, headers: HeaderMap) -> Result<Response, PageError> {
    forgot_page(&t, &headers, String::new(), false, None)
}

/// The recovery request form.
#[derive(Debug, Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    identifiant: String,
}

/// `POST /mot-de-passe-oublie`: the same answer whether the account exists or not.
pub async fn forgot_submit(
    State(state): State<AppState>,
    t: Tr,
    origin: Origin,
    headers: HeaderMap,
    Form(form): Form<ForgotForm>,
) -> Result<Response, PageError> {
    let login: String = form.identifiant.trim().chars().take(100).collect();
    if login.is_empty() {
        let missing = MissingField("oubli-erreur-identifiant");
        return forgot_page(&t, &headers, login, false, Some(&missing));
    }
    let st = state.clone();
    let l = login.clone();
    let result = tokio::task::spawn_blocking(move || {
        recovery(&st).request(
            &l,
            &origin,
            st.clock.now(),
            st.config.recovery_link_lifetime,
            &st.config.instance_url(),
        )
    })
    .await
    .map_err(|e| PageError(Error::Io(std::io::Error::other(e)), t.clone()))?;
    match result {
        Ok(()) => forgot_page(&t, &headers, login, true, None),
        Err(e @ RecoveryError::Throttled(_)) => forgot_page(&t, &headers, login, false, Some(&e)),
        Err(RecoveryError::Store(e)) => Err(PageError(Error::Store(e), t)),
        Err(_) => Err(PageError(
            Error::Store(crate::store::StoreError::Diverged("recovery".into())),
            t,
        )),
    }
}

#[derive(Template)]
#[template(path = "compte/oubli-nouveau.html")]
struct NewPasswordPage {
    page: PageCtx,
    csrf: String,
    token: String,
    login: String,
    error_new: Option<String>,
    error_confirmation: Option<String>,
}

/// The request form again, saying the link is used, expired or unknown (410).
fn link_gone(t: &Tr, headers: &HeaderMap) -> Result<Response, PageError> {
    forgot_page(t, headers, String::new(), false, Some(&RecoveryError::Gone))
}

/// `GET /mot-de-passe-oublie/{jeton}`.
pub async fn new_password_form(
    State(state): State<AppState>,
    t: Tr,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    new_password_page(&state, &t, &headers, &token, None)
}

fn new_password_page(
    state: &AppState,
    t: &Tr,
    headers: &HeaderMap,
    token: &str,
    refusal: Option<&RecoveryError>,
) -> Result<Response, PageError> {
    let refusal = refusal.map(|e| e as &dyn Problem);
    let Some(parsed) = SessionToken::parse(token) else {
        return link_gone(t, headers);
    };
    let person = match recovery(state).check(&parsed, state.clock.now()) {
        Ok(p) => p,
        Err(RecoveryError::Store(e)) => return Err(PageError(Error::Store(e), t.clone())),
        Err(_) => return link_gone(t, headers),
    };
    let (pre, set) = pre_session(headers).or_page(t)?;
    let mut response = render(
        StatusCode::OK,
        &NewPasswordPage {
            page: no_user(t),
            csrf: pre.csrf(),
            token: parsed.as_str().to_owned(),
            login: person.login,
            error_new: field_error(t, refusal, "nouveau"),
            error_confirmation: field_error(t, refusal, "confirmation"),
        },
    );
    if let Some(set) = set {
        response.headers_mut().append(header::SET_COOKIE, set);
    }
    // The link's token is in this page's URL: never cache it, never send it on.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(answer(refusal, response))
}

/// `POST /mot-de-passe-oublie/{jeton}`.
pub async fn new_password_submit(
    State(state): State<AppState>,
    t: Tr,
    origin: Origin,
    headers: HeaderMap,
    Path(token): Path<String>,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PageError> {
    let Some(parsed) = SessionToken::parse(&token) else {
        return link_gone(&t, &headers);
    };
    let result = recovery(&state)
        .reset(
            &parsed,
            &form.nouveau,
            &form.confirmation,
            &origin,
            state.clock.now(),
        )
        .await;
    match result {
        Ok(()) => Ok(Redirect::to("/connexion?mdp=1").into_response()),
        Err(RecoveryError::Store(e)) => Err(PageError(Error::Store(e), t)),
        Err(e @ (RecoveryError::Mismatch | RecoveryError::Policy(_))) => {
            new_password_page(&state, &t, &headers, &token, Some(&e))
        }
        Err(_) => link_gone(&t, &headers),
    }
}
