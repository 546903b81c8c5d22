//! The directory pages: a person's profile, a class.

use crate::http::extract::Query;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::domain::directory::queries;
use crate::error::Error;
use crate::http::extract::{CurrentUser, Tr};
use crate::http::frame::{PageCtx, PageError, blocking, page, render, role_key};
use crate::http::path_ids::Id;
use crate::model::directory::{ClassId, PersonId};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "compte/profil.html")]
struct ProfilePage {
    page: PageCtx,
    own: bool,
    password_changed: bool,
    name: String,
    login: Option<String>,
    profiles: Vec<String>,
    classes: Vec<(ClassId, String)>,
    children: Vec<(PersonId, String)>,
}

async fn person_page(
    state: AppState,
    t: Tr,
    user: CurrentUser,
    id: PersonId,
    password_changed: bool,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let view = blocking(&t, move || Ok(queries::person(&store, &actor, id)?)).await?;
    let name = user.name.clone();
    let mut profiles: Vec<String> = view
        .profiles
        .iter()
        .map(|p| format!("{} — {}", t.msg(role_key(p.role)), p.establishment_name))
        .collect();
    if user.actor.person == Some(id) && user.actor.platform_admin {
        profiles.push(t.msg("role-admin-plateforme"));
    }
    Ok(render(
        StatusCode::OK,
        &ProfilePage {
            own: user.actor.person == Some(id),
            password_changed,
            page: page(
                &t,
                &user,
                name,
                if user.actor.person == Some(id) {
                    "/profil"
                } else {
                    ""
                },
            ),
            name: view.person.display_name(),
            login: view.login,
            profiles,
            classes: view
                .classes
                .iter()
                .map(|c| (c.id, format!("{} ({})", c.name, c.establishment_name)))
                .collect(),
            children: view
                .children
                .iter()
                .map(|c| (c.id, c.display_name()))
                .collect(),
        },
    ))
}

/// Query of the profile page.
#[derive(Debug, Deserialize)]
pub struct ProfileQuery {
    mdp: Option<u8>,
}

/// `GET /profil`: one's own profile.
pub async fn own_profile(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Query(q): Query<ProfileQuery>,
) -> Result<Response, PageError> {
    let id = user
        .actor
        .person
        .ok_or_else(|| PageError(Error::NotFound, t.clone()))?;
    person_page(state, t, user, id, q.mdp.is_some()).await
}

/// `GET /personnes/{id}`: someone's profile, if the rules allow.
pub async fn person(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(PersonId(id)): Id<PersonId>,
) -> Result<Response, PageError> {
    person_page(state, t, user, PersonId(id), false).await
}

#[derive(Template)]
#[template(path = "annuaire/classe.html")]
struct ClassPage {
    page: PageCtx,
    title: String,
    establishment: String,
    count: String,
    members: Vec<(PersonId, String)>,
}

/// `GET /classes/{id}`: a class's pupils, if the rules allow.
pub async fn class(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(ClassId(id)): Id<ClassId>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let (summary, members) = blocking(&t, move || {
        Ok(queries::class_members(&store, &actor, ClassId(id))?)
    })
    .await?;
    let name = user.name.clone();
    Ok(render(
        StatusCode::OK,
        &ClassPage {
            page: page(&t, &user, name, ""),
            title: t.msg1("classe-titre", "classe", &summary.name),
            establishment: summary.establishment_name,
            count: t.count("classe-eleves", "nombre", members.len() as u64),
            members: members.iter().map(|m| (m.id, m.display_name())).collect(),
        },
    ))
}
