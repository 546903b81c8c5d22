//! Signing in and out, the pre-session, the language switch, safe return targets.

use crate::http::extract::Form;
use crate::http::extract::Query;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::accounts::session::{COOKIE, SessionToken};
use crate::domain::accounts::signin::{self, SignIn, SignInError};
use crate::error::Error;
use crate::http::account::{MissingField, answer};
use crate::http::extract::{CurrentUser, LANG_COOKIE, MaybeUser, Tr, cookie};
use crate::http::frame::{OrPage, PageCtx, PageError, blocking, cookie_header, render};
use crate::http::problem::Problem;
use crate::i18n::Lang;
use crate::model::Origin;
use crate::state::AppState;

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
    static TEMPLATES: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        crate::http::routes::route_table()
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

/// The pre-session token of this visitor, and the cookie to set if it is new.
pub(crate) fn pre_session(
    headers: &HeaderMap,
) -> Result<(SessionToken, Option<HeaderValue>), Error> {
    if let Some(token) =
        cookie(headers, crate::http::csrf::PRE_SESSION_COOKIE).and_then(SessionToken::parse)
    {
        return Ok((token, None));
    }
    let token = SessionToken::generate()?;
    let set = cookie_header(
        crate::http::csrf::PRE_SESSION_COOKIE,
        token.as_str(),
        Some(86_400),
    );
    Ok((token, Some(set)))
}

/// Why the sign-in form is shown again (its status and text: `http/problem/accounts.rs`).
#[derive(Debug, thiserror::Error)]
pub enum SignInRefusal {
    /// Too many attempts: wait this many seconds.
    #[error("throttled")]
    Throttled(u64),
    /// Unknown login or wrong password (never says which).
    #[error("wrong credentials")]
    WrongCredentials,
    /// The right activation code, typed as a password, but expired.
    #[error("activation code expired")]
    CodeExpired,
    /// The account is disabled or its holder left.
    #[error("account disabled")]
    Disabled,
    /// The account is not activated yet.
    #[error("account pending")]
    Pending,
}

impl SignInRefusal {
    /// The form's answer to a refused sign-in; a store failure is the error page's.
    fn of(e: SignInError) -> Result<SignInRefusal, Error> {
        Ok(match e {
            SignInError::Throttled(secs) => SignInRefusal::Throttled(secs),
            SignInError::WrongCredentials => SignInRefusal::WrongCredentials,
            SignInError::Disabled => SignInRefusal::Disabled,
            SignInError::Pending => SignInRefusal::Pending,
            SignInError::Store(e) => return Err(Error::Store(e)),
        })
    }
}

fn sign_in_page(
    t: &Tr,
    headers: &HeaderMap,
    back: String,
    login: String,
    refusal: Option<&dyn Problem>,
) -> Result<Response, PageError> {
    sign_in_page_with(t, headers, back, login, None, refusal)
}

fn sign_in_page_with(
    t: &Tr,
    headers: &HeaderMap,
    back: String,
    login: String,
    notice: Option<String>,
    refusal: Option<&dyn Problem>,
) -> Result<Response, PageError> {
    let (pre, set) = pre_session(headers).or_page(t)?;
    let error = refusal.map(|e| e.detail(t));
    let mut response = render(
        StatusCode::OK,
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
    Ok(answer(refusal, response))
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
    sign_in_page_with(&t, &headers, back, String::new(), notice, None)
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
    origin: Origin,
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
        let missing = MissingField("connexion-erreur-champs");
        return sign_in_page(&t, &headers, back, login, Some(&missing));
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
            .redeem(&login, &form.mot_de_passe, &origin, state.clock.now())
            .await;
        let refusal = match redeemed {
            Ok(ticket) => {
                let mut response = Redirect::to("/activation/mot-de-passe").into_response();
                response.headers_mut().append(
                    header::SET_COOKIE,
                    cookie_header(
                        crate::http::account::activation::TICKET_COOKIE,
                        ticket.as_str(),
                        Some(TICKET_LIFETIME.as_secs()),
                    ),
                );
                return Ok(response);
            }
            Err(ActivationError::Wrong) => None,
            Err(ActivationError::Store(e)) => return Err(PageError(Error::Store(e), t)),
            Err(ActivationError::Throttled(secs)) => Some(SignInRefusal::Throttled(secs)),
            Err(ActivationError::Expired) => Some(SignInRefusal::CodeExpired),
            Err(_) => Some(SignInRefusal::Disabled),
        };
        if let Some(refusal) = refusal {
            return sign_in_page(&t, &headers, back, login, Some(&refusal));
        }
    }
    let service = SignIn {
        store: &state.store,
        limiter: &state.auth.limiter,
        throttle: &state.auth.throttle,
    };
    let now = state.clock.now();
    match service
        .sign_in(&login, &form.mot_de_passe, &origin, now)
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
        Err(e) => match SignInRefusal::of(e) {
            Ok(refusal) => sign_in_page(&t, &headers, back, login, Some(&refusal)),
            Err(e) => Err(PageError(e, t)),
        },
    }
}

/// `POST /deconnexion`.
pub async fn sign_out(
    State(state): State<AppState>,
    t: Tr,
    origin: Origin,
    user: CurrentUser,
) -> Result<Response, PageError> {
    let now = state.clock.now();
    let st = state.clone();
    blocking(&t, move || {
        signin::sign_out(&st.store, &user.token, &st.auth.touches, &origin, now)?;
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
