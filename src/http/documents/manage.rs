//! The documents pages that manage one file or folder, or a space's trash: the share page
//! (and the share section of a file's page), the move-or-copy page, the trash of a space.

use crate::http::extract::Query;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::pages::{CURRENT, Crumb, DoneQuery, NodeQuery, crumbs, done_text};
use super::{destination_code, file_href, grantee_code, listing_href, run, space_title};
use crate::domain::documents::policy::Access;
use crate::domain::documents::views::{self, NodeView};
use crate::http::extract::{CurrentUser, Tr};
use crate::http::frame::{PageCtx, PageError, page, paris, render};
use crate::http::path_ids::Id;
use crate::model::documents::{Grantee, NodeId, ShareRight, Space};
use crate::state::AppState;

/// One share as listed: the grantee's code and name, the right.
pub(crate) struct ShareView {
    pub(crate) code: String,
    pub(crate) label: String,
    pub(crate) right: String,
}

/// The share section of a file's or folder's page (those who manage it).
pub(crate) struct SharingView {
    pub(crate) id: u64,
    /// Where the search form goes (the page itself).
    pub(crate) search_action: String,
    /// `fichier` when the section is on a file's page (where to come back).
    pub(crate) from: &'static str,
    pub(crate) query: String,
    pub(crate) searched: bool,
    pub(crate) shares: Vec<ShareView>,
    pub(crate) groups: Vec<(String, String)>,
    pub(crate) people: Vec<(String, String)>,
    pub(crate) error: Option<String>,
}

/// The share section of `view`'s page: its shares, the classes and groups the actor may pick,
/// the people found by `query`, the error of a refused share.
pub(crate) async fn sharing(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    view: &NodeView,
    query: &str,
    from: &'static str,
    error: Option<String>,
) -> Result<SharingView, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let q: String = query.trim().chars().take(100).collect();
    let typed = q.clone();
    let grantees = run(t, move || views::grantees(&store, &actor, &typed)).await?;
    let search_action = if from == "fichier" {
        file_href(view.id)
    } else {
        format!("/documents/elements/{}/partage", view.id.0)
    };
    Ok(SharingView {
        id: view.id.0,
        search_action,
        from,
        searched: !q.is_empty(),
        query: q,
        shares: view
            .shares
            .iter()
            .map(|(g, label, share)| ShareView {
                code: grantee_code(*g),
                label: label.clone(),
                right: t.msg(match share.right {
                    ShareRight::Read => "documents-droit-lecture",
                    ShareRight::Write => "documents-droit-ecriture",
                }),
            })
            .collect(),
        groups: grantees
            .groups
            .iter()
            .map(|(g, n)| {
                let key = match g {
                    Grantee::Group(_) => "documents-tout-le-groupe",
                    _ => "documents-toute-la-classe",
                };
                (grantee_code(*g), t.msg1(key, "nom", n))
            })
            .collect(),
        people: grantees
            .people
            .iter()
            .map(|(g, n)| (grantee_code(*g), n.clone()))
            .collect(),
        error,
    })
}

#[derive(Template)]
#[template(path = "documents/partage.html")]
struct ShareTemplate {
    page: PageCtx,
    csrf: String,
    name: String,
    folder: bool,
    back: String,
    crumbs: Vec<Crumb>,
    sharing: SharingView,
    done: Option<String>,
}

/// Renders the share page of a file or folder (those who manage it; 403 for other readers).
pub(crate) async fn share_page(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    id: NodeId,
    q: NodeQuery,
    error: Option<String>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let view = run(t, move || views::node(&store, &actor, id)).await?;
    if view.access < Access::Manage {
        return Err(PageError(crate::error::Error::Forbidden, t.clone()));
    }
    let sharing = sharing(state, t, user, &view, &q.q, "", error).await?;
    let back = if view.node.is_folder() {
        listing_href(view.node.space, Some(id))
    } else {
        file_href(id)
    };
    let template = ShareTemplate {
        page: page(t, user, user.name.clone(), CURRENT),
        csrf: user.csrf(),
        name: view.node.name.clone(),
        folder: view.node.is_folder(),
        back,
        crumbs: crumbs(t, view.node.space, &view.name, view.space_open, &view.path),
        sharing,
        done: q.done(t),
    };
    Ok(render(StatusCode::OK, &template))
}

/// `GET /documents/elements/{id}/partage`: the shares of a file or folder.
pub async fn share(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(id): Id<NodeId>,
    Query(q): Query<NodeQuery>,
) -> Result<Response, PageError> {
    share_page(&state, &t, &user, id, q, None).await
}

struct DestinationView {
    code: String,
    label: String,
    folder: bool,
}

#[derive(Template)]
#[template(path = "documents/deplacer.html")]
struct MoveTemplate {
    page: PageCtx,
    csrf: String,
    id: u64,
    name: String,
    folder: bool,
    back: String,
    crumbs: Vec<Crumb>,
    can_move: bool,
    destinations: Vec<DestinationView>,
    chosen: String,
    error: Option<String>,
}

/// Renders the move-or-copy page of a node: the spaces the actor may write in and their top
/// folders, as radio buttons.
pub(crate) async fn move_page(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    id: NodeId,
    chosen: String,
    error: Option<String>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let (view, destinations) = run(t, move || {
        let view = views::node(&store, &actor, id)?;
        let destinations = views::destinations(&store, &actor, id)?;
        Ok((view, destinations))
    })
    .await?;
    let back = if view.node.is_folder() {
        listing_href(view.node.space, Some(id))
    } else {
        file_href(id)
    };
    let template = MoveTemplate {
        page: page(t, user, user.name.clone(), CURRENT),
        csrf: user.csrf(),
        id: id.0,
        name: view.node.name.clone(),
        folder: view.node.is_folder(),
        back,
        crumbs: crumbs(t, view.node.space, &view.name, view.space_open, &view.path),
        can_move: view.access >= Access::Write,
        destinations: destinations
            .iter()
            .map(|d| {
                let space = space_title(t, &d.name);
                DestinationView {
                    code: destination_code(d.space, d.folder.as_ref().map(|(f, _)| *f)),
                    label: match &d.folder {
                        None => space,
                        Some((_, name)) => format!("{space} › {name}"),
                    },
                    folder: d.folder.is_some(),
                }
            })
            .collect(),
        chosen,
        error,
    };
    Ok(render(StatusCode::OK, &template))
}

/// `GET /documents/elements/{id}/deplacer`: where to move or copy a file or folder.
pub async fn move_form(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(id): Id<NodeId>,
) -> Result<Response, PageError> {
    move_page(&state, &t, &user, id, String::new(), None).await
}

struct TrashRowView {
    id: u64,
    name: String,
    folder: bool,
    at: String,
    by: String,
    purge: String,
}

#[derive(Template)]
#[template(path = "documents/corbeille.html")]
struct TrashTemplate {
    page: PageCtx,
    csrf: String,
    title: String,
    back: String,
    slug: String,
    retention: u64,
    rows: Vec<TrashRowView>,
    done: Option<String>,
}

/// `GET /documents/{space}/corbeille`: the trash of a space, for those who write in it.
pub async fn trash(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(space): Id<Space>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let view = run(&t, move || views::trash(&store, &actor, space)).await?;
    let retention = state.config.document_trash_retention;
    let days = retention.as_secs() / 86_400;
    let keep = jiff::SignedDuration::try_from(retention).unwrap_or_default();
    let template = TrashTemplate {
        page: page(&t, &user, user.name.clone(), CURRENT),
        csrf: user.csrf(),
        title: t.msg1(
            "documents-corbeille-de",
            "espace",
            &space_title(&t, &view.name),
        ),
        back: listing_href(space, None),
        slug: space.slug(),
        retention: days,
        rows: view
            .rows
            .iter()
            .map(|r| {
                let at = r.node.trashed.as_ref().map(|s| s.at);
                TrashRowView {
                    id: r.id.0,
                    name: r.node.name.clone(),
                    folder: r.node.is_folder(),
                    at: at.map(paris).unwrap_or_default(),
                    by: r.by.clone(),
                    purge: at
                        .and_then(|a| a.checked_add(keep).ok())
                        .map(paris)
                        .unwrap_or_default(),
                }
            })
            .collect(),
        done: done_text(&t, &q),
    };
    Ok(render(StatusCode::OK, &template))
}
