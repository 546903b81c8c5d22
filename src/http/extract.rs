//! Extractors: the request's [`Origin`], the language, the signed-in [`CurrentUser`], and
//! [`Query`] and [`Form`], axum's own but refusing in the visitor's language (a French 400
//! page, or problem+json under `/api/`) instead of axum's English plain text.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::domain::accounts::session::{self, SessionToken};
use crate::domain::directory::queries::load_actor_named;
use crate::error::Error;
use crate::http::problem;
use crate::i18n::{Catalog, Lang};
use crate::model::{Actor, Origin};
use crate::state::AppState;

/// The cookie that remembers an explicit language choice.
pub const LANG_COOKIE: &str = "cartable-langue";

/// The value of cookie `name`, if present.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then_some(v)
        })
}

/// Where the request comes from: the peer's address as the connection gives it (no
/// `X-Forwarded-For` or other header is read), `inconnue` when the connection does not say,
/// and the `User-Agent` (empty when absent).
impl<S: Send + Sync> FromRequestParts<S> for Origin {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(|| "inconnue".to_owned(), |c| c.0.ip().to_string());
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        Ok(Origin { ip, user_agent })
    }
}

/// Translations for this request's language.
#[derive(Clone)]
pub struct Tr {
    /// The language.
    pub lang: Lang,
    catalog: Arc<Catalog>,
    /// The request's id (`x-request-id`), shown on error pages so a report can be traced.
    request_id: Option<Arc<str>>,
}

impl Tr {
    /// Wraps a catalogue for a language.
    pub fn new(lang: Lang, catalog: Arc<Catalog>) -> Tr {
        Tr {
            lang,
            catalog,
            request_id: None,
        }
    }

    /// The same, for the request with this id.
    pub fn with_request_id(mut self, id: &str) -> Tr {
        self.request_id = Some(Arc::from(id));
        self
    }

    /// The same, with the id as the request carries it.
    pub fn with_request_id_value(self, id: HeaderValue) -> Tr {
        match id.to_str() {
            Ok(id) => self.with_request_id(id),
            Err(_) => self,
        }
    }

    /// The request's id, when known.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The text of `key`.
    pub fn msg(&self, key: &str) -> String {
        self.catalog.msg(self.lang, key, None)
    }

    /// The text of `key` with one argument.
    pub fn msg1(&self, key: &str, name: &str, value: &str) -> String {
        let mut args = fluent_bundle::FluentArgs::new();
        args.set(name, value.to_owned());
        self.catalog.msg(self.lang, key, Some(&args))
    }

    /// The text of `key` with one numeric argument (plurals).
    pub fn count(&self, key: &str, name: &str, value: u64) -> String {
        let mut args = fluent_bundle::FluentArgs::new();
        args.set(name, value);
        self.catalog.msg(self.lang, key, Some(&args))
    }

    /// A message with several arguments.
    pub fn args(&self, key: &str, args: &fluent_bundle::FluentArgs<'_>) -> String {
        self.catalog.msg(self.lang, key, Some(args))
    }

    /// A text made without knowing its reader (an import's report), in this language.
    pub fn text(&self, text: &crate::i18n::Text) -> String {
        text.render_with(&self.catalog, self.lang)
    }

    /// The language code for `<html lang>`.
    pub fn code(&self) -> &'static str {
        self.lang.code()
    }
}

impl FromRequestParts<AppState> for Tr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let accept = parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok());
        let lang = Lang::negotiate(cookie(&parts.headers, LANG_COOKIE), accept);
        let tr = Tr::new(lang, state.i18n.clone());
        // Set by the request-id layer around the whole router (`http/routes.rs`).
        let id = parts
            .extensions
            .get::<tower_http::request_id::RequestId>()
            .map(|id| id.header_value().clone());
        Ok(match id {
            Some(id) => tr.with_request_id_value(id),
            None => tr,
        })
    }
}

/// The signed-in person: their session token and [`Actor`].
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// The session token (for CSRF tokens and sign-out).
    pub token: SessionToken,
    /// Who, with what the rules need.
    pub actor: Actor,
    /// Unread messages in their inbox (the header's "Messagerie (3)").
    pub unread_messages: u32,
    /// Their display name ("Prénom NOM", the page header's), read with the session.
    pub name: String,
}

impl CurrentUser {
    /// The form token of this session.
    pub fn csrf(&self) -> String {
        self.token.csrf()
    }
}

/// Loads the session and the person's profiles in one read transaction; never writes.
async fn current_user(parts: &Parts, state: &AppState) -> Result<Option<CurrentUser>, Error> {
    user_of(&parts.headers, state).await
}

/// The signed-in person of a request with these headers (the session cookie), if any.
async fn user_of(headers: &HeaderMap, state: &AppState) -> Result<Option<CurrentUser>, Error> {
    let Some(token) = cookie(headers, session::COOKIE).and_then(SessionToken::parse) else {
        return Ok(None);
    };
    let now = state.clock.now();
    let store = state.store.clone();
    let auth = state.auth.clone();
    let lookup = token.clone();
    let actor = tokio::task::spawn_blocking(move || {
        let read = store.read()?;
        let Some(session) = session::check(&read, &lookup, now, auth.lifetimes, &auth.touches)?
        else {
            return Ok::<_, Error>(None);
        };
        let unread = crate::domain::messaging::mailbox::inbox_unread(&read, session.person)?;
        Ok(load_actor_named(&read, session.person)?.map(|named| (named, unread)))
    })
    .await
    .map_err(|e| Error::Io(std::io::Error::other(e)))??;
    Ok(actor.map(|((actor, name), unread_messages)| {
        state.auth.touches.touch(token.hash(), now);
        CurrentUser {
            token,
            actor,
            unread_messages,
            name,
        }
    }))
}

/// Where a page asks an anonymous visitor to sign in first.
fn sign_in_redirect(parts: &Parts) -> Response {
    let path = parts.uri.path();
    if path == "/" {
        Redirect::to("/connexion").into_response()
    } else {
        let back: String = url_escape(path);
        Redirect::to(&format!("/connexion?retour={back}")).into_response()
    }
}

fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match current_user(parts, state).await {
            Ok(Some(user)) => Ok(user),
            Ok(None) if parts.uri.path().starts_with("/api/") => {
                Err(Error::Unauthenticated.into_response())
            }
            Ok(None) => Err(sign_in_redirect(parts)),
            Err(e) => Err(e.into_response()),
        }
    }
}

/// The signed-in person, if any (public pages).
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<CurrentUser>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        current_user(parts, state)
            .await
            .map(MaybeUser)
            .map_err(IntoResponse::into_response)
    }
}

/// The signed-in person of a request with these headers, if any and if the store answers:
/// for the error pages' header, which the `problem::render` layer draws after the handler.
pub async fn signed_in(headers: &HeaderMap, state: &AppState) -> Option<CurrentUser> {
    user_of(headers, state).await.ok().flatten()
}

/// The query string as `T` (axum's `Query`), refused with the error map's "bad query" (400,
/// in the visitor's language) when a value does not read: `?avant=abc`, `?page=-3`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Query(value)),
            Err(rejection) => Err(problem::deferred(problem::query_rejection(&rejection))),
        }
    }
}

/// A form body (or a GET form's query) as `T` (axum's `Form`), refused with the error map's
/// "bad form" (400) or "too large" (413) in the visitor's language.
#[derive(Debug, Clone, Copy, Default)]
pub struct Form<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        match axum::Form::<T>::from_request(request, state).await {
            Ok(axum::Form(value)) => Ok(Form(value)),
            Err(rejection) => Err(problem::deferred(problem::form_rejection(&rejection))),
        }
    }
}
