//! The directory pages: a person's profile, a class.

use crate::http::extract::Query;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::domain::directory::class_page::{self, TeacherEntry};
use crate::domain::directory::profile::Facet;
use crate::domain::directory::queries;
use crate::domain::paths;
use crate::error::Error;
use crate::http::extract::{CurrentUser, Tr};
use crate::http::frame::{PageCtx, PageError, blocking, page, render, role_key};
use crate::http::path_ids::Id;
use crate::model::directory::{ClassId, PersonId, Role};
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
        .facets
        .iter()
        .map(|p| format!("{} — {}", facet_text(&t, &p.facet), p.establishment_name))
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

/// `Mathématiques` → `mathématiques`, leaving a name that starts with an acronym (`LCA latin`,
/// `EPS`) as it is.
fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => {
            first.to_lowercase().chain(name.chars().skip(1)).collect()
        }
        _ => name.to_owned(),
    }
}

/// Whether French elides « de » before `word` (« d’anglais », « d’histoire »).
fn elides(word: &str) -> bool {
    word.chars()
        .next()
        .is_some_and(|c| "aeiouyhàâäéèêëîïôöùûüAEIOUYHÀÂÄÉÈÊËÎÏÔÖÙÛÜ".contains(c))
}

/// What a person is, in a few words (« Élève de 5A », « Parent de Léa (5A) », « Professeur de
/// mathématiques »): the person's page and the search results (`http/search`).
pub(crate) fn facet_text(t: &Tr, facet: &Facet) -> String {
    match facet {
        Facet::Pupil { classes } if !classes.is_empty() => {
            t.msg1("profil-eleve-de", "classes", &classes.join(", "))
        }
        Facet::Pupil { .. } => t.msg(role_key(Role::Eleve)),
        Facet::Parent { children } if !children.is_empty() => {
            let names: Vec<String> = children
                .iter()
                .map(|c| {
                    if c.classes.is_empty() {
                        c.first_name.clone()
                    } else {
                        let mut args = fluent_bundle::FluentArgs::new();
                        args.set("prenom", c.first_name.clone());
                        args.set("classes", c.classes.join(", "));
                        t.args("profil-enfant", &args)
                    }
                })
                .collect();
            t.msg1("profil-parent-de", "enfants", &names.join(", "))
        }
        Facet::Parent { .. } => t.msg(role_key(Role::Parent)),
        Facet::Teacher { subjects } if !subjects.is_empty() => {
            let subjects: Vec<String> = subjects.iter().map(|s| lower_first(s)).collect();
            let mut args = fluent_bundle::FluentArgs::new();
            args.set("elision", if elides(&subjects[0]) { "oui" } else { "non" });
            args.set("matieres", subjects.join(", "));
            t.args("profil-professeur-de", &args)
        }
        Facet::Teacher { .. } => t.msg(role_key(Role::Enseignant)),
        Facet::Staff(function) => t.msg(role_key(Role::Personnel(*function))),
        Facet::Admin => t.msg(role_key(Role::AdminLocal)),
    }
}

/// A teacher on the class page: name, and their page when the viewer may open it.
struct TeacherItem {
    name: String,
    href: Option<String>,
}

impl TeacherItem {
    fn of(entry: &TeacherEntry) -> TeacherItem {
        TeacherItem {
            name: entry.person.display_name(),
            href: entry.linked.then(|| paths::person(entry.person.id)),
        }
    }
}

#[derive(Template)]
#[template(path = "annuaire/classe.html")]
struct ClassPage {
    page: PageCtx,
    title: String,
    establishment: String,
    head_teacher: Option<TeacherItem>,
    subjects: Vec<(String, Vec<TeacherItem>)>,
    /// `None`: the viewer may not see the pupils (a parent); the section is not drawn.
    count: Option<String>,
    members: Vec<(PersonId, String)>,
}

/// `GET /classes/{id}`: a class's page, as far as the rules allow (a parent: the head teacher
/// and the teachers of each subject, not the classmates).
pub async fn class(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(ClassId(id)): Id<ClassId>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let view = blocking(&t, move || {
        Ok(class_page::class_page(&store, &actor, ClassId(id))?)
    })
    .await?;
    let name = user.name.clone();
    Ok(render(
        StatusCode::OK,
        &ClassPage {
            page: page(&t, &user, name, ""),
            title: t.msg1("classe-titre", "classe", &view.summary.name),
            establishment: view.summary.establishment_name.clone(),
            head_teacher: view.head_teacher.as_ref().map(TeacherItem::of),
            subjects: view
                .subjects
                .iter()
                .map(|s| {
                    (
                        s.subject.clone(),
                        s.teachers.iter().map(TeacherItem::of).collect(),
                    )
                })
                .collect(),
            count: view
                .pupils
                .as_ref()
                .map(|p| t.count("classe-eleves", "nombre", p.len() as u64)),
            members: view
                .pupils
                .iter()
                .flatten()
                .map(|m| (m.id, m.display_name()))
                .collect(),
        },
    ))
}
