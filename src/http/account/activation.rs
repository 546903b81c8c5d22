//! First sign-in with a code (`/activation`: code → password → charter → portal), accepting a
//! changed charter (`/charte`), and password recovery by mail (`/mot-de-passe-oublie`).
//! Handlers extract, call `domain::accounts::activation` / `domain::accounts::recovery`, render.

use crate::domain::audience::Audience;
use crate::http::extract::Form;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::accounts::activation::{Activation, ActivationError, Next, TICKET_LIFETIME};
use crate::domain::accounts::session::{COOKIE, SessionToken};
use crate::domain::activation::charter::{self, ToAccept};
use crate::error::Error;
use crate::http::account::signin::pre_session;
use crate::http::account::{MissingField, answer};
use crate::http::extract::{CurrentUser, MaybeUser, Tr, cookie};
use crate::http::frame::{OrPage, PageCtx, PageError, blocking, cookie_header, page, render};
use crate::http::problem::Problem;
use crate::model::Origin;
use crate::model::directory::EstablishmentId;
use crate::state::AppState;

/// The cookie holding an activation ticket.
pub const TICKET_COOKIE: &str = "__Host-cartable-activation";

pub(super) fn no_user(t: &Tr) -> PageCtx {
    PageCtx {
        t: t.clone(),
        user: None,
        current: "",
    }
}

fn service(state: &AppState) -> Activation<'_> {
    Activation {
        store: &state.store,
        limiter: &state.auth.limiter,
        throttle: &state.auth.throttle,
        touches: &state.auth.touches,
    }
}

pub(super) fn ticket(headers: &HeaderMap) -> Option<SessionToken> {
    cookie(headers, TICKET_COOKIE).and_then(SessionToken::parse)
}

/// Back to the first step, saying the activation must start again.
pub(super) fn start_again() -> Response {
    let mut response = Redirect::to("/activation?reprendre=1").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        cookie_header(TICKET_COOKIE, "", Some(0)),
    );
    response
}

/// Signed in: the ticket is spent, the session cookie set, on to the portal.
pub(super) fn signed_in(token: &SessionToken) -> Response {
    let mut response = Redirect::to("/").into_response();
    let headers = response.headers_mut();
    headers.append(
        header::SET_COOKIE,
        cookie_header(TICKET_COOKIE, "", Some(0)),
    );
    headers.append(
        header::SET_COOKIE,
        cookie_header(COOKIE, token.as_str(), None),
    );
    response
}

// ---------------------------------------------------------------------------------------------
// Step 1: login and code.
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "compte/activation.html")]
struct CodePage {
    page: PageCtx,
    csrf: String,
    login: String,
    notice: Option<String>,
    error: Option<String>,
}

fn code_page(
    t: &Tr,
    headers: &HeaderMap,
    login: String,
    notice: Option<String>,
    refusal: Option<&dyn Problem>,
) -> Result<Response, PageError> {
    let (pre, set) = pre_session(headers).or_page(t)?;
    let mut response = render(
        StatusCode::OK,
        &CodePage {
            page: no_user(t),
            csrf: pre.csrf(),
            login,
            notice,
            error: refusal.map(|e| e.detail(t)),
        },
    );
    if let Some(set) = set {
        response.headers_mut().append(header::SET_COOKIE, set);
    }
    Ok(answer(refusal, response))
}

/// Query of the first step.
#[derive(Debug, Deserialize)]
pub struct StartQuery {
    reprendre: Option<String>,
}

/// `GET /activation`.
pub async fn code_form(
    t: Tr,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    crate::http::extract::Query(q): crate::http::extract::Query<StartQuery>,
) -> Result<Response, PageError> {
    if user.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    let notice = q.reprendre.map(|_| t.msg("activation-reprendre"));
    code_page(&t, &headers, String::new(), notice, None)
}

/// The first step's form.
#[derive(Debug, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    identifiant: String,
    #[serde(default)]
    code: String,
}

/// What the first step answers: the next step, or the form again with why.
pub(crate) async fn redeem(
    state: &AppState,
    t: &Tr,
    origin: &Origin,
    headers: &HeaderMap,
    login: &str,
    code: &str,
) -> Result<Response, PageError> {
    let login: String = login.trim().chars().take(100).collect();
    if login.is_empty() || code.trim().is_empty() {
        let missing = MissingField("activation-erreur-champs");
        return code_page(t, headers, login, None, Some(&missing));
    }
    let result = service(state)
        .redeem(&login, code, origin, state.clock.now())
        .await;
    let refusal = match result {
        Ok(token) => {
            let mut response = Redirect::to("/activation/mot-de-passe").into_response();
            response.headers_mut().append(
                header::SET_COOKIE,
                cookie_header(
                    TICKET_COOKIE,
                    token.as_str(),
                    Some(TICKET_LIFETIME.as_secs()),
                ),
            );
            return Ok(response);
        }
        Err(ActivationError::Store(e)) => return Err(PageError(Error::Store(e), t.clone())),
        Err(
            e @ (ActivationError::Throttled(_)
            | ActivationError::Expired
            | ActivationError::Disabled),
        ) => e,
        // A wrong code, and whatever the first step cannot give, say "wrong login or code".
        Err(_) => ActivationError::Wrong,
    };
    code_page(t, headers, login, None, Some(&refusal))
}

/// `POST /activation`.
pub async fn code_submit(
    State(state): State<AppState>,
    t: Tr,
    origin: Origin,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response, PageError> {
    redeem(&state, &t, &origin, &headers, &form.identifiant, &form.code).await
}

// ---------------------------------------------------------------------------------------------
// Step 2: the password.
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "compte/activation-mot-de-passe.html")]
struct PasswordStep {
    page: PageCtx,
    csrf: String,
    greeting: String,
    /// The step's introduction, in the register of its reader (« tu » to a pupil).
    intro: String,
    login: String,
    steps: String,
    error_new: Option<String>,
    error_confirmation: Option<String>,
}

/// `GET /activation/mot-de-passe`.
pub async fn password_form(
    State(state): State<AppState>,
    t: Tr,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let Some(token) = ticket(&headers) else {
        return Ok(start_again());
    };
    password_step(&state, &t, &token, None)
}

/// The field `name`'s text among a refusal's field errors.
pub(super) fn field_error(t: &Tr, refusal: Option<&dyn Problem>, name: &str) -> Option<String> {
    refusal?
        .field_errors(t)
        .into_iter()
        .find_map(|(field, text)| (field == name).then_some(text))
}

fn password_step(
    state: &AppState,
    t: &Tr,
    token: &SessionToken,
    refusal: Option<&ActivationError>,
) -> Result<Response, PageError> {
    let refusal = refusal.map(|e| e as &dyn Problem);
    let view = match service(state).view(token, state.clock.now()) {
        Ok(view) => view,
        Err(ActivationError::Store(e)) => return Err(PageError(Error::Store(e), t.clone())),
        Err(_) => return Ok(start_again()),
    };
    let total = if view.charters.is_empty() { 2 } else { 3 };
    let page = render(
        StatusCode::OK,
        &PasswordStep {
            page: no_user(t),
            csrf: token.csrf(),
            greeting: t.msg1("activation-bonjour", "prenom", &view.person.first_name),
            intro: t.msg1(
                "activation-mdp-intro-selon",
                "registre",
                view.audience.register(),
            ),
            login: view.person.login,
            steps: {
                let mut args = fluent_bundle::FluentArgs::new();
                args.set("total", total.to_string());
                args.set("registre", view.audience.register());
                t.args("activation-etape-2-selon", &args)
            },
            error_new: field_error(t, refusal, "nouveau"),
            error_confirmation: field_error(t, refusal, "confirmation"),
        },
    );
    Ok(answer(refusal, page))
}

/// The second step's form.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    pub(super) nouveau: String,
    #[serde(default)]
    pub(super) confirmation: String,
}

/// `POST /activation/mot-de-passe`.
pub async fn password_submit(
    State(state): State<AppState>,
    t: Tr,
    origin: Origin,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PageError> {
    let Some(token) = ticket(&headers) else {
        return Ok(start_again());
    };
    let result = service(&state)
        .choose_password(
            &token,
            &form.nouveau,
            &form.confirmation,
            &origin,
            state.clock.now(),
        )
        .await;
    match result {
        Ok(Next::Charter) => Ok(Redirect::to("/activation/charte").into_response()),
        Ok(Next::Done(session)) => Ok(signed_in(&session)),
        Err(ActivationError::Store(e)) => Err(PageError(Error::Store(e), t)),
        Err(e @ (ActivationError::Mismatch | ActivationError::Policy(_))) => {
            password_step(&state, &t, &token, Some(&e))
        }
        Err(_) => Ok(start_again()),
    }
}

// ---------------------------------------------------------------------------------------------
// Step 3 (and `/charte`): the charter.
// ---------------------------------------------------------------------------------------------

struct CharterView {
    establishment: String,
    paragraphs: Vec<String>,
}

#[derive(Template)]
#[template(path = "compte/charte.html")]
struct CharterPage {
    page: PageCtx,
    csrf: String,
    action: &'static str,
    steps: Option<String>,
    /// The introduction, in the register of its reader (« tu » to a pupil).
    intro: String,
    charters: Vec<CharterView>,
    versions: String,
    notice: Option<String>,
    error: Option<String>,
}

/// `12:3,14:0`: the establishments and versions shown, sent back with the acceptance.
fn versions(charters: &[ToAccept]) -> String {
    charters
        .iter()
        .map(|c| format!("{}:{}", c.establishment.0, c.charter.version))
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_versions(text: &str) -> Option<Vec<(EstablishmentId, u32)>> {
    if text.trim().is_empty() {
        return Some(Vec::new());
    }
    text.split(',')
        .map(|pair| {
            let (e, v) = pair.split_once(':')?;
            Some((
                EstablishmentId(e.trim().parse().ok()?),
                v.trim().parse().ok()?,
            ))
        })
        .collect()
}

fn charter_views(charters: &[ToAccept]) -> Vec<CharterView> {
    charters
        .iter()
        .map(|c| CharterView {
            establishment: c.establishment_name.clone(),
            paragraphs: c.charter.paragraphs(),
        })
        .collect()
}

struct CharterRender {
    csrf: String,
    action: &'static str,
    steps: Option<String>,
    audience: Audience,
    user: Option<crate::http::frame::UserBar>,
}

/// The charter page; after a refusal, its text as the notice (a charter changed while read)
/// or as the error (the box not ticked).
fn charter_page(
    t: &Tr,
    how: CharterRender,
    charters: &[ToAccept],
    refusal: Option<&ActivationError>,
) -> Response {
    let text = refusal.map(|e| e.detail(t));
    let (notice, error) = match refusal {
        Some(ActivationError::CharterChanged) => (text, None),
        _ => (None, text),
    };
    let page = render(
        StatusCode::OK,
        &CharterPage {
            page: PageCtx {
                t: t.clone(),
                user: how.user,
                current: "",
            },
            csrf: how.csrf,
            action: how.action,
            steps: how.steps,
            intro: t.msg1("charte-intro-selon", "registre", how.audience.register()),
            charters: charter_views(charters),
            versions: versions(charters),
            notice,
            error,
        },
    );
    answer(refusal.map(|e| e as &dyn Problem), page)
}

/// `GET /activation/charte`.
pub async fn charter_step_form(
    State(state): State<AppState>,
    t: Tr,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let Some(token) = ticket(&headers) else {
        return Ok(start_again());
    };
    charter_step(&state, &t, &token, None)
}

fn charter_step(
    state: &AppState,
    t: &Tr,
    token: &SessionToken,
    refusal: Option<&ActivationError>,
) -> Result<Response, PageError> {
    let view = match service(state).view(token, state.clock.now()) {
        Ok(view) => view,
        Err(ActivationError::Store(e)) => return Err(PageError(Error::Store(e), t.clone())),
        Err(_) => return Ok(start_again()),
    };
    if view.ticket.password_hash.is_none() {
        return Ok(Redirect::to("/activation/mot-de-passe").into_response());
    }
    Ok(charter_page(
        t,
        CharterRender {
            csrf: token.csrf(),
            action: "/activation/charte",
            steps: Some(t.msg("activation-etape-3")),
            audience: view.audience,
            user: None,
        },
        &view.charters,
        refusal,
    ))
}

/// The charter form.
#[derive(Debug, Deserialize)]
pub struct CharterForm {
    #[serde(default)]
    versions: String,
    accepte: Option<String>,
}

/// `POST /activation/charte`.
pub async fn charter_step_submit(
    State(state): State<AppState>,
    t: Tr,
    origin: Origin,
    headers: HeaderMap,
    Form(form): Form<CharterForm>,
) -> Result<Response, PageError> {
    let Some(token) = ticket(&headers) else {
        return Ok(start_again());
    };
    let Some(shown) = parse_versions(&form.versions) else {
        return Err(PageError(
            Error::Invalid(vec![("versions".into(), "charte-erreur-versions".into())]),
            t,
        ));
    };
    let st = state.clone();
    let tk = token.clone();
    let accepted = form.accepte.is_some();
    let now = state.clock.now();
    let result = tokio::task::spawn_blocking(move || {
        service(&st).accept_charters(&tk, &shown, accepted, &origin, now)
    })
    .await
    .map_err(|e| PageError(Error::Io(std::io::Error::other(e)), t.clone()))?;
    match result {
        Ok(session) => Ok(signed_in(&session)),
        Err(ActivationError::Store(e)) => Err(PageError(Error::Store(e), t)),
        Err(e @ (ActivationError::CharterNotAccepted | ActivationError::CharterChanged)) => {
            charter_step(&state, &t, &token, Some(&e))
        }
        Err(_) => Ok(start_again()),
    }
}

/// `GET /charte`: a signed-in person accepts the charters changed since they last accepted.
pub async fn charter_form(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
) -> Result<Response, PageError> {
    signed_in_charter(&state, &t, &user, None).await
}

async fn signed_in_charter(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    refusal: Option<&ActivationError>,
) -> Result<Response, PageError> {
    let Some(person) = user.actor.person else {
        return Ok(Redirect::to("/").into_response());
    };
    let store = state.store.clone();
    let charters = blocking(t, move || Ok(charter::to_accept(&store.read()?, person)?)).await?;
    if charters.is_empty() {
        return Ok(Redirect::to("/").into_response());
    }
    let name = user.name.clone();
    let bar = page(t, user, name, "").user;
    Ok(charter_page(
        t,
        CharterRender {
            csrf: user.csrf(),
            action: "/charte",
            steps: None,
            audience: Audience::of(&user.actor),
            user: bar,
        },
        &charters,
        refusal,
    ))
}

/// `POST /charte`.
pub async fn charter_submit(
    State(state): State<AppState>,
    t: Tr,
    origin: Origin,
    user: CurrentUser,
    Form(form): Form<CharterForm>,
) -> Result<Response, PageError> {
    let Some(person) = user.actor.person else {
        return Ok(Redirect::to("/").into_response());
    };
    let Some(shown) = parse_versions(&form.versions) else {
        return Err(PageError(
            Error::Invalid(vec![("versions".into(), "charte-erreur-versions".into())]),
            t,
        ));
    };
    if form.accepte.is_none() {
        return signed_in_charter(
            &state,
            &t,
            &user,
            Some(&ActivationError::CharterNotAccepted),
        )
        .await;
    }
    let store = state.store.clone();
    let now = state.clock.now();
    let accepted = blocking(&t, move || {
        Ok(charter::accept(&store, person, &shown, &origin, now)?)
    })
    .await?;
    if !accepted {
        return signed_in_charter(&state, &t, &user, Some(&ActivationError::CharterChanged)).await;
    }
    Ok(Redirect::to("/").into_response())
}
