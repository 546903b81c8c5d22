//! Administration of accounts (issue 5 §1): the establishments an actor administers, searching
//! their people, an administrator's view of a person, disabling / re-enabling an account,
//! resetting a password to a one-time code, and the audit log ([`journal`]).
//!
//! Permissions are decided here, never in the handlers:
//! - an actor administers an establishment if [`Actor::administers`] says so (its local
//!   administrator, or the platform administrator);
//! - a person is administrable by the actor if they have a profile in an establishment the actor
//!   administers (the platform administrator: everyone);
//! - everything else is "not found" (404), including every admin page for a teacher, parent,
//!   pupil or staff member: for them the administration does not exist, and a refusal reveals
//!   nothing (STYLE.md §2);
//! - "forbidden" (403) only when the actor sees the person but may not act on them: their own
//!   account (an administrator cannot lock themselves out), or a platform administrator's
//!   account for a local administrator.
//!
//! Every action is audited in the same transaction as the change, with the acting administrator
//! as the event's `person` and the target inside the action (`AccountDisabled { target }`…):
//! adding a field to the stored `AuditEvent` would break the rows already written.

pub mod accounts;
pub mod import;
pub mod journal;
pub mod mail;
pub mod policy;
pub mod structure;

use jiff::Timestamp;
use serde::Serialize;

use crate::domain::accounts::audit::{self, AuditAction, AuditEvent};
use crate::domain::accounts::changes::set_state_in;
use crate::domain::accounts::session::Touches;
use crate::domain::directory::queries::{self, ClassSummary, PersonSummary};
use crate::domain::directory::{DirectoryError, policy as directory_policy};
use crate::domain::text::french_key;
use crate::model::Actor;
use crate::model::Origin;
use crate::model::directory::{AccountState, EstablishmentId, PersonId, Role};
use crate::store::tables::{
    AUDIT, CHILD_PARENTS, ESTABLISHMENTS, PARENT_CHILDREN, PEOPLE, PERSON_AUDIT, PERSON_PROFILES,
    STUDENT_CLASSES,
};
use crate::store::{Store, StoreError};

/// What an administrator's request can run into.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// The establishment or person does not exist, or the actor does not administer it.
    #[error("not found")]
    NotFound,
    /// The actor sees the person but may not act on them (themselves, a platform admin).
    #[error("forbidden")]
    Forbidden,
    /// A field does not validate; the message key is for the user.
    #[error("{field}: {key}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// Translation key of what to do.
        key: &'static str,
    },
    /// A store failure (or no randomness, or hashing failed).
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<DirectoryError> for AdminError {
    fn from(e: DirectoryError) -> Self {
        match e {
            DirectoryError::Store(e) => AdminError::Store(e),
            // Searching or reading a person the rules hide; anything else cannot happen here.
            _ => AdminError::NotFound,
        }
    }
}

/// An establishment as the admin home lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EstablishmentItem {
    /// The id.
    pub id: EstablishmentId,
    /// Its name.
    pub name: String,
    /// Its UAI.
    pub uai: String,
}

/// The establishments the actor administers, by name; "not found" if none (not an admin).
pub fn my_establishments(
    store: &Store,
    actor: &Actor,
) -> Result<Vec<EstablishmentItem>, AdminError> {
    if !policy::is_admin(actor) {
        return Err(AdminError::NotFound);
    }
    let read = store.read()?;
    let mut out = Vec::new();
    if actor.platform_admin {
        for row in read.range(&ESTABLISHMENTS, ..)? {
            let (id, e) = row?;
            out.push(EstablishmentItem {
                id,
                name: e.name,
                uai: e.uai,
            });
        }
    } else {
        for id in actor.establishments() {
            if actor.administers(id)
                && let Some(e) = read.get(&ESTABLISHMENTS, &id)?
            {
                out.push(EstablishmentItem {
                    id,
                    name: e.name,
                    uai: e.uai,
                });
            }
        }
    }
    out.sort_by_key(|e| french_key(&e.name));
    Ok(out)
}

/// The establishment `id` if the actor administers it.
pub fn establishment(
    store: &Store,
    actor: &Actor,
    id: EstablishmentId,
) -> Result<EstablishmentItem, AdminError> {
    let e = policy::administered_establishment(&store.read()?, actor, id)?
        .ok_or(AdminError::NotFound)?;
    Ok(EstablishmentItem {
        id,
        name: e.name,
        uai: e.uai,
    })
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonHit {
    /// Who.
    pub person: PersonSummary,
    /// Their login.
    pub login: String,
    /// Their account's state.
    pub state: AccountState,
    /// Their roles in the searched establishment.
    pub roles: Vec<Role>,
}

/// People of `establishment` whose names start with the words of `query` (accents and case
/// ignored), at most [`queries::SEARCH_LIMIT`], for an administrator of it.
pub fn search(
    store: &Store,
    actor: &Actor,
    establishment: EstablishmentId,
    query: &str,
) -> Result<Vec<PersonHit>, AdminError> {
    if !actor.administers(establishment) {
        return Err(AdminError::NotFound);
    }
    let found = queries::search_people(store, actor, establishment, query)?;
    let read = store.read()?;
    let mut out = Vec::with_capacity(found.len());
    for person in found {
        let Some(p) = read.get(&PEOPLE, &person.id)? else {
            continue;
        };
        let roles = read
            .scan_prefix(&PERSON_PROFILES, &(person.id, establishment))?
            .map(|r| r.map(|(_, profile)| profile.role))
            .collect::<Result<Vec<_>, _>>()?;
        out.push(PersonHit {
            person,
            login: p.login,
            state: p.state,
            roles,
        });
    }
    Ok(out)
}

/// A profile with its establishment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdminProfile {
    /// The establishment.
    pub establishment: EstablishmentId,
    /// Its name.
    pub establishment_name: String,
    /// The role.
    pub role: Role,
    /// Whether the actor administers this establishment (links to its pages).
    pub administered: bool,
}

/// A relative (child or parent) with whether the actor may open their admin page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Relative {
    /// Who.
    pub person: PersonSummary,
    /// Whether the actor administers them.
    pub administered: bool,
}

/// An administrator's view of a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdminPersonView {
    /// Who.
    pub person: PersonSummary,
    /// Their login.
    pub login: String,
    /// Their account's state.
    pub state: AccountState,
    /// Whether they administer the whole instance.
    pub platform_admin: bool,
    /// Their profiles.
    pub profiles: Vec<AdminProfile>,
    /// A pupil's classes.
    pub classes: Vec<ClassSummary>,
    /// A parent's children.
    pub children: Vec<Relative>,
    /// A pupil's parents.
    pub parents: Vec<Relative>,
    /// Their last successful sign-in, from the audit log.
    pub last_sign_in: Option<Timestamp>,
    /// When their password was last set.
    pub password_set_at: Option<Timestamp>,
    /// Whether the actor may disable, re-enable or reset this account.
    pub can_act: bool,
    /// The person also belongs to an establishment the actor does not administer: no
    /// account-level action ([`directory_policy::AdminReach::Partial`]).
    pub shared: bool,
}

/// The administrator's view of `target`; "not found" unless the actor administers them.
pub fn person(
    store: &Store,
    actor: &Actor,
    target: PersonId,
) -> Result<AdminPersonView, AdminError> {
    let read = store.read()?;
    let reach = directory_policy::admin_reach(&read, actor, target)?;
    if !reach.sees() {
        return Err(AdminError::NotFound);
    }
    let p = read.get(&PEOPLE, &target)?.ok_or(AdminError::NotFound)?;
    let profiles = queries::profiles_named(&read, target)?
        .into_iter()
        .map(|(profile, establishment_name)| AdminProfile {
            establishment: profile.establishment,
            establishment_name,
            role: profile.role,
            administered: actor.administers(profile.establishment),
        })
        .collect();
    let mut classes = Vec::new();
    for row in read.scan_prefix(&STUDENT_CLASSES, &(target,))? {
        let ((_, class), ()) = row?;
        if let Some(c) = queries::class_summary(&read, class)? {
            classes.push(c);
        }
    }
    let relative = |id: PersonId| -> Result<Option<Relative>, StoreError> {
        // The administrator sees the relative's name if the directory rules let them.
        if !directory_policy::may_see_person(&read, actor, id)? {
            return Ok(None);
        }
        let Some(r) = read.get(&PEOPLE, &id)? else {
            return Ok(None);
        };
        Ok(Some(Relative {
            person: PersonSummary {
                id,
                first_name: r.first_name,
                last_name: r.last_name,
            },
            administered: directory_policy::administers_person(&read, actor, id)?,
        }))
    };
    let mut children = Vec::new();
    for row in read.scan_prefix(&PARENT_CHILDREN, &(target,))? {
        let ((_, child), _) = row?;
        children.extend(relative(child)?);
    }
    let mut parents = Vec::new();
    for row in read.scan_prefix(&CHILD_PARENTS, &(target,))? {
        let ((_, parent), ()) = row?;
        parents.extend(relative(parent)?);
    }
    let mut last_sign_in = None;
    for row in read.scan_prefix(&PERSON_AUDIT, &(target,))? {
        let ((_, at, id), ()) = row?;
        if let Some(event) = read.get(&AUDIT, &(at, id))?
            && event.action == AuditAction::SignIn
            && event.person == Some(target)
        {
            last_sign_in = Some(event.at);
        }
    }
    Ok(AdminPersonView {
        person: PersonSummary {
            id: target,
            first_name: p.first_name.clone(),
            last_name: p.last_name.clone(),
        },
        login: p.login.clone(),
        state: p.state,
        platform_admin: p.platform_admin,
        profiles,
        classes,
        children,
        parents,
        last_sign_in,
        password_set_at: p.password_set_at,
        can_act: policy::may_act_on(actor, reach, target, p.platform_admin),
        shared: !reach.full(),
    })
}

/// Disables (`enabled == false`, ending all the target's sessions) or re-enables the account of
/// `target`, audited with the acting administrator.
pub fn set_enabled(
    store: &Store,
    actor: &Actor,
    target: PersonId,
    enabled: bool,
    touches: &Touches,
    client: &Origin,
    now: Timestamp,
) -> Result<(), AdminError> {
    store.write(|tx| {
        let login = policy::account_action(tx, actor, target)?;
        let (state, action) = if enabled {
            (AccountState::Active, AuditAction::AccountEnabled { target })
        } else {
            (
                AccountState::Disabled,
                AuditAction::AccountDisabled { target },
            )
        };
        set_state_in(tx, target, state, touches)?;
        audit::record(
            tx,
            AuditEvent {
                at: now,
                action,
                person: actor.person,
                login,
                ip: client.ip.clone(),
                user_agent: client.user_agent.clone(),
            },
        )?;
        Ok(())
    })
}

pub use crate::domain::activation::codes::{CODE_ALPHABET, CODE_LENGTH, OneTimeCode};

/// Gives `target` a new one-time code (valid `lifetime`) in place of their password: the old
/// password stops working, all their sessions end, and at their next sign-in the code leads
/// them to choose a new password (and accept the charter if they have not yet). Audited as
/// `PasswordReset` (never the code). The code is returned to be shown once.
#[allow(clippy::too_many_arguments)]
pub fn reset_password(
    store: &Store,
    actor: &Actor,
    target: PersonId,
    lifetime: std::time::Duration,
    touches: &Touches,
    client: &Origin,
    now: Timestamp,
) -> Result<OneTimeCode, AdminError> {
    store.write(|tx| {
        let login = policy::account_action(tx, actor, target)?;
        let code = crate::domain::activation::codes::issue_in(
            tx,
            target,
            now,
            lifetime,
            crate::domain::activation::codes::CodeReason::Reset,
        )?;
        let mut p = tx.get(&PEOPLE, &target)?.ok_or(AdminError::NotFound)?;
        p.password_hash = None;
        tx.insert(&PEOPLE, &target, &p)?;
        crate::domain::accounts::session::end_all(tx, target, touches)?;
        audit::record(
            tx,
            AuditEvent {
                at: now,
                action: AuditAction::PasswordReset { target },
                person: actor.person,
                login,
                ip: client.ip.clone(),
                user_agent: client.user_agent.clone(),
            },
        )?;
        Ok(code)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_codes_come_from_the_unambiguous_alphabet() {
        const { assert!(CODE_LENGTH >= 10) };
        assert!(!CODE_ALPHABET.contains(&b'0') && !CODE_ALPHABET.contains(&b'O'));
    }
}
