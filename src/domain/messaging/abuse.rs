//! Reports and suspensions (issue 6 §3): a recipient reports a message ("signaler"); its thread
//! is frozen (no new replies) until an administrator of the establishment reviews it; the
//! administrators are told; an administrator may suspend an account's messaging. All audited.

use jiff::Timestamp;
use serde::Serialize;

use super::MessagingError;
use super::mailbox::summary;
use crate::domain::accounts::audit::{self, AuditAction, AuditEvent};
use crate::domain::directory::policy;
use crate::domain::directory::queries::PersonSummary;
use crate::domain::directory::service::profiles_in;
use crate::model::Actor;
use crate::model::Origin;
use crate::model::directory::{EstablishmentId, PersonId};
use crate::model::events::Event;
use crate::model::messaging::{MessageId, Report, ReportId, Review, Suspension};
use crate::store::tables::{
    ESTABLISHMENT_REPORTS, MESSAGE_RECIPIENTS, MESSAGE_REPORTS, MESSAGES, MESSAGING_SUSPENSIONS,
    THREADS,
};
use crate::store::{Store, StoreError, Tx};

/// The longest reason, in characters.
pub const MAX_REASON: usize = 2_000;

fn audit_event(
    tx: &mut Tx,
    actor: &Actor,
    action: AuditAction,
    client: &Origin,
    now: Timestamp,
) -> Result<(), StoreError> {
    audit::record(
        tx,
        AuditEvent {
            at: now,
            action,
            person: actor.person,
            login: String::new(),
            ip: client.ip.clone(),
            user_agent: client.user_agent.clone(),
        },
    )
    .map(|_| ())
}

/// The establishment whose administrators review a report of `sender` by `reporter`: the
/// first one both belong to, else the reporter's first.
fn reviewing_establishment(
    tx: &Tx,
    reporter: PersonId,
    sender: PersonId,
) -> Result<Option<EstablishmentId>, StoreError> {
    let of = |p: PersonId| -> Result<Vec<EstablishmentId>, StoreError> {
        let mut v: Vec<EstablishmentId> = profiles_in(tx, p)?
            .into_iter()
            .map(|profile| profile.establishment)
            .collect();
        v.dedup();
        Ok(v)
    };
    let mine = of(reporter)?;
    let theirs = of(sender)?;
    Ok(mine
        .iter()
        .find(|e| theirs.contains(e))
        .or(mine.first())
        .copied())
}

/// A recipient reports message `id`: the thread freezes, the establishment's administrators
/// are told (a `MessageReported` event for the notifier), audited.
pub fn report(
    store: &Store,
    actor: &Actor,
    id: MessageId,
    reason: &str,
    client: &Origin,
    now: Timestamp,
) -> Result<ReportId, MessagingError> {
    let me = actor.person.ok_or(MessagingError::NotFound)?;
    let reason: String = crate::domain::text::multi_line(reason)
        .trim()
        .chars()
        .take(MAX_REASON)
        .collect();
    store.write(|tx| {
        let m = tx.get(&MESSAGES, &id)?.ok_or(MessagingError::NotFound)?;
        if tx.get(&MESSAGE_RECIPIENTS, &(id, me))?.is_none() {
            return Err(MessagingError::NotFound);
        }
        let establishment =
            reviewing_establishment(tx, me, m.sender)?.ok_or(MessagingError::NotFound)?;
        let report_id: ReportId = tx.next_id()?;
        tx.insert(
            &MESSAGE_REPORTS,
            &report_id,
            &Report {
                message: id,
                thread: m.thread,
                reporter: me,
                establishment,
                at: now,
                reason: reason.clone(),
                review: None,
            },
        )?;
        tx.insert(
            &ESTABLISHMENT_REPORTS,
            &(establishment, 0u8, report_id),
            &(),
        )?;
        if let Some(mut t) = tx.get(&THREADS, &m.thread)?
            && t.frozen_by.is_none()
        {
            t.frozen_by = Some(report_id);
            tx.insert(&THREADS, &m.thread, &t)?;
        }
        audit_event(
            tx,
            actor,
            AuditAction::MessageReported {
                target: m.sender,
                report: report_id.0,
            },
            client,
            now,
        )?;
        tx.emit(Event::MessageReported { report: report_id });
        Ok(report_id)
    })
}

/// A report as the administrators' list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportView {
    /// The report's id.
    pub id: ReportId,
    /// The report.
    pub report: Report,
    /// Who reported.
    pub reporter: PersonSummary,
    /// Who wrote the message.
    pub sender: PersonSummary,
    /// The message's subject.
    pub subject: String,
    /// The message's body.
    pub body: String,
    /// Whether the sender's messaging is suspended now.
    pub sender_suspended: bool,
}

/// The reports of `establishment` (open ones first, then the last reviewed), for its
/// administrators; "not found" for anyone else. At most 200.
pub fn reports(
    store: &Store,
    actor: &Actor,
    establishment: EstablishmentId,
) -> Result<Vec<ReportView>, MessagingError> {
    if !actor.administers(establishment) {
        return Err(MessagingError::NotFound);
    }
    let read = store.read()?;
    let mut out = Vec::new();
    for open in [0u8, 1u8] {
        let rows: Vec<_> = read
            .scan_prefix(&ESTABLISHMENT_REPORTS, &(establishment, open))?
            .collect::<Result<Vec<_>, _>>()?;
        for ((_, _, id), ()) in rows.into_iter().rev().take(200 - out.len().min(200)) {
            if let Some(view) = report_view(&read, id)? {
                out.push(view);
            }
        }
    }
    Ok(out)
}

fn report_view(
    read: &crate::store::ReadTx,
    id: ReportId,
) -> Result<Option<ReportView>, StoreError> {
    let Some(report) = read.get(&MESSAGE_REPORTS, &id)? else {
        return Ok(None);
    };
    let Some(m) = read.get(&MESSAGES, &report.message)? else {
        return Ok(None);
    };
    Ok(Some(ReportView {
        id,
        reporter: summary(read, report.reporter)?,
        sender: summary(read, m.sender)?,
        subject: m.subject,
        body: m.body,
        sender_suspended: read.get(&MESSAGING_SUSPENSIONS, &m.sender)?.is_some(),
        report,
    }))
}

/// One report, for an administrator of its establishment (who may read the reported message:
/// that is the point of the report). Logged as an access to a sensitive record.
pub fn report_for_admin(
    store: &Store,
    actor: &Actor,
    id: ReportId,
) -> Result<ReportView, MessagingError> {
    let read = store.read()?;
    let view = report_view(&read, id)?.ok_or(MessagingError::NotFound)?;
    if !actor.administers(view.report.establishment) {
        return Err(MessagingError::NotFound);
    }
    tracing::info!(report = %id, admin = ?actor.person, "reported message read by an administrator");
    Ok(view)
}

/// Reviews report `id`: the thread thaws; with `suspend_sender`, the sender's messaging is
/// suspended. Audited.
pub fn review(
    store: &Store,
    actor: &Actor,
    id: ReportId,
    suspend_sender: bool,
    client: &Origin,
    now: Timestamp,
) -> Result<(), MessagingError> {
    let me = actor.person.ok_or(MessagingError::NotFound)?;
    store.write(|tx| {
        let mut report = tx
            .get(&MESSAGE_REPORTS, &id)?
            .ok_or(MessagingError::NotFound)?;
        if !actor.administers(report.establishment) {
            return Err(MessagingError::NotFound);
        }
        if report.review.is_some() {
            return Err(MessagingError::Conflict("already reviewed"));
        }
        let m = tx
            .get(&MESSAGES, &report.message)?
            .ok_or(MessagingError::NotFound)?;
        report.review = Some(Review {
            by: me,
            at: now,
            suspended_sender: suspend_sender,
        });
        tx.insert(&MESSAGE_REPORTS, &id, &report)?;
        tx.remove(&ESTABLISHMENT_REPORTS, &(report.establishment, 0u8, id))?;
        tx.insert(
            &ESTABLISHMENT_REPORTS,
            &(report.establishment, 1u8, id),
            &(),
        )?;
        if let Some(mut t) = tx.get(&THREADS, &report.thread)?
            && t.frozen_by == Some(id)
        {
            t.frozen_by = None;
            tx.insert(&THREADS, &report.thread, &t)?;
        }
        audit_event(
            tx,
            actor,
            AuditAction::MessageReportReviewed {
                target: m.sender,
                report: id.0,
            },
            client,
            now,
        )?;
        if suspend_sender {
            suspend_in(tx, actor, m.sender, report.establishment, client, now)?;
        }
        Ok(())
    })
}

fn suspend_in(
    tx: &mut Tx,
    actor: &Actor,
    person: PersonId,
    establishment: EstablishmentId,
    client: &Origin,
    now: Timestamp,
) -> Result<(), StoreError> {
    if tx.get(&MESSAGING_SUSPENSIONS, &person)?.is_none() {
        tx.insert(
            &MESSAGING_SUSPENSIONS,
            &person,
            &Suspension {
                by: actor.person,
                at: now,
                establishment,
            },
        )?;
        audit_event(
            tx,
            actor,
            AuditAction::MessagingSuspended { target: person },
            client,
            now,
        )?;
    }
    Ok(())
}

/// Suspends (`suspended`) or restores the messaging of `person`, for an administrator of one
/// of their establishments. Audited.
pub fn set_suspended(
    store: &Store,
    actor: &Actor,
    person: PersonId,
    suspended: bool,
    client: &Origin,
    now: Timestamp,
) -> Result<(), MessagingError> {
    store.write(|tx| {
        let establishment = policy::administered_establishment_of(tx, actor, person)?
            .ok_or(MessagingError::NotFound)?;
        if actor.person == Some(person) {
            return Err(MessagingError::Conflict("oneself"));
        }
        // A suspension holds in every school of the person: for whoever administers them all.
        if !policy::admin_reach(tx, actor, person)?.full() {
            return Err(MessagingError::Conflict("shared account"));
        }
        if suspended {
            suspend_in(tx, actor, person, establishment, client, now)?;
        } else if tx.remove(&MESSAGING_SUSPENSIONS, &person)?.is_some() {
            audit_event(
                tx,
                actor,
                AuditAction::MessagingRestored { target: person },
                client,
                now,
            )?;
        }
        Ok(())
    })
}

/// Whether `person`'s messaging is suspended.
pub fn is_suspended(store: &Store, person: PersonId) -> Result<bool, MessagingError> {
    Ok(store
        .read()?
        .get(&MESSAGING_SUSPENSIONS, &person)?
        .is_some())
}
