//! Notifications as stored: timeline entries, preferences, digest items.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::model::directory::PersonId;
use crate::model::messaging::{MessageId, ReportId};

/// What happened, on a person's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TimelineKind {
    /// A message arrived.
    MessageReceived {
        /// Which.
        message: MessageId,
        /// From whom.
        from: PersonId,
        /// Its subject.
        subject: String,
        /// Whether it asks for an acknowledgement.
        ack_requested: bool,
    },
    /// A message was reported in an establishment the person administers.
    MessageReported {
        /// The report.
        report: ReportId,
    },
}

/// A timeline row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// When it happened.
    pub at: Timestamp,
    /// What.
    pub kind: TimelineKind,
}

/// A person's choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prefs {
    /// Mail me when a message arrives.
    pub mail_messages: bool,
    /// Mail me when a message reported in my establishment must be reviewed (administrators).
    pub mail_reports: bool,
    /// Quiet hours (minutes after midnight, Paris): mails wait until the end.
    pub quiet: Option<(u16, u16)>,
    /// Quiet all weekend (Saturday and Sunday): mails wait until Monday's end of quiet hours.
    pub quiet_weekends: bool,
    /// One mail a day at [`DIGEST_HOUR`] gathering everything, instead of one mail each.
    pub digest: bool,
}

impl Prefs {
    /// The defaults: pupils get quiet hours from 20:00 to 07:00 and quiet weekends; adults
    /// get each mail at once.
    pub fn defaults_for(is_pupil: bool) -> Prefs {
        Prefs {
            mail_messages: true,
            mail_reports: true,
            quiet: is_pupil.then_some((20 * 60, 7 * 60)),
            quiet_weekends: is_pupil,
            digest: false,
        }
    }
}

/// An item waiting for a person's digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestItem {
    /// When it happened.
    pub at: Timestamp,
    /// One line for the digest.
    pub line: String,
}
