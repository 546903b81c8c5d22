//! Accounts as stored: sessions, activation tickets and codes, recovery tokens, charters.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::model::directory::PersonId;

/// A stored session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Who.
    pub person: PersonId,
    /// When it was created (sign-in).
    pub created_at: Timestamp,
    /// Last activity written to the store (see [`Touches`] for the latest).
    pub last_seen: Timestamp,
    /// Source address at sign-in.
    pub ip: String,
    /// User agent at sign-in (trimmed).
    pub user_agent: String,
}

/// An activation in progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    /// Whose account.
    pub person: PersonId,
    /// The stored hash of the code it was opened with (a newer code cancels the ticket).
    pub code_hash: [u8; 32],
    /// When it stops working.
    pub expires_at: Timestamp,
    /// The Argon2id hash of the password chosen at the second step.
    pub password_hash: Option<String>,
}

/// A recovery link's stored state (the token itself is never stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryToken {
    /// Whose account.
    pub person: PersonId,
    /// When the link stops working.
    pub expires_at: Timestamp,
}

/// An establishment's charter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Charter {
    /// The text: paragraphs separated by blank lines, shown as plain text.
    pub text: String,
    /// 0 for the default text, then 1, 2… at each change.
    pub version: u32,
    /// When it was last changed (`None` for the default text).
    pub updated_at: Option<Timestamp>,
    /// Who changed it last.
    pub updated_by: Option<PersonId>,
}

/// A person's acceptance of an establishment's charter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CharterAcceptance {
    /// The version accepted.
    pub version: u32,
    /// When.
    pub at: Timestamp,
}

/// Why a code was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodeReason {
    /// For a credential letter of a pending account.
    Letter,
    /// An administrator reset the password (the old one no longer works).
    Reset,
}

/// A stored code: its salted hash, never the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredCode {
    /// Random salt.
    pub salt: [u8; 16],
    /// BLAKE3 of the salt and the code.
    pub hash: [u8; 32],
    /// When it was made (a ticket remembers it: a newer code cancels older tickets).
    pub issued_at: Timestamp,
    /// When it stops working.
    pub expires_at: Timestamp,
    /// Why it was made.
    pub reason: CodeReason,
}
