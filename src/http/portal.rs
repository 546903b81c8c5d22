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

struct TileView {
    title: String,
    description: String,
    href: Option<String>,
    links: Vec<portal::Link>,
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
        .map(|tile| TileView {
            title: t.msg(tile.title_key),
            description: match &tile.description_arg {
                Some(arg) => t.msg1(tile.description_key, "etablissement", arg),
                None => t.msg(tile.description_key),
            },
            href: tile.href.clone(),
            links: tile.links.clone(),
        })
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
