//! Signing in and out: throttling, password check on the blocking pool, audit, session.

use jiff::Timestamp;

use super::audit::{self, AuditAction, AuditEvent, SignInFailure};
use super::password::HashLimiter;
use super::session::{self, SessionToken, Touches};
use super::throttle::Throttle;
use crate::domain::directory::queries::find_by_login;
use crate::model::Origin;
use crate::model::directory::{AccountState, PersonId};
use crate::store::{Store, StoreError};

/// Why a sign-in was refused.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// Too many attempts: wait this many seconds.
    #[error("throttled")]
    Throttled(u64),
    /// Unknown login or wrong password (never says which).
    #[error("wrong credentials")]
    WrongCredentials,
    /// The account is disabled or its holder left (said only after the right password).
    #[error("account disabled")]
    Disabled,
    /// The account is not activated yet (said only after its right password: an account
    /// without one answers [`SignInError::WrongCredentials`]).
    #[error("account pending")]
    Pending,
    /// A store failure.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A valid Argon2id hash of a random string, verified against when the login is unknown so that
/// unknown logins take as long as wrong passwords.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3BKFZ7hLqDNFKzF8zTc2vS1DqRy5QXzq1zR8cT8aMNo";

/// The services signing in needs.
pub struct SignIn<'a> {
    /// The store.
    pub store: &'a Store,
    /// Bounds concurrent hashes.
    pub limiter: &'a HashLimiter,
    /// Failed-attempt counters.
    pub throttle: &'a Throttle,
}

impl SignIn<'_> {
    /// Checks the credentials and opens a session. Every outcome is audited.
    pub async fn sign_in(
        &self,
        login: &str,
        password: &str,
        origin: &Origin,
        now: Timestamp,
    ) -> Result<(PersonId, SessionToken), SignInError> {
        let login = login.trim().to_lowercase();
        if let Err(wait) = self.throttle.check(&login, &origin.ip, now) {
            self.audit(
                None,
                &login,
                origin,
                now,
                AuditAction::SignInFailed(SignInFailure::Throttled),
            )
            .await?;
            return Err(SignInError::Throttled(wait));
        }
        let store = self.store.clone();
        let lookup = login.clone();
        let found = tokio::task::spawn_blocking(move || {
            let read = store.read()?;
            find_by_login(&read, &lookup)
        })
        .await
        .map_err(|e| StoreError::Diverged(format!("lookup task failed: {e}")))??;

        let (person_id, person) = match found {
            Some(found) => found,
            None => {
                self.limiter
                    .verify(password.to_owned(), DUMMY_HASH.to_owned())
                    .await;
                return self
                    .fail(None, &login, origin, now, SignInFailure::UnknownLogin)
                    .await;
            }
        };
        let Some(hash) = person.password_hash.clone() else {
            // No password yet (an account waiting for its activation code): no password is
            // right, so the answer is the wrong-credentials one, like an unknown login's —
            // saying "not activated yet" to any password would tell that the account exists.
            // The audit keeps the reason.
            self.limiter
                .verify(password.to_owned(), DUMMY_HASH.to_owned())
                .await;
            let failure = if person.state == AccountState::Pending {
                SignInFailure::Pending
            } else {
                SignInFailure::WrongPassword
            };
            return self
                .fail(Some(person_id), &login, origin, now, failure)
                .await
                .map_err(|e| match e {
                    SignInError::Pending => SignInError::WrongCredentials,
                    e => e,
                });
        };
        if !self.limiter.verify(password.to_owned(), hash).await {
            return self
                .fail(
                    Some(person_id),
                    &login,
                    origin,
                    now,
                    SignInFailure::WrongPassword,
                )
                .await;
        }
        match person.state {
            AccountState::Active => {}
            AccountState::Pending => {
                return self
                    .fail(Some(person_id), &login, origin, now, SignInFailure::Pending)
                    .await;
            }
            AccountState::Disabled | AccountState::Left(_) => {
                return self
                    .fail(
                        Some(person_id),
                        &login,
                        origin,
                        now,
                        SignInFailure::Disabled,
                    )
                    .await;
            }
        }
        self.throttle.succeeded(&login);
        let store = self.store.clone();
        let origin = origin.clone();
        let token = tokio::task::spawn_blocking(move || {
            store.write(|tx| {
                let token = session::create(tx, person_id, now, &origin.ip, &origin.user_agent)?;
                audit::record(
                    tx,
                    AuditEvent {
                        at: now,
                        action: AuditAction::SignIn,
                        person: Some(person_id),
                        login: login.clone(),
                        ip: origin.ip.clone(),
                        user_agent: origin.user_agent.clone(),
                    },
                )?;
                Ok::<_, StoreError>(token)
            })
        })
        .await
        .map_err(|e| StoreError::Diverged(format!("sign-in task failed: {e}")))??;
        tracing::info!(person = %person_id, "signed in");
        Ok((person_id, token))
    }

    async fn fail<T>(
        &self,
        person: Option<PersonId>,
        login: &str,
        origin: &Origin,
        now: Timestamp,
        failure: SignInFailure,
    ) -> Result<T, SignInError> {
        self.throttle.failed(login, &origin.ip, now);
        self.audit(
            person,
            login,
            origin,
            now,
            AuditAction::SignInFailed(failure),
        )
        .await?;
        tracing::info!(?failure, "sign-in refused");
        Err(match failure {
            SignInFailure::Disabled => SignInError::Disabled,
            SignInFailure::Pending => SignInError::Pending,
            _ => SignInError::WrongCredentials,
        })
    }

    async fn audit(
        &self,
        person: Option<PersonId>,
        login: &str,
        origin: &Origin,
        now: Timestamp,
        action: AuditAction,
    ) -> Result<(), StoreError> {
        let store = self.store.clone();
        let event = AuditEvent {
            at: now,
            action,
            person,
            login: login.to_owned(),
            ip: origin.ip.clone(),
            user_agent: origin.user_agent.clone(),
        };
        tokio::task::spawn_blocking(move || store.write(|tx| audit::record(tx, event).map(|_| ())))
            .await
            .map_err(|e| StoreError::Diverged(format!("audit task failed: {e}")))?
    }
}

/// Ends the session behind `token` and audits it.
pub fn sign_out(
    store: &Store,
    token: &SessionToken,
    touches: &Touches,
    origin: &Origin,
    now: Timestamp,
) -> Result<(), StoreError> {
    let hash = token.hash();
    store.write(|tx| {
        let person = tx
            .get(&crate::store::tables::SESSIONS, &hash)?
            .map(|s| s.person);
        if session::end(tx, &hash, touches)? {
            audit::record(
                tx,
                AuditEvent {
                    at: now,
                    action: AuditAction::SignOut,
                    person,
                    login: String::new(),
                    ip: origin.ip.clone(),
                    user_agent: origin.user_agent.clone(),
                },
            )?;
        }
        Ok(())
    })
}

/// Ends one of `person`'s own sessions (by its hash, as the sessions page lists them) and
/// audits it. `false`: no such session, or another person's (the same answer).
pub fn end_own_session(
    store: &Store,
    person: PersonId,
    hash: &[u8; 32],
    touches: &Touches,
    origin: &Origin,
    now: Timestamp,
) -> Result<bool, StoreError> {
    store.write(|tx| {
        let Some(s) = tx.get(&crate::store::tables::SESSIONS, hash)? else {
            return Ok(false);
        };
        if s.person != person {
            return Ok(false);
        }
        session::end(tx, hash, touches)?;
        audit::record(
            tx,
            AuditEvent {
                at: now,
                action: AuditAction::SessionRevoked,
                person: Some(person),
                login: String::new(),
                ip: origin.ip.clone(),
                user_agent: origin.user_agent.clone(),
            },
        )?;
        Ok(true)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_dummy_hash_is_a_real_argon2id_hash_with_the_current_parameters() {
        let parsed = argon2::password_hash::phc::PasswordHash::new(super::DUMMY_HASH).unwrap();
        assert_eq!(parsed.algorithm.as_str(), "argon2id");
        assert!(super::DUMMY_HASH.contains("m=19456,t=2,p=1"));
        assert!(!crate::domain::accounts::password::verify(
            "anything",
            super::DUMMY_HASH
        ));
    }
}
