//! First sign-in with a one-time code (credential letter or administrator's reset): the code,
//! then a password of one's own, then the establishment's charter, then the portal.
//!
//! Between the steps the state lives in a *ticket*: a random token in a cookie, stored hashed
//! (node-local, like a session) for [`TICKET_LIFETIME`]. Nothing changes on the account until
//! the last step, which in one transaction sets the password, activates the account, removes
//! the code (it works once), records the charter acceptances, ends any other session and opens
//! one for this device. A family that closes the browser half-way starts again with the same
//! code.

use jiff::{SignedDuration, Timestamp};

use super::audit::{self, AuditAction, AuditEvent, SignInFailure};
use super::password::{HashLimiter, PolicyViolation, check_policy};
use super::session::{self, SessionToken, Touches};
use super::throttle::Throttle;
use crate::domain::activation::charter::{self, ToAccept};
use crate::domain::activation::codes::{self, CodeCheck};
use crate::model::Origin;
pub use crate::model::accounts::Ticket;
use crate::model::directory::{AccountState, EstablishmentId, Person, PersonId};
use crate::store::tables::{
    ACTIVATION_CODES, ACTIVATION_TICKETS, LOGIN_TO_PERSON, PEOPLE, PERSON_PROFILES,
};
use crate::store::{Store, StoreError, Tx};

/// How long an activation may take between the code and the last step.
pub const TICKET_LIFETIME: SignedDuration = SignedDuration::from_mins(20);

/// Why a step was refused.
#[derive(Debug, thiserror::Error)]
pub enum ActivationError {
    /// Too many attempts: wait this many seconds.
    #[error("throttled")]
    Throttled(u64),
    /// Unknown login, no code for it, or wrong code (never says which).
    #[error("wrong login or code")]
    Wrong,
    /// The right code, but it expired: a new letter is needed.
    #[error("code expired")]
    Expired,
    /// The account is disabled or its holder left.
    #[error("account disabled")]
    Disabled,
    /// No ticket, or it expired, or its code was replaced: start again.
    #[error("ticket gone")]
    TicketGone,
    /// The two passwords differ.
    #[error("confirmation differs")]
    Mismatch,
    /// The password breaks the policy.
    #[error("policy: {0:?}")]
    Policy(PolicyViolation),
    /// The charter box was not ticked.
    #[error("charter not accepted")]
    CharterNotAccepted,
    /// A charter changed while it was being read: read the new one.
    #[error("charter changed")]
    CharterChanged,
    /// A store failure.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Where the activation goes after the password.
#[derive(Debug)]
pub enum Next {
    /// Charters to accept first.
    Charter,
    /// Done: the new session's token.
    Done(SessionToken),
}

/// The services activation needs.
pub struct Activation<'a> {
    /// The store.
    pub store: &'a Store,
    /// The hashing pool.
    pub limiter: &'a HashLimiter,
    /// Failed-attempt counters, shared with signing in: codes are guessed no faster than
    /// passwords.
    pub throttle: &'a Throttle,
    /// Session activity (ended sessions are forgotten).
    pub touches: &'a Touches,
}

/// An activation ticket's person and what is left to do.
#[derive(Debug, Clone)]
pub struct TicketView {
    /// The ticket.
    pub ticket: Ticket,
    /// The person.
    pub person: Person,
    /// The charters still to accept.
    pub charters: Vec<ToAccept>,
    /// Whom the pages speak to (a pupil is told « tu », as on their letter).
    pub audience: crate::domain::audience::Audience,
}

impl Activation<'_> {
    /// Checks `login` and `typed` code; opens a ticket (returned) for the next step.
    pub async fn redeem(
        &self,
        login: &str,
        typed: &str,
        origin: &Origin,
        now: Timestamp,
    ) -> Result<SessionToken, ActivationError> {
        let login = login.trim().to_lowercase();
        if let Err(wait) = self.throttle.check(&login, &origin.ip, now) {
            return Err(ActivationError::Throttled(wait));
        }
        let store = self.store.clone();
        let task_origin = origin.clone();
        let task_login = login.clone();
        let typed = typed.to_owned();
        // A refusal is audited: the transaction commits with the refusal inside.
        let result = tokio::task::spawn_blocking(move || {
            store.write(|tx| redeem_in(tx, &task_login, &typed, &task_origin, now))
        })
        .await
        .map_err(|e| StoreError::Diverged(format!("activation task failed: {e}")))??;
        match &result {
            Ok(_) => self.throttle.succeeded(&login),
            Err(ActivationError::Wrong) => self.throttle.failed(&login, &origin.ip, now),
            Err(_) => {}
        }
        result
    }

    /// The ticket behind `token` if it is still good, with its person and the charters left.
    pub fn view(
        &self,
        token: &SessionToken,
        now: Timestamp,
    ) -> Result<TicketView, ActivationError> {
        let read = self.store.read()?;
        let ticket = read
            .get(&ACTIVATION_TICKETS, &token.hash())?
            .ok_or(ActivationError::TicketGone)?;
        let code = codes::current(&read, ticket.person)?;
        if now >= ticket.expires_at
            || code.is_none_or(|c| c.hash != ticket.code_hash || now >= c.expires_at)
        {
            return Err(ActivationError::TicketGone);
        }
        let person = read
            .get(&PEOPLE, &ticket.person)?
            .ok_or(ActivationError::TicketGone)?;
        let charters = charter::to_accept(&read, ticket.person)?;
        let audience = crate::domain::audience::Audience::of_roles(
            read.scan_prefix(&PERSON_PROFILES, &(ticket.person,))?
                .map(|r| r.map(|(_, p)| p.role))
                .collect::<Result<Vec<_>, _>>()?,
        );
        Ok(TicketView {
            ticket,
            person,
            charters,
            audience,
        })
    }

    /// Second step: the password (checked against the policy, hashed, kept in the ticket). If
    /// no charter is left to accept, the activation completes here.
    pub async fn choose_password(
        &self,
        token: &SessionToken,
        new: &str,
        confirmation: &str,
        origin: &Origin,
        now: Timestamp,
    ) -> Result<Next, ActivationError> {
        let view = self.view(token, now)?;
        if new != confirmation {
            return Err(ActivationError::Mismatch);
        }
        check_policy(
            new,
            &[
                &view.person.login,
                &view.person.first_name,
                &view.person.last_name,
            ],
        )
        .map_err(ActivationError::Policy)?;
        let hash = self
            .limiter
            .hash(new.to_owned())
            .await
            .map_err(|e| StoreError::Random(e.to_string()))?;
        let mut ticket = view.ticket;
        ticket.password_hash = Some(hash);
        let store = self.store.clone();
        let key = token.hash();
        if view.charters.is_empty() {
            let origin = origin.clone();
            let touches = self.touches;
            return tokio::task::block_in_place(move || {
                store.write(|tx| complete_in(tx, key, &ticket, &[], &origin, now, touches))
            })
            .map(Next::Done);
        }
        tokio::task::block_in_place(move || {
            store.write(|tx| tx.insert(&ACTIVATION_TICKETS, &key, &ticket))
        })?;
        Ok(Next::Charter)
    }

    /// Last step: the charters `shown` (establishment, version) are accepted; the account is
    /// activated and a session opened (its token returned).
    pub fn accept_charters(
        &self,
        token: &SessionToken,
        shown: &[(EstablishmentId, u32)],
        accepted: bool,
        origin: &Origin,
        now: Timestamp,
    ) -> Result<SessionToken, ActivationError> {
        let view = self.view(token, now)?;
        if view.ticket.password_hash.is_none() {
            return Err(ActivationError::TicketGone);
        }
        if !accepted {
            return Err(ActivationError::CharterNotAccepted);
        }
        let expected: Vec<(EstablishmentId, u32)> = view
            .charters
            .iter()
            .map(|c| (c.establishment, c.charter.version))
            .collect();
        if expected != shown {
            return Err(ActivationError::CharterChanged);
        }
        let key = token.hash();
        self.store
            .write(|tx| complete_in(tx, key, &view.ticket, &expected, origin, now, self.touches))
    }
}

/// The first step inside its transaction: audits a wrong code as a refused sign-in.
fn redeem_in(
    tx: &mut Tx,
    login: &str,
    typed: &str,
    origin: &Origin,
    now: Timestamp,
) -> Result<Result<SessionToken, ActivationError>, StoreError> {
    let found = match tx.get(&LOGIN_TO_PERSON, &login.to_owned())? {
        Some(id) => tx.get(&PEOPLE, &id)?.map(|p| (id, p)),
        None => None,
    };
    let Some((id, p)) = found else {
        refuse(tx, None, login, origin, now, SignInFailure::UnknownLogin)?;
        return Ok(Err(ActivationError::Wrong));
    };
    let check = tx
        .get(&ACTIVATION_CODES, &id)?
        .map(|c| (c.check(typed, now), c.hash));
    let code_hash = match check {
        Some((CodeCheck::Valid, hash)) => hash,
        Some((CodeCheck::Expired, _)) => return Ok(Err(ActivationError::Expired)),
        Some((CodeCheck::Wrong, _)) | None => {
            refuse(
                tx,
                Some(id),
                login,
                origin,
                now,
                SignInFailure::WrongPassword,
            )?;
            return Ok(Err(ActivationError::Wrong));
        }
    };
    if matches!(p.state, AccountState::Disabled | AccountState::Left(_)) {
        refuse(tx, Some(id), login, origin, now, SignInFailure::Disabled)?;
        return Ok(Err(ActivationError::Disabled));
    }
    let token = SessionToken::generate()?;
    let expires_at = now
        .checked_add(TICKET_LIFETIME)
        .map_err(|e| StoreError::Diverged(format!("ticket expiry: {e}")))?;
    tx.insert(
        &ACTIVATION_TICKETS,
        &token.hash(),
        &Ticket {
            person: id,
            code_hash,
            expires_at,
            password_hash: None,
        },
    )?;
    Ok(Ok(token))
}

fn refuse(
    tx: &mut Tx,
    person: Option<PersonId>,
    login: &str,
    origin: &Origin,
    now: Timestamp,
    failure: SignInFailure,
) -> Result<(), StoreError> {
    audit::record(
        tx,
        AuditEvent {
            at: now,
            action: AuditAction::SignInFailed(failure),
            person,
            login: login.to_owned(),
            ip: origin.ip.clone(),
            user_agent: origin.user_agent.clone(),
        },
    )
    .map(|_| ())
}

/// The last step inside its transaction.
fn complete_in(
    tx: &mut Tx,
    key: [u8; 32],
    ticket: &Ticket,
    charters: &[(EstablishmentId, u32)],
    origin: &Origin,
    now: Timestamp,
    touches: &Touches,
) -> Result<SessionToken, ActivationError> {
    // Checked again here: the code may have been replaced or used on another device meanwhile.
    let code = tx.get(&ACTIVATION_CODES, &ticket.person)?;
    if code.is_none_or(|c| c.hash != ticket.code_hash) {
        return Err(ActivationError::TicketGone);
    }
    let mut p = tx
        .get(&PEOPLE, &ticket.person)?
        .ok_or(ActivationError::TicketGone)?;
    if matches!(p.state, AccountState::Disabled | AccountState::Left(_)) {
        return Err(ActivationError::Disabled);
    }
    p.password_hash.clone_from(&ticket.password_hash);
    p.password_set_at = Some(now);
    p.state = AccountState::Active;
    tx.insert(&PEOPLE, &ticket.person, &p)?;
    tx.remove(&ACTIVATION_CODES, &ticket.person)?;
    tx.remove(&ACTIVATION_TICKETS, &key)?;
    if !charter::accept_in(tx, ticket.person, charters, origin, &p.login, now)? {
        return Err(ActivationError::CharterChanged);
    }
    session::end_all(tx, ticket.person, touches)?;
    let token = session::create(tx, ticket.person, now, &origin.ip, &origin.user_agent)?;
    audit::record(
        tx,
        AuditEvent {
            at: now,
            action: AuditAction::AccountActivated,
            person: Some(ticket.person),
            login: p.login.clone(),
            ip: origin.ip.clone(),
            user_agent: origin.user_agent.clone(),
        },
    )?;
    Ok(token)
}
