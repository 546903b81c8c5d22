//! Messaging (issue 6): people write to each other within the communication rules
//! ([`rules`]); a message is stored once with one state row per recipient; mailboxes are index
//! tables per person and folder; abuse is braked (send limits, reports that freeze a thread,
//! suspensions by an administrator).
//!
//! Every function takes the [`Actor`](crate::model::Actor) and decides: a message, thread or
//! attachment the actor is not party to is "not found", whatever its id.

pub mod abuse;
pub mod body;
pub mod compose;
pub mod limits;
pub mod mailbox;
pub mod policy;
pub mod receipts;
pub mod rules;

use crate::store::StoreError;

/// What a messaging request can run into.
#[derive(Debug, thiserror::Error)]
pub enum MessagingError {
    /// No such message, thread, folder or attachment for this actor.
    #[error("not found")]
    NotFound,
    /// Recipients the rules do not allow (their names, for the message).
    #[error("recipients not allowed")]
    NotAllowed(Vec<String>),
    /// A field does not validate; the message key is for the user.
    #[error("{field}: {key}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// Translation key of what to do.
        key: &'static str,
    },
    /// Too many messages: wait this many seconds.
    #[error("rate limited")]
    RateLimited(u64),
    /// Too many drafts saved: wait this many seconds.
    #[error("drafts rate limited")]
    DraftRateLimited(u64),
    /// The attachments do not fit in the sender's quota (documents and attachments): bytes
    /// used, the quota, and what these attachments would add.
    #[error("quota exceeded")]
    QuotaExceeded {
        /// Bytes used.
        used: u64,
        /// The quota.
        quota: u64,
        /// Bytes these attachments would add.
        needed: u64,
    },
    /// The attachments of one message or draft exceed the cap: their total and the cap, bytes.
    #[error("attachments too large")]
    AttachmentsTooLarge {
        /// Their total.
        total: u64,
        /// The cap.
        max: u64,
    },
    /// The actor's messaging is suspended by an administrator.
    #[error("suspended")]
    Suspended,
    /// The thread is frozen by a report until an administrator reviews it.
    #[error("thread frozen")]
    Frozen,
    /// Too late, or already read (recall), or not asked (acknowledgement).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// A store failure.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<crate::domain::directory::DirectoryError> for MessagingError {
    fn from(e: crate::domain::directory::DirectoryError) -> Self {
        match e {
            crate::domain::directory::DirectoryError::Store(e) => MessagingError::Store(e),
            _ => MessagingError::NotFound,
        }
    }
}
