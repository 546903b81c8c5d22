//! The page frame: the context every page gets, the error page, rendering, and small helpers
//! shared by the pages of every domain (times in Paris, role names).

use askama::Template;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use crate::error::Error;
use crate::http::extract::{CurrentUser, Tr};
use crate::http::problem::Problem;
use crate::model::directory::{Role, StaffFunction};

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

/// A failed page, rendered in the visitor's language by the `problem::render` layer (which
/// draws the error page with the signed-in header).
pub struct PageError(pub Error, pub Tr);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        crate::http::problem::deferred(self.0)
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

/// The error page (`error.html`): a title, the text, the request id for a server error, and
/// links back (the previous page of this site, the portal or the sign-in page).
#[derive(Template)]
#[template(path = "error.html")]
pub(crate) struct ErrorPage {
    page: PageCtx,
    title: String,
    message: String,
    request_id: Option<String>,
    back: Option<String>,
}

impl ErrorPage {
    /// A page that says a refusal with the frame `page` (no request id, no previous page).
    pub(crate) fn refusal(page: PageCtx, title: String, message: String) -> ErrorPage {
        ErrorPage {
            page,
            title,
            message,
            request_id: None,
            back: None,
        }
    }
}

pub(crate) fn render<T: Template>(status: StatusCode, template: &T) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            // The error page through the error map (if that page fails too, the bare status).
            Error::Io(std::io::Error::other("template failed")).into_response()
        }
    }
}

/// The error page for `error`, with its status (and `Retry-After` for throttling); its text,
/// title and status come from the one error map (`http/problem/`). `user` is the header of the
/// signed-in visitor, `back` a path of this site to go back to; a server error shows the
/// request's id, to quote when reporting it.
pub fn error_page(
    t: &Tr,
    error: &dyn Problem,
    user: Option<UserBar>,
    back: Option<String>,
) -> Response {
    let status = error.status();
    let mut response = render(
        status,
        &ErrorPage {
            page: PageCtx {
                t: t.clone(),
                user,
                current: "",
            },
            title: t.msg(crate::http::problem::title_key(status)),
            message: error.detail(t),
            request_id: status
                .is_server_error()
                .then(|| t.request_id().map(str::to_owned))
                .flatten(),
            back,
        },
    );
    crate::http::problem::add_retry_after(&mut response, error);
    response
}

pub(crate) fn page(t: &Tr, user: &CurrentUser, name: String, current: &'static str) -> PageCtx {
    PageCtx {
        t: t.clone(),
        user: Some(bar(user, name)),
        current,
    }
}

fn bar(user: &CurrentUser, name: String) -> UserBar {
    UserBar {
        name,
        csrf: user.csrf(),
        admin: crate::domain::admin::policy::is_admin(&user.actor),
        unread: u64::from(user.unread_messages),
    }
}

/// The header of an error page for the signed-in `user`.
pub fn error_bar(user: &CurrentUser) -> UserBar {
    bar(user, user.name.clone())
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

/// A time shown in Paris, as French people write it.
pub fn paris(t: jiff::Timestamp) -> String {
    t.to_zoned(crate::clock::paris())
        .strftime("%d/%m/%Y %H:%M")
        .to_string()
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

pub(crate) fn cookie_header(name: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
    let age = max_age
        .map(|a| format!("; Max-Age={a}"))
        .unwrap_or_default();
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; Secure; HttpOnly; SameSite=Lax{age}"
    ))
    .unwrap_or(HeaderValue::from_static(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_internal_error_page_shows_the_request_id() {
        let catalog = std::sync::Arc::new(crate::i18n::Catalog::load().unwrap());
        let t = Tr::new(crate::i18n::Lang::Fr, catalog).with_request_id("5f3a09c1-42");
        let error = Error::Io(std::io::Error::other("disk on fire"));
        let response = error_page(&t, &error, None, Some("/messagerie".to_owned()));
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(axum::body::to_bytes(response.into_body(), 1 << 20))
            .unwrap();
        let html = String::from_utf8(body.to_vec()).unwrap();
        assert!(html.contains("5f3a09c1-42"), "{html}");
        assert!(!html.contains("disk on fire"), "{html}");
        assert!(html.contains("<title>Erreur interne"), "{html}");
        assert!(html.contains("href=\"/messagerie\""), "{html}");
    }
}
