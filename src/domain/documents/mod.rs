//! Documents (issue 7 §2): a personal space per person and a shared space per class, group and
//! establishment; folders, files with versions on the content-addressed blob store, shares
//! within the communication rules, a trash purged after 30 days, quotas. See docs/documents.md.

pub mod names;
pub mod policy;
pub mod quota_usage;
pub mod service;
pub mod shares;
pub mod trash;
mod tree;
mod versions;
pub mod views;

use crate::store::StoreError;

/// What a documents request can run into.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// No such file or folder for this actor (also: one they may not read).
    #[error("not found")]
    NotFound,
    /// They may read it but not do this.
    #[error("forbidden")]
    Forbidden,
    /// A name or a choice does not validate; the translation key says what to do.
    #[error("invalid: {0}")]
    Invalid(&'static str),
    /// This file is larger than the limit.
    #[error("file too large")]
    TooLarge {
        /// The file's name.
        name: String,
        /// The limit in bytes.
        max: u64,
    },
    /// The uploader's quota would be exceeded.
    #[error("quota exceeded")]
    QuotaExceeded {
        /// Bytes used.
        used: u64,
        /// The quota in bytes.
        quota: u64,
    },
    /// A blob reference could not be counted.
    #[error(transparent)]
    Blob(#[from] crate::blobs::BlobError),
    /// A store failure.
    #[error(transparent)]
    Store(#[from] StoreError),
}
