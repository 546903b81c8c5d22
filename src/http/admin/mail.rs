//! The mail queue page (`/admin/courriels`): whether the relay is configured, the mails by
//! state with their attempts, next attempt and last error (never their bodies), and the
//! "retry now" and "cancel" forms. `domain::admin::mail` decides every permission (404 for
//! non-administrators and for mails they may not see, and for ids that are not numbers).

use crate::http::extract::Form;
use crate::http::extract::Query;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::admin::AdminError;
use crate::domain::admin::mail as domain;
use crate::error::Error;
use crate::http::extract::{CurrentUser, Tr};
use crate::http::frame::{PageCtx, PageError, blocking, page, paris, render};
use crate::http::path_ids::Id;
use crate::http::problem::{Problem, form_again};
use crate::mail::{MailId, RelayStatus, StateCode};
use crate::model::Origin;
use crate::state::AppState;

async fn run<T: Send + 'static>(
    t: &Tr,
    f: impl FnOnce() -> Result<T, AdminError> + Send + 'static,
) -> Result<T, PageError> {
    blocking(t, move || f().map_err(Error::from)).await
}

/// The translation key of a state's label.
fn state_key(state: StateCode) -> &'static str {
    match state {
        StateCode::Queued => "courriels-etat-en-attente",
        StateCode::Retrying => "courriels-etat-nouvel-essai",
        StateCode::Sent => "courriels-etat-envoye",
        StateCode::Failed => "courriels-etat-echec",
        StateCode::Cancelled => "courriels-etat-annule",
    }
}

struct Row {
    id: MailId,
    queued_at: String,
    to: String,
    subject: String,
    person: Option<(u64, String)>,
    state: String,
    failed: bool,
    attempts: u32,
    next_at: String,
    error: String,
    can_retry: bool,
    can_cancel: bool,
    retry_label: String,
    cancel_label: String,
}

struct FilterOption {
    code: &'static str,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "admin/courriels.html")]
struct MailPage {
    page: PageCtx,
    csrf: String,
    relay: String,
    relay_ok: bool,
    filter: &'static str,
    options: Vec<FilterOption>,
    rows: Vec<Row>,
    truncated: bool,
    done: Option<String>,
    error: Option<String>,
}

/// Query of the page: `etat` filters, `fait` tells what was just done.
#[derive(Debug, Deserialize)]
pub struct MailQuery {
    etat: Option<String>,
    fait: Option<String>,
}

fn relay_line(t: &Tr, status: &RelayStatus) -> (String, bool) {
    match status {
        RelayStatus::NotConfigured => (t.msg("courriels-relais-aucun"), false),
        RelayStatus::Smarthost(to) => (t.msg1("courriels-relais-smarthost", "serveur", to), true),
        RelayStatus::DirectMx => (t.msg("courriels-relais-mx"), true),
        RelayStatus::Broken(why) => (t.msg1("courriels-relais-erreur", "raison", why), false),
    }
}

async fn show(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    filter: Option<StateCode>,
    done: Option<String>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let view = run(t, move || domain::mail_queue(&store, &actor, filter)).await?;
    let rows = view
        .rows
        .into_iter()
        .map(|m| {
            let error = match (&m.error, m.expired) {
                (Some(e), true) => t.msg1("courriels-expire", "erreur", e),
                (Some(e), false) => e.clone(),
                (None, _) => String::new(),
            };
            let number = m.id.to_string();
            Row {
                id: m.id,
                queued_at: paris(m.queued_at),
                to: m.to,
                subject: m.subject,
                person: m.person.map(|p| (p.id.0, p.display_name())),
                state: match m.done_at {
                    Some(at) => format!("{} ({})", t.msg(state_key(m.state)), paris(at)),
                    None => t.msg(state_key(m.state)),
                },
                failed: m.state == StateCode::Failed,
                attempts: m.attempts,
                next_at: m.next_at.map(paris).unwrap_or_default(),
                error,
                can_retry: m.can_retry,
                can_cancel: m.can_cancel,
                retry_label: t.msg1("courriels-reessayer-n", "numero", &number),
                cancel_label: t.msg1("courriels-annuler-n", "numero", &number),
            }
        })
        .collect();
    let mut options = vec![FilterOption {
        code: "",
        label: t.msg("courriels-filtre-tous"),
        selected: filter.is_none(),
    }];
    options.extend(StateCode::ALL.into_iter().map(|s| FilterOption {
        code: s.code(),
        label: t.msg(state_key(s)),
        selected: filter == Some(s),
    }));
    let (relay, relay_ok) = relay_line(t, &state.mail.status());
    let name = user.name.clone();
    Ok(render(
        StatusCode::OK,
        &MailPage {
            page: page(t, user, name, ""),
            csrf: user.csrf(),
            relay,
            relay_ok,
            filter: filter.map_or("", StateCode::code),
            options,
            rows,
            truncated: view.truncated,
            done,
            error,
        },
    ))
}

/// `GET /admin/courriels`: the queue, newest first, optionally one state (`?etat=echec`).
pub async fn mail_queue(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Query(q): Query<MailQuery>,
) -> Result<Response, PageError> {
    let filter = q.etat.as_deref().and_then(StateCode::from_code);
    let done = match q.fait.as_deref() {
        Some("reessaye") => Some(t.msg("courriels-fait-reessaye")),
        Some("annule") => Some(t.msg("courriels-fait-annule")),
        _ => None,
    };
    show(&state, &t, &user, filter, done, None).await
}

/// The action forms: the filter to come back to.
#[derive(Debug, Deserialize)]
pub struct MailActionForm {
    #[serde(default)]
    etat: String,
}

async fn act(
    state: AppState,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    id: MailId,
    form: MailActionForm,
    retry: bool,
) -> Result<Response, PageError> {
    let filter = StateCode::from_code(&form.etat);
    let st = state.clone();
    let actor = user.actor.clone();
    let result = tokio::task::spawn_blocking(move || {
        let now = st.clock.now();
        if retry {
            domain::retry_now(&st.store, &actor, id, &client, now)
        } else {
            domain::cancel(&st.store, &actor, id, &client, now)
        }
    })
    .await
    .map_err(|e| PageError(Error::Io(std::io::Error::other(e)), t.clone()))?;
    match result {
        Ok(()) => {
            if retry {
                state.mail.wake();
            }
            let done = if retry { "reessaye" } else { "annule" };
            let back = match filter {
                Some(s) => format!("/admin/courriels?etat={}&fait={done}", s.code()),
                None => format!("/admin/courriels?fait={done}"),
            };
            Ok(Redirect::to(&back).into_response())
        }
        Err(refusal @ AdminError::Invalid { .. }) => {
            let msg = Some(refusal.detail(&t));
            let page = show(&state, &t, &user, filter, None, msg).await?;
            Ok(form_again(&refusal, page))
        }
        Err(e) => Err(PageError(e.into(), t)),
    }
}

/// `POST /admin/courriels/{id}/reessayer`: a retrying or failed mail is due now.
pub async fn retry(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Id(id): Id<MailId>,
    Form(form): Form<MailActionForm>,
) -> Result<Response, PageError> {
    act(state, t, client, user, id, form, true).await
}

/// `POST /admin/courriels/{id}/annuler`: a mail not sent yet will not be.
pub async fn cancel(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Id(id): Id<MailId>,
    Form(form): Form<MailActionForm>,
) -> Result<Response, PageError> {
    act(state, t, client, user, id, form, false).await
}
