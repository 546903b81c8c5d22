//! The HTML pages of accounts and the portal. Handlers extract, call the domain and render.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::extract::{CurrentUser, LANG_COOKIE, MaybeUser, Tr, cookie};
use crate::domain::accounts::session::{self, COOKIE, SessionToken};
use crate::domain::accounts::signin::{self, Client, SignIn, SignInError};
use crate::domain::directory::queries;
use crate::domain::portal;
use crate::error::Error;
use crate::i18n::Lang;
use crate::model::directory::{ClassId, PersonId, Role, StaffFunction};
use crate::state::AppState;

/// What every page's frame needs.
pub struct PageCtx {
    /// Translations.
    pub t: Tr,
    /// The signed-in person's bar, if any.
    pub user: Option<UserBar>,
    /// Which header link is the current page (`aria-current`): "/", "/profil", "/sessions" or "".
    pub current: &'static str,
}

/// The signed-in person in the header.
pub struct UserBar {
    /// Their name.
    pub name: String,
    /// The session's form token (sign-out form).
    pub csrf: String,
    /// Whether the header links to the administration.
    pub admin: bool,
    /// Unread messages in the inbox (shown beside "Messagerie").
    pub unread: u64,
}

/// A failed page, rendered in the visitor's language.
pub struct PageError(pub Error, pub Tr);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        error_page(&self.1, &self.0)
    }
}

pub(crate) trait OrPage<T> {
    fn or_page(self, t: &Tr) -> Result<T, PageError>;
}

impl<T, E: Into<Error>> OrPage<T> for Result<T, E> {
    fn or_page(self, t: &Tr) -> Result<T, PageError> {
        self.map_err(|e| PageError(e.into(), t.clone()))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: PageCtx,
    title: String,
    message: String,
}

pub(crate) fn render<T: Template>(status: StatusCode, template: &T) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Erreur interne").into_response()
        }
    }
}

/// The error page for `error`, with its status (and `Retry-After` for throttling).
pub fn error_page(t: &Tr, error: &Error) -> Response {
    let key = match error {
        Error::NotFound => "erreur-introuvable",
        Error::Forbidden => "erreur-interdit",
        Error::Unauthenticated => "erreur-connexion-requise",
        Error::Invalid(_) => "erreur-saisie",
        Error::Conflict => "erreur-conflit",
        Error::Csrf => "erreur-csrf",
        Error::RateLimited(_) => "erreur-trop-de-tentatives",
        Error::Store(_) | Error::Io(_) => "erreur-interne",
    };
    if error.status().is_server_error() {
        tracing::error!(error = %error, "page failed");
    }
    let message = match error {
        Error::RateLimited(secs) => t.count(key, "secondes", *secs),
        Error::Store(_) | Error::Io(_) => t.msg1(key, "numero", "—"),
        _ => t.msg(key),
    };
    let mut response = render(
        error.status(),
        &ErrorPage {
            page: PageCtx {
                t: t.clone(),
                user: None,
                current: "",
            },
            title: error
                .status()
                .canonical_reason()
                .unwrap_or("Erreur")
                .to_owned(),
            message,
        },
    );
    if let Error::RateLimited(secs) = error
        && let Ok(v) = HeaderValue::from_str(&secs.to_string())
    {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}

pub(crate) fn page(t: &Tr, user: &CurrentUser, name: String, current: &'static str) -> PageCtx {
    PageCtx {
        t: t.clone(),
        user: Some(UserBar {
            name,
            csrf: user.csrf(),
            admin: crate::domain::admin::is_admin(&user.actor),
            unread: u64::from(user.unread_messages),
        }),
        current,
    }
}

pub(crate) async fn blocking<T: Send + 'static>(
    t: &Tr,
    f: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, PageError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Io(std::io::Error::other(e)))
        .and_then(|r| r)
        .or_page(t)
}

/// The name shown in the header: the actor's own.
pub(crate) async fn own_name(
    state: &AppState,
    user: &CurrentUser,
    t: &Tr,
) -> Result<String, PageError> {
    let store = state.store.clone();
    let id = user.actor.person;
    blocking(t, move || {
        let read = store.read()?;
        Ok(id
            .and_then(|id| read.get(&crate::store::tables::PEOPLE, &id).ok().flatten())
            .map(|p| p.display_name())
            .unwrap_or_default())
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// Sign-in and sign-out.
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "compte/connexion.html")]
struct SignInPage {
    page: PageCtx,
    csrf: String,
    back: String,
    login: String,
    notice: Option<String>,
    error: Option<String>,
}

/// Query of the sign-in page.
#[derive(Debug, Deserialize)]
pub struct BackQuery {
    retour: Option<String>,
    /// Set after a password was changed through a recovery link.
    mdp: Option<String>,
}

/// Where to go back to after signing in or switching language (no open redirect): a path of
/// the route table — so it starts with one of Cartable's own first segments, never `//`, `/\`
/// or a scheme — written in plain URL characters (no control characters, spaces, backslashes,
/// non-ASCII or fragment; `%` escapes well-formed, none for `/`, `\` or a control character
/// in the path, none for a control character in the query). Anything else goes to the portal.
pub(crate) fn safe_back(back: Option<&str>) -> String {
    back.filter(|b| is_safe_back(b))
        .map_or_else(|| "/".to_owned(), str::to_owned)
}

fn is_safe_back(back: &str) -> bool {
    let (path, query) = back.split_once('?').unwrap_or((back, ""));
    back.len() <= 2048
        && path.starts_with('/')
        && escapes_ok(path, |b| b < 0x20 || b == 0x7f || b == b'/' || b == b'\\')
        && escapes_ok(query, |b| b < 0x20 || b == 0x7f)
        && !query.contains('?')
        && is_route(path)
}

/// Whether `part` holds only plain URL characters and well-formed `%` escapes, none of a byte
/// `refused` refuses.
fn escapes_ok(part: &str, refused: impl Fn(u8) -> bool) -> bool {
    let bytes = part.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match hex {
                Some(b) if !refused(b) => i += 3,
                _ => return false,
            }
        } else if c.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&c) {
            i += 1;
        } else {
            return false;
        }
    }
    true
}

/// Whether `path` matches a route of the route table (`{…}` matches one non-empty segment).
fn is_route(path: &str) -> bool {
    static TEMPLATES: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
        super::routes::route_table()
            .into_iter()
            .map(|(path, _)| path)
            .collect()
    });
    TEMPLATES.iter().any(|template| {
        let mut given = path.split('/');
        let mut wanted = template.split('/');
        loop {
            match (given.next(), wanted.next()) {
                (None, None) => return true,
                (Some(g), Some(w)) if w.starts_with('{') && !g.is_empty() => {}
                (Some(g), Some(w)) if g == w => {}
                _ => return false,
            }
        }
    })
}

pub(crate) fn cookie_header(name: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
    let age = max_age
        .map(|a| format!("; Max-Age={a}"))
        .unwrap_or_default();
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; Secure; HttpOnly; SameSite=Lax{age}"
    ))
    .unwrap_or(HeaderValue::from_static(""))
}

/// The pre-session token of this visitor, and the cookie to set if it is new.
pub(crate) fn pre_session(
    headers: &HeaderMap,
) -> Result<(SessionToken, Option<HeaderValue>), Error> {
    if let Some(token) =
        cookie(headers, super::csrf::PRE_SESSION_COOKIE).and_then(SessionToken::parse)
    {
        return Ok((token, None));
    }
    let token = SessionToken::generate()?;
    let set = cookie_header(
        super::csrf::PRE_SESSION_COOKIE,
        token.as_str(),
        Some(86_400),
    );
    Ok((token, Some(set)))
}

fn sign_in_page(
    t: &Tr,
    headers: &HeaderMap,
    status: StatusCode,
    back: String,
    login: String,
    error: Option<String>,
) -> Result<Response, PageError> {
    sign_in_page_with(t, headers, status, back, login, None, error)
}

fn sign_in_page_with(
    t: &Tr,
    headers: &HeaderMap,
    status: StatusCode,
    back: String,
    login: String,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let (pre, set) = pre_session(headers).or_page(t)?;
    let mut response = render(
        status,
        &SignInPage {
            page: PageCtx {
                t: t.clone(),
                user: None,
                current: "",
            },
            csrf: pre.csrf(),
            back,
            login,
            notice,
            error,
        },
    );
    if let Some(set) = set {
        response.headers_mut().append(header::SET_COOKIE, set);
    }
    Ok(response)
}

/// `GET /connexion`.
pub async fn sign_in_form(
    t: Tr,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    Query(q): Query<BackQuery>,
) -> Result<Response, PageError> {
    let back = safe_back(q.retour.as_deref());
    if user.is_some() {
        return Ok(Redirect::to(&back).into_response());
    }
    let notice = q.mdp.map(|_| t.msg("connexion-mdp-change"));
    sign_in_page_with(
        &t,
        &headers,
        StatusCode::OK,
        back,
        String::new(),
        notice,
        None,
    )
}

/// The sign-in form.
#[derive(Debug, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    identifiant: String,
    #[serde(default)]
    mot_de_passe: String,
    retour: Option<String>,
}

/// `POST /connexion`.
pub async fn sign_in_submit(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Result<Response, PageError> {
    let back = safe_back(form.retour.as_deref());
    let login = form
        .identifiant
        .trim()
        .chars()
        .take(100)
        .collect::<String>();
    if login.is_empty() || form.mot_de_passe.is_empty() {
        let msg = t.msg("connexion-erreur-champs");
        return sign_in_page(
            &t,
            &headers,
            StatusCode::UNPROCESSABLE_ENTITY,
            back,
            login,
            Some(msg),
        );
    }
    // An activation code typed as a password: on to the activation (code → password →
    // charter) if it is the login's code. Whatever the login, a code-shaped password is tried
    // as a code (one audited refusal written), then as a password (one hash, one audited
    // refusal): an account holding a code and one that does not (or no account) get the same
    // answer after the same work. Only the right code, or a right but expired one, is told.
    if crate::domain::activation::codes::normalize(&form.mot_de_passe).is_some() {
        use crate::domain::accounts::activation::{Activation, ActivationError, TICKET_LIFETIME};
        let activation = Activation {
            store: &state.store,
            limiter: &state.auth.limiter,
            throttle: &state.auth.throttle,
            touches: &state.auth.touches,
        };
        let redeemed = activation
            .redeem(&login, &form.mot_de_passe, &client, state.clock.now())
            .await;
        let refusal = match redeemed {
            Ok(ticket) => {
                let mut response = Redirect::to("/activation/mot-de-passe").into_response();
                response.headers_mut().append(
                    header::SET_COOKIE,
                    cookie_header(
                        super::activation::TICKET_COOKIE,
                        ticket.as_str(),
                        Some(TICKET_LIFETIME.as_secs()),
                    ),
                );
                return Ok(response);
            }
            Err(ActivationError::Wrong) => None,
            Err(ActivationError::Store(e)) => return Err(PageError(Error::Store(e), t)),
            Err(ActivationError::Throttled(secs)) => Some((
                StatusCode::TOO_MANY_REQUESTS,
                t.count("connexion-erreur-bloque", "secondes", secs),
                Some(secs),
            )),
            Err(ActivationError::Expired) => Some((
                StatusCode::UNPROCESSABLE_ENTITY,
                t.msg("activation-erreur-expire"),
                None,
            )),
            Err(_) => Some((
                StatusCode::FORBIDDEN,
                t.msg("connexion-erreur-desactive"),
                None,
            )),
        };
        if let Some((status, msg, retry)) = refusal {
            let mut response = sign_in_page(&t, &headers, status, back, login, Some(msg))?;
            if let Some(secs) = retry
                && let Ok(v) = HeaderValue::from_str(&secs.to_string())
            {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
            return Ok(response);
        }
    }
    let service = SignIn {
        store: &state.store,
        limiter: &state.auth.limiter,
        throttle: &state.auth.throttle,
    };
    let now = state.clock.now();
    match service
        .sign_in(&login, &form.mot_de_passe, &client, now)
        .await
    {
        Ok((_, token)) => {
            let mut response = Redirect::to(&back).into_response();
            response.headers_mut().append(
                header::SET_COOKIE,
                cookie_header(COOKIE, token.as_str(), None),
            );
            Ok(response)
        }
        Err(SignInError::Store(e)) => Err(PageError(Error::Store(e), t)),
        Err(e) => {
            let (status, msg) = match e {
                SignInError::Throttled(secs) => (
                    StatusCode::TOO_MANY_REQUESTS,
                    t.count("connexion-erreur-bloque", "secondes", secs),
                ),
                SignInError::Disabled => {
                    (StatusCode::FORBIDDEN, t.msg("connexion-erreur-desactive"))
                }
                SignInError::Pending => {
                    (StatusCode::FORBIDDEN, t.msg("connexion-erreur-en-attente"))
                }
                _ => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    t.msg("connexion-erreur-identifiants"),
                ),
            };
            let mut response = sign_in_page(&t, &headers, status, back, login, Some(msg))?;
            if let SignInError::Throttled(secs) = e
                && let Ok(v) = HeaderValue::from_str(&secs.to_string())
            {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
            Ok(response)
        }
    }
}

/// `POST /deconnexion`.
pub async fn sign_out(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    user: CurrentUser,
) -> Result<Response, PageError> {
    let now = state.clock.now();
    let st = state.clone();
    blocking(&t, move || {
        signin::sign_out(&st.store, &user.token, &st.auth.touches, &client, now)?;
        Ok(())
    })
    .await?;
    let mut response = Redirect::to("/connexion").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, cookie_header(COOKIE, "", Some(0)));
    Ok(response)
}

/// `GET /langue/{code}`: remembers the choice and goes back — to the `Referer` if it is a page
/// of this site (same host as the request, a safe path as after sign-in), else to the portal.
pub async fn language(
    Path(code): Path<String>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response {
    let lang = Lang::from_code(&code).unwrap_or(Lang::Fr);
    // HTTP/2 carries the host in the request's authority, HTTP/1.1 in `Host`.
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| uri.authority().map(|a| a.as_str()));
    let back = headers
        .get(header::REFERER)
        .and_then(|r| r.to_str().ok())
        .zip(host)
        .and_then(|(referer, host)| {
            let rest = referer
                .strip_prefix("https://")
                .or_else(|| referer.strip_prefix("http://"))?;
            let (authority, path) = rest.split_at(rest.find('/')?);
            authority
                .eq_ignore_ascii_case(host)
                .then(|| safe_back(Some(path)))
        })
        .unwrap_or_else(|| "/".to_owned());
    let mut response = Redirect::to(&back).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{LANG_COOKIE}={}; Path=/; Secure; SameSite=Lax; Max-Age=31536000",
        lang.code()
    )) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

// ---------------------------------------------------------------------------------------------
// Portal, profiles, classes.
// ---------------------------------------------------------------------------------------------

struct TileView {
    title: String,
    description: String,
    href: Option<String>,
    links: Vec<portal::Link>,
}

struct ChildItem {
    id: PersonId,
    name: String,
    classes: Vec<String>,
    selected: bool,
}

#[derive(Template)]
#[template(path = "portail/portail.html")]
struct PortalPage {
    page: PageCtx,
    greeting: String,
    is_parent: bool,
    children: Vec<ChildItem>,
    tiles: Vec<TileView>,
    news: Vec<super::notifications::NewsItem>,
}

/// Query of the portal (a parent's child switcher).
#[derive(Debug, Deserialize)]
pub struct PortalQuery {
    enfant: Option<u64>,
}

/// `GET /`: the portal.
pub async fn portal_page(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Query(q): Query<PortalQuery>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let view = blocking(&t, move || {
        // A charter changed since it was accepted is accepted again before anything else.
        if let Some(person) = actor.person
            && crate::domain::activation::charter::must_accept_again(&store.read()?, person)?
        {
            return Ok(None);
        }
        let news = crate::domain::notifications::timeline(&store, &actor, 5)?;
        Ok(Some((
            portal::portal(&store, &actor, q.enfant.map(PersonId))?,
            news,
        )))
    })
    .await?;
    let Some((view, news)) = view else {
        return Ok(Redirect::to("/charte").into_response());
    };
    let news = news
        .iter()
        .map(|item| super::notifications::news_item(&t, item))
        .collect();
    let name = own_name(&state, &user, &t).await?;
    let tiles = view
        .tiles
        .iter()
        .map(|tile| TileView {
            title: t.msg(tile.title_key),
            description: match &tile.description_arg {
                Some(arg) => t.msg1(tile.description_key, "etablissement", arg),
                None => t.msg(tile.description_key),
            },
            href: tile.href.clone(),
            links: tile.links.clone(),
        })
        .collect();
    let children = view
        .children
        .iter()
        .map(|c| ChildItem {
            id: c.person.id,
            name: c.person.display_name(),
            classes: c
                .classes
                .iter()
                .map(|cl| {
                    t.msg1(
                        "enfant-classe",
                        "classe",
                        &format!("{} ({})", cl.name, cl.establishment_name),
                    )
                })
                .collect(),
            selected: Some(c.person.id) == view.selected_child,
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &PortalPage {
            page: page(&t, &user, name, "/"),
            greeting: t.msg1("portail-titre", "prenom", &view.first_name),
            is_parent: view.is_parent,
            children,
            tiles,
            news,
        },
    ))
}

/// The translation key of a role.
pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::Eleve => "role-eleve",
        Role::Parent => "role-parent",
        Role::Enseignant => "role-enseignant",
        Role::AdminLocal => "role-admin-local",
        Role::Personnel(f) => match f {
            StaffFunction::Direction => "role-direction",
            StaffFunction::Cpe => "role-cpe",
            StaffFunction::Aed => "role-aed",
            StaffFunction::Secretariat => "role-secretariat",
            StaffFunction::Gestion => "role-gestion",
            StaffFunction::Infirmerie => "role-infirmerie",
            StaffFunction::Documentation => "role-documentation",
            StaffFunction::Psychologue => "role-psychologue",
            StaffFunction::Autre => "role-autre",
        },
    }
}

#[derive(Template)]
#[template(path = "compte/profil.html")]
struct ProfilePage {
    page: PageCtx,
    own: bool,
    password_changed: bool,
    name: String,
    login: Option<String>,
    profiles: Vec<String>,
    classes: Vec<(ClassId, String)>,
    children: Vec<(PersonId, String)>,
}

async fn person_page(
    state: AppState,
    t: Tr,
    user: CurrentUser,
    id: PersonId,
    password_changed: bool,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let view = blocking(&t, move || Ok(queries::person(&store, &actor, id)?)).await?;
    let name = own_name(&state, &user, &t).await?;
    let mut profiles: Vec<String> = view
        .profiles
        .iter()
        .map(|p| format!("{} — {}", t.msg(role_key(p.role)), p.establishment_name))
        .collect();
    if user.actor.person == Some(id) && user.actor.platform_admin {
        profiles.push(t.msg("role-admin-plateforme"));
    }
    Ok(render(
        StatusCode::OK,
        &ProfilePage {
            own: user.actor.person == Some(id),
            password_changed,
            page: page(
                &t,
                &user,
                name,
                if user.actor.person == Some(id) {
                    "/profil"
                } else {
                    ""
                },
            ),
            name: view.person.display_name(),
            login: view.login,
            profiles,
            classes: view
                .classes
                .iter()
                .map(|c| (c.id, format!("{} ({})", c.name, c.establishment_name)))
                .collect(),
            children: view
                .children
                .iter()
                .map(|c| (c.id, c.display_name()))
                .collect(),
        },
    ))
}

/// Query of the profile page.
#[derive(Debug, Deserialize)]
pub struct ProfileQuery {
    mdp: Option<u8>,
}

/// `GET /profil`: one's own profile.
pub async fn own_profile(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Query(q): Query<ProfileQuery>,
) -> Result<Response, PageError> {
    let id = user
        .actor
        .person
        .ok_or_else(|| PageError(Error::NotFound, t.clone()))?;
    person_page(state, t, user, id, q.mdp.is_some()).await
}

/// `GET /personnes/{id}`: someone's profile, if the rules allow.
pub async fn person(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(id): Path<u64>,
) -> Result<Response, PageError> {
    person_page(state, t, user, PersonId(id), false).await
}

#[derive(Template)]
#[template(path = "annuaire/classe.html")]
struct ClassPage {
    page: PageCtx,
    title: String,
    establishment: String,
    count: String,
    members: Vec<(PersonId, String)>,
}

/// `GET /classes/{id}`: a class's pupils, if the rules allow.
pub async fn class(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(id): Path<u64>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let (summary, members) = blocking(&t, move || {
        Ok(queries::class_members(&store, &actor, ClassId(id))?)
    })
    .await?;
    let name = own_name(&state, &user, &t).await?;
    Ok(render(
        StatusCode::OK,
        &ClassPage {
            page: page(&t, &user, name, ""),
            title: t.msg1("classe-titre", "classe", &summary.name),
            establishment: summary.establishment_name,
            count: t.count("classe-eleves", "nombre", members.len() as u64),
            members: members.iter().map(|m| (m.id, m.display_name())).collect(),
        },
    ))
}

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

/// A time shown in Paris, as French people write it.
pub fn paris(t: jiff::Timestamp) -> String {
    t.to_zoned(crate::clock::paris())
        .strftime("%d/%m/%Y %H:%M")
        .to_string()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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
    let name = own_name(&state, &user, &t).await?;
    Ok(render(
        StatusCode::OK,
        &SessionsPage {
            csrf: user.csrf(),
            page: page(&t, &user, name, "/sessions"),
            ended: q.terminee.is_some(),
            sessions: list
                .iter()
                .map(|(hash, s)| SessionRow {
                    id: hex(hash),
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
    client: Client,
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
    let ended = blocking(&t, move || {
        Ok(st.store.write(|tx| {
            // Only one's own session: anything else is "not found".
            let Some(s) = tx.get(&crate::store::tables::SESSIONS, &hash)? else {
                return Ok::<_, crate::store::StoreError>(false);
            };
            if s.person != person {
                return Ok(false);
            }
            session::end(tx, &hash, &st.auth.touches)?;
            crate::domain::accounts::audit::record(
                tx,
                crate::domain::accounts::audit::AuditEvent {
                    at: now,
                    action: crate::domain::accounts::audit::AuditAction::SessionRevoked,
                    person: Some(person),
                    login: String::new(),
                    ip: client.ip.clone(),
                    user_agent: client.user_agent.clone(),
                },
            )?;
            Ok(true)
        })?)
    })
    .await?;
    if !ended {
        return Err(PageError(Error::NotFound, t));
    }
    Ok(Redirect::to("/sessions?terminee=1").into_response())
}

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
pub async fn password_form(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
) -> Result<Response, PageError> {
    let name = own_name(&state, &user, &t).await?;
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
    client: Client,
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
            &client,
            state.clock.now(),
        )
        .await;
    let (mut current, mut new, mut confirmation) = (None, None, None);
    let status = match result {
        Ok(token) => {
            let mut response = Redirect::to("/profil?mdp=1").into_response();
            response.headers_mut().append(
                header::SET_COOKIE,
                cookie_header(COOKIE, token.as_str(), None),
            );
            return Ok(response);
        }
        Err(ChangePasswordError::Store(e)) => return Err(PageError(Error::Store(e), t)),
        Err(ChangePasswordError::Throttled(secs)) => {
            current = Some(t.count("connexion-erreur-bloque", "secondes", secs));
            StatusCode::TOO_MANY_REQUESTS
        }
        Err(ChangePasswordError::WrongCurrent) => {
            current = Some(t.msg("mdp-actuel-faux"));
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(ChangePasswordError::Mismatch) => {
            confirmation = Some(t.msg("mdp-differents"));
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(ChangePasswordError::Policy(violation)) => {
            new = Some(t.msg(violation.message_key()));
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    let name = own_name(&state, &user, &t).await?;
    Ok(render(
        status,
        &PasswordPage {
            csrf: user.csrf(),
            page: page(&t, &user, name, "/profil"),
            error_current: current,
            error_new: new,
            error_confirmation: confirmation,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::safe_back;

    #[test]
    fn back_targets_are_pages_of_the_route_table_in_plain_url_characters() {
        for good in [
            "/",
            "/messagerie",
            "/messagerie?dossier=1",
            "/documents/perso-3/dossier/9",
            "/recherche?q=%C3%A9l%C3%A8ve",
            "/recherche?q=a%2Fb",
        ] {
            assert_eq!(safe_back(Some(good)), good);
        }
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n",
            "/%0a",
            "/%2f%2fevil.example",
            "/%5cevil.example",
            "/messagerie/",
            "/messagerie?x=%0d%0a",
            "/messagerie#x",
            "/messagerie?a?b",
            "/nulle-part",
            "/personnes/",
            "/personnes//x",
            "https://evil.example",
            "javascript:alert(1)",
            "/\u{ff0f}evil.example",
            "/%",
            "/%g0",
            "",
        ] {
            assert_eq!(safe_back(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_back(None), "/");
    }
}
