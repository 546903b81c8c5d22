//! Account changes that must end sessions: disabling an account, changing its password.

use jiff::Timestamp;

use super::session::{self, Touches};
use crate::domain::directory::DirectoryError;
use crate::domain::directory::model::{AccountState, PersonId};
use crate::store::Store;
use crate::store::tables::PEOPLE;

/// Sets an account's state; disabling it (or marking its holder as left) ends all its sessions.
pub fn set_state(
    store: &Store,
    person: PersonId,
    state: AccountState,
    touches: &Touches,
) -> Result<(), DirectoryError> {
    store.write(|tx| {
        let mut p = tx.get(&PEOPLE, &person)?.ok_or(DirectoryError::NotFound)?;
        p.state = state;
        tx.insert(&PEOPLE, &person, &p)?;
        if matches!(state, AccountState::Disabled | AccountState::Left(_)) {
            session::end_all(tx, person, touches)?;
        }
        Ok(())
    })
}

/// Stores a new password hash and ends every session of the account (the caller hashes, on the
/// blocking pool, after checking the policy).
pub fn set_password_hash(
    store: &Store,
    person: PersonId,
    hash: String,
    now: Timestamp,
    touches: &Touches,
) -> Result<(), DirectoryError> {
    store.write(|tx| {
        let mut p = tx.get(&PEOPLE, &person)?.ok_or(DirectoryError::NotFound)?;
        p.password_hash = Some(hash);
        p.password_set_at = Some(now);
        tx.insert(&PEOPLE, &person, &p)?;
        session::end_all(tx, person, touches)?;
        Ok(())
    })
}
