//! Changing one's password.

use crate::http::extract::Form;
use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::accounts::session::COOKIE;
use crate::error::Error;
use crate::http::account::activation::field_error;
use crate::http::account::answer;
use crate::http::extract::{CurrentUser, Tr};
use crate::http::frame::{PageCtx, PageError, cookie_header, page, render};
use crate::http::problem::Problem;
use crate::model::Origin;
use crate::state::AppState;

// ---------------------------------------------------------------------------------------------
// Changing one's password.
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "compte/mot-de-passe.html")]
struct PasswordPage {
    page: PageCtx,
    csrf: String,
    error_current: Option<String>,
    error_new: Option<String>,
    error_confirmation: Option<String>,
}

/// `GET /profil/mot-de-passe`.
pub async fn password_form(t: Tr, user: CurrentUser) -> Result<Response, PageError> {
    let name = user.name.clone();
    Ok(render(
        StatusCode::OK,
        &PasswordPage {
            csrf: user.csrf(),
            page: page(&t, &user, name, "/profil"),
            error_current: None,
            error_new: None,
            error_confirmation: None,
        },
    ))
}

/// The password form.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    actuel: String,
    #[serde(default)]
    nouveau: String,
    #[serde(default)]
    confirmation: String,
}

/// `POST /profil/mot-de-passe`: on success all sessions end and this device gets a new one.
pub async fn password_submit(
    State(state): State<AppState>,
    t: Tr,
    origin: Origin,
    user: CurrentUser,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PageError> {
    use crate::domain::accounts::changes::{ChangePassword, ChangePasswordError};
    let Some(person) = user.actor.person else {
        return Err(PageError(Error::NotFound, t));
    };
    let service = ChangePassword {
        store: &state.store,
        limiter: &state.auth.limiter,
        throttle: &state.auth.throttle,
        touches: &state.auth.touches,
    };
    let result = service
        .change(
            person,
            &form.actuel,
            &form.nouveau,
            &form.confirmation,
            &origin,
            state.clock.now(),
        )
        .await;
    let refusal = match result {
        Ok(token) => {
            let mut response = Redirect::to("/profil?mdp=1").into_response();
            response.headers_mut().append(
                header::SET_COOKIE,
                cookie_header(COOKIE, token.as_str(), None),
            );
            return Ok(response);
        }
        Err(ChangePasswordError::Store(e)) => return Err(PageError(Error::Store(e), t)),
        Err(e) => e,
    };
    let refusal: &dyn Problem = &refusal;
    let name = user.name.clone();
    let form = render(
        StatusCode::OK,
        &PasswordPage {
            csrf: user.csrf(),
            page: page(&t, &user, name, "/profil"),
            error_current: field_error(&t, Some(refusal), "actuel"),
            error_new: field_error(&t, Some(refusal), "nouveau"),
            error_confirmation: field_error(&t, Some(refusal), "confirmation"),
        },
    );
    Ok(answer(Some(refusal), form))
}
