//! The change log entry format (DESIGN.md §3): what every committed write leaves behind.
//!
//! An entry records the *physical* changes (table, key, old value, new value) so that a replica
//! applying entries in order ends with the same tables, and so that an entry can be undone with
//! its old values. Entries are chained: `hash = H(prev_hash ‖ postcard(body))`, a 128-bit
//! truncated BLAKE3. Changing this format once data exists is costly: add fields only in a new
//! `changelog_vN` table with a migration.

use serde::{Deserialize, Serialize};

use crate::model::events::Event;

/// A 128-bit hash (entry hashes, row hashes, checksums).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Hash128(pub [u8; 16]);

impl Hash128 {
    /// The zero hash: `prev_hash` of the first entry, checksum of an empty table.
    pub const ZERO: Hash128 = Hash128([0; 16]);

    /// XOR, the combining operation of rolling checksums.
    pub fn xor(self, other: Hash128) -> Hash128 {
        let mut out = self.0;
        for (o, b) in out.iter_mut().zip(other.0) {
            *o ^= b;
        }
        Hash128(out)
    }

    fn truncate(hash: blake3::Hash) -> Hash128 {
        let mut out = [0u8; 16];
        out.copy_from_slice(&hash.as_bytes()[..16]);
        Hash128(out)
    }
}

impl std::fmt::Display for Hash128 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

/// Who was primary when an entry was written: raised by every promotion (DESIGN.md §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Epoch {
    /// Promotion count; starts at 1.
    pub term: u64,
    /// Random id of the node that was primary in this term.
    pub node: u64,
}

/// A place in the change log. Never `seq` alone: two nodes may hold different entries with the
/// same sequence number after a failover; the hash tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Position {
    /// Epoch of the entry at this position.
    pub epoch: Epoch,
    /// Sequence number of the entry (0 = before the first entry).
    pub seq: u64,
    /// Hash of the entry (zero before the first entry).
    pub hash: Hash128,
}

impl Position {
    /// The position before any entry.
    pub fn origin(epoch: Epoch) -> Position {
        Position {
            epoch,
            seq: 0,
            hash: Hash128::ZERO,
        }
    }
}

/// One physical change: a put (`new` is `Some`) or a delete (`new` is `None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Op {
    /// Table name (with version).
    pub table: String,
    /// Encoded key.
    pub key: Vec<u8>,
    /// Encoded value before the change, if the row existed.
    pub old: Option<Vec<u8>>,
    /// Encoded value after the change, if the row exists afterwards.
    pub new: Option<Vec<u8>>,
}

/// Everything an entry says, hashed as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryBody {
    /// Gapless sequence number.
    pub seq: u64,
    /// Epoch of the primary that wrote it.
    pub epoch: Epoch,
    /// Schema version of the writer.
    pub schema_version: u32,
    /// Commit time, microseconds since the Unix epoch (UTC), from the store's clock.
    pub committed_at_us: i64,
    /// The physical changes, in the order they were made.
    pub ops: Vec<Op>,
    /// Domain events for tailers (never re-executed by a replica).
    pub events: Vec<Event>,
    /// SHA-256 of every blob this entry references (blobs travel before entries).
    pub blobs: Vec<[u8; 32]>,
    /// Idempotency key of the request that caused this write, if any.
    pub origin: Option<String>,
    /// XOR of all logged tables' checksums after this entry.
    pub checksum: Hash128,
}

/// A change log entry as stored: the body with its place in the hash chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedEntry {
    /// Hash of the previous entry (zero for the first).
    pub prev_hash: Hash128,
    /// `H(prev_hash ‖ postcard(body))`.
    pub hash: Hash128,
    /// What the entry says.
    pub body: EntryBody,
}

impl LoggedEntry {
    /// Seals a body onto the chain after `prev_hash`.
    pub fn seal(prev_hash: Hash128, body: EntryBody) -> Result<LoggedEntry, super::CodecError> {
        let hash = entry_hash(prev_hash, &body)?;
        Ok(LoggedEntry {
            prev_hash,
            hash,
            body,
        })
    }

    /// Whether `hash` matches `prev_hash` and the body.
    pub fn hash_is_valid(&self) -> bool {
        entry_hash(self.prev_hash, &self.body).is_ok_and(|h| h == self.hash)
    }

    /// This entry's position.
    pub fn position(&self) -> Position {
        Position {
            epoch: self.body.epoch,
            seq: self.body.seq,
            hash: self.hash,
        }
    }
}

/// The chained hash of an entry.
pub fn entry_hash(prev_hash: Hash128, body: &EntryBody) -> Result<Hash128, super::CodecError> {
    let bytes = super::codec::encode_value(body)?;
    let mut hasher = blake3::Hasher::new_derive_key("cartable changelog entry v1");
    hasher.update(&prev_hash.0);
    hasher.update(&bytes);
    Ok(Hash128::truncate(hasher.finalize()))
}

/// The hash of one row, as it counts in its table's rolling checksum. The table name is part of
/// it so that the same row in two tables does not cancel out in the combined checksum.
pub fn row_hash(table: &str, key: &[u8], value: &[u8]) -> Hash128 {
    let mut hasher = blake3::Hasher::new_derive_key("cartable table row v1");
    hasher.update(&(table.len() as u64).to_le_bytes());
    hasher.update(table.as_bytes());
    hasher.update(&(key.len() as u64).to_le_bytes());
    hasher.update(key);
    hasher.update(value);
    Hash128::truncate(hasher.finalize())
}
