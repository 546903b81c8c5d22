//! The administration of accounts and establishments: creating and editing accounts
//! (`/admin/etablissements/{id}/personnes/nouvelle`, `/admin/personnes/{id}/modifier`), and for
//! the platform administrator creating establishments and naming their local administrators.
//! Handlers extract, call `domain::admin::accounts` (which validates and decides every
//! permission) and render; a refused form comes back with its values and messages
//! (`problem::form_again`: 422).

mod platform;

pub use platform::{
    EstablishmentForm, NameAdminForm, admins, name_admin, new_establishment_form,
    new_establishment_submit, remove_admin,
};

use crate::http::extract::Form;
use crate::http::extract::Query;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::admin::EstablishmentItem;
use crate::domain::admin::accounts::{
    self, AccountError, EditView, Existing, Identity, Match, NewAccount, NewProfile,
};
use crate::domain::once::{FormKind, Once};
use crate::error::Error;
use crate::http::extract::{CurrentUser, Tr};
use crate::http::frame::{PageCtx, PageError, page, render, role_key};
use crate::http::path_ids::{Id, parse_id};
use crate::http::problem::{Problem, form_again};
use crate::model::Origin;
use crate::model::directory::{EstablishmentId, PersonId, Role};
use crate::state::AppState;

/// Runs blocking domain code off the async threads, keeping its own error type.
async fn run<T: Send + 'static>(
    t: &Tr,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, PageError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| PageError(Error::Io(std::io::Error::other(e)), t.clone()))
}

fn fail(t: &Tr, e: AccountError) -> PageError {
    PageError(e.into(), t.clone())
}

/// The messages of a refused form, by field.
#[derive(Default)]
struct Errors(Vec<(String, String)>);

impl Errors {
    /// The messages of a refusal, beside their fields.
    fn of(t: &Tr, refusal: &AccountError) -> Errors {
        Errors(refusal.field_errors(t))
    }

    /// The message of `field`, if it was refused.
    fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    /// Whether `field` was refused.
    fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// An option of a `<select>`.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

/// The role options (pupil, parent, teacher) and the staff functions (their own group).
fn role_choices(t: &Tr, selected: &str) -> (Vec<Choice>, Vec<Choice>) {
    let (mut roles, mut staff) = (Vec::new(), Vec::new());
    for role in accounts::ROLES {
        let choice = Choice {
            value: accounts::role_code(role).to_owned(),
            label: t.msg(role_key(role)),
            selected: accounts::role_code(role) == selected.trim(),
        };
        if matches!(role, Role::Personnel(_)) {
            staff.push(choice);
        } else {
            roles.push(choice);
        }
    }
    (roles, staff)
}

/// Someone who already exists, with the link to their page.
struct MatchView {
    href: String,
    name: String,
    login: String,
    birth_date: String,
}

fn match_view(m: Match) -> MatchView {
    MatchView {
        href: format!("/admin/personnes/{}", m.id),
        name: m.name,
        login: m.login,
        birth_date: m
            .birth_date
            .map(|d| d.strftime("%d/%m/%Y").to_string())
            .unwrap_or_default(),
    }
}

// ---------------------------------------------------------------------------------------------
// Creating an account.
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "admin/comptes/nouveau.html")]
struct NewAccountPage {
    page: PageCtx,
    csrf: String,
    establishment: EstablishmentItem,
    first_name: String,
    last_name: String,
    birth_date: String,
    email: String,
    national_id: String,
    roles: Vec<Choice>,
    staff: Vec<Choice>,
    classes: Vec<Choice>,
    errors: Errors,
    /// Someone holds the INE; `Some(None)`: someone the actor does not administer.
    national_id_taken: Option<Option<MatchView>>,
    homonyms: Vec<MatchView>,
    form_key: String,
}

/// The account creation form.
#[derive(Debug, Default, Deserialize)]
pub struct NewAccountForm {
    #[serde(default)]
    prenom: String,
    #[serde(default)]
    nom: String,
    #[serde(default)]
    naissance: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    classe: String,
    #[serde(default)]
    courriel: String,
    #[serde(default)]
    ine: String,
    /// Present when "Créer quand même" was pressed.
    #[serde(default)]
    creer_quand_meme: String,
    /// The form's one-time key (`domain::once`).
    #[serde(default)]
    cle_formulaire: String,
}

async fn new_account_page(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    establishment: EstablishmentId,
    form: &NewAccountForm,
    errors: Errors,
    existing: Option<&Existing>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let now = state.clock.now();
    let ctx = run(t, move || {
        accounts::create_context(&store, &actor, establishment, now)
    })
    .await?
    .map_err(|e| fail(t, e))?;
    let name = user.name.clone();
    let (roles, staff) = role_choices(t, &form.role);
    let (national_id_taken, homonyms) = match existing {
        Some(Existing::NationalId(who)) => (Some(who.clone().map(match_view)), Vec::new()),
        Some(Existing::Homonyms(list)) => (None, list.iter().cloned().map(match_view).collect()),
        None => (None, Vec::new()),
    };
    Ok(render(
        StatusCode::OK,
        &NewAccountPage {
            page: page(t, user, name, ""),
            csrf: user.csrf(),
            establishment: ctx.establishment,
            first_name: form.prenom.clone(),
            last_name: form.nom.clone(),
            birth_date: form.naissance.clone(),
            email: form.courriel.clone(),
            national_id: form.ine.clone(),
            roles,
            staff,
            classes: ctx
                .classes
                .into_iter()
                .map(|c| Choice {
                    selected: c.id.to_string() == form.classe.trim(),
                    value: c.id.to_string(),
                    label: c.name,
                })
                .collect(),
            errors,
            national_id_taken,
            homonyms,
            form_key: crate::http::form_key::again(&form.cle_formulaire),
        },
    ))
}

/// `GET /admin/etablissements/{id}/personnes/nouvelle`.
pub async fn new_account_form(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(id): Id<EstablishmentId>,
) -> Result<Response, PageError> {
    new_account_page(
        &state,
        &t,
        &user,
        id,
        &NewAccountForm::default(),
        Errors::default(),
        None,
    )
    .await
}

/// `POST /admin/etablissements/{id}/personnes/nouvelle`: creates the account, then shows it.
pub async fn new_account_submit(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Id(establishment): Id<EstablishmentId>,
    Form(form): Form<NewAccountForm>,
) -> Result<Response, PageError> {
    let input = NewAccount {
        first_name: form.prenom.clone(),
        last_name: form.nom.clone(),
        birth_date: form.naissance.clone(),
        role: form.role.clone(),
        class: form.classe.clone(),
        email: form.courriel.clone(),
        national_id: form.ine.clone(),
        confirmed: !form.creer_quand_meme.is_empty(),
    };
    let store = state.store.clone();
    let actor = user.actor.clone();
    let now = state.clock.now();
    let said = (
        &form.prenom,
        &form.nom,
        &form.naissance,
        &form.role,
        &form.classe,
        &form.courriel,
        &form.ine,
    );
    let once = Once::of(&actor, FormKind::Account, &form.cle_formulaire).map(|o| o.over(&said));
    let result = run(&t, move || {
        let once = once.as_ref();
        accounts::create_account(&store, &actor, establishment, &input, &client, now, once)
    })
    .await?;
    let refusal = match result {
        Ok(person) => {
            return Ok(
                Redirect::to(&format!("/admin/personnes/{person}?fait=cree")).into_response(),
            );
        }
        Err(e @ (AccountError::Invalid(_) | AccountError::Exists(_))) => e,
        Err(e) => return Err(fail(&t, e)),
    };
    let existing = match &refusal {
        AccountError::Exists(existing) => Some(existing),
        _ => None,
    };
    let errors = Errors::of(&t, &refusal);
    let page = new_account_page(&state, &t, &user, establishment, &form, errors, existing).await?;
    Ok(form_again(&refusal, page))
}

// ---------------------------------------------------------------------------------------------
// Editing an account.
// ---------------------------------------------------------------------------------------------

struct ProfileRow {
    label: String,
    establishment: EstablishmentId,
    role: &'static str,
    removable: bool,
}

#[derive(Template)]
#[template(path = "admin/comptes/modifier.html")]
struct EditPage {
    page: PageCtx,
    csrf: String,
    id: PersonId,
    name: String,
    own: bool,
    identity_editable: bool,
    pupil: bool,
    done: Option<String>,
    first_name: String,
    last_name: String,
    birth_name: String,
    birth_date: String,
    email: String,
    login: String,
    errors: Errors,
    profiles: Vec<ProfileRow>,
    last_profile: bool,
    establishments: Vec<Choice>,
    roles: Vec<Choice>,
    staff: Vec<Choice>,
    class: String,
}

/// The edit form (one form per action, told apart by `action`).
#[derive(Debug, Default, Deserialize)]
pub struct EditForm {
    /// `identite`, `ajouter-profil` or `retirer-profil`.
    #[serde(default)]
    action: String,
    #[serde(default)]
    prenom: String,
    #[serde(default)]
    nom: String,
    #[serde(default)]
    nom_naissance: String,
    #[serde(default)]
    naissance: String,
    #[serde(default)]
    courriel: String,
    #[serde(default)]
    identifiant: String,
    #[serde(default)]
    etablissement: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    classe: String,
}

/// Query of the edit page (what was just done).
#[derive(Debug, Deserialize)]
pub struct DoneQuery {
    fait: Option<String>,
}

/// The values the identity form shows: as typed after a refusal, else as stored.
fn identity_of(view: &EditView) -> EditForm {
    let p = &view.person;
    EditForm {
        prenom: p.first_name.clone(),
        nom: p.last_name.clone(),
        nom_naissance: p.birth_name.clone().unwrap_or_default(),
        naissance: p
            .birth_date
            .map(|d| d.strftime("%d/%m/%Y").to_string())
            .unwrap_or_default(),
        courriel: p.email.clone().unwrap_or_default(),
        identifiant: p.login.clone(),
        ..EditForm::default()
    }
}

async fn edit_page(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    target: PersonId,
    errors: Errors,
    typed: Option<&EditForm>,
    done: Option<String>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let view = run(t, move || accounts::edit_view(&store, &actor, target))
        .await?
        .map_err(|e| fail(t, e))?;
    let name = user.name.clone();
    let stored = identity_of(&view);
    // After a refused identity, the typed values; otherwise the stored ones (and the profile
    // form's typed values, if that was the refused one).
    let identity_refused = typed.is_some_and(|f| f.action == "identite");
    let values = if identity_refused {
        typed.unwrap_or(&stored)
    } else {
        &stored
    };
    let profile_form = typed.filter(|f| f.action == "ajouter-profil");
    let (roles, staff) = role_choices(t, profile_form.map_or("", |f| f.role.as_str()));
    let chosen = profile_form.map_or("", |f| f.etablissement.trim());
    Ok(render(
        StatusCode::OK,
        &EditPage {
            page: page(t, user, name, ""),
            csrf: user.csrf(),
            id: target,
            name: view.person.display_name(),
            own: view.own,
            identity_editable: view.identity_editable,
            pupil: view.pupil,
            done,
            first_name: values.prenom.clone(),
            last_name: values.nom.clone(),
            birth_name: values.nom_naissance.clone(),
            birth_date: values.naissance.clone(),
            email: values.courriel.clone(),
            login: values.identifiant.clone(),
            errors,
            last_profile: view.profiles.len() == 1,
            profiles: view
                .profiles
                .iter()
                .map(|p| ProfileRow {
                    label: format!("{} — {}", t.msg(role_key(p.role)), p.establishment_name),
                    establishment: p.establishment,
                    role: accounts::role_code(p.role),
                    removable: p.removable,
                })
                .collect(),
            establishments: view
                .establishments
                .iter()
                .map(|e| Choice {
                    value: e.id.to_string(),
                    label: format!("{} ({})", e.name, e.uai),
                    selected: e.id.to_string() == chosen,
                })
                .collect(),
            roles,
            staff,
            class: profile_form.map_or_else(String::new, |f| f.classe.clone()),
        },
    ))
}

/// `GET /admin/personnes/{id}/modifier`.
pub async fn edit_form(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(target): Id<PersonId>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let done = match q.fait.as_deref() {
        Some("modifie") => Some(t.msg("comptes-fait-modifie")),
        Some("inchange") => Some(t.msg("comptes-fait-inchange")),
        Some("profil-ajoute") => Some(t.msg("comptes-fait-profil-ajoute")),
        Some("profil-retire") => Some(t.msg("comptes-fait-profil-retire")),
        _ => None,
    };
    edit_page(&state, &t, &user, target, Errors::default(), None, done).await
}

/// `POST /admin/personnes/{id}/modifier`: saves the identity, adds or removes a profile.
pub async fn edit_submit(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Id(target): Id<PersonId>,
    Form(form): Form<EditForm>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let now = state.clock.now();
    let back = |fait: &str| {
        Ok(
            Redirect::to(&format!("/admin/personnes/{target}/modifier?fait={fait}"))
                .into_response(),
        )
    };
    let result = match form.action.as_str() {
        "identite" => {
            let input = Identity {
                first_name: form.prenom.clone(),
                last_name: form.nom.clone(),
                birth_name: form.nom_naissance.clone(),
                birth_date: form.naissance.clone(),
                email: form.courriel.clone(),
                login: form.identifiant.clone(),
            };
            let r = run(&t, move || {
                accounts::update_identity(&store, &actor, target, &input, &client, now)
            })
            .await?;
            match r {
                Ok(true) => return back("modifie"),
                Ok(false) => return back("inchange"),
                Err(e) => e,
            }
        }
        "ajouter-profil" | "retirer-profil" => {
            // An id that is not a number is "not found" (never 400).
            let establishment = parse_id(form.etablissement.trim())
                .map(EstablishmentId)
                .ok_or_else(|| PageError(Error::NotFound, t.clone()))?;
            let (role, class) = (form.role.clone(), form.classe.clone());
            if form.action == "ajouter-profil" {
                let new = NewProfile {
                    establishment,
                    role,
                    class,
                };
                let r = run(&t, move || {
                    accounts::add_profile(&store, &actor, target, &new, &client, now)
                })
                .await?;
                match r {
                    Ok(()) => return back("profil-ajoute"),
                    Err(e) => e,
                }
            } else {
                let r = run(&t, move || {
                    accounts::remove_profile(
                        &store,
                        &actor,
                        target,
                        establishment,
                        &role,
                        &client,
                        now,
                    )
                })
                .await?;
                match r {
                    Ok(true) => return back("profil-retire"),
                    // The person left the establishments the actor administers.
                    Ok(false) => return Ok(Redirect::to("/admin").into_response()),
                    Err(e) => e,
                }
            }
        }
        _ => {
            // An unknown action: "not found" for whoever may not see the person, else 422.
            run(&t, move || accounts::edit_view(&store, &actor, target))
                .await?
                .map_err(|e| fail(&t, e))?;
            return Err(fail(&t, AccountError::Invalid(Vec::new())));
        }
    };
    match result {
        refusal @ AccountError::Invalid(_) => {
            let errors = Errors::of(&t, &refusal);
            let page = edit_page(&state, &t, &user, target, errors, Some(&form), None).await?;
            Ok(form_again(&refusal, page))
        }
        e => Err(fail(&t, e)),
    }
}
