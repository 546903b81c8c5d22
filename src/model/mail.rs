//! Outgoing mail as the durable queue stores it.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::model::directory::PersonId;

crate::typed_id!(
    /// One outgoing mail.
    MailId,
    "mail"
);

/// Why a mail is sent (decides who may see it in the queue, and its template).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MailKind {
    /// A password recovery link.
    PasswordRecovery,
    /// A test mail queued by `cartable debug queue-mails` (crash tests, benchmarks).
    Test,
    /// A notification (a message arrived, a report to review).
    Notification,
    /// A daily digest of notifications.
    Digest,
}

/// Where a mail is in its life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum MailState {
    /// Waiting for its first attempt.
    Queued,
    /// An attempt failed for a reason that may pass (4xx reply, no connection, timeout, TLS);
    /// the next attempt is at `next_at`.
    Retrying {
        /// Attempts made so far.
        attempts: u32,
        /// When to try again.
        next_at: Timestamp,
        /// What went wrong last time (the server's reply or the connection error).
        last_error: String,
    },
    /// The server accepted it.
    Sent {
        /// When.
        at: Timestamp,
        /// Attempts it took.
        attempts: u32,
    },
    /// Given up: a permanent refusal (5xx), or temporary failures for too long.
    Failed {
        /// When.
        at: Timestamp,
        /// Attempts made.
        attempts: u32,
        /// The server's reply, or the last error.
        reason: String,
        /// Whether it failed because the retry period ([`RETRY_FOR`]) ran out.
        expired: bool,
    },
    /// An administrator cancelled it.
    Cancelled {
        /// When.
        at: Timestamp,
        /// Who (`None`: the system).
        by: Option<PersonId>,
    },
}

/// The states as a filter (and the key of `mail_by_state_v1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum StateCode {
    /// [`MailState::Queued`].
    Queued,
    /// [`MailState::Retrying`].
    Retrying,
    /// [`MailState::Sent`].
    Sent,
    /// [`MailState::Failed`].
    Failed,
    /// [`MailState::Cancelled`].
    Cancelled,
}

impl StateCode {
    /// Every state, in the order the page lists them.
    pub const ALL: [StateCode; 5] = [
        StateCode::Queued,
        StateCode::Retrying,
        StateCode::Sent,
        StateCode::Failed,
        StateCode::Cancelled,
    ];

    /// The stored key byte.
    pub fn byte(self) -> u8 {
        match self {
            StateCode::Queued => 0,
            StateCode::Retrying => 1,
            StateCode::Sent => 2,
            StateCode::Failed => 3,
            StateCode::Cancelled => 4,
        }
    }

    /// The value in the page's URL (`?etat=`).
    pub fn code(self) -> &'static str {
        match self {
            StateCode::Queued => "en-attente",
            StateCode::Retrying => "nouvel-essai",
            StateCode::Sent => "envoye",
            StateCode::Failed => "echec",
            StateCode::Cancelled => "annule",
        }
    }

    /// The state of a URL value.
    pub fn from_code(code: &str) -> Option<StateCode> {
        StateCode::ALL.into_iter().find(|s| s.code() == code)
    }
}

impl MailState {
    /// Its [`StateCode`].
    pub fn code(&self) -> StateCode {
        match self {
            MailState::Queued => StateCode::Queued,
            MailState::Retrying { .. } => StateCode::Retrying,
            MailState::Sent { .. } => StateCode::Sent,
            MailState::Failed { .. } => StateCode::Failed,
            MailState::Cancelled { .. } => StateCode::Cancelled,
        }
    }

    /// Attempts made so far.
    pub fn attempts(&self) -> u32 {
        match self {
            MailState::Queued | MailState::Cancelled { .. } => 0,
            MailState::Retrying { attempts, .. }
            | MailState::Sent { attempts, .. }
            | MailState::Failed { attempts, .. } => *attempts,
        }
    }

    /// Whether the relay may still send it (its row is in `mail_due_v1`).
    pub fn is_pending(&self) -> bool {
        matches!(self, MailState::Queued | MailState::Retrying { .. })
    }

    /// Whether an administrator may make it due now.
    pub fn can_retry(&self) -> bool {
        matches!(self, MailState::Retrying { .. } | MailState::Failed { .. })
    }

    /// Whether an administrator may cancel it.
    pub fn can_cancel(&self) -> bool {
        matches!(
            self,
            MailState::Queued | MailState::Retrying { .. } | MailState::Failed { .. }
        )
    }
}

/// A mail of the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingMail {
    /// When it was queued.
    pub queued_at: Timestamp,
    /// What kind of mail.
    pub kind: MailKind,
    /// The account it is for, if any (decides which administrators see it).
    pub person: Option<PersonId>,
    /// The person whose action caused it, if any: its failure goes to their timeline.
    pub sender: Option<PersonId>,
    /// The address.
    pub to: String,
    /// The subject (UTF-8).
    pub subject: String,
    /// The plain-text body. It may hold a secret link: never shown to administrators nor
    /// logged, and emptied once the mail is sent or cancelled.
    pub body: String,
    /// The random left part of its `Message-ID`, fixed at queueing so that a resend (after a
    /// crash, DESIGN.md §9 after a failover) carries the same id and can be recognised.
    pub message_key: String,
    /// Not sent before then (quiet hours, digests: [`enqueue_at`]); `None`: at once.
    pub not_before: Option<Timestamp>,
    /// Temporary failures are retried until then (5 days after the first attempt is due, or
    /// after an administrator's "retry now" of a failed mail).
    pub expires_at: Timestamp,
    /// Its state.
    pub state: MailState,
}
