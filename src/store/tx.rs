//! [`Tx`]: the write transaction every change goes through.

use std::collections::BTreeMap;
use std::ops::RangeBounds;

use redb::{ReadableTable, ReadableTableMetadata};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::changelog::{EntryBody, Epoch, Hash128, LoggedEntry, Op, Position, row_hash};
use super::codec::{KeyCodec, decode_value, encode_value};
use super::migrations::SCHEMA_VERSION;
use super::read::bytes_bound;
use super::tables::{self, Table};
use super::{StoreError, meta_keys};
use crate::model::IdKind;
use crate::model::events::Event;

/// A write transaction. Handed out by [`Store::write`](super::Store::write); every change to a
/// logged table is recorded with its old and new value and counted in that table's checksum.
pub struct Tx {
    wtx: redb::WriteTransaction,
    ops: Vec<Op>,
    events: Vec<Event>,
    blobs: Vec<[u8; 32]>,
    origin: Option<String>,
    checksum_deltas: BTreeMap<String, Hash128>,
}

impl Tx {
    pub(super) fn new(wtx: redb::WriteTransaction, origin: Option<String>) -> Tx {
        Tx {
            wtx,
            ops: Vec::new(),
            events: Vec::new(),
            blobs: Vec::new(),
            origin,
            checksum_deltas: BTreeMap::new(),
        }
    }

    /// Reads one row.
    pub fn get<K: KeyCodec, V: DeserializeOwned>(
        &self,
        table: &Table<K, V>,
        key: &K,
    ) -> Result<Option<V>, StoreError> {
        self.raw_get(table.name(), &key.to_key_bytes())?
            .map(|bytes| decode_value(&bytes).map_err(StoreError::from))
            .transpose()
    }

    /// Rows whose keys fall in `range`, in key order (bounded reads inside a write only).
    pub fn range<K: KeyCodec, V: DeserializeOwned>(
        &self,
        table: &Table<K, V>,
        range: impl RangeBounds<K>,
    ) -> Result<Vec<(K, V)>, StoreError> {
        let (lo, hi) = super::read::byte_bounds(&range);
        let t = self.wtx.open_table(tables::raw(table.name()))?;
        let mut out = Vec::new();
        for row in t.range::<&[u8]>((bytes_bound(&lo), bytes_bound(&hi)))? {
            let (k, v) = row?;
            out.push((K::from_key_bytes(k.value())?, decode_value(v.value())?));
        }
        Ok(out)
    }

    /// Rows whose key starts with `prefix` (a leading part of a tuple key), in key order.
    pub fn scan_prefix<K: KeyCodec, V: DeserializeOwned, P: KeyCodec>(
        &self,
        table: &Table<K, V>,
        prefix: &P,
    ) -> Result<Vec<(K, V)>, StoreError> {
        let prefix = prefix.to_key_bytes();
        let t = self.wtx.open_table(tables::raw(table.name()))?;
        let mut out = Vec::new();
        for row in t.range::<&[u8]>(prefix.as_slice()..)? {
            let (k, v) = row?;
            if !k.value().starts_with(&prefix) {
                break;
            }
            out.push((K::from_key_bytes(k.value())?, decode_value(v.value())?));
        }
        Ok(out)
    }

    /// Inserts or replaces a row; returns the previous value.
    pub fn insert<K: KeyCodec, V: Serialize + DeserializeOwned>(
        &mut self,
        table: &Table<K, V>,
        key: &K,
        value: &V,
    ) -> Result<Option<V>, StoreError> {
        let key = key.to_key_bytes();
        let new = encode_value(value)?;
        let old = self.raw_put(table.name(), table.is_logged(), &key, Some(&new))?;
        let decoded = old.as_deref().map(decode_value).transpose()?;
        if table.is_logged() && old.as_deref() != Some(new.as_slice()) {
            self.ops.push(Op {
                table: table.name().to_owned(),
                key,
                old,
                new: Some(new),
            });
        }
        Ok(decoded)
    }

    /// Removes a row; returns the value it had.
    pub fn remove<K: KeyCodec, V: DeserializeOwned>(
        &mut self,
        table: &Table<K, V>,
        key: &K,
    ) -> Result<Option<V>, StoreError> {
        let key = key.to_key_bytes();
        let old = self.raw_put(table.name(), table.is_logged(), &key, None)?;
        let decoded = old.as_deref().map(decode_value).transpose()?;
        if table.is_logged() && old.is_some() {
            self.ops.push(Op {
                table: table.name().to_owned(),
                key,
                old,
                new: None,
            });
        }
        Ok(decoded)
    }

    /// How many logged changes this transaction holds so far (a write of identical bytes is
    /// not a change). Lets a caller tell whether a step changed anything.
    pub fn change_count(&self) -> usize {
        self.ops.len()
    }

    /// Allocates the next id of a kind from the (logged) counter table.
    pub fn next_id<I: IdKind>(&mut self) -> Result<I, StoreError> {
        let kind = I::KIND.to_owned();
        let next = self.get(&tables::ID_COUNTERS, &kind)?.unwrap_or(0) + 1;
        self.insert(&tables::ID_COUNTERS, &kind, &next)?;
        Ok(I::from_raw(next))
    }

    /// Records a domain event in this transaction's change log entry, for tailers.
    pub fn emit(&mut self, event: Event) {
        self.events.push(event);
    }

    /// Records that this write references a blob (by SHA-256), which must be durable already.
    pub fn reference_blob(&mut self, sha256: [u8; 32]) {
        if !self.blobs.contains(&sha256) {
            self.blobs.push(sha256);
        }
    }

    pub(super) fn put_meta<T: Serialize>(
        &mut self,
        key: &str,
        value: &T,
    ) -> Result<(), StoreError> {
        let bytes = encode_value(value)?;
        self.raw_put(
            tables::META.name(),
            false,
            &key.to_owned().to_key_bytes(),
            Some(&bytes),
        )?;
        Ok(())
    }

    pub(super) fn get_meta<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        self.raw_get(tables::META.name(), &key.to_owned().to_key_bytes())?
            .map(|b| decode_value(&b).map_err(StoreError::from))
            .transpose()
    }

    /// Whether a table exists in the store (migrations: a store may never have had it).
    pub(super) fn table_exists(&self, name: &str) -> Result<bool, StoreError> {
        use redb::TableHandle;
        Ok(self.wtx.list_tables()?.any(|h| h.name() == name))
    }

    /// Deletes a table a migration has emptied (row by row, through the log): the store then
    /// holds only the current version's tables. Refuses a table that still has rows.
    pub(super) fn drop_empty_table(&mut self, name: &str) -> Result<(), StoreError> {
        let rows = self.wtx.open_table(tables::raw(name))?.len()?;
        if rows > 0 {
            return Err(StoreError::Diverged(format!(
                "the table {name} still has {rows} rows and cannot be dropped"
            )));
        }
        self.wtx.delete_table(tables::raw(name))?;
        Ok(())
    }

    fn required_meta<T: DeserializeOwned>(&self, key: &str) -> Result<T, StoreError> {
        self.get_meta(key)?
            .ok_or_else(|| StoreError::Diverged(format!("store bookkeeping `{key}` is missing")))
    }

    fn raw_get(&self, table: &str, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        let t = self.wtx.open_table(tables::raw(table))?;
        Ok(t.get(key)?.map(|g| g.value().to_vec()))
    }

    /// Puts (`Some`) or deletes (`None`) raw bytes; keeps the checksum of a logged table.
    fn raw_put(
        &mut self,
        table: &str,
        logged: bool,
        key: &[u8],
        new: Option<&[u8]>,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let old = {
            let mut t = self.wtx.open_table(tables::raw(table))?;
            match new {
                Some(value) => t.insert(key, value)?.map(|g| g.value().to_vec()),
                None => t.remove(key)?.map(|g| g.value().to_vec()),
            }
        };
        if logged {
            let mut delta = Hash128::ZERO;
            if let Some(old) = &old {
                delta = delta.xor(row_hash(table, key, old));
            }
            if let Some(new) = new {
                delta = delta.xor(row_hash(table, key, new));
            }
            let slot = self
                .checksum_deltas
                .entry(table.to_owned())
                .or_insert(Hash128::ZERO);
            *slot = slot.xor(delta);
        }
        Ok(old)
    }

    /// Writes the pending checksum deltas; returns the new combined checksum.
    fn flush_checksums(&mut self) -> Result<Hash128, StoreError> {
        let mut combined: Hash128 = self.get_meta(meta_keys::COMBINED)?.unwrap_or_default();
        for (table, delta) in std::mem::take(&mut self.checksum_deltas) {
            let key = table.to_key_bytes();
            let current: Hash128 = self
                .raw_get(tables::TABLE_CHECKSUMS.name(), &key)?
                .map(|b| decode_value(&b))
                .transpose()?
                .unwrap_or_default();
            let updated = current.xor(delta);
            // Zero (an empty table) is stored as no row, so equal tables have equal rows here.
            let bytes = (updated != Hash128::ZERO)
                .then(|| encode_value(&updated))
                .transpose()?;
            self.raw_put(
                tables::TABLE_CHECKSUMS.name(),
                false,
                &key,
                bytes.as_deref(),
            )?;
            combined = combined.xor(delta);
        }
        self.put_meta(meta_keys::COMBINED, &combined)?;
        Ok(combined)
    }

    fn append_entry(&mut self, entry: &LoggedEntry) -> Result<(), StoreError> {
        let bytes = encode_value(entry)?;
        self.raw_put(
            tables::CHANGELOG.name(),
            false,
            &entry.body.seq.to_key_bytes(),
            Some(&bytes),
        )?;
        self.put_meta(meta_keys::HEAD, &entry.position())
    }

    /// Seals the change log entry (if anything logged changed) and commits durably.
    pub(super) fn commit(mut self, now_us: i64) -> Result<Option<Position>, StoreError> {
        if self.ops.is_empty() && self.events.is_empty() {
            self.wtx.commit()?;
            return Ok(None);
        }
        let head: Position = self.required_meta(meta_keys::HEAD)?;
        let epoch: Epoch = self.required_meta(meta_keys::EPOCH)?;
        let checksum = self.flush_checksums()?;
        let body = EntryBody {
            seq: head.seq + 1,
            epoch,
            schema_version: SCHEMA_VERSION,
            committed_at_us: now_us,
            ops: std::mem::take(&mut self.ops),
            events: std::mem::take(&mut self.events),
            blobs: std::mem::take(&mut self.blobs),
            origin: self.origin.take(),
            checksum,
        };
        let entry = LoggedEntry::seal(head.hash, body)?;
        self.append_entry(&entry)?;
        self.wtx.commit()?;
        Ok(Some(entry.position()))
    }

    /// Commits a replay or rewind, whose head was already written.
    pub(super) fn commit_raw(self) -> Result<Position, StoreError> {
        let head: Position = self.required_meta(meta_keys::HEAD)?;
        self.wtx.commit()?;
        Ok(head)
    }

    pub(super) fn abort(self) {
        if let Err(e) = self.wtx.abort() {
            tracing::warn!(error = %e, "aborting a write transaction failed");
        }
    }

    pub(super) fn apply_entry(&mut self, entry: &LoggedEntry) -> Result<(), StoreError> {
        let head: Position = self.required_meta(meta_keys::HEAD)?;
        if entry.body.seq != head.seq + 1 || entry.prev_hash != head.hash {
            return Err(StoreError::Diverged(format!(
                "entry {} (after {}) does not follow the local head {} ({})",
                entry.body.seq, entry.prev_hash, head.seq, head.hash
            )));
        }
        if !entry.hash_is_valid() {
            return Err(StoreError::Diverged(format!(
                "entry {} has a wrong hash",
                entry.body.seq
            )));
        }
        for op in &entry.body.ops {
            if tables::is_unlogged_name(&op.table) {
                return Err(StoreError::Diverged(format!(
                    "entry {} writes the unlogged table {}",
                    entry.body.seq, op.table
                )));
            }
            let current = self.raw_get(&op.table, &op.key)?;
            if current != op.old {
                return Err(StoreError::Diverged(format!(
                    "entry {}: a row of {} does not hold the value the entry replaces",
                    entry.body.seq, op.table
                )));
            }
            self.raw_put(&op.table, true, &op.key, op.new.as_deref())?;
        }
        let combined = self.flush_checksums()?;
        if combined != entry.body.checksum {
            return Err(StoreError::Diverged(format!(
                "checksum after entry {} is {combined}, the entry says {}",
                entry.body.seq, entry.body.checksum
            )));
        }
        self.append_entry(entry)
    }

    pub(super) fn rewind_last(&mut self) -> Result<Option<LoggedEntry>, StoreError> {
        let head: Position = self.required_meta(meta_keys::HEAD)?;
        if head.seq == 0 {
            return Ok(None);
        }
        let entry: LoggedEntry = self
            .raw_get(tables::CHANGELOG.name(), &head.seq.to_key_bytes())?
            .map(|b| decode_value(&b))
            .transpose()?
            .ok_or_else(|| StoreError::Diverged(format!("entry {} is missing", head.seq)))?;
        for op in entry.body.ops.iter().rev() {
            let current = self.raw_get(&op.table, &op.key)?;
            if current != op.new {
                return Err(StoreError::Diverged(format!(
                    "entry {}: a row of {} changed behind the log",
                    entry.body.seq, op.table
                )));
            }
            self.raw_put(&op.table, true, &op.key, op.old.as_deref())?;
        }
        let combined = self.flush_checksums()?;
        let previous: Option<LoggedEntry> = if head.seq > 1 {
            let prev = self
                .raw_get(tables::CHANGELOG.name(), &(head.seq - 1).to_key_bytes())?
                .ok_or_else(|| {
                    StoreError::Diverged(format!("entry {} is truncated", head.seq - 1))
                })?;
            Some(decode_value(&prev)?)
        } else {
            None
        };
        let expected = previous.as_ref().map_or(Hash128::ZERO, |p| p.body.checksum);
        if combined != expected {
            return Err(StoreError::Diverged(format!(
                "checksum after undoing entry {} is {combined}, expected {expected}",
                entry.body.seq
            )));
        }
        self.raw_put(
            tables::CHANGELOG.name(),
            false,
            &head.seq.to_key_bytes(),
            None,
        )?;
        let new_head = previous.map_or(
            Position {
                epoch: head.epoch,
                seq: 0,
                hash: Hash128::ZERO,
            },
            |p| p.position(),
        );
        self.put_meta(meta_keys::HEAD, &new_head)?;
        Ok(Some(entry))
    }
}
