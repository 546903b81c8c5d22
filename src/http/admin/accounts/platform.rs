//! The platform administrator's pages: a new establishment, an establishment's local
//! administrators. `domain::admin::accounts` answers "not found" to anyone else.

use crate::http::extract::Form;
use crate::http::extract::Query;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Choice, DoneQuery, Errors, fail, run};
use crate::domain::admin::EstablishmentItem;
use crate::domain::admin::accounts::{self, AccountError, NewEstablishment};
use crate::error::Error;
use crate::http::extract::{CurrentUser, Tr};
use crate::http::frame::{PageCtx, PageError, page, render};
use crate::http::path_ids::{Id, Ids};
use crate::http::problem::form_again;
use crate::model::Origin;
use crate::model::directory::{AccountState, EstablishmentId, EstablishmentKind, PersonId};
use crate::state::AppState;

fn kind_key(kind: EstablishmentKind) -> &'static str {
    match kind {
        EstablishmentKind::College => "comptes-type-college",
        EstablishmentKind::LyceeGeneral => "comptes-type-lycee-general",
        EstablishmentKind::LyceeProfessionnel => "comptes-type-lycee-professionnel",
        EstablishmentKind::LyceeAgricole => "comptes-type-lycee-agricole",
        EstablishmentKind::Cfa => "comptes-type-cfa",
    }
}

fn state_key(state: AccountState) -> &'static str {
    match state {
        AccountState::Pending => "etat-en-attente",
        AccountState::Active => "etat-actif",
        AccountState::Disabled => "etat-desactive",
        AccountState::Left(_) => "comptes-etat-parti",
    }
}

// ---------------------------------------------------------------------------------------------
// The platform administrator: a new establishment.
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "admin/comptes/etablissement.html")]
struct NewEstablishmentPage {
    page: PageCtx,
    csrf: String,
    uai: String,
    name: String,
    town: String,
    academie: String,
    kinds: Vec<Choice>,
    errors: Errors,
}

/// The establishment form.
#[derive(Debug, Default, Deserialize)]
pub struct EstablishmentForm {
    #[serde(default)]
    uai: String,
    #[serde(default)]
    nom: String,
    #[serde(default)]
    type_etablissement: String,
    #[serde(default)]
    ville: String,
    #[serde(default)]
    academie: String,
}

async fn establishment_page(
    t: &Tr,
    user: &CurrentUser,
    form: &EstablishmentForm,
    errors: Errors,
) -> Result<Response, PageError> {
    // The page exists for the platform administrator only.
    if !user.actor.platform_admin {
        return Err(PageError(Error::NotFound, t.clone()));
    }
    let name = user.name.clone();
    Ok(render(
        StatusCode::OK,
        &NewEstablishmentPage {
            page: page(t, user, name, ""),
            csrf: user.csrf(),
            uai: form.uai.clone(),
            name: form.nom.clone(),
            town: form.ville.clone(),
            academie: form.academie.clone(),
            kinds: accounts::KINDS
                .into_iter()
                .map(|k| Choice {
                    value: accounts::kind_code(k).to_owned(),
                    label: t.msg(kind_key(k)),
                    selected: accounts::kind_code(k) == form.type_etablissement.trim(),
                })
                .collect(),
            errors,
        },
    ))
}

/// `GET /admin/etablissements/nouveau` (platform administrator).
pub async fn new_establishment_form(t: Tr, user: CurrentUser) -> Result<Response, PageError> {
    let form = EstablishmentForm {
        academie: "Clermont-Ferrand".to_owned(),
        ..EstablishmentForm::default()
    };
    establishment_page(&t, &user, &form, Errors::default()).await
}

/// `POST /admin/etablissements/nouveau`: creates it, then shows its administrators.
pub async fn new_establishment_submit(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Form(form): Form<EstablishmentForm>,
) -> Result<Response, PageError> {
    let input = NewEstablishment {
        uai: form.uai.clone(),
        name: form.nom.clone(),
        kind: form.type_etablissement.clone(),
        town: form.ville.clone(),
        academie: form.academie.clone(),
    };
    let store = state.store.clone();
    let actor = user.actor.clone();
    let now = state.clock.now();
    let result = run(&t, move || {
        accounts::create_establishment(&store, &actor, &input, &client, now)
    })
    .await?;
    match result {
        Ok(id) => Ok(Redirect::to(&format!(
            "/admin/etablissements/{id}/administrateurs?fait=etablissement-cree"
        ))
        .into_response()),
        Err(refusal @ AccountError::Invalid(_)) => {
            let errors = Errors::of(&t, &refusal);
            let page = establishment_page(&t, &user, &form, errors).await?;
            Ok(form_again(&refusal, page))
        }
        Err(e) => Err(fail(&t, e)),
    }
}

// ---------------------------------------------------------------------------------------------
// The platform administrator: an establishment's local administrators.
// ---------------------------------------------------------------------------------------------

struct AdminRow {
    id: PersonId,
    name: String,
    login: String,
    state: String,
}

#[derive(Template)]
#[template(path = "admin/comptes/administrateurs.html")]
struct AdminsPage {
    page: PageCtx,
    csrf: String,
    establishment: EstablishmentItem,
    admins: Vec<AdminRow>,
    done: Option<String>,
    login: String,
    errors: Errors,
}

/// The form naming a local administrator.
#[derive(Debug, Default, Deserialize)]
pub struct NameAdminForm {
    #[serde(default)]
    identifiant: String,
}

async fn admins_page(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    establishment: EstablishmentId,
    errors: Errors,
    login: String,
    done: Option<String>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let (establishment, admins) = run(t, move || {
        accounts::local_admins(&store, &actor, establishment)
    })
    .await?
    .map_err(|e| fail(t, e))?;
    let name = user.name.clone();
    Ok(render(
        StatusCode::OK,
        &AdminsPage {
            page: page(t, user, name, ""),
            csrf: user.csrf(),
            establishment,
            admins: admins
                .into_iter()
                .map(|a| AdminRow {
                    id: a.id,
                    name: a.name,
                    login: a.login,
                    state: t.msg(state_key(a.state)),
                })
                .collect(),
            done,
            login,
            errors,
        },
    ))
}

/// `GET /admin/etablissements/{id}/administrateurs` (platform administrator).
pub async fn admins(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(establishment): Id<EstablishmentId>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let done = match q.fait.as_deref() {
        Some("etablissement-cree") => Some(t.msg("comptes-fait-etablissement-cree")),
        Some("nomme") => Some(t.msg("comptes-fait-admin-nomme")),
        Some("retire") => Some(t.msg("comptes-fait-admin-retire")),
        _ => None,
    };
    admins_page(
        &state,
        &t,
        &user,
        establishment,
        Errors::default(),
        String::new(),
        done,
    )
    .await
}

/// `POST /admin/etablissements/{id}/administrateurs`: names a local administrator by login.
pub async fn name_admin(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Id(establishment): Id<EstablishmentId>,
    Form(form): Form<NameAdminForm>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let now = state.clock.now();
    let login = form.identifiant.clone();
    let result = run(&t, move || {
        accounts::name_local_admin(&store, &actor, establishment, &login, &client, now)
    })
    .await?;
    admin_result(
        &state,
        &t,
        &user,
        establishment,
        result.map(|_| "nomme"),
        form.identifiant,
    )
    .await
}

/// `POST /admin/etablissements/{id}/administrateurs/{person}/retirer`.
pub async fn remove_admin(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Ids(establishment, target): Ids<EstablishmentId, PersonId>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let now = state.clock.now();
    let result = run(&t, move || {
        accounts::remove_local_admin(&store, &actor, establishment, target, &client, now)
    })
    .await?;
    admin_result(
        &state,
        &t,
        &user,
        establishment,
        result.map(|()| "retire"),
        String::new(),
    )
    .await
}

async fn admin_result(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    establishment: EstablishmentId,
    result: Result<&'static str, AccountError>,
    login: String,
) -> Result<Response, PageError> {
    match result {
        Ok(done) => Ok(Redirect::to(&format!(
            "/admin/etablissements/{establishment}/administrateurs?fait={done}"
        ))
        .into_response()),
        Err(refusal @ AccountError::Invalid(_)) => {
            let errors = Errors::of(t, &refusal);
            let page = admins_page(state, t, user, establishment, errors, login, None).await?;
            Ok(form_again(&refusal, page))
        }
        Err(e) => Err(fail(t, e)),
    }
}
