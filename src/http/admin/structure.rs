//! The administration of an establishment's structure (`/admin/...`): classes, groups,
//! subjects, teachings and parent links. Extract, call `domain::admin::structure` (which
//! decides every permission and validates every field), render. A refused form is shown again
//! with its values and the message beside the field (`problem::form_again`, 422); ids that
//! are not numbers are "not found", like ids the actor may not see.

use crate::http::extract::Form;
use crate::http::extract::Query;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::admin::structure::{
    self as st, ChangeDetail, Stamp, SubjectInput, UnitInput, UnitKind,
};
use crate::domain::admin::{AdminError, EstablishmentItem};
use crate::error::Error;
use crate::http::extract::{CurrentUser, Tr};
use crate::http::frame::{PageCtx, PageError, page, render};
use crate::http::path_ids::{Id, Ids, parse_id};
use crate::http::problem::{Problem, form_again};
use crate::model::Origin;
use crate::model::directory::{
    Audience, ClassId, EstablishmentId, GroupId, ParentLink, PersonId, Relation, SchoolYear,
    SubjectId, TeachingId,
};
use crate::model::{Actor, IdKind};
use crate::state::AppState;
use crate::store::Store;

mod parents;
mod subjects;
mod units;

pub use parents::*;
pub use subjects::*;
pub use units::*;

/// The journal's description of a structure change.
pub fn describe(t: &Tr, change: &ChangeDetail) -> String {
    t.msg1(change.key, "objet", &change.what)
}

// ---------------------------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------------------------

fn not_found(t: &Tr) -> PageError {
    PageError(Error::NotFound, t.clone())
}

/// An id chosen in a form; anything but a positive number is "not found", like an id from
/// another establishment.
fn form_id<T: IdKind>(t: &Tr, raw: &str) -> Result<T, PageError> {
    parse_id(raw.trim())
        .map(T::from_raw)
        .ok_or_else(|| not_found(t))
}

/// Runs a domain read off the async threads.
async fn run<T: Send + 'static>(
    t: &Tr,
    f: impl FnOnce() -> Result<T, AdminError> + Send + 'static,
) -> Result<T, PageError> {
    crate::http::frame::blocking(t, move || f().map_err(Error::from)).await
}

/// Runs a domain write off the async threads; a field error ([`AdminError::Invalid`]) comes
/// back to show the form again, anything else is the error page.
async fn write<T: Send + 'static>(
    t: &Tr,
    f: impl FnOnce() -> Result<T, AdminError> + Send + 'static,
) -> Result<Result<T, AdminError>, PageError> {
    let result = tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| PageError(Error::Io(std::io::Error::other(e)), t.clone()))?;
    match result {
        Ok(v) => Ok(Ok(v)),
        Err(e @ AdminError::Invalid { .. }) => Ok(Err(e)),
        Err(e) => Err(PageError(e.into(), t.clone())),
    }
}

/// [`write`] on behalf of `user`, stamped with their client and the time of the request.
async fn write_as<T: Send + 'static>(
    state: &AppState,
    t: &Tr,
    client: Origin,
    user: &CurrentUser,
    f: impl FnOnce(&Store, &Actor, Stamp<'_>) -> Result<T, AdminError> + Send + 'static,
) -> Result<Result<T, AdminError>, PageError> {
    let now = state.clock.now();
    let store = state.store.clone();
    let actor = user.actor.clone();
    write(t, move || {
        f(
            &store,
            &actor,
            Stamp {
                client: &client,
                now,
            },
        )
    })
    .await
}

/// The values and errors of the forms of a page shown again after a refusal.
#[derive(Debug, Default)]
pub struct Forms {
    values: Vec<(String, String)>,
    errors: Vec<(String, String)>,
}

impl Forms {
    /// The forms after a refusal: what was sent, and the message beside `field`.
    fn refused(t: &Tr, values: &[(&str, &str)], refusal: &AdminError) -> Forms {
        Forms {
            values: values
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            errors: refusal.field_errors(t),
        }
    }

    /// What the field shows: the value sent, or else `default`.
    pub fn value(&self, field: &str, default: &str) -> String {
        self.values
            .iter()
            .find(|(k, _)| k == field)
            .map_or(default, |(_, v)| v.as_str())
            .to_owned()
    }

    /// The error beside `field`, if any.
    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(k, _)| k == field)
            .map(|(_, v)| v.as_str())
    }
}

/// What was just done (`?fait=`), as the page says it.
#[derive(Debug, Deserialize)]
pub struct DoneQuery {
    fait: Option<String>,
}

const DONE: &[&str] = &[
    "cree",
    "modifie",
    "supprime",
    "eleve-ajoute",
    "eleve-deplace",
    "eleve-retire",
    "enseignement-ajoute",
    "enseignement-retire",
    "responsable-ajoute",
    "responsable-modifie",
    "responsable-retire",
];

fn done(t: &Tr, q: &DoneQuery) -> Option<String> {
    let code = q.fait.as_deref()?;
    DONE.contains(&code)
        .then(|| t.msg(&format!("structure-fait-{code}")))
}

fn redirect(path: &str, done: &str) -> Response {
    Redirect::to(&format!("{path}?fait={done}")).into_response()
}

fn year_label(year: SchoolYear) -> String {
    format!("{}-{}", year.0, u32::from(year.0) + 1)
}

fn unit_path(id: Audience) -> String {
    match id {
        Audience::Class(c) => format!("/admin/classes/{c}"),
        Audience::Group(g) => format!("/admin/groupes/{g}"),
    }
}

fn list_path(kind: UnitKind, establishment: EstablishmentId) -> String {
    match kind {
        UnitKind::Class => format!("/admin/etablissements/{establishment}/classes"),
        UnitKind::Group => format!("/admin/etablissements/{establishment}/groupes"),
    }
}
