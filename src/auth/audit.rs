//! The audit log of sensitive actions (sign-ins and their failures first). Minors' data: it
//! records who, when, from where — never a password or a token.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::domain::directory::model::PersonId;
use crate::store::tables::{AUDIT, PERSON_AUDIT};
use crate::store::{StoreError, Tx};

crate::typed_id!(
    /// One audit event.
    AuditId,
    "audit"
);

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditAction {
    /// A successful sign-in.
    SignIn,
    /// A refused sign-in, with why.
    SignInFailed(SignInFailure),
    /// A sign-out.
    SignOut,
    /// A session ended from "my sessions" or by an administrator.
    SessionRevoked,
    /// The person changed their password (all their sessions ended).
    PasswordChanged,
    // New variants go at the end: postcard encodes a variant by its index.
    /// An administrator (the event's `person`) disabled `target`'s account (its sessions ended).
    AccountDisabled {
        /// Whose account.
        target: PersonId,
    },
    /// An administrator (the event's `person`) re-enabled `target`'s account.
    AccountEnabled {
        /// Whose account.
        target: PersonId,
    },
    /// An administrator (the event's `person`) gave `target` a new one-time password (its
    /// sessions ended). The code itself is never recorded.
    PasswordReset {
        /// Whose account.
        target: PersonId,
    },
}

impl AuditAction {
    /// The person an administrator acted on, if this is an administrator's action.
    pub fn target(&self) -> Option<PersonId> {
        match self {
            AuditAction::AccountDisabled { target }
            | AuditAction::AccountEnabled { target }
            | AuditAction::PasswordReset { target } => Some(*target),
            _ => None,
        }
    }
}

/// Why a sign-in was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignInFailure {
    /// No such login.
    UnknownLogin,
    /// Wrong password.
    WrongPassword,
    /// Account disabled or left.
    Disabled,
    /// Account not activated yet.
    Pending,
    /// Too many attempts.
    Throttled,
}

/// One audit event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// When (UTC).
    pub at: Timestamp,
    /// What.
    pub action: AuditAction,
    /// The person concerned, if known.
    pub person: Option<PersonId>,
    /// The login typed (for failures on unknown logins), trimmed to 64 characters.
    pub login: String,
    /// Source address.
    pub ip: String,
    /// User agent, trimmed to 200 characters.
    pub user_agent: String,
}

/// Appends an event to the audit log inside the caller's transaction. It is indexed under its
/// person and, for an administrator's action, under its target too, so each of them finds it.
pub fn record(tx: &mut Tx, mut event: AuditEvent) -> Result<AuditId, StoreError> {
    event.login = event.login.chars().take(64).collect();
    event.user_agent = event.user_agent.chars().take(200).collect();
    let id: AuditId = tx.next_id()?;
    let at = event.at.as_microsecond();
    if let Some(person) = event.person {
        tx.insert(&PERSON_AUDIT, &(person, at, id), &())?;
    }
    if let Some(target) = event.action.target()
        && Some(target) != event.person
    {
        tx.insert(&PERSON_AUDIT, &(target, at, id), &())?;
    }
    tx.insert(&AUDIT, &(at, id), &event)?;
    Ok(id)
}
