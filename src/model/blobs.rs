//! Blobs as the store records them: the content address and its reference count.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The identity of a blob: the SHA-256 of its content.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct BlobId(pub [u8; 32]);

impl BlobId {
    /// The largest id (upper bound of key ranges).
    pub const MAX: BlobId = BlobId([0xff; 32]);

    /// The SHA-256 of `bytes` (for small contents and tests; [`BlobStore::put`] streams).
    pub fn of(bytes: &[u8]) -> BlobId {
        use sha2::Digest as _;
        BlobId(sha2::Sha256::digest(bytes).into())
    }

    /// The 64 lower-case hex digits (the file name).
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Parses 64 hex digits (either case); anything else is `None`.
    pub fn from_hex(text: &str) -> Option<BlobId> {
        let mut out = [0u8; 32];
        hex::decode_to_slice(text, &mut out).ok()?;
        Some(BlobId(out))
    }
}

impl std::fmt::Display for BlobId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl std::fmt::Debug for BlobId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BlobId({})", self.to_hex())
    }
}

/// What the store knows of a blob (`blobs_v1`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlobMeta {
    /// Size in bytes.
    pub size: u64,
    /// How many committed rows refer to it.
    pub refs: u64,
    /// When the row was created (first reference).
    pub created_at: Timestamp,
    /// When `refs` last fell to zero; `None` while referenced.
    pub unreferenced_since: Option<Timestamp>,
}
