//! The news of the portal (`/actualites`) and the notification preferences
//! (`/profil/notifications`). `domain::notifications` does the work.

use crate::http::extract::Form;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::notifications::{self, Prefs, PrefsError, TimelineItem, TimelineKind};
use crate::http::extract::{CurrentUser, Tr};
use crate::http::frame::{PageCtx, PageError, blocking, page, paris, render};
use crate::http::problem::{Problem, form_again};
use crate::state::AppState;

/// A timeline row as a link.
pub struct NewsItem {
    /// What happened, in the visitor's language.
    pub text: String,
    /// Where to see it.
    pub href: String,
    /// When (Paris time).
    pub at: String,
}

/// The link and text of a timeline row.
pub fn news_item(t: &Tr, item: &TimelineItem) -> NewsItem {
    let (text, href) = match &item.entry.kind {
        TimelineKind::MessageReceived {
            message,
            subject,
            ack_requested,
            ..
        } => {
            let mut args = fluent_bundle::FluentArgs::new();
            args.set("de", item.from.clone().unwrap_or_default());
            args.set("objet", subject.clone());
            let key = if *ack_requested {
                "actualite-message-accuse"
            } else {
                "actualite-message"
            };
            (
                t.args(key, &args),
                format!("/messagerie/messages/{message}"),
            )
        }
        TimelineKind::MessageReported { report } => (
            t.msg("actualite-signalement"),
            format!("/admin/signalements/{report}"),
        ),
    };
    NewsItem {
        text,
        href,
        at: paris(item.entry.at),
    }
}

#[derive(Template)]
#[template(path = "portail/actualites.html")]
struct NewsPage {
    page: PageCtx,
    news: Vec<NewsItem>,
    /// Mails about the actor's messages that could not be delivered: (to, when).
    undelivered: Vec<(String, String)>,
}

/// `GET /actualites`: the last 100 events of one's timeline.
pub async fn news(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let (items, undelivered) = blocking(&t, move || {
        Ok((
            notifications::timeline(&store, &actor, 100)?,
            notifications::undelivered(&store, &actor, 20)?,
        ))
    })
    .await?;
    let name = user.name.clone();
    Ok(render(
        StatusCode::OK,
        &NewsPage {
            page: page(&t, &user, name, ""),
            news: items.iter().map(|i| news_item(&t, i)).collect(),
            undelivered: undelivered
                .into_iter()
                .map(|u| (u.to_name.unwrap_or_default(), paris(u.at)))
                .collect(),
        },
    ))
}

#[derive(Template)]
#[template(path = "compte/notifications.html")]
struct PrefsPage {
    page: PageCtx,
    csrf: String,
    prefs: Prefs,
    quiet_start: String,
    quiet_end: String,
    has_email: bool,
    /// Whether the report mail is offered (the administrators only).
    reports: bool,
    done: bool,
    error: Option<String>,
}

fn hhmm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn parse_hhmm(s: &str) -> Option<u16> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u16, u16) = (h.trim().parse().ok()?, m.trim().parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// Query of the preferences page.
#[derive(Debug, Deserialize)]
pub struct PrefsQuery {
    fait: Option<String>,
}

/// The preferences page; after a refusal, with its text and status (`problem::form_again`).
async fn prefs_page(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    prefs: Option<Prefs>,
    done: bool,
    refusal: Option<&PrefsError>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let (current, has_email) = blocking(t, move || {
        let prefs = notifications::my_prefs(&store, &actor)?;
        let email = match actor.person {
            Some(p) => store
                .read()?
                .get(&crate::store::tables::PEOPLE, &p)?
                .is_some_and(|p| p.email.is_some()),
            None => false,
        };
        Ok((prefs, email))
    })
    .await?;
    let prefs = prefs.unwrap_or(current);
    let (start, end) = prefs.quiet.unwrap_or((20 * 60, 7 * 60));
    let name = user.name.clone();
    let page = render(
        StatusCode::OK,
        &PrefsPage {
            page: page(t, user, name, "/profil"),
            csrf: user.csrf(),
            quiet_start: hhmm(start),
            quiet_end: hhmm(end),
            prefs,
            has_email,
            reports: notifications::receives_reports(&user.actor),
            done,
            error: refusal.map(|e| e.detail(t)),
        },
    );
    Ok(match refusal {
        Some(e) => form_again(e, page),
        None => page,
    })
}

/// `GET /profil/notifications`.
pub async fn prefs_form(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    crate::http::extract::Query(q): crate::http::extract::Query<PrefsQuery>,
) -> Result<Response, PageError> {
    prefs_page(&state, &t, &user, None, q.fait.is_some(), None).await
}

/// The preferences form (checkboxes are absent when unticked).
#[derive(Debug, Deserialize)]
pub struct PrefsForm {
    messages: Option<String>,
    signalements: Option<String>,
    calme: Option<String>,
    #[serde(default)]
    calme_debut: String,
    #[serde(default)]
    calme_fin: String,
    week_end: Option<String>,
    resume: Option<String>,
}

/// `POST /profil/notifications`.
pub async fn prefs_submit(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Form(form): Form<PrefsForm>,
) -> Result<Response, PageError> {
    let quiet = if form.calme.is_some() {
        match (parse_hhmm(&form.calme_debut), parse_hhmm(&form.calme_fin)) {
            (Some(a), Some(b)) if a != b => Some((a, b)),
            _ => {
                return prefs_page(&state, &t, &user, None, false, Some(&PrefsError::Invalid))
                    .await;
            }
        }
    } else {
        None
    };
    let prefs = Prefs {
        mail_messages: form.messages.is_some(),
        mail_reports: form.signalements.is_some(),
        quiet,
        quiet_weekends: form.week_end.is_some(),
        digest: form.resume.is_some(),
    };
    let store = state.store.clone();
    let actor = user.actor.clone();
    let saved = blocking(&t, move || {
        Ok(match notifications::set_prefs(&store, &actor, prefs) {
            Err(PrefsError::Store(e)) => return Err(e.into()),
            other => other,
        })
    })
    .await?;
    match saved {
        Ok(()) => Ok(Redirect::to("/profil/notifications?fait=1").into_response()),
        Err(e) => prefs_page(&state, &t, &user, None, false, Some(&e)).await,
    }
}
