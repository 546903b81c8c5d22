//! The documents' actions, each a small form with `_csrf` (POST, then a redirect with a
//! confirmation): new folder, rename, move, copy, trash, restore, delete for good, restore a
//! version, share, end a share. A refusal the user can act on shows the page again with the
//! reason beside the field (422) and nothing written; "not found" stays a 404, "forbidden" a
//! 403.

use crate::http::extract::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::manage::{move_page, share_page};
use super::pages::{FormState, NodeForm, NodeQuery, file_page, folder_page};
use super::{
    call, file_href, folder_field, listing_href, page_error, parent_href, parse_destination,
    parse_grantee, run, space_of,
};
use crate::domain::documents::DocumentError;
use crate::domain::documents::service::{self};
use crate::domain::documents::{shares, trash, views};
use crate::http::extract::{CurrentUser, Tr};
use crate::http::frame::PageError;
use crate::http::path_ids::{Id, Ids, Segment, parse_id};
use crate::http::problem;
use crate::model::documents::{NodeId, ShareRight, Space};
use crate::state::AppState;

/// The new-folder form.
#[derive(Debug, Default, Deserialize)]
pub struct NewFolderForm {
    #[serde(default)]
    nom: String,
    #[serde(default)]
    dossier: String,
}

/// `POST /documents/{space}/dossiers` (`nom`, `dossier`): creates a folder, then shows it.
pub async fn create_folder(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(space): Id<Space>,
    Form(form): Form<NewFolderForm>,
) -> Result<Response, PageError> {
    let parent = folder_field(&form.dossier).map_err(|e| page_error(&t, e))?;
    let (store, actor, now) = (state.store.clone(), user.actor.clone(), state.clock.now());
    let name = form.nom.clone();
    match call(&t, move || {
        service::create_folder(&store, &actor, space, parent, &name, now)
    })
    .await?
    {
        Ok(id) => Ok(Redirect::to(&format!(
            "{}?fait=dossier-cree",
            listing_href(space, Some(id))
        ))
        .into_response()),
        Err(e) if problem::is_fixable(&e) => {
            let state_form = FormState {
                folder_name: form.nom.chars().take(200).collect(),
                folder_error: Some(problem::text(&t, &e)),
                ..FormState::default()
            };
            let shown = folder_page(&state, &t, &user, space, parent, None, state_form).await?;
            Ok(problem::form_again(&e, shown))
        }
        Err(e) => Err(page_error(&t, e)),
    }
}

/// Reads a node as the actor sees it (where it is, to come back there).
async fn node_view(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    id: NodeId,
) -> Result<views::NodeView, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    run(t, move || views::node(&store, &actor, id)).await
}

/// The rename form (`depuis=fichier` when sent from the file's page).
#[derive(Debug, Default, Deserialize)]
pub struct RenameForm {
    #[serde(default)]
    nom: String,
    #[serde(default)]
    depuis: String,
}

/// `POST /documents/elements/{id}/renommer` (`nom`): renames a file or folder.
pub async fn rename(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(id): Id<NodeId>,
    Form(form): Form<RenameForm>,
) -> Result<Response, PageError> {
    let view = node_view(&state, &t, &user, id).await?;
    let from_file = form.depuis == "fichier" && !view.node.is_folder();
    let (store, actor, now) = (state.store.clone(), user.actor.clone(), state.clock.now());
    let name = form.nom.clone();
    match call(&t, move || service::rename(&store, &actor, id, &name, now)).await? {
        Ok(()) if from_file => {
            Ok(Redirect::to(&format!("{}?fait=renomme", file_href(id))).into_response())
        }
        Ok(()) => Ok(Redirect::to(&format!("{}?fait=renomme", parent_href(&view))).into_response()),
        Err(e) if problem::is_fixable(&e) => {
            let typed: String = form.nom.chars().take(200).collect();
            let text = problem::text(&t, &e);
            // A file's rename form is on its page (the listing has one for folders only).
            if from_file || !view.node.is_folder() {
                let node_form = NodeForm {
                    rename: Some((typed, text)),
                    ..NodeForm::default()
                };
                let shown =
                    file_page(&state, &t, &user, id, NodeQuery::default(), node_form).await?;
                return Ok(problem::form_again(&e, shown));
            }
            let state_form = FormState {
                rename: Some((id, typed, text)),
                ..FormState::default()
            };
            let shown = folder_page(
                &state,
                &t,
                &user,
                view.node.space,
                view.node.parent,
                None,
                state_form,
            )
            .await?;
            Ok(problem::form_again(&e, shown))
        }
        Err(e) => Err(page_error(&t, e)),
    }
}

/// `POST /documents/elements/{id}/supprimer`: into the trash of its space, back to its folder.
pub async fn trash(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(id): Id<NodeId>,
) -> Result<Response, PageError> {
    let view = node_view(&state, &t, &user, id).await?;
    let (store, actor, now) = (state.store.clone(), user.actor.clone(), state.clock.now());
    run(&t, move || trash::trash(&store, &actor, id, now)).await?;
    Ok(Redirect::to(&format!("{}?fait=supprime", parent_href(&view))).into_response())
}

/// The move and copy form.
#[derive(Debug, Default, Deserialize)]
pub struct DestinationForm {
    #[serde(default)]
    destination: String,
}

/// Moves (`copy` false) or copies a node to the destination chosen.
async fn move_or_copy(
    state: AppState,
    t: Tr,
    user: CurrentUser,
    id: NodeId,
    form: DestinationForm,
    copy: bool,
) -> Result<Response, PageError> {
    let Some((space, folder)) = parse_destination(&form.destination) else {
        let e = DocumentError::Invalid("documents-error-destination");
        let text = problem::text(&t, &e);
        let shown = move_page(&state, &t, &user, id, String::new(), Some(text)).await?;
        return Ok(problem::form_again(&e, shown));
    };
    let (store, actor, now) = (state.store.clone(), user.actor.clone(), state.clock.now());
    let limits = state.config.document_limits();
    let result = call(&t, move || {
        if copy {
            service::copy_node(&store, &actor, id, space, folder, &limits, now).map(|_| ())
        } else {
            service::move_node(&store, &actor, id, space, folder, now)
        }
    })
    .await?;
    match result {
        Ok(()) => Ok(Redirect::to(&format!(
            "{}?fait={}",
            listing_href(space, folder),
            if copy { "copie" } else { "deplace" }
        ))
        .into_response()),
        Err(e) if problem::is_fixable(&e) => {
            let shown = move_page(
                &state,
                &t,
                &user,
                id,
                form.destination.trim().to_owned(),
                Some(problem::text(&t, &e)),
            )
            .await?;
            Ok(problem::form_again(&e, shown))
        }
        Err(e) => Err(page_error(&t, e)),
    }
}

/// `POST /documents/elements/{id}/deplacer` (`destination`): moves a file or folder.
pub async fn move_to(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(id): Id<NodeId>,
    Form(form): Form<DestinationForm>,
) -> Result<Response, PageError> {
    move_or_copy(state, t, user, id, form, false).await
}

/// `POST /documents/elements/{id}/copier` (`destination`): copies a file or folder (charged to
/// the actor's quota).
pub async fn copy_to(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(id): Id<NodeId>,
    Form(form): Form<DestinationForm>,
) -> Result<Response, PageError> {
    move_or_copy(state, t, user, id, form, true).await
}

/// The share forms (`depuis=fichier` when sent from the file's page).
#[derive(Debug, Default, Deserialize)]
pub struct ShareForm {
    #[serde(default)]
    beneficiaire: String,
    #[serde(default)]
    droit: String,
    #[serde(default)]
    depuis: String,
}

/// Where a share form comes back to.
fn share_back(id: NodeId, from_file: bool) -> String {
    if from_file {
        file_href(id)
    } else {
        format!("/documents/elements/{}/partage", id.0)
    }
}

/// Shows the page the share form was on again, with its error.
async fn share_refused(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    id: NodeId,
    from_file: bool,
    e: DocumentError,
) -> Result<Response, PageError> {
    let text = problem::text(t, &e);
    let shown = if from_file {
        let form = NodeForm {
            share_error: Some(text),
            ..NodeForm::default()
        };
        file_page(state, t, user, id, NodeQuery::default(), form).await?
    } else {
        share_page(state, t, user, id, NodeQuery::default(), Some(text)).await?
    };
    Ok(problem::form_again(&e, shown))
}

/// `POST /documents/elements/{id}/partages` (`beneficiaire`, `droit` = `lecture` or
/// `ecriture`): shares a file or folder within the communication rules.
pub async fn share(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(id): Id<NodeId>,
    Form(form): Form<ShareForm>,
) -> Result<Response, PageError> {
    let from_file = form.depuis == "fichier";
    let Some(grantee) = parse_grantee(&form.beneficiaire) else {
        let e = DocumentError::Invalid("documents-error-grantee");
        return share_refused(&state, &t, &user, id, from_file, e).await;
    };
    let right = if form.droit == "ecriture" {
        ShareRight::Write
    } else {
        ShareRight::Read
    };
    let (store, actor, now) = (state.store.clone(), user.actor.clone(), state.clock.now());
    match call(&t, move || {
        shares::share(&store, &actor, id, grantee, right, now)
    })
    .await?
    {
        Ok(()) => Ok(Redirect::to(&format!(
            "{}?fait=partage#partages",
            share_back(id, from_file)
        ))
        .into_response()),
        Err(e) if problem::is_fixable(&e) => {
            share_refused(&state, &t, &user, id, from_file, e).await
        }
        Err(e) => Err(page_error(&t, e)),
    }
}

/// `POST /documents/elements/{id}/partages/retirer` (`beneficiaire`): ends a share.
pub async fn unshare(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(id): Id<NodeId>,
    Form(form): Form<ShareForm>,
) -> Result<Response, PageError> {
    let Some(grantee) = parse_grantee(&form.beneficiaire) else {
        return Err(page_error(&t, DocumentError::NotFound));
    };
    let (store, actor) = (state.store.clone(), user.actor.clone());
    run(&t, move || shares::unshare(&store, &actor, id, grantee)).await?;
    Ok(Redirect::to(&format!(
        "{}?fait=partage-retire#partages",
        share_back(id, form.depuis == "fichier")
    ))
    .into_response())
}

/// The trash forms: the space whose trash page to come back to.
#[derive(Debug, Default, Deserialize)]
pub struct TrashForm {
    #[serde(default)]
    espace: String,
}

/// `POST /documents/elements/{id}/restaurer` (`espace`): out of the trash, back to its folder.
pub async fn restore(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(id): Id<NodeId>,
    Form(form): Form<TrashForm>,
) -> Result<Response, PageError> {
    let space = space_of(&form.espace, &t)?;
    let (store, actor, now) = (state.store.clone(), user.actor.clone(), state.clock.now());
    run(&t, move || trash::restore(&store, &actor, id, now)).await?;
    Ok(Redirect::to(&format!(
        "/documents/{}/corbeille?fait=restaure",
        space.slug()
    ))
    .into_response())
}

/// `POST /documents/elements/{id}/supprimer-definitivement` (`espace`): deleted now, with what
/// it holds.
pub async fn delete_forever(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(id): Id<NodeId>,
    Form(form): Form<TrashForm>,
) -> Result<Response, PageError> {
    let space = space_of(&form.espace, &t)?;
    let (store, actor, now) = (state.store.clone(), user.actor.clone(), state.clock.now());
    run(&t, move || trash::delete_forever(&store, &actor, id, now)).await?;
    Ok(Redirect::to(&format!(
        "/documents/{}/corbeille?fait=efface",
        space.slug()
    ))
    .into_response())
}

/// A file's version number in the path, from 1.
pub struct Version(pub u32);

impl Segment for Version {
    fn from_segment(text: &str) -> Option<Version> {
        parse_id(text)
            .and_then(|n| u32::try_from(n).ok())
            .map(Version)
    }
}

/// `POST /documents/fichier/{id}/versions/{n}/restaurer`: that version becomes the current one
/// again (as a new version; charged to the actor's quota).
pub async fn restore_version(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Ids(id, Version(version)): Ids<NodeId, Version>,
) -> Result<Response, PageError> {
    let (store, actor, now) = (state.store.clone(), user.actor.clone(), state.clock.now());
    let limits = state.config.document_limits();
    match call(&t, move || {
        service::restore_version(&store, &actor, id, version, &limits, now)
    })
    .await?
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "{}?fait=version-restauree#versions",
            file_href(id)
        ))
        .into_response()),
        Err(e) if problem::is_fixable(&e) => {
            let form = NodeForm {
                alert: Some(problem::text(&t, &e)),
                ..NodeForm::default()
            };
            let shown = file_page(&state, &t, &user, id, NodeQuery::default(), form).await?;
            Ok(problem::form_again(&e, shown))
        }
        Err(e) => Err(page_error(&t, e)),
    }
}
