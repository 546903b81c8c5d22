//! Outgoing mail. For now only the durable queue: a mail is a row written in the same
//! transaction as what caused it, so it is never lost nor sent for something that did not
//! happen. The relay that sends the queue over SMTP arrives with issue 6; until then the queue
//! is visible to administrators (`/admin/courriels`).

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::domain::directory::model::PersonId;
use crate::store::tables::MAIL_QUEUE;
use crate::store::{ReadTx, StoreError, Tx};

crate::typed_id!(
    /// One outgoing mail.
    MailId,
    "mail"
);

/// Why a mail is sent (decides who may see it in the queue, and later its template).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MailKind {
    /// A password recovery link.
    PasswordRecovery,
}

/// Where a mail is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MailState {
    /// Waiting for the relay.
    Queued,
}

/// A mail waiting to be sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingMail {
    /// When it was queued.
    pub queued_at: Timestamp,
    /// What kind of mail.
    pub kind: MailKind,
    /// The person it is for, if it is for an account.
    pub person: Option<PersonId>,
    /// The address.
    pub to: String,
    /// The subject (UTF-8).
    pub subject: String,
    /// The plain-text body. It may hold a secret link: never shown to administrators nor logged.
    pub body: String,
    /// Its state.
    pub state: MailState,
}

/// Queues `mail` in the caller's transaction.
pub fn enqueue(tx: &mut Tx, mail: OutgoingMail) -> Result<MailId, StoreError> {
    let id: MailId = tx.next_id()?;
    tx.insert(&MAIL_QUEUE, &id, &mail)?;
    Ok(id)
}

/// The newest `limit` mails of the queue, newest first.
pub fn newest(read: &ReadTx, limit: usize) -> Result<Vec<(MailId, OutgoingMail)>, StoreError> {
    read.range(&MAIL_QUEUE, ..)?.rev().take(limit).collect()
}
