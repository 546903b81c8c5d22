//! The administration pages (`/admin`): extract, call `domain::admin` (which decides every
//! permission), render.

pub mod accounts;
pub mod activation;
pub mod import;
pub mod mail;
pub mod messaging;
pub mod structure;

use crate::http::extract::Query;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::admin::journal::{self, ActionKind, JournalFilter, Named};
use crate::domain::admin::{self, AdminError};
use crate::error::Error;
use crate::http::extract::{CurrentUser, Tr};
use crate::http::frame::{PageCtx, PageError, blocking, page, paris, render, role_key};
use crate::http::path_ids::Id;
use crate::model::Origin;
use crate::model::directory::{AccountState, EstablishmentId, PersonId};
use crate::state::AppState;

/// The label of an account state.
fn state_label(t: &Tr, state: AccountState) -> String {
    match state {
        AccountState::Pending => t.msg("etat-en-attente"),
        AccountState::Active => t.msg("etat-actif"),
        AccountState::Disabled => t.msg("etat-desactive"),
        AccountState::Left(date) => {
            t.msg1("etat-parti", "date", &date.strftime("%d/%m/%Y").to_string())
        }
    }
}

/// The translation key of a journal action.
fn action_key(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::SignIn => "journal-action-connexion",
        ActionKind::SignInFailed => "journal-action-echec",
        ActionKind::SignOut => "journal-action-deconnexion",
        ActionKind::SessionRevoked => "journal-action-session-terminee",
        ActionKind::PasswordChanged => "journal-action-mot-de-passe-change",
        ActionKind::AccountDisabled => "journal-action-desactivation",
        ActionKind::AccountEnabled => "journal-action-reactivation",
        ActionKind::PasswordReset => "journal-action-reinitialisation",
        ActionKind::ActivationCodeIssued => "journal-action-courrier",
        ActionKind::AccountActivated => "journal-action-activation",
        ActionKind::CharterAccepted => "journal-action-charte-acceptee",
        ActionKind::CharterEdited => "journal-action-charte-modifiee",
        ActionKind::PasswordRecoveryRequested => "journal-action-recuperation-demandee",
        ActionKind::PasswordRecovered => "journal-action-recuperation",
        ActionKind::DirectoryImported => "journal-action-import",
        ActionKind::StructureChanged => "journal-action-structure",
        ActionKind::AccountCreated => "journal-action-creation",
        ActionKind::AccountEdited => "journal-action-modification",
        ActionKind::EstablishmentCreated => "journal-action-etablissement",
        ActionKind::LocalAdminNamed => "journal-action-admin-nomme",
        ActionKind::LocalAdminRemoved => "journal-action-admin-retire",
        ActionKind::CommunicationRulesEdited => "journal-action-regles-communication",
        ActionKind::MessageReported => "journal-action-signalement",
        ActionKind::MessageReportReviewed => "journal-action-signalement-examine",
        ActionKind::MessagingSuspended => "journal-action-messagerie-suspendue",
        ActionKind::MessagingRestored => "journal-action-messagerie-retablie",
        ActionKind::MailRetried => "journal-action-courriel-reessaye",
        ActionKind::MailCancelled => "journal-action-courriel-annule",
    }
}

/// The translation key of why a sign-in failed.
fn failure_key(failure: crate::domain::accounts::audit::SignInFailure) -> &'static str {
    use crate::domain::accounts::audit::SignInFailure as F;
    match failure {
        F::UnknownLogin => "journal-echec-identifiant",
        F::WrongPassword => "journal-echec-mot-de-passe",
        F::Disabled => "journal-echec-desactive",
        F::Pending => "journal-echec-en-attente",
        F::Throttled => "journal-echec-bloque",
    }
}

async fn run<T: Send + 'static>(
    t: &Tr,
    f: impl FnOnce() -> Result<T, AdminError> + Send + 'static,
) -> Result<T, PageError> {
    blocking(t, move || f().map_err(Error::from)).await
}

// ---------------------------------------------------------------------------------------------
// Home: the establishments the actor administers.
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "admin/accueil.html")]
struct HomePage {
    page: PageCtx,
    establishments: Vec<admin::EstablishmentItem>,
    /// Links to establishment creation and local administrators (`admin_accounts`).
    platform_admin: bool,
}

/// `GET /admin`.
pub async fn home(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let establishments = run(&t, move || admin::my_establishments(&store, &actor)).await?;
    let name = user.name.clone();
    Ok(render(
        StatusCode::OK,
        &HomePage {
            page: page(&t, &user, name, "/admin"),
            establishments,
            platform_admin: user.actor.platform_admin,
        },
    ))
}

// ---------------------------------------------------------------------------------------------
// Searching people.
// ---------------------------------------------------------------------------------------------

struct HitView {
    id: PersonId,
    name: String,
    login: String,
    roles: String,
    state: String,
}

#[derive(Template)]
#[template(path = "admin/recherche.html")]
struct SearchPage {
    page: PageCtx,
    establishment: admin::EstablishmentItem,
    query: String,
    searched: bool,
    count: String,
    hits: Vec<HitView>,
}

/// Query of the search page.
#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

/// `GET /admin/etablissements/{id}/personnes?q=`.
pub async fn search(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(EstablishmentId(id)): Id<EstablishmentId>,
    Query(q): Query<SearchQuery>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let query: String = q.q.trim().chars().take(100).collect();
    let text = query.clone();
    let (establishment, hits) = run(&t, move || {
        let e = admin::establishment(&store, &actor, EstablishmentId(id))?;
        let hits = admin::search(&store, &actor, e.id, &text)?;
        Ok((e, hits))
    })
    .await?;
    let name = user.name.clone();
    let hits: Vec<HitView> = hits
        .into_iter()
        .map(|h| HitView {
            id: h.person.id,
            name: h.person.display_name(),
            login: h.login,
            roles: h
                .roles
                .iter()
                .map(|r| t.msg(role_key(*r)))
                .collect::<Vec<_>>()
                .join(", "),
            state: state_label(&t, h.state),
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &SearchPage {
            page: page(&t, &user, name, ""),
            establishment,
            searched: !query.is_empty(),
            query,
            count: t.count("admin-resultats", "nombre", hits.len() as u64),
            hits,
        },
    ))
}

// ---------------------------------------------------------------------------------------------
// A person.
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "admin/personne.html")]
struct PersonPage {
    page: PageCtx,
    csrf: String,
    id: PersonId,
    name: String,
    login: String,
    state: String,
    disabled: bool,
    /// Waiting for activation: a credential letter can be printed.
    pending: bool,
    done: Option<String>,
    platform_admin: bool,
    profiles: Vec<(String, Option<String>)>,
    classes: Vec<String>,
    children: Vec<(Option<String>, String)>,
    parents: Vec<(Option<String>, String)>,
    last_sign_in: String,
    password_set_at: String,
    can_act: bool,
    /// Also in an establishment the actor does not administer.
    shared: bool,
    journal: Option<String>,
    /// A pupil of an administered establishment: their parents can be managed.
    pupil: bool,
    /// Whether their messaging is suspended (issue 6; the form shows when `can_act`).
    messaging_suspended: bool,
}

/// Query of the person page (what was just done).
#[derive(Debug, Deserialize)]
pub struct PersonQuery {
    fait: Option<String>,
}

fn relatives(list: &[admin::Relative]) -> Vec<(Option<String>, String)> {
    list.iter()
        .map(|r| {
            (
                r.administered
                    .then(|| format!("/admin/personnes/{}", r.person.id)),
                r.person.display_name(),
            )
        })
        .collect()
}

/// `GET /admin/personnes/{id}`.
pub async fn person(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(PersonId(id)): Id<PersonId>,
    Query(q): Query<PersonQuery>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let view = run(&t, move || admin::person(&store, &actor, PersonId(id))).await?;
    let store = state.store.clone();
    let messaging_suspended = blocking(&t, move || {
        Ok(crate::domain::messaging::abuse::is_suspended(
            &store,
            PersonId(id),
        )?)
    })
    .await?;
    let name = user.name.clone();
    let done = match q.fait.as_deref() {
        Some("messagerie-suspendue") => Some(t.msg("admin-fait-messagerie-suspendue")),
        Some("messagerie-retablie") => Some(t.msg("admin-fait-messagerie-retablie")),
        Some("desactive") => Some(t.msg("admin-fait-desactive")),
        Some("reactive") => Some(t.msg("admin-fait-reactive")),
        Some("cree") => Some(t.msg("comptes-fait-cree")),
        _ => None,
    };
    let journal = view.profiles.iter().find(|p| p.administered).map(|p| {
        format!(
            "/admin/etablissements/{}/journal?personne={}",
            p.establishment, view.login
        )
    });
    let never = t.msg("admin-jamais");
    Ok(render(
        StatusCode::OK,
        &PersonPage {
            page: page(&t, &user, name, ""),
            csrf: user.csrf(),
            id: view.person.id,
            name: view.person.display_name(),
            login: view.login.clone(),
            state: state_label(&t, view.state),
            disabled: matches!(view.state, AccountState::Disabled | AccountState::Left(_)),
            pending: view.state == AccountState::Pending,
            done,
            platform_admin: view.platform_admin,
            profiles: view
                .profiles
                .iter()
                .map(|p| {
                    (
                        format!("{} — {}", t.msg(role_key(p.role)), p.establishment_name),
                        p.administered.then(|| {
                            format!("/admin/etablissements/{}/personnes", p.establishment)
                        }),
                    )
                })
                .collect(),
            classes: view
                .classes
                .iter()
                .map(|c| format!("{} ({})", c.name, c.establishment_name))
                .collect(),
            children: relatives(&view.children),
            parents: relatives(&view.parents),
            last_sign_in: view.last_sign_in.map_or_else(|| never.clone(), paris),
            password_set_at: view.password_set_at.map_or(never, paris),
            can_act: view.can_act,
            shared: view.shared,
            journal,
            pupil: view
                .profiles
                .iter()
                .any(|p| p.administered && p.role == crate::model::directory::Role::Eleve),
            messaging_suspended,
        },
    ))
}

async fn set_enabled(
    state: AppState,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    id: u64,
    enabled: bool,
) -> Result<Response, PageError> {
    let now = state.clock.now();
    let st = state.clone();
    let actor = user.actor.clone();
    run(&t, move || {
        admin::set_enabled(
            &st.store,
            &actor,
            PersonId(id),
            enabled,
            &st.auth.touches,
            &client,
            now,
        )
    })
    .await?;
    let done = if enabled { "reactive" } else { "desactive" };
    Ok(Redirect::to(&format!("/admin/personnes/{id}?fait={done}")).into_response())
}

/// `POST /admin/personnes/{id}/desactiver`: disables the account and ends its sessions.
pub async fn disable(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Id(PersonId(id)): Id<PersonId>,
) -> Result<Response, PageError> {
    set_enabled(state, t, client, user, id, false).await
}

/// `POST /admin/personnes/{id}/reactiver`: re-enables the account.
pub async fn enable(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Id(PersonId(id)): Id<PersonId>,
) -> Result<Response, PageError> {
    set_enabled(state, t, client, user, id, true).await
}

#[derive(Template)]
#[template(path = "admin/code.html")]
struct CodePage {
    page: PageCtx,
    id: PersonId,
    name: String,
    login: String,
    code: String,
}

/// `POST /admin/personnes/{id}/mot-de-passe`: a new one-time password, shown on this page only
/// (never in a URL, never cached).
pub async fn reset_password(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Id(PersonId(id)): Id<PersonId>,
) -> Result<Response, PageError> {
    let target = PersonId(id);
    let st = state.clone();
    let actor = user.actor.clone();
    let code = run(&t, move || {
        admin::reset_password(
            &st.store,
            &actor,
            target,
            st.config.activation_code_lifetime,
            &st.auth.touches,
            &client,
            st.clock.now(),
        )
    })
    .await?;
    let store = state.store.clone();
    let actor = user.actor.clone();
    let view = run(&t, move || admin::person(&store, &actor, target)).await?;
    let name = user.name.clone();
    let mut response = render(
        StatusCode::OK,
        &CodePage {
            page: page(&t, &user, name, ""),
            id: target,
            name: view.person.display_name(),
            login: view.login,
            code: code.grouped(),
        },
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

// ---------------------------------------------------------------------------------------------
// The journal.
// ---------------------------------------------------------------------------------------------

struct RowView {
    at: String,
    action: String,
    actor: Option<(Option<String>, String)>,
    target: Option<(Option<String>, String)>,
    ip: String,
}

#[derive(Template)]
#[template(path = "admin/journal.html")]
struct JournalPage {
    page: PageCtx,
    establishment: admin::EstablishmentItem,
    person: String,
    action: String,
    from: String,
    to: String,
    actions: Vec<(&'static str, String)>,
    error_from: Option<String>,
    error_to: Option<String>,
    count: String,
    truncated: bool,
    rows: Vec<RowView>,
}

/// Query of the journal.
#[derive(Debug, Deserialize)]
pub struct JournalQuery {
    #[serde(default)]
    personne: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    du: String,
    #[serde(default)]
    au: String,
}

fn named(n: Option<Named>) -> Option<(Option<String>, String)> {
    n.map(|n| {
        (
            n.member.then(|| format!("/admin/personnes/{}", n.id)),
            format!("{} ({})", n.name, n.login),
        )
    })
}

/// `GET /admin/etablissements/{id}/journal?personne=&action=&du=&au=`.
pub async fn journal(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(EstablishmentId(id)): Id<EstablishmentId>,
    Query(q): Query<JournalQuery>,
) -> Result<Response, PageError> {
    let date = |text: &str| -> Result<Option<jiff::civil::Date>, String> {
        if text.trim().is_empty() {
            Ok(None)
        } else {
            journal::parse_date(text)
                .map(Some)
                .ok_or_else(|| t.msg("journal-date-invalide"))
        }
    };
    let from = date(&q.du);
    let to = date(&q.au);
    let filter = JournalFilter {
        login: Some(q.personne.trim().to_owned()).filter(|l| !l.is_empty()),
        action: ActionKind::from_code(&q.action),
        from: from.clone().ok().flatten(),
        to: to.clone().ok().flatten(),
    };
    let invalid = from.is_err() || to.is_err();
    let store = state.store.clone();
    let actor = user.actor.clone();
    let now = state.clock.now();
    let (establishment, log) = run(&t, move || {
        let e = admin::establishment(&store, &actor, EstablishmentId(id))?;
        // A wrong date shows the form again with its message, and no rows.
        let log = if invalid {
            journal::Journal {
                rows: Vec::new(),
                truncated: false,
            }
        } else {
            journal::journal(&store, &actor, e.id, &filter, now)?
        };
        Ok((e, log))
    })
    .await?;
    let name = user.name.clone();
    let rows: Vec<RowView> = log
        .rows
        .into_iter()
        .map(|r| RowView {
            at: paris(r.at),
            action: match (r.failure, &r.change) {
                (Some(f), _) => {
                    format!("{} ({})", t.msg(action_key(r.kind)), t.msg(failure_key(f)))
                }
                (None, Some(change)) => format!(
                    "{} ({})",
                    t.msg(action_key(r.kind)),
                    crate::http::admin::structure::describe(&t, change)
                ),
                (None, None) => t.msg(action_key(r.kind)),
            },
            actor: named(r.actor),
            target: named(r.target),
            ip: r.ip,
        })
        .collect();
    // A wrong date: the form again with its message beside the field.
    let refusal = invalid.then(|| AdminError::Invalid {
        field: if from.is_err() { "du" } else { "au" },
        key: "journal-date-invalide",
    });
    let page = render(
        StatusCode::OK,
        &JournalPage {
            page: page(&t, &user, name, ""),
            establishment,
            person: q.personne.trim().to_owned(),
            action: ActionKind::from_code(&q.action)
                .map(|k| k.code().to_owned())
                .unwrap_or_default(),
            from: q.du.trim().to_owned(),
            to: q.au.trim().to_owned(),
            actions: ActionKind::ALL
                .into_iter()
                .map(|k| (k.code(), t.msg(action_key(k))))
                .collect(),
            error_from: from.err(),
            error_to: to.err(),
            count: t.count("journal-lignes", "nombre", rows.len() as u64),
            truncated: log.truncated,
            rows,
        },
    );
    Ok(match &refusal {
        Some(refusal) => crate::http::problem::form_again(refusal, page),
        None => page,
    })
}
