//! A message's page and its actions: reply, reply to all, forward, mark unread, move, trash,
//! restore, delete for good, recall (its sender), acknowledge (*vu et signé*), report
//! (*signaler*); and its attachments, streamed from the blob store.

use crate::http::extract::Form;
use crate::http::extract::Query;
use askama::Template;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::SignedDuration;
use serde::Deserialize;

use super::folders::{NavItem, nav};
use super::{call, folder_code, folder_href, fresh_count, parse_folder, run, system_folder_key};
use crate::domain::messaging::{MessagingError, abuse, body, mailbox};
use crate::error::Error;
use crate::http::extract::{CurrentUser, Tr};
use crate::http::frame::{PageCtx, PageError, page, paris, render};
use crate::http::path_ids::{Id, Ids, Segment};
use crate::http::problem;
use crate::model::Origin;
use crate::model::directory::Relation;
use crate::model::messaging::{Folder, MessageId};
use crate::state::AppState;

/// Recipients shown before the rest is folded under "et N autres".
const SHOWN_RECIPIENTS: usize = 20;

struct AttachmentView {
    href: String,
    name: String,
    size: String,
}

struct ReceiptView {
    name: String,
    read: String,
    acknowledged: String,
}

/// A recipient as their receipt names them: a parent with the children they sign for,
/// « Nathalie CHABRIER (mère de Léa, 4A) ».
fn receipt_name(t: &Tr, r: &mailbox::Receipt) -> String {
    let name = r.person.display_name();
    if r.children.is_empty() {
        return name;
    }
    let children: Vec<String> = r
        .children
        .iter()
        .map(|c| {
            let mut args = fluent_bundle::FluentArgs::new();
            args.set(
                "lien",
                match c.relation {
                    Relation::Mere => "mere",
                    Relation::Pere => "pere",
                    Relation::Tuteur => "tuteur",
                    Relation::Autre => "autre",
                },
            );
            args.set("prenom", c.first_name.clone());
            args.set("classe", c.class.clone());
            t.args("messagerie-accuse-enfant", &args)
        })
        .collect();
    let mut args = fluent_bundle::FluentArgs::new();
    args.set("nom", name);
    args.set("enfants", children.join(" ; "));
    t.args("messagerie-accuse-parent", &args)
}

#[derive(Template)]
#[template(path = "messagerie/message.html")]
struct MessageTemplate {
    page: PageCtx,
    csrf: String,
    nav: Vec<NavItem>,
    id: MessageId,
    subject: String,
    sender: String,
    at: String,
    recipients: Vec<String>,
    more_recipients: Vec<String>,
    more_label: String,
    lists: Vec<String>,
    body_html: String,
    attachments: Vec<AttachmentView>,
    thread: Vec<(String, String)>,
    mine: bool,
    recalled: Option<String>,
    frozen: bool,
    /// The folder it is in for the reader (`None`: deleted for good from their mailbox).
    folder: Option<String>,
    back: (String, String),
    in_trash: bool,
    can_mark_unread: bool,
    can_reply: bool,
    can_reply_all: bool,
    can_forward: bool,
    can_recall: bool,
    recall_until: String,
    ack_requested: bool,
    ack_asked: bool,
    ack_done: Option<String>,
    can_report: bool,
    receipts: Vec<ReceiptView>,
    receipts_summary: String,
    moves: Vec<(String, String)>,
    done: Option<String>,
    error: Option<String>,
}

/// What was just done (`?fait=`).
#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    fait: Option<String>,
}

fn done_text(t: &Tr, code: Option<&str>) -> Option<String> {
    let key = match code? {
        "rappele" => "messagerie-fait-rappele",
        "signe" => "messagerie-fait-signe",
        "signale" => "messagerie-fait-signale",
        _ => return None,
    };
    Some(t.msg(key))
}

/// Renders message `id` for the actor (opening it marks it read); `error` is a refused
/// action's sentence (the caller gives the page its error's status).
async fn message_page(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    id: MessageId,
    done: Option<String>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let now = state.clock.now();
    let (view, receipts, counts, personal) = run(t, move || {
        let view = mailbox::open(&store, &actor, id, now)?;
        let receipts = if view.mine && view.message.sent_at.is_some() {
            mailbox::receipts(&store, &actor, id)?
        } else {
            Vec::new()
        };
        let counts = mailbox::unread_counts(&store, &actor)?;
        let personal = mailbox::personal_folders(&store, &actor)?;
        Ok((view, receipts, counts, personal))
    })
    .await?;
    let Some(sent_at) = view.message.sent_at else {
        // A draft opens in the compose form.
        return Ok(Redirect::to(&format!("/messagerie/nouveau?brouillon={id}")).into_response());
    };
    let m = &view.message;
    let recalled = m.recalled_at.map(paris);
    let live = recalled.is_none() && !view.frozen;
    let window = SignedDuration::try_from(state.config.message_recall_window)
        .unwrap_or(SignedDuration::ZERO);
    let recall_deadline = sent_at.checked_add(window).unwrap_or(sent_at);
    let names: Vec<String> = view.recipients.iter().map(|p| p.display_name()).collect();
    let (shown, more) = if names.len() > SHOWN_RECIPIENTS {
        let (a, b) = names.split_at(SHOWN_RECIPIENTS);
        (a.to_vec(), b.to_vec())
    } else {
        (names, Vec::new())
    };
    let hidden = m.recipients.len().saturating_sub(shown.len());
    let folder = view.folder;
    let moves = match folder {
        Some(Folder::Drafts | Folder::Trash) | None => Vec::new(),
        Some(current) => {
            let mut out = Vec::new();
            if !view.mine && current != Folder::Inbox {
                out.push((
                    folder_code(Folder::Inbox),
                    t.msg(system_folder_key(Folder::Inbox)),
                ));
            }
            for p in &personal {
                if Folder::Personal(p.id) != current {
                    out.push((folder_code(Folder::Personal(p.id)), p.name.clone()));
                }
            }
            out
        }
    };
    let back = match folder {
        Some(Folder::Personal(f)) => (
            folder_href(Folder::Personal(f)),
            personal
                .iter()
                .find(|p| p.id == f)
                .map(|p| p.name.clone())
                .unwrap_or_default(),
        ),
        Some(f) => (folder_href(f), t.msg(system_folder_key(f))),
        None if view.mine => (
            folder_href(Folder::Sent),
            t.msg(system_folder_key(Folder::Sent)),
        ),
        None => (
            folder_href(Folder::Inbox),
            t.msg(system_folder_key(Folder::Inbox)),
        ),
    };
    let read_count = receipts.iter().filter(|r| r.read_at.is_some()).count();
    let ack_count = receipts
        .iter()
        .filter(|r| r.acknowledged_at.is_some())
        .count();
    let receipts_summary = {
        let mut args = fluent_bundle::FluentArgs::new();
        args.set("lus", read_count as u64);
        args.set("signes", ack_count as u64);
        args.set("total", receipts.len() as u64);
        if m.ack_requested {
            t.args("messagerie-accuses-resume", &args)
        } else {
            t.args("messagerie-lectures-resume", &args)
        }
    };
    let dash = "—".to_owned();
    let template = MessageTemplate {
        csrf: user.csrf(),
        nav: nav(t, &counts, &personal, folder),
        id,
        subject: if m.subject.is_empty() {
            t.msg("messagerie-sans-objet")
        } else {
            m.subject.clone()
        },
        sender: view.sender.display_name(),
        at: paris(sent_at),
        more_label: t.count("messagerie-et-n-autres", "nombre", hidden as u64),
        recipients: shown,
        more_recipients: more,
        lists: m.lists.clone(),
        body_html: body::render(&m.body),
        attachments: m
            .attachments
            .iter()
            .enumerate()
            .map(|(i, a)| AttachmentView {
                href: format!("/messagerie/messages/{id}/pieces-jointes/{i}"),
                name: a.name.clone(),
                size: super::human_size(t, a.size),
            })
            .collect(),
        thread: view
            .thread
            .iter()
            .map(|(other, who, at)| {
                let mut args = fluent_bundle::FluentArgs::new();
                args.set("nom", who.display_name());
                args.set("date", paris(*at));
                (
                    format!("/messagerie/messages/{other}"),
                    t.args("messagerie-fil-element", &args),
                )
            })
            .collect(),
        mine: view.mine,
        frozen: view.frozen,
        folder: folder.map(folder_code),
        back,
        in_trash: folder == Some(Folder::Trash),
        can_mark_unread: !view.mine && folder.is_some_and(|f| f != Folder::Trash),
        can_reply: live && !view.mine,
        can_reply_all: live && view.reply_all,
        can_forward: live,
        can_recall: view.mine
            && recalled.is_none()
            && state.clock.now() <= recall_deadline
            && receipts.iter().all(|r| r.read_at.is_none()),
        recall_until: paris(recall_deadline),
        ack_requested: m.ack_requested,
        ack_asked: !view.mine && m.ack_requested && view.acknowledged_at.is_none(),
        ack_done: if view.mine {
            None
        } else {
            view.acknowledged_at.map(paris)
        },
        can_report: !view.mine && !view.frozen && recalled.is_none(),
        receipts: receipts
            .iter()
            .map(|r| ReceiptView {
                name: receipt_name(t, r),
                read: r.read_at.map_or_else(|| dash.clone(), paris),
                acknowledged: r.acknowledged_at.map_or_else(|| dash.clone(), paris),
            })
            .collect(),
        receipts_summary,
        moves,
        recalled,
        done,
        error,
        page: fresh_count(page(t, user, user.name.clone(), "/messagerie"), &counts),
    };
    Ok(render(StatusCode::OK, &template))
}

/// `GET /messagerie/messages/{id}`: the message (marked read).
pub async fn show(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(id): Id<MessageId>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let done = done_text(&t, q.fait.as_deref());
    message_page(&state, &t, &user, id, done, None).await
}

/// After a refused action: the message again with the reason ("not found" stays a 404).
async fn refused(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    id: MessageId,
    e: MessagingError,
) -> Result<Response, PageError> {
    if matches!(e, MessagingError::NotFound | MessagingError::Store(_)) {
        return Err(PageError(e.into(), t.clone()));
    }
    let text = problem::text(t, &e);
    let shown = message_page(state, t, user, id, None, Some(text)).await?;
    Ok(problem::form_again(&e, shown))
}

/// The form of the mailbox actions: the folder the page showed the message in (where to go
/// back after it leaves), or the destination of a move.
#[derive(Debug, Default, Deserialize)]
pub struct FolderForm {
    #[serde(default)]
    dossier: String,
}

/// Runs a mailbox action on message `id` and goes to `to(result)`.
async fn act<T: Send + 'static>(
    state: AppState,
    t: Tr,
    user: CurrentUser,
    id: MessageId,
    action: impl FnOnce(&AppState, &crate::model::Actor, MessageId) -> Result<T, MessagingError>
    + Send
    + 'static,
    to: impl FnOnce(MessageId, T) -> String,
) -> Result<Response, PageError> {
    let st = state.clone();
    let actor = user.actor.clone();
    match call(&t, move || action(&st, &actor, id)).await? {
        Ok(v) => Ok(Redirect::to(&to(id, v)).into_response()),
        Err(e) => refused(&state, &t, &user, id, e).await,
    }
}

/// `POST /messagerie/messages/{id}/non-lu`: marks it unread, back to its folder.
pub async fn mark_unread(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(id): Id<MessageId>,
    Form(form): Form<FolderForm>,
) -> Result<Response, PageError> {
    let back = parse_folder(&form.dossier).unwrap_or(Folder::Inbox);
    act(
        state,
        t,
        user,
        id,
        |st, actor, id| mailbox::mark_unread(&st.store, actor, id),
        move |_, ()| format!("{}?fait=non-lu", folder_href(back)),
    )
    .await
}

/// `POST /messagerie/messages/{id}/deplacer` (`dossier`): into the inbox or a personal folder.
pub async fn move_to(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(id): Id<MessageId>,
    Form(form): Form<FolderForm>,
) -> Result<Response, PageError> {
    let Some(to) = parse_folder(&form.dossier) else {
        return Err(PageError(Error::NotFound, t));
    };
    act(
        state,
        t,
        user,
        id,
        move |st, actor, id| mailbox::move_to(&st.store, actor, id, to),
        move |_, ()| format!("{}?fait=deplace", folder_href(to)),
    )
    .await
}

/// `POST /messagerie/messages/{id}/supprimer`: into the trash.
pub async fn trash(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(id): Id<MessageId>,
    Form(form): Form<FolderForm>,
) -> Result<Response, PageError> {
    let back = parse_folder(&form.dossier).unwrap_or(Folder::Inbox);
    act(
        state,
        t,
        user,
        id,
        |st, actor, id| mailbox::move_to(&st.store, actor, id, Folder::Trash),
        move |_, ()| format!("{}?fait=supprime", folder_href(back)),
    )
    .await
}

/// `POST /messagerie/messages/{id}/restaurer`: out of the trash, back where it was.
pub async fn restore(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(id): Id<MessageId>,
) -> Result<Response, PageError> {
    act(
        state,
        t,
        user,
        id,
        |st, actor, id| mailbox::restore(&st.store, actor, id),
        |_, ()| "/messagerie/corbeille?fait=restaure".to_owned(),
    )
    .await
}

/// `POST /messagerie/messages/{id}/supprimer-definitivement`: out of the trash for good.
pub async fn delete_forever(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(id): Id<MessageId>,
) -> Result<Response, PageError> {
    act(
        state,
        t,
        user,
        id,
        |st, actor, id| mailbox::delete_forever(&st.store, actor, id, st.clock.now()),
        |_, ()| "/messagerie/corbeille?fait=efface".to_owned(),
    )
    .await
}

/// `POST /messagerie/messages/{id}/rappeler`: its sender recalls it (unread, within the
/// configured window); a refusal is said on the page (409).
pub async fn recall(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(id): Id<MessageId>,
) -> Result<Response, PageError> {
    act(
        state,
        t,
        user,
        id,
        |st, actor, id| {
            mailbox::recall(
                &st.store,
                actor,
                id,
                st.config.message_recall_window,
                st.clock.now(),
            )
        },
        |id, ()| format!("/messagerie/messages/{id}?fait=rappele"),
    )
    .await
}

/// `POST /messagerie/messages/{id}/signer`: *vu et signé*.
pub async fn acknowledge(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(id): Id<MessageId>,
) -> Result<Response, PageError> {
    act(
        state,
        t,
        user,
        id,
        |st, actor, id| mailbox::acknowledge(&st.store, actor, id, st.clock.now()),
        |id, ()| format!("/messagerie/messages/{id}?fait=signe"),
    )
    .await
}

/// The report form.
#[derive(Debug, Default, Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    motif: String,
}

/// `POST /messagerie/messages/{id}/signaler` (`motif`, optional): reports the message to the
/// establishment; its thread freezes until an administrator reviews it.
pub async fn report(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Id(id): Id<MessageId>,
    Form(form): Form<ReportForm>,
) -> Result<Response, PageError> {
    act(
        state,
        t,
        user,
        id,
        move |st, actor, id| {
            abuse::report(&st.store, actor, id, &form.motif, &client, st.clock.now())
        },
        |id, _| format!("/messagerie/messages/{id}?fait=signale"),
    )
    .await
}

/// The types a browser may keep when downloading (still as an attachment); anything else is
/// `application/octet-stream`.
const SAFE_TYPES: &[&str] = &[
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "text/plain",
];

/// `Content-Disposition: attachment` with the name in UTF-8 (RFC 5987 / 6266) and an ASCII
/// fallback for old clients.
pub fn content_disposition(name: &str) -> String {
    let fallback: String = deunicode::deunicode(name)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ' | '(' | ')') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let fallback = if fallback.trim().is_empty() {
        "piece-jointe".to_owned()
    } else {
        fallback.trim().to_owned()
    };
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// The position of an attachment in its message, from 0, in the path: digits only, like an id.
pub struct AttachmentIndex(pub usize);

impl Segment for AttachmentIndex {
    fn from_segment(text: &str) -> Option<AttachmentIndex> {
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        text.parse().ok().map(AttachmentIndex)
    }
}

/// `GET /messagerie/messages/{id}/pieces-jointes/{index}`: the file, streamed, always as an
/// attachment (never shown inline), `nosniff` (global), private caching.
pub async fn attachment(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Ids(id, AttachmentIndex(index)): Ids<MessageId, AttachmentIndex>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let a = run(&t, move || mailbox::attachment(&store, &actor, id, index)).await?;
    let (file, size) = match state.blobs.open(crate::blobs::BlobId(a.blob)).await {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(error = %e, message = %id, "an attachment's blob cannot be read");
            return Err(PageError(Error::NotFound, t));
        }
    };
    let declared = a.content_type.to_ascii_lowercase();
    let content_type = if SAFE_TYPES.contains(&declared.as_str()) {
        declared
    } else {
        "application/octet-stream".to_owned()
    };
    let mut response = Body::from_stream(tokio_util::io::ReaderStream::with_capacity(
        file,
        256 * 1024,
    ))
    .into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, content_type),
        (header::CONTENT_DISPOSITION, content_disposition(&a.name)),
        (header::CONTENT_LENGTH, size.to_string()),
        (header::CACHE_CONTROL, "private, no-cache".to_owned()),
    ] {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(name, v);
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispositions_carry_utf8_names_and_an_ascii_fallback() {
        assert_eq!(
            content_disposition("Réunion 5A.pdf"),
            "attachment; filename=\"Reunion 5A.pdf\"; filename*=UTF-8''R%C3%A9union%205A.pdf"
        );
        assert_eq!(
            content_disposition("a\"b;c.txt"),
            "attachment; filename=\"a_b_c.txt\"; filename*=UTF-8''a%22b%3Bc.txt"
        );
        assert_eq!(
            content_disposition("日本"),
            "attachment; filename=\"Ri Ben\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC"
        );
    }
}
