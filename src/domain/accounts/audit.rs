//! The audit log of sensitive actions (sign-ins and their failures first). Minors' data: it
//! records who, when, from where — never a password or a token.

pub use crate::model::audit::*;
use crate::store::tables::{AUDIT, PERSON_AUDIT};
use crate::store::{StoreError, Tx};

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
