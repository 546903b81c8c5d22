//! Account changes that must end sessions: disabling an account, changing its password.

use jiff::Timestamp;

use super::audit::{self, AuditAction, AuditEvent};
use super::password::{HashLimiter, PolicyViolation, check_policy};
use super::session::{self, SessionToken, Touches};
use super::throttle::Throttle;
use crate::domain::directory::DirectoryError;
use crate::model::Origin;
use crate::model::directory::{AccountState, PersonId};
use crate::store::Store;
use crate::store::StoreError;
use crate::store::Tx;
use crate::store::tables::PEOPLE;

/// Sets an account's state; disabling it (or marking its holder as left) ends all its sessions.
pub fn set_state(
    store: &Store,
    person: PersonId,
    state: AccountState,
    touches: &Touches,
) -> Result<(), DirectoryError> {
    store.write(|tx| set_state_in(tx, person, state, touches))
}

/// [`set_state`] inside the caller's transaction (to audit in the same one).
pub fn set_state_in(
    tx: &mut Tx,
    person: PersonId,
    state: AccountState,
    touches: &Touches,
) -> Result<(), DirectoryError> {
    let mut p = tx.get(&PEOPLE, &person)?.ok_or(DirectoryError::NotFound)?;
    p.state = state;
    tx.insert(&PEOPLE, &person, &p)?;
    if matches!(state, AccountState::Disabled | AccountState::Left(_)) {
        session::end_all(tx, person, touches)?;
    }
    Ok(())
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
    store.write(|tx| set_password_hash_in(tx, person, hash, now, touches))
}

/// [`set_password_hash`] inside the caller's transaction (to audit in the same one).
pub fn set_password_hash_in(
    tx: &mut Tx,
    person: PersonId,
    hash: String,
    now: Timestamp,
    touches: &Touches,
) -> Result<(), DirectoryError> {
    let mut p = tx.get(&PEOPLE, &person)?.ok_or(DirectoryError::NotFound)?;
    p.password_hash = Some(hash);
    p.password_set_at = Some(now);
    tx.insert(&PEOPLE, &person, &p)?;
    session::end_all(tx, person, touches)?;
    Ok(())
}

/// Why a password change was refused.
#[derive(Debug, thiserror::Error)]
pub enum ChangePasswordError {
    /// The current password is wrong.
    #[error("wrong current password")]
    WrongCurrent,
    /// The two new passwords differ.
    #[error("confirmation differs")]
    Mismatch,
    /// The new password breaks the policy.
    #[error("policy: {0:?}")]
    Policy(PolicyViolation),
    /// Too many wrong current passwords: wait this many seconds.
    #[error("throttled")]
    Throttled(u64),
    /// A store or hashing failure.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a password change needs.
pub struct ChangePassword<'a> {
    /// The store.
    pub store: &'a Store,
    /// The hashing pool.
    pub limiter: &'a HashLimiter,
    /// Failed-attempt counters (a wrong current password counts as a failed sign-in).
    pub throttle: &'a Throttle,
    /// Session activity (ended sessions are forgotten).
    pub touches: &'a Touches,
}

impl ChangePassword<'_> {
    /// Checks the current password and the policy, stores the new hash, ends every session of
    /// the person and opens a new one for this device (returned), all audited.
    pub async fn change(
        &self,
        person: PersonId,
        current: &str,
        new: &str,
        confirmation: &str,
        origin: &Origin,
        now: Timestamp,
    ) -> Result<SessionToken, ChangePasswordError> {
        let p = self
            .store
            .read()?
            .get(&PEOPLE, &person)?
            .ok_or_else(|| StoreError::Diverged("signed-in person is missing".into()))?;
        if let Err(wait) = self.throttle.check(&p.login, &origin.ip, now) {
            return Err(ChangePasswordError::Throttled(wait));
        }
        let matches = match &p.password_hash {
            Some(hash) => self.limiter.verify(current.to_owned(), hash.clone()).await,
            None => false,
        };
        if !matches {
            self.throttle.failed(&p.login, &origin.ip, now);
            return Err(ChangePasswordError::WrongCurrent);
        }
        if new != confirmation {
            return Err(ChangePasswordError::Mismatch);
        }
        check_policy(new, &[&p.login, &p.first_name, &p.last_name])
            .map_err(ChangePasswordError::Policy)?;
        let hash = self
            .limiter
            .hash(new.to_owned())
            .await
            .map_err(|e| StoreError::Random(e.to_string()))?;
        let store = self.store.clone();
        let origin = origin.clone();
        let login = p.login.clone();
        let touches = self.touches;
        let token = tokio::task::block_in_place(move || {
            store.write(|tx| {
                let mut p = tx
                    .get(&PEOPLE, &person)?
                    .ok_or_else(|| StoreError::Diverged("person vanished".into()))?;
                p.password_hash = Some(hash);
                p.password_set_at = Some(now);
                tx.insert(&PEOPLE, &person, &p)?;
                session::end_all(tx, person, touches)?;
                let token = session::create(tx, person, now, &origin.ip, &origin.user_agent)?;
                audit::record(
                    tx,
                    AuditEvent {
                        at: now,
                        action: AuditAction::PasswordChanged,
                        person: Some(person),
                        login,
                        ip: origin.ip.clone(),
                        user_agent: origin.user_agent.clone(),
                    },
                )?;
                Ok::<_, StoreError>(token)
            })
        })?;
        self.throttle.succeeded(&p.login);
        Ok(token)
    }
}
