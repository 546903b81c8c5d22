//! The folder pages: the inbox, sent messages, drafts, the trash and personal folders, newest
//! first, 50 at a time ("plus anciens" carries the cursor), with a search by sender, subject
//! and dates; creating and deleting personal folders.

use crate::http::extract::Form;
use crate::http::extract::Query;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{call, day_end, day_start, folder_href, fresh_count, run, system_folder_key};
use crate::domain::admin::journal::parse_date;
use crate::domain::messaging::MessagingError;
use crate::domain::messaging::mailbox::{self, Filter, FolderPage as Page, PersonalFolder};
use crate::error::Error;
use crate::http::extract::{CurrentUser, Tr};
use crate::http::frame::{PageCtx, PageError, page, paris, render};
use crate::http::path_ids::Id;
use crate::http::problem::{self, RequestError};
use crate::model::messaging::{Folder, FolderId};
use crate::state::AppState;

/// A link of the folder list.
pub(crate) struct NavItem {
    pub href: String,
    pub label: String,
    pub unread: u64,
    pub current: bool,
}

/// The folder list beside every messaging page: the four system folders, then personal ones,
/// each with its unread count.
pub(crate) fn nav(
    t: &Tr,
    counts: &[(Folder, u32)],
    personal: &[PersonalFolder],
    current: Option<Folder>,
) -> Vec<NavItem> {
    let unread = |f: Folder| {
        counts
            .iter()
            .find(|(g, _)| *g == f)
            .map_or(0, |(_, n)| u64::from(*n))
    };
    let mut out: Vec<NavItem> = [Folder::Inbox, Folder::Sent, Folder::Drafts, Folder::Trash]
        .into_iter()
        .map(|f| NavItem {
            href: folder_href(f),
            label: t.msg(system_folder_key(f)),
            unread: if f == Folder::Inbox { unread(f) } else { 0 },
            current: current == Some(f),
        })
        .collect();
    for p in personal {
        let f = Folder::Personal(p.id);
        out.push(NavItem {
            href: folder_href(f),
            label: p.name.clone(),
            unread: unread(f),
            current: current == Some(f),
        });
    }
    out
}

struct RowView {
    href: String,
    who: String,
    subject: String,
    at: String,
    unread: bool,
    attachments: bool,
    ack: bool,
    recalled: bool,
}

#[derive(Template)]
#[template(path = "messagerie/dossier.html")]
struct FolderTemplate {
    page: PageCtx,
    csrf: String,
    title: String,
    nav: Vec<NavItem>,
    /// The folder's own page (the search form's action).
    action: String,
    /// Sent messages and drafts show their recipients rather than their sender.
    outgoing: bool,
    personal: Option<FolderId>,
    rows: Vec<RowView>,
    count: String,
    next: Option<String>,
    searched: bool,
    sender: String,
    subject: String,
    from: String,
    to: String,
    error_from: Option<String>,
    error_to: Option<String>,
    done: Option<String>,
    folder_name: String,
    error_folder: Option<String>,
    /// Labels used on every row, translated once per page (not once per row).
    labels: RowLabels,
}

/// The per-row labels of a folder page.
struct RowLabels {
    who: String,
    date: String,
    unread: String,
    attachment: String,
    ack: String,
    recalled: String,
}

impl RowLabels {
    fn new(t: &Tr, outgoing: bool) -> RowLabels {
        RowLabels {
            who: t.msg(if outgoing {
                "messagerie-destinataires"
            } else {
                "messagerie-expediteur"
            }),
            date: t.msg("messagerie-date"),
            unread: t.msg("messagerie-non-lu"),
            attachment: t.msg("messagerie-etiquette-pj"),
            ack: t.msg("messagerie-etiquette-accuse"),
            recalled: t.msg("messagerie-etiquette-rappele"),
        }
    }
}

/// Query of a folder page: search criteria, the paging cursor, what was just done.
#[derive(Debug, Default, Deserialize)]
pub struct FolderQuery {
    #[serde(default)]
    expediteur: String,
    #[serde(default)]
    objet: String,
    #[serde(default)]
    du: String,
    #[serde(default)]
    au: String,
    avant: Option<i64>,
    fait: Option<String>,
}

fn done_text(t: &Tr, code: Option<&str>) -> Option<String> {
    let key = match code? {
        "envoye" => "messagerie-fait-envoye",
        "supprime" => "messagerie-fait-supprime",
        "restaure" => "messagerie-fait-restaure",
        "efface" => "messagerie-fait-efface",
        "deplace" => "messagerie-fait-deplace",
        "non-lu" => "messagerie-fait-non-lu",
        "dossier-cree" => "messagerie-fait-dossier-cree",
        "dossier-supprime" => "messagerie-fait-dossier-supprime",
        _ => return None,
    };
    Some(t.msg(key))
}

/// Renders `folder` for the actor; `folder_form` is the "new folder" field shown again with its
/// refusal. A date that cannot be read, or the refusal, gives the page its error's status.
async fn folder_page(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    folder: Folder,
    q: FolderQuery,
    folder_form: (String, Option<MessagingError>),
) -> Result<Response, PageError> {
    let date = |text: &str, end: bool| -> Result<Option<jiff::Timestamp>, String> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        parse_date(text)
            .and_then(|d| if end { day_end(d) } else { day_start(d) })
            .map(Some)
            .ok_or_else(|| t.msg("journal-date-invalide"))
    };
    let from = date(&q.du, false);
    let to = date(&q.au, true);
    let clean = |s: &str| -> Option<String> {
        let s: String = s.trim().chars().take(100).collect();
        (!s.is_empty()).then_some(s)
    };
    let filter = Filter {
        subject: clean(&q.objet),
        sender: clean(&q.expediteur),
        from: from.clone().ok().flatten(),
        to: to.clone().ok().flatten(),
    };
    let invalid = from.is_err() || to.is_err();
    let searched = filter != Filter::default();
    let store = state.store.clone();
    let actor = user.actor.clone();
    let before = q.avant;
    let query_filter = filter.clone();
    let (listing, counts, personal) = run(t, move || {
        let listing = if invalid {
            Page {
                rows: Vec::new(),
                next: None,
            }
        } else {
            mailbox::folder(&store, &actor, folder, before, &query_filter)?
        };
        let counts = mailbox::unread_counts(&store, &actor)?;
        let personal = mailbox::personal_folders(&store, &actor)?;
        Ok((listing, counts, personal))
    })
    .await?;
    let title = match folder {
        // Not one of the actor's folders: "not found", even when the dates did not read (the
        // listing was not asked then).
        Folder::Personal(id) => match personal.iter().find(|p| p.id == id) {
            Some(p) => p.name.clone(),
            None => return Err(PageError(Error::NotFound, t.clone())),
        },
        f => t.msg(system_folder_key(f)),
    };
    let outgoing = matches!(folder, Folder::Sent | Folder::Drafts);
    let rows: Vec<RowView> = listing
        .rows
        .iter()
        .map(|r| RowView {
            href: if folder == Folder::Drafts {
                format!("/messagerie/nouveau?brouillon={}", r.id)
            } else {
                format!("/messagerie/messages/{}", r.id)
            },
            who: if outgoing {
                match (&r.first_recipient, r.recipient_count) {
                    (None, _) => t.msg("messagerie-aucun-destinataire"),
                    (Some(p), 1) => p.display_name(),
                    (Some(p), n) => {
                        let mut args = fluent_bundle::FluentArgs::new();
                        args.set("nom", p.display_name());
                        args.set("autres", n as u64 - 1);
                        t.args("messagerie-destinataires-resume", &args)
                    }
                }
            } else {
                r.sender.display_name()
            },
            subject: if r.subject.is_empty() {
                t.msg("messagerie-sans-objet")
            } else {
                r.subject.clone()
            },
            at: paris(r.at),
            unread: r.unread,
            attachments: r.attachments,
            ack: r.ack_requested,
            recalled: r.recalled,
        })
        .collect();
    let next = listing.next.map(|cursor| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("expediteur", &q.expediteur),
            ("objet", &q.objet),
            ("du", &q.du),
            ("au", &q.au),
        ] {
            if !v.trim().is_empty() {
                query.append_pair(k, v.trim());
            }
        }
        query.append_pair("avant", &cursor.to_string());
        format!("{}?{}", folder_href(folder), query.finish())
    });
    let count = if searched {
        t.count("messagerie-resultats", "nombre", rows.len() as u64)
    } else if rows.is_empty() {
        t.msg("messagerie-dossier-vide")
    } else {
        String::new()
    };
    let name = user.name.clone();
    let (folder_name, refused) = folder_form;
    let bad_date = if from.is_err() {
        Some("du")
    } else if to.is_err() {
        Some("au")
    } else {
        None
    };
    let shown = render(
        StatusCode::OK,
        &FolderTemplate {
            page: fresh_count(page(t, user, name, "/messagerie"), &counts),
            csrf: user.csrf(),
            nav: nav(t, &counts, &personal, Some(folder)),
            title,
            action: folder_href(folder),
            outgoing,
            personal: match folder {
                Folder::Personal(id) => Some(id),
                _ => None,
            },
            rows,
            count,
            next,
            searched,
            sender: q.expediteur.trim().to_owned(),
            subject: q.objet.trim().to_owned(),
            from: q.du.trim().to_owned(),
            to: q.au.trim().to_owned(),
            error_from: from.err(),
            error_to: to.err(),
            done: done_text(t, q.fait.as_deref()),
            folder_name,
            error_folder: refused.as_ref().map(|e| problem::text(t, e)),
            labels: RowLabels::new(t, outgoing),
        },
    );
    Ok(match (refused, bad_date) {
        (Some(e), _) => problem::form_again(&e, shown),
        (None, Some(field)) => problem::form_again(
            &RequestError::Invalid {
                field,
                key: "journal-date-invalide",
            },
            shown,
        ),
        (None, None) => shown,
    })
}

/// `GET /messagerie`: the inbox.
pub async fn inbox(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Query(q): Query<FolderQuery>,
) -> Result<Response, PageError> {
    folder_page(&state, &t, &user, Folder::Inbox, q, (String::new(), None)).await
}

/// `GET /messagerie/envoyes`.
pub async fn sent(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Query(q): Query<FolderQuery>,
) -> Result<Response, PageError> {
    folder_page(&state, &t, &user, Folder::Sent, q, (String::new(), None)).await
}

/// `GET /messagerie/brouillons`.
pub async fn drafts(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Query(q): Query<FolderQuery>,
) -> Result<Response, PageError> {
    folder_page(&state, &t, &user, Folder::Drafts, q, (String::new(), None)).await
}

/// `GET /messagerie/corbeille`.
pub async fn trash(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Query(q): Query<FolderQuery>,
) -> Result<Response, PageError> {
    folder_page(&state, &t, &user, Folder::Trash, q, (String::new(), None)).await
}

/// `GET /messagerie/dossiers/{id}`: a personal folder (404 unless the actor's own).
pub async fn personal(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(id): Id<FolderId>,
    Query(q): Query<FolderQuery>,
) -> Result<Response, PageError> {
    folder_page(
        &state,
        &t,
        &user,
        Folder::Personal(id),
        q,
        (String::new(), None),
    )
    .await
}

/// The "new folder" form.
#[derive(Debug, Deserialize)]
pub struct NewFolderForm {
    #[serde(default)]
    nom: String,
}

/// `POST /messagerie/dossiers`: creates a personal folder, then shows it.
pub async fn create_folder(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Form(form): Form<NewFolderForm>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let name = form.nom.clone();
    match call(&t, move || mailbox::create_folder(&store, &actor, &name)).await? {
        Ok(id) => Ok(Redirect::to(&format!(
            "{}?fait=dossier-cree",
            folder_href(Folder::Personal(id))
        ))
        .into_response()),
        Err(e @ MessagingError::Invalid { .. }) => {
            let value: String = form.nom.chars().take(200).collect();
            folder_page(
                &state,
                &t,
                &user,
                Folder::Inbox,
                FolderQuery::default(),
                (value, Some(e)),
            )
            .await
        }
        Err(e) => Err(PageError(e.into(), t)),
    }
}

/// `POST /messagerie/dossiers/{id}/supprimer`: deletes a personal folder; its messages go back
/// to the inbox.
pub async fn delete_folder(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(id): Id<FolderId>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    run(&t, move || mailbox::delete_folder(&store, &actor, id)).await?;
    Ok(Redirect::to("/messagerie?fait=dossier-supprime").into_response())
}
