//! The mail queue for administrators (`/admin/courriels`): the mails of the people they
//! administer, filtered by state, newest first, never with their bodies; "retry now" for a
//! retrying or failed mail and "cancel" for one not sent yet, audited in the same transaction.
//!
//! Who sees a mail: the platform administrator, every mail; a local administrator, the mails
//! for (`person`) or caused by (`sender`) someone with a profile in an establishment they
//! administer. Everyone else: "not found", for the page and for each mail.

use jiff::Timestamp;
use serde::Serialize;

use super::AdminError;
use super::policy::is_admin;
use crate::domain::accounts::audit::{self, AuditAction, AuditEvent};
use crate::domain::directory::policy;
use crate::domain::directory::queries::PersonSummary;
use crate::mail::queue::{self, QueueError};
use crate::mail::{MailId, MailKind, MailState, OutgoingMail, StateCode};
use crate::model::Actor;
use crate::model::Origin;
use crate::model::directory::PersonId;
use crate::store::tables::PEOPLE;
use crate::store::{ReadTx, Rows, Store, StoreError, Tx};

/// At most this many rows are shown.
pub const PAGE_LIMIT: usize = 200;

/// At most this many mails are looked at for one page (the newest of the filter), so that a
/// local administrator's page stays bounded on a large instance.
pub const SCAN_LIMIT: usize = 5000;

/// A mail as an administrator sees it (never its body: a recovery mail holds a live link).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MailRow {
    /// The id (for the actions).
    pub id: MailId,
    /// When it was queued.
    pub queued_at: Timestamp,
    /// What kind of mail.
    pub kind: MailKind,
    /// The address.
    pub to: String,
    /// The subject.
    pub subject: String,
    /// The account it is for, if any.
    pub person: Option<PersonSummary>,
    /// Its state.
    pub state: StateCode,
    /// Attempts made.
    pub attempts: u32,
    /// When the next attempt is due (queued and retrying mails).
    pub next_at: Option<Timestamp>,
    /// The last error of a retrying mail, the reason of a failed one.
    pub error: Option<String>,
    /// When it was sent, failed or was cancelled.
    pub done_at: Option<Timestamp>,
    /// A failed mail that ran out of retry time (rather than refused).
    pub expired: bool,
    /// Whether "retry now" applies.
    pub can_retry: bool,
    /// Whether "cancel" applies.
    pub can_cancel: bool,
}

/// The page's rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MailQueueView {
    /// Newest first.
    pub rows: Vec<MailRow>,
    /// Whether older mails were left out.
    pub truncated: bool,
}

/// Whether the actor sees `mail` in the queue: they administer its addressee or its sender.
fn may_see(rows: &impl Rows, actor: &Actor, mail: &OutgoingMail) -> Result<bool, StoreError> {
    if actor.platform_admin {
        return Ok(true);
    }
    for person in [mail.person, mail.sender].into_iter().flatten() {
        if policy::administers_person(rows, actor, person)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Whether the actor may retry or cancel `mail`: "not found" unless they see it; "forbidden"
/// unless they wholly administer the person it is addressed to (a mail of someone who also
/// belongs to another school, a password link among them, is that school's business too: issue
/// 12 §1).
fn may_act_tx(tx: &Tx, actor: &Actor, mail: &OutgoingMail) -> Result<(), AdminError> {
    if actor.platform_admin {
        return Ok(());
    }
    if !may_see(tx, actor, mail)? {
        return Err(AdminError::NotFound);
    }
    if let Some(person) = mail.person
        && !policy::admin_reach(tx, actor, person)?.full()
    {
        return Err(AdminError::Forbidden);
    }
    Ok(())
}

/// A queue row; `may_act`: whether the actor may retry or cancel it (see [`may_act_tx`]).
fn row(
    read: &ReadTx,
    id: MailId,
    mail: OutgoingMail,
    may_act: bool,
) -> Result<MailRow, StoreError> {
    let person = match mail.person {
        Some(pid) => read.get(&PEOPLE, &pid)?.map(|p| PersonSummary {
            id: pid,
            first_name: p.first_name,
            last_name: p.last_name,
        }),
        None => None,
    };
    let (next_at, error, done_at, expired) = match &mail.state {
        MailState::Queued => (
            Some(mail.not_before.unwrap_or(mail.queued_at)),
            None,
            None,
            false,
        ),
        MailState::Retrying {
            next_at,
            last_error,
            ..
        } => (Some(*next_at), Some(last_error.clone()), None, false),
        MailState::Sent { at, .. } | MailState::Cancelled { at, .. } => {
            (None, None, Some(*at), false)
        }
        MailState::Failed {
            at,
            reason,
            expired,
            ..
        } => (None, Some(reason.clone()), Some(*at), *expired),
    };
    Ok(MailRow {
        id,
        queued_at: mail.queued_at,
        kind: mail.kind,
        to: mail.to,
        subject: mail.subject,
        person,
        state: mail.state.code(),
        attempts: mail.state.attempts(),
        next_at,
        error,
        done_at,
        expired,
        can_retry: may_act && mail.state.can_retry(),
        can_cancel: may_act && mail.state.can_cancel(),
    })
}

/// The newest mails (in `state`, or all) that the actor may see; "not found" for
/// non-administrators.
pub fn mail_queue(
    store: &Store,
    actor: &Actor,
    state: Option<StateCode>,
) -> Result<MailQueueView, AdminError> {
    if !is_admin(actor) {
        return Err(AdminError::NotFound);
    }
    let read = store.read()?;
    let mails = queue::newest(&read, state, SCAN_LIMIT)?;
    let looked_at = mails.len();
    let mut rows = Vec::new();
    let mut truncated = looked_at == SCAN_LIMIT;
    for (id, mail) in mails {
        if !may_see(&read, actor, &mail)? {
            continue;
        }
        if rows.len() == PAGE_LIMIT {
            truncated = true;
            break;
        }
        // Buttons only where the action would be allowed: the whole reach over the addressee.
        let may_act = match mail.person {
            Some(person) if !actor.platform_admin => {
                policy::admin_reach(&read, actor, person)?.full()
            }
            _ => true,
        };
        rows.push(row(&read, id, mail, may_act)?);
    }
    Ok(MailQueueView { rows, truncated })
}

fn act(
    store: &Store,
    actor: &Actor,
    id: MailId,
    client: &Origin,
    now: Timestamp,
    change: impl FnOnce(&mut Tx) -> Result<OutgoingMail, QueueError>,
    action: impl FnOnce(Option<PersonId>) -> AuditAction,
) -> Result<(), AdminError> {
    if !is_admin(actor) {
        return Err(AdminError::NotFound);
    }
    store.write(|tx| {
        let mail = tx
            .get(&crate::store::tables::MAIL_QUEUE, &id)?
            .ok_or(AdminError::NotFound)?;
        may_act_tx(tx, actor, &mail)?;
        change(tx).map_err(|e| match e {
            QueueError::NotFound => AdminError::NotFound,
            QueueError::WrongState => AdminError::Invalid {
                field: "courriel",
                key: "courriels-erreur-etat",
            },
            QueueError::Store(e) => AdminError::Store(e),
        })?;
        // As for the other administrators' actions: the login of the account acted on.
        let login = match mail.person {
            Some(p) => tx.get(&PEOPLE, &p)?.map(|p| p.login).unwrap_or_default(),
            None => String::new(),
        };
        audit::record(
            tx,
            AuditEvent {
                at: now,
                action: action(mail.person),
                person: actor.person,
                login,
                ip: client.ip.clone(),
                user_agent: client.user_agent.clone(),
            },
        )?;
        Ok(())
    })
}

/// "Retry now": a retrying or failed mail becomes due at `now` (a failed one gets a new
/// 5-day retry period). Audited as `MailRetried`.
pub fn retry_now(
    store: &Store,
    actor: &Actor,
    id: MailId,
    client: &Origin,
    now: Timestamp,
) -> Result<(), AdminError> {
    act(
        store,
        actor,
        id,
        client,
        now,
        |tx| queue::retry_now(tx, id, now),
        |target| AuditAction::MailRetried { mail: id, target },
    )
}

/// "Cancel": a mail not sent yet is never sent (its body is dropped). Audited as
/// `MailCancelled`.
pub fn cancel(
    store: &Store,
    actor: &Actor,
    id: MailId,
    client: &Origin,
    now: Timestamp,
) -> Result<(), AdminError> {
    let by = actor.person;
    act(
        store,
        actor,
        id,
        client,
        now,
        |tx| queue::cancel(tx, id, now, by),
        |target| AuditAction::MailCancelled { mail: id, target },
    )
}
