//! The durable queue: every outgoing mail is a row of `mail_queue_v1`, written in the same
//! transaction as what caused it, and moves through these states:
//!
//! ```text
//!  Queued ──(attempt)──► Sent{at}
//!    │                 ├► Retrying{attempts, next_at, last_error} ──(attempt)──► …
//!    │                 └► Failed{at, reason}            (5xx, or 5 days of 4xx / no answer)
//!    └──────(admin)────► Cancelled{at, by}              (also from Retrying and Failed)
//!  Retrying, Failed ──(admin "réessayer maintenant")──► Retrying, due now
//! ```
//!
//! Three index tables follow every transition, always through [`replace`], so they never
//! disagree with the queue:
//! - `mail_due_v1` (when, mail): the mails to try, by the time of their next attempt — the
//!   relay reads it by range up to "now" and never scans the queue;
//! - `mail_by_state_v1` (state, mail): the administrators' filter by state;
//! - `person_mail_failures_v1` (sender, when, mail): the failed mails a person caused, for
//!   their timeline ([`failures_for`]).
//!
//! A body is kept only while the mail may still be sent: it is emptied once the mail is sent
//! or cancelled (a recovery mail holds a live link that nobody needs afterwards).

use jiff::{SignedDuration, Timestamp};

use crate::model::directory::PersonId;
pub use crate::model::mail::*;
use crate::store::tables::{MAIL_BY_STATE, MAIL_DUE, MAIL_QUEUE, PERSON_MAIL_FAILURES};
use crate::store::{ReadTx, StoreError, Tx};

/// What a caller queues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMail {
    /// What kind of mail.
    pub kind: MailKind,
    /// The account it is for, if any.
    pub person: Option<PersonId>,
    /// Who caused it, if a person did.
    pub sender: Option<PersonId>,
    /// The address.
    pub to: String,
    /// The subject.
    pub subject: String,
    /// The plain-text body.
    pub body: String,
}

/// How long temporary failures are retried (RFC 5321 §4.5.4.1 suggests 4–5 days).
pub const RETRY_FOR: SignedDuration = SignedDuration::from_hours(5 * 24);

/// The delay after the first failed attempt; it doubles after each one.
pub const FIRST_RETRY: SignedDuration = SignedDuration::from_mins(1);

/// The longest delay between two attempts.
pub const MAX_RETRY: SignedDuration = SignedDuration::from_hours(1);

/// The longest reason kept (a server's reply can be long).
const MAX_REASON: usize = 500;

/// The delay before the next attempt after `attempts` failed ones (1 min, 2, 4, … 1 h).
pub fn backoff(attempts: u32) -> SignedDuration {
    let doublings = attempts.saturating_sub(1).min(16);
    let secs = FIRST_RETRY.as_secs().saturating_mul(1 << doublings);
    SignedDuration::from_secs(secs.min(MAX_RETRY.as_secs()))
}

/// The outcome of one attempt to hand a mail to the SMTP server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// The server accepted it (its reply).
    Accepted(String),
    /// It may work later: 4xx, no connection, timeout, TLS failure (what happened).
    Transient(String),
    /// It will never work: 5xx for this mail or recipient (the server's reply).
    Permanent(String),
}

/// Why a transition was refused.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    /// No such mail.
    #[error("no such mail")]
    NotFound,
    /// The mail is not in a state that allows it.
    #[error("not in this state")]
    WrongState,
    /// A store failure.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn random_key() -> Result<String, StoreError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Random(e.to_string()))?;
    Ok(hex::encode(bytes))
}

fn trimmed(reason: &str) -> String {
    let one_line = reason.replace(['\r', '\n'], " ");
    let mut out: String = one_line.trim().chars().take(MAX_REASON).collect();
    if one_line.trim().chars().count() > MAX_REASON {
        out.push('…');
    }
    out
}

/// Adds (`add`) or removes the index rows of `mail` in its current state.
fn index(tx: &mut Tx, id: MailId, mail: &OutgoingMail, add: bool) -> Result<(), StoreError> {
    let due = match &mail.state {
        MailState::Queued => Some(mail.not_before.unwrap_or(mail.queued_at)),
        MailState::Retrying { next_at, .. } => Some(*next_at),
        _ => None,
    };
    let failure = match (&mail.state, mail.sender) {
        (MailState::Failed { at, .. }, Some(sender)) => Some((sender, at.as_microsecond(), id)),
        _ => None,
    };
    let state = (mail.state.code().byte(), id);
    if add {
        if let Some(at) = due {
            tx.insert(&MAIL_DUE, &(at.as_microsecond(), id), &())?;
        }
        if let Some(key) = failure {
            tx.insert(&PERSON_MAIL_FAILURES, &key, &())?;
        }
        tx.insert(&MAIL_BY_STATE, &state, &())?;
    } else {
        if let Some(at) = due {
            tx.remove(&MAIL_DUE, &(at.as_microsecond(), id))?;
        }
        if let Some(key) = failure {
            tx.remove(&PERSON_MAIL_FAILURES, &key)?;
        }
        tx.remove(&MAIL_BY_STATE, &state)?;
    }
    Ok(())
}

/// The one way a mail changes: its old index rows go, the new ones come, in one transaction.
fn replace(
    tx: &mut Tx,
    id: MailId,
    old: &OutgoingMail,
    new: &OutgoingMail,
) -> Result<(), StoreError> {
    index(tx, id, old, false)?;
    index(tx, id, new, true)?;
    tx.insert(&MAIL_QUEUE, &id, new)?;
    Ok(())
}

/// Queues `mail` in the caller's transaction, due at once.
pub fn enqueue(tx: &mut Tx, now: Timestamp, mail: NewMail) -> Result<MailId, StoreError> {
    enqueue_inner(tx, now, None, mail)
}

/// Queues `mail` in the caller's transaction, not to be sent before `send_at` (a pupil's mail
/// held during quiet hours, a digest): it is due then, and retried for 5 days from then.
pub fn enqueue_at(
    tx: &mut Tx,
    now: Timestamp,
    send_at: Timestamp,
    mail: NewMail,
) -> Result<MailId, StoreError> {
    enqueue_inner(tx, now, Some(send_at).filter(|at| *at > now), mail)
}

fn enqueue_inner(
    tx: &mut Tx,
    now: Timestamp,
    not_before: Option<Timestamp>,
    mail: NewMail,
) -> Result<MailId, StoreError> {
    let id: MailId = tx.next_id()?;
    let first = not_before.unwrap_or(now);
    let expires_at = first.checked_add(RETRY_FOR).unwrap_or(first);
    let stored = OutgoingMail {
        queued_at: now,
        kind: mail.kind,
        person: mail.person,
        sender: mail.sender,
        to: mail.to,
        subject: mail.subject,
        body: mail.body,
        message_key: random_key()?,
        not_before,
        expires_at,
        state: MailState::Queued,
    };
    index(tx, id, &stored, true)?;
    tx.insert(&MAIL_QUEUE, &id, &stored)?;
    Ok(id)
}

/// The mails due at `now` (first attempts and retries), earliest first, at most `limit`.
pub fn due(
    read: &ReadTx,
    now: Timestamp,
    limit: usize,
) -> Result<Vec<(MailId, OutgoingMail)>, StoreError> {
    let mut out = Vec::new();
    for row in read
        .range(&MAIL_DUE, ..=(now.as_microsecond(), MailId(u64::MAX)))?
        .take(limit)
    {
        let ((_, id), ()) = row?;
        if let Some(mail) = read.get(&MAIL_QUEUE, &id)? {
            out.push((id, mail));
        }
    }
    Ok(out)
}

/// When the next mail is due, if any (the relay sleeps until then at most).
pub fn next_due(read: &ReadTx) -> Result<Option<Timestamp>, StoreError> {
    match read.range(&MAIL_DUE, ..)?.next() {
        Some(row) => {
            let ((at, _), ()) = row?;
            Ok(Timestamp::from_microsecond(at).ok())
        }
        None => Ok(None),
    }
}

/// Records the outcome of an attempt started while the mail was pending. Returns the new
/// state, or `None` if nothing changed (the mail is gone, or an administrator cancelled it
/// meanwhile and the attempt failed). A mail the server accepted is marked sent whatever
/// happened to it meanwhile: it did leave.
pub fn record_attempt(
    tx: &mut Tx,
    id: MailId,
    now: Timestamp,
    attempt: &Attempt,
) -> Result<Option<MailState>, StoreError> {
    let Some(old) = tx.get(&MAIL_QUEUE, &id)? else {
        return Ok(None);
    };
    if matches!(old.state, MailState::Sent { .. }) {
        return Ok(None);
    }
    let attempts = old.state.attempts().saturating_add(1);
    let state = match attempt {
        Attempt::Accepted(_) => MailState::Sent { at: now, attempts },
        _ if !old.state.is_pending() => return Ok(None),
        Attempt::Permanent(reply) => MailState::Failed {
            at: now,
            attempts,
            reason: trimmed(reply),
            expired: false,
        },
        Attempt::Transient(error) if now >= old.expires_at => MailState::Failed {
            at: now,
            attempts,
            reason: trimmed(error),
            expired: true,
        },
        Attempt::Transient(error) => {
            let next_at = now
                .checked_add(backoff(attempts))
                .unwrap_or(old.expires_at)
                .min(old.expires_at);
            MailState::Retrying {
                attempts,
                next_at,
                last_error: trimmed(error),
            }
        }
    };
    let mut new = old.clone();
    if matches!(state, MailState::Sent { .. }) {
        new.body = String::new();
    }
    new.state = state.clone();
    replace(tx, id, &old, &new)?;
    Ok(Some(state))
}

/// Makes a retrying or failed mail due at `now` (an administrator's "retry now"). A failed
/// mail gets a new retry period from now. Returns the mail as it is now.
pub fn retry_now(tx: &mut Tx, id: MailId, now: Timestamp) -> Result<OutgoingMail, QueueError> {
    let old = tx.get(&MAIL_QUEUE, &id)?.ok_or(QueueError::NotFound)?;
    let mut new = old.clone();
    match &old.state {
        MailState::Retrying {
            attempts,
            last_error,
            ..
        } => {
            new.state = MailState::Retrying {
                attempts: *attempts,
                next_at: now,
                last_error: last_error.clone(),
            };
        }
        MailState::Failed {
            attempts, reason, ..
        } => {
            new.expires_at = now.checked_add(RETRY_FOR).unwrap_or(now);
            new.state = MailState::Retrying {
                attempts: *attempts,
                next_at: now,
                last_error: reason.clone(),
            };
        }
        _ => return Err(QueueError::WrongState),
    }
    replace(tx, id, &old, &new)?;
    Ok(new)
}

/// Cancels a mail that is not sent yet (queued, retrying or failed); its body is dropped.
pub fn cancel(
    tx: &mut Tx,
    id: MailId,
    now: Timestamp,
    by: Option<PersonId>,
) -> Result<OutgoingMail, QueueError> {
    let old = tx.get(&MAIL_QUEUE, &id)?.ok_or(QueueError::NotFound)?;
    if !old.state.can_cancel() {
        return Err(QueueError::WrongState);
    }
    let mut new = old.clone();
    new.body = String::new();
    new.state = MailState::Cancelled { at: now, by };
    replace(tx, id, &old, &new)?;
    Ok(new)
}

/// The newest mails, in `state` or all, newest first: at most `max` rows are read.
pub fn newest(
    read: &ReadTx,
    state: Option<StateCode>,
    max: usize,
) -> Result<Vec<(MailId, OutgoingMail)>, StoreError> {
    let mut out = Vec::new();
    match state {
        None => {
            for row in read.range(&MAIL_QUEUE, ..)?.rev().take(max) {
                out.push(row?);
            }
        }
        Some(code) => {
            let range = (code.byte(), MailId(0))..=(code.byte(), MailId(u64::MAX));
            for row in read.range(&MAIL_BY_STATE, range)?.rev().take(max) {
                let ((_, id), ()) = row?;
                if let Some(mail) = read.get(&MAIL_QUEUE, &id)? {
                    out.push((id, mail));
                }
            }
        }
    }
    Ok(out)
}

/// The failed mails `person` caused (as their `sender`), newest first, at most `limit`: for
/// that person's timeline (issue 6 §4). Read from `person_mail_failures_v1`, never by scanning
/// the queue. A failed mail that an administrator retries or cancels leaves this list.
pub fn failures_for(
    read: &ReadTx,
    person: PersonId,
    limit: usize,
) -> Result<Vec<(MailId, OutgoingMail)>, StoreError> {
    let mut out = Vec::new();
    let range = (person, i64::MIN, MailId(0))..=(person, i64::MAX, MailId(u64::MAX));
    for row in read.range(&PERSON_MAIL_FAILURES, range)?.rev().take(limit) {
        let ((_, _, id), ()) = row?;
        if let Some(mail) = read.get(&MAIL_QUEUE, &id)? {
            out.push((id, mail));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let mins: Vec<i64> = (1..=9).map(|n| backoff(n).as_mins()).collect();
        assert_eq!(mins, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(backoff(u32::MAX), MAX_RETRY);
    }

    #[test]
    fn state_codes_round_trip() {
        for s in StateCode::ALL {
            assert_eq!(StateCode::from_code(s.code()), Some(s));
        }
        let bytes: std::collections::BTreeSet<u8> =
            StateCode::ALL.iter().map(|s| s.byte()).collect();
        assert_eq!(bytes.len(), StateCode::ALL.len());
    }

    #[test]
    fn long_reasons_are_cut_to_one_line() {
        let r = trimmed(&format!("550 5.1.1\r\n{}", "x".repeat(2000)));
        assert!(!r.contains('\n'));
        assert!(r.chars().count() <= MAX_REASON + 1);
    }
}
