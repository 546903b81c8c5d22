//! Outgoing mail (DESIGN.md §7, issue 6 §5; operators' guide: docs/mail.md).
//!
//! - [`queue`]: the durable queue. A mail is a row written in the same transaction as what
//!   caused it ([`enqueue`], or [`enqueue_at`] to hold it until a time), so it is never lost
//!   nor sent for something that did not happen;
//!   its states (queued, retrying, sent, failed, cancelled) and the index tables that follow
//!   them.
//! - [`relay`]: the background task that sends due mails, retries temporary failures with
//!   growing delays for 5 days, and records each outcome after the server answered (at least
//!   once).
//! - [`transport`]: the smarthost (plain, STARTTLS, implicit TLS, authentication) or direct
//!   delivery to MX servers, with lettre.
//! - [`message`]: the MIME message (headers, UTF-8), its bytes as sent.
//! - [`dkim`]: DKIM signatures (relaxed/relaxed, RSA or Ed25519) over those bytes.
//! - [`templates`]: subjects and bodies, Fluent messages of `assets/i18n/<lang>/`.
//!
//! Bodies are never logged nor shown to administrators.

pub mod dkim;
pub mod message;
pub mod queue;
pub mod relay;
pub mod templates;
pub mod transport;

pub use queue::{
    Attempt, MailId, MailKind, MailState, NewMail, OutgoingMail, StateCode, enqueue, enqueue_at,
    failures_for,
};
pub use relay::{MailRuntime, PassReport, RelayStatus};
