//! My sessions: the devices signed in, and ending one.

use crate::http::extract::Form;
use crate::http::extract::Query;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::accounts::session::{self};
use crate::domain::accounts::signin;
use crate::error::Error;
use crate::http::extract::{CurrentUser, Tr};
use crate::http::frame::{PageCtx, PageError, blocking, page, paris, render};
use crate::model::Origin;
use crate::state::AppState;

// ---------------------------------------------------------------------------------------------
// My sessions.
// ---------------------------------------------------------------------------------------------

struct SessionRow {
    id: String,
    device: String,
    ip: String,
    created: String,
    last_seen: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "compte/sessions.html")]
struct SessionsPage {
    page: PageCtx,
    csrf: String,
    ended: bool,
    sessions: Vec<SessionRow>,
}

/// "Firefox — Linux" from a user agent, roughly.
pub fn device(user_agent: &str) -> String {
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .into_iter()
    .find(|(token, _)| user_agent.contains(token))
    .map_or("Navigateur", |(_, name)| name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(token, _)| user_agent.contains(token))
    .map_or("?", |(_, name)| name);
    format!("{browser} — {system}")
}

/// Query of the sessions page.
#[derive(Debug, Deserialize)]
pub struct SessionsQuery {
    terminee: Option<u8>,
}

/// `GET /sessions`.
pub async fn sessions(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Query(q): Query<SessionsQuery>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let Some(person) = user.actor.person else {
        return Err(PageError(Error::NotFound, t));
    };
    let list = blocking(&t, move || Ok(session::list(&store.read()?, person)?)).await?;
    let current = user.token.hash();
    let name = user.name.clone();
    Ok(render(
        StatusCode::OK,
        &SessionsPage {
            csrf: user.csrf(),
            page: page(&t, &user, name, "/sessions"),
            ended: q.terminee.is_some(),
            sessions: list
                .iter()
                .map(|(hash, s)| SessionRow {
                    id: hex::encode(hash),
                    device: device(&s.user_agent),
                    ip: s.ip.clone(),
                    created: paris(s.created_at),
                    last_seen: paris(s.last_seen),
                    current: *hash == current,
                })
                .collect(),
        },
    ))
}

/// The form ending one session.
#[derive(Debug, Deserialize)]
pub struct EndSessionForm {
    session: String,
}

/// `POST /sessions/terminer`: ends one of one's own sessions.
pub async fn end_session(
    State(state): State<AppState>,
    t: Tr,
    origin: Origin,
    user: CurrentUser,
    Form(form): Form<EndSessionForm>,
) -> Result<Response, PageError> {
    let mut hash = [0u8; 32];
    let valid = form.session.len() == 64
        && (0..32).all(|i| {
            u8::from_str_radix(form.session.get(2 * i..2 * i + 2).unwrap_or("zz"), 16)
                .map(|b| hash[i] = b)
                .is_ok()
        });
    if !valid {
        return Err(PageError(Error::NotFound, t));
    }
    let Some(person) = user.actor.person else {
        return Err(PageError(Error::NotFound, t));
    };
    let now = state.clock.now();
    let st = state.clone();
    // Only one's own session: anything else is "not found".
    let ended = blocking(&t, move || {
        Ok(signin::end_own_session(
            &st.store,
            person,
            &hash,
            &st.auth.touches,
            &origin,
            now,
        )?)
    })
    .await?;
    if !ended {
        return Err(PageError(Error::NotFound, t));
    }
    Ok(Redirect::to("/sessions?terminee=1").into_response())
}
