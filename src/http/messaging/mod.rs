//! The messaging pages (`/messagerie`, issue 6 §2): folders with their unread counts and a
//! search, a message with its actions, writing (recipients by name or by list, drafts saved by
//! hand or every 20 s by `assets/public/messagerie.js`), attachments up and down.
//!
//! Handlers extract, call `domain::messaging` (which decides every permission: a message the
//! actor is not party to is "not found", whatever its id) and render. What the domain refuses
//! for a reason the user can act on (a recipient the rules forbid, the hourly limit, a
//! suspension, a frozen thread, a recall too late) is said in French beside the form or on the
//! page, with its status (403, 429, 409); nothing is written then.

pub mod api;
pub mod compose;
pub mod folders;
pub mod message;
pub(crate) mod upload;

use axum::http::StatusCode;
use axum::response::Response;

use super::extract::{CurrentUser, Tr};
use crate::domain::messaging::MessagingError;
use crate::error::Error;
use crate::http::frame::{OrPage, PageCtx, PageError, page, render};
use crate::http::path_ids::{Segment, parse_id};
use crate::http::problem::{self, Problem};
use crate::model::messaging::{Folder, FolderId};

/// Runs a domain call on the blocking pool; the domain's refusal is kept for the caller to
/// show (only a failed task becomes a page error).
pub(crate) async fn call<T: Send + 'static>(
    t: &Tr,
    f: impl FnOnce() -> Result<T, MessagingError> + Send + 'static,
) -> Result<Result<T, MessagingError>, PageError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| PageError(Error::Io(std::io::Error::other(e)), t.clone()))
}

/// Runs a domain call; any refusal becomes the error page.
pub(crate) async fn run<T: Send + 'static>(
    t: &Tr,
    f: impl FnOnce() -> Result<T, MessagingError> + Send + 'static,
) -> Result<T, PageError> {
    call(t, f).await?.or_page(t)
}

/// A refusal as a page with the header (the person stays signed in): "not found" and internal
/// errors go to the common error page.
pub(crate) async fn refusal(
    t: &Tr,
    user: &CurrentUser,
    e: MessagingError,
) -> Result<Response, PageError> {
    if matches!(e, MessagingError::NotFound | MessagingError::Store(_)) {
        return Err(PageError(e.into(), t.clone()));
    }
    let name = user.name.clone();
    let shown = render(
        StatusCode::OK,
        &crate::http::frame::ErrorPage::refusal(
            page(t, user, name, "/messagerie"),
            t.msg("messagerie-refus-titre"),
            e.detail(t),
        ),
    );
    Ok(problem::form_again(&e, shown))
}

/// The page frame with the inbox's unread count as the domain just read it (opening a message
/// changes it after the header's count was taken).
pub(crate) fn fresh_count(mut frame: PageCtx, counts: &[(Folder, u32)]) -> PageCtx {
    if let Some(bar) = frame.user.as_mut() {
        bar.unread = counts
            .iter()
            .find(|(f, _)| *f == Folder::Inbox)
            .map_or(0, |(_, n)| u64::from(*n));
    }
    frame
}

/// A folder's code in URLs, forms and the API: `reception`, `envoyes`, `brouillons`,
/// `corbeille`, or a personal folder's number.
pub fn folder_code(folder: Folder) -> String {
    match folder {
        Folder::Inbox => "reception".into(),
        Folder::Sent => "envoyes".into(),
        Folder::Drafts => "brouillons".into(),
        Folder::Trash => "corbeille".into(),
        Folder::Personal(id) => id.to_string(),
    }
}

/// The folder of a code.
pub fn parse_folder(code: &str) -> Option<Folder> {
    match code {
        "reception" => Some(Folder::Inbox),
        "envoyes" => Some(Folder::Sent),
        "brouillons" => Some(Folder::Drafts),
        "corbeille" => Some(Folder::Trash),
        other => parse_id(other).map(|n| Folder::Personal(FolderId(n))),
    }
}

/// A folder's code in the path (`/api/v1/messagerie/dossiers/{dossier}`).
impl Segment for Folder {
    fn from_segment(text: &str) -> Option<Folder> {
        parse_folder(text)
    }
}

/// The page of a folder.
pub fn folder_href(folder: Folder) -> String {
    match folder {
        Folder::Inbox => "/messagerie".into(),
        Folder::Sent => "/messagerie/envoyes".into(),
        Folder::Drafts => "/messagerie/brouillons".into(),
        Folder::Trash => "/messagerie/corbeille".into(),
        Folder::Personal(id) => format!("/messagerie/dossiers/{id}"),
    }
}

/// The translation key of a system folder's name.
pub(crate) fn system_folder_key(folder: Folder) -> &'static str {
    match folder {
        Folder::Inbox => "messagerie-reception",
        Folder::Sent => "messagerie-envoyes",
        Folder::Drafts => "messagerie-brouillons",
        Folder::Trash | Folder::Personal(_) => "messagerie-corbeille",
    }
}

/// A size as people read it: "532 octets", "12 Ko", "1,4 Mo".
pub(crate) fn human_size(t: &Tr, bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    if bytes < KIB {
        t.count("messagerie-taille-octets", "n", bytes)
    } else if bytes < MIB {
        t.msg1(
            "messagerie-taille-ko",
            "n",
            &bytes.div_ceil(KIB).to_string(),
        )
    } else {
        let tenths = (bytes * 10).div_ceil(MIB);
        let text = if tenths.is_multiple_of(10) {
            (tenths / 10).to_string()
        } else if t.code() == "fr" {
            format!("{},{}", tenths / 10, tenths % 10)
        } else {
            format!("{}.{}", tenths / 10, tenths % 10)
        };
        t.msg1("messagerie-taille-mo", "n", &text)
    }
}

/// The first instant of a day in Paris (a search's "du").
pub(crate) use crate::clock::paris_day_start as day_start;

/// The last instant of a day in Paris (a search's "au", included).
pub(crate) use crate::clock::paris_day_end as day_end;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_codes_round_trip() {
        for f in [
            Folder::Inbox,
            Folder::Sent,
            Folder::Drafts,
            Folder::Trash,
            Folder::Personal(FolderId(7)),
        ] {
            assert_eq!(parse_folder(&folder_code(f)), Some(f));
        }
        assert_eq!(parse_folder("0"), None);
        assert_eq!(parse_folder("x"), None);
    }

    #[test]
    fn days_are_paris_days() {
        let d = jiff::civil::date(2026, 9, 14);
        assert_eq!(day_start(d).unwrap().to_string(), "2026-09-13T22:00:00Z");
        assert_eq!(
            day_end(d).unwrap().to_string(),
            "2026-09-14T21:59:59.999999Z"
        );
    }

    #[test]
    fn sizes_read_naturally() {
        let t = Tr::new(
            crate::i18n::Lang::Fr,
            std::sync::Arc::new(crate::i18n::Catalog::load().unwrap()),
        );
        assert_eq!(human_size(&t, 1), "1 octet");
        assert_eq!(human_size(&t, 256), "256 octets");
        assert_eq!(human_size(&t, 2048), "2 Ko");
        assert_eq!(human_size(&t, 1024 * 1024 * 3 / 2), "1,5 Mo");
        assert_eq!(human_size(&t, 1024 * 1024 * 2), "2 Mo");
    }
}
