//! Password recovery for adults with a verified e-mail address: a single-use link, valid for
//! `recovery_link_lifetime`, mailed through the durable queue. Pupils recover through their
//! teacher, CPE or administrator (a reset from the administration), as pupils have no address
//! of their own on file.
//!
//! The request page answers the same whatever the login: it never tells whether an account
//! exists or has an address. Requests are throttled per login and per source address.

use jiff::{SignedDuration, Timestamp};

use super::audit::{self, AuditAction, AuditEvent};
use super::password::{HashLimiter, PolicyViolation, check_policy};
use super::session::{self, SessionToken, Touches};
use super::throttle::Throttle;
use crate::domain::paths;
use crate::mail::templates::{self, Template};
use crate::mail::{self, MailKind, NewMail};
use crate::model::Origin;
pub use crate::model::accounts::RecoveryToken;
use crate::model::directory::{AccountState, Person, Role};
use crate::store::tables::{LOGIN_TO_PERSON, PEOPLE, PERSON_PROFILES, RECOVERY_TOKENS};
use crate::store::{Store, StoreError};

/// Why recovery was refused.
#[derive(Debug, thiserror::Error)]
pub enum RecoveryError {
    /// Too many requests: wait this many seconds.
    #[error("throttled")]
    Throttled(u64),
    /// The link is unknown, used or expired.
    #[error("link gone")]
    Gone,
    /// The two passwords differ.
    #[error("confirmation differs")]
    Mismatch,
    /// The password breaks the policy.
    #[error("policy: {0:?}")]
    Policy(PolicyViolation),
    /// A store failure.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The services recovery needs.
pub struct Recovery<'a> {
    /// The store.
    pub store: &'a Store,
    /// The hashing pool.
    pub limiter: &'a HashLimiter,
    /// Counts requests (every request counts, not only failures).
    pub throttle: &'a Throttle,
    /// Session activity (ended sessions are forgotten).
    pub touches: &'a Touches,
}

/// Whether `person`, with these roles, may recover by mail: an active adult account with an
/// address (pupils have no address of their own on file).
fn eligible(person: &Person, roles: &[Role]) -> bool {
    person.state == AccountState::Active && person.email.is_some() && !roles.contains(&Role::Eleve)
}

impl Recovery<'_> {
    /// Queues a recovery mail if `login` is an eligible account; answers the same otherwise.
    /// `base_url` is the instance's address (the link is `{base_url}/mot-de-passe-oublie/…`).
    pub fn request(
        &self,
        login: &str,
        origin: &Origin,
        now: Timestamp,
        lifetime: std::time::Duration,
        base_url: &str,
    ) -> Result<(), RecoveryError> {
        let login = login.trim().to_lowercase();
        if let Err(wait) = self.throttle.check(&login, &origin.ip, now) {
            return Err(RecoveryError::Throttled(wait));
        }
        self.throttle.failed(&login, &origin.ip, now);
        let lifetime = SignedDuration::try_from(lifetime)
            .map_err(|e| StoreError::Diverged(format!("link lifetime: {e}")))?;
        let expires_at = now
            .checked_add(lifetime)
            .map_err(|e| StoreError::Diverged(format!("link expiry: {e}")))?;
        let minutes = lifetime.as_mins();
        // The same work whatever the login: one transaction that records the request in the
        // audit (with the person when there is one) and so commits one change log entry, and
        // one link token drawn. Only an eligible account's transaction also holds the token's
        // row and the mail (a few rows more in the same commit).
        let token = SessionToken::generate()?;
        self.store.write(|tx| {
            let found = match tx.get(&LOGIN_TO_PERSON, &login)? {
                Some(id) => tx.get(&PEOPLE, &id)?.map(|p| (id, p)),
                None => None,
            };
            audit::record(
                tx,
                AuditEvent {
                    at: now,
                    action: AuditAction::PasswordRecoveryRequested,
                    person: found.as_ref().map(|(id, _)| *id),
                    login: login.clone(),
                    ip: origin.ip.clone(),
                    user_agent: origin.user_agent.clone(),
                },
            )?;
            let Some((id, person)) = found else {
                return Ok(());
            };
            let roles: Vec<Role> = crate::domain::directory::service::profiles_in(tx, id)?
                .into_iter()
                .map(|p| p.role)
                .collect();
            let eligible = eligible(&person, &roles);
            let (true, Some(to)) = (eligible, person.email.clone()) else {
                return Ok(());
            };
            tx.insert(
                &RECOVERY_TOKENS,
                &token.hash(),
                &RecoveryToken {
                    person: id,
                    expires_at,
                },
            )?;
            let link = paths::absolute(base_url, &paths::recovery(token.as_str()));
            let text = templates::render(
                Template::Recovery,
                templates::language_of(&person),
                &[
                    ("prenom", person.first_name.as_str().into()),
                    ("identifiant", person.login.as_str().into()),
                    ("lien", link.as_str().into()),
                    ("minutes", minutes.to_string().into()),
                    (
                        "registre",
                        crate::domain::audience::Audience::of_roles(roles.iter().copied())
                            .register()
                            .into(),
                    ),
                ],
            );
            mail::enqueue(
                tx,
                now,
                NewMail {
                    kind: MailKind::PasswordRecovery,
                    person: Some(id),
                    // Asked for without signing in: nobody's timeline hears of a failure.
                    sender: None,
                    to,
                    subject: text.subject,
                    body: text.body,
                },
            )?;
            Ok::<_, StoreError>(())
        })?;
        Ok(())
    }

    /// The person a link is for, if it still works.
    pub fn check(&self, token: &SessionToken, now: Timestamp) -> Result<Person, RecoveryError> {
        let read = self.store.read()?;
        let stored = read
            .get(&RECOVERY_TOKENS, &token.hash())?
            .filter(|t| now < t.expires_at)
            .ok_or(RecoveryError::Gone)?;
        let person = read
            .get(&PEOPLE, &stored.person)?
            .ok_or(RecoveryError::Gone)?;
        let roles: Vec<Role> = read
            .scan_prefix(&PERSON_PROFILES, &(stored.person,))?
            .map(|r| r.map(|(_, p)| p.role))
            .collect::<Result<_, _>>()?;
        if !eligible(&person, &roles) {
            return Err(RecoveryError::Gone);
        }
        Ok(person)
    }

    /// Sets the new password through the link (which then stops working), ends every session
    /// of the account, audited.
    pub async fn reset(
        &self,
        token: &SessionToken,
        new: &str,
        confirmation: &str,
        origin: &Origin,
        now: Timestamp,
    ) -> Result<(), RecoveryError> {
        let person = self.check(token, now)?;
        if new != confirmation {
            return Err(RecoveryError::Mismatch);
        }
        check_policy(new, &[&person.login, &person.first_name, &person.last_name])
            .map_err(RecoveryError::Policy)?;
        let hash = self
            .limiter
            .hash(new.to_owned())
            .await
            .map_err(|e| StoreError::Random(e.to_string()))?;
        let key = token.hash();
        let store = self.store.clone();
        let touches = self.touches;
        tokio::task::block_in_place(move || {
            store.write(|tx| {
                // Single use: whoever removes the token first wins.
                let stored = tx
                    .remove(&RECOVERY_TOKENS, &key)?
                    .filter(|t| now < t.expires_at)
                    .ok_or(RecoveryError::Gone)?;
                let mut p = tx
                    .get(&PEOPLE, &stored.person)?
                    .ok_or(RecoveryError::Gone)?;
                if p.state != AccountState::Active {
                    return Err(RecoveryError::Gone);
                }
                p.password_hash = Some(hash);
                p.password_set_at = Some(now);
                tx.insert(&PEOPLE, &stored.person, &p)?;
                session::end_all(tx, stored.person, touches)?;
                audit::record(
                    tx,
                    AuditEvent {
                        at: now,
                        action: AuditAction::PasswordRecovered,
                        person: Some(stored.person),
                        login: p.login.clone(),
                        ip: origin.ip.clone(),
                        user_agent: origin.user_agent.clone(),
                    },
                )?;
                Ok(())
            })
        })
    }
}
