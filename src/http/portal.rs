//! The portal: the home page of every role.

use crate::http::extract::Query;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::portal;
use crate::http::extract::{CurrentUser, Tr};
use crate::http::frame::{PageCtx, PageError, blocking, page, render};
use crate::model::directory::PersonId;
use crate::state::AppState;

// ---------------------------------------------------------------------------------------------
// Portal, profiles, classes.
// ---------------------------------------------------------------------------------------------

/// A card of the portal: an application with its colour and icon (docs/design.md), what is new
/// there when it costs nothing (the unread count comes with the session), and the next thing
/// to do.
struct TileView {
    app: &'static str,
    icon: &'static str,
    title: String,
    description: String,
    href: Option<String>,
    links: Vec<portal::Link>,
    count: Option<String>,
    empty: Option<String>,
    next: Option<portal::Link>,
}

/// The look of a tile: its application (a class `app-…` giving the colour), its icon in the
/// sprite and, for some, the next thing to do.
fn look(title_key: &str) -> (&'static str, &'static str) {
    match title_key {
        "tuile-ma-classe" | "tuile-mes-classes" => ("classes", "classe"),
        "tuile-etablissement" => ("classes", "etablissement"),
        "tuile-messagerie" => ("messagerie", "messagerie"),
        "tuile-documents" => ("documents", "documents"),
        "tuile-administration" => ("administration", "administration"),
        "tuile-sessions" => ("compte", "sessions"),
        _ => ("compte", "profil"),
    }
}

fn card(t: &Tr, tile: &portal::Tile, unread: u32) -> TileView {
    let (app, icon) = look(tile.title_key);
    let link = |key: &str, href: &str| {
        Some(portal::Link {
            label: t.msg(key),
            href: href.to_owned(),
        })
    };
    let (count, empty, next) = match tile.title_key {
        "tuile-messagerie" if unread > 0 => (
            Some(t.count("carte-messagerie-non-lus", "nombre", u64::from(unread))),
            None,
            link("carte-messagerie-lire", "/messagerie"),
        ),
        "tuile-messagerie" => (
            None,
            Some(t.msg("carte-messagerie-aucun")),
            link("carte-messagerie-ecrire", "/messagerie/nouveau"),
        ),
        "tuile-documents" => (None, None, link("carte-documents-ouvrir", "/documents")),
        "tuile-administration" => (None, None, link("carte-administration-ouvrir", "/admin")),
        "tuile-profil" => (
            None,
            None,
            link("carte-profil-notifications", "/profil/notifications"),
        ),
        "tuile-sessions" => (None, None, link("carte-sessions-voir", "/sessions")),
        _ => (None, None, None),
    };
    TileView {
        app,
        icon,
        title: t.msg(tile.title_key),
        description: match &tile.description_arg {
            Some(arg) => t.msg1(tile.description_key, "etablissement", arg),
            None => t.msg(tile.description_key),
        },
        href: tile.href.clone(),
        links: tile.links.clone(),
        count,
        empty,
        next,
    }
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
    news: Vec<crate::http::notifications::NewsItem>,
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
        .map(|item| crate::http::notifications::news_item(&t, item))
        .collect();
    let name = user.name.clone();
    let tiles = view
        .tiles
        .iter()
        .map(|tile| card(&t, tile, user.unread_messages))
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
