//! Uploaded files waiting for an administrator's confirmation (CSV imports).

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::model::directory::{EstablishmentId, PersonId};

/// A previewed file waiting for its confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Upload {
    /// Into which establishment.
    pub establishment: EstablishmentId,
    /// Who previewed it (only they may confirm).
    pub person: Option<PersonId>,
    /// Which kind of file.
    pub kind: u8,
    /// The file's name as uploaded (shown only).
    pub file_name: String,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// When the preview was made.
    pub at: Timestamp,
}
