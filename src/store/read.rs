//! [`ReadTx`]: a consistent read-only snapshot of the store.

use std::marker::PhantomData;
use std::ops::{Bound, RangeBounds};
use std::sync::{Arc, Mutex, PoisonError};

use redb::ReadableDatabase as _;
use serde::de::DeserializeOwned;

use super::changelog::{LoggedEntry, Position};
use super::codec::{KeyCodec, decode_value};
use super::tables::{self, Table};
use super::{StoreError, meta_keys};

/// One row as raw key and value bytes.
pub type RawRow = (Vec<u8>, Vec<u8>);

type RawTable = redb::ReadOnlyTable<&'static [u8], &'static [u8]>;

/// The tables a snapshot has opened, by name (`None`: the table does not exist).
type Opened = Vec<(&'static str, Option<Arc<RawTable>>)>;

/// A read-only snapshot: everything committed before it began, nothing after.
///
/// Each table is opened once per snapshot (a lookup in redb's table of tables and an
/// allocation): the first read of a table keeps its handle, later reads of the same table in
/// this snapshot reuse it (docs/PERFORMANCE.md, "Documents list").
pub struct ReadTx {
    rtx: redb::ReadTransaction,
    opened: Mutex<Opened>,
}

/// One table of a snapshot, opened once ([`ReadTx::table`]): reads many rows of it without
/// looking the table up again. A table that does not exist yet reads as empty.
pub struct TableRead<K, V> {
    table: Option<Arc<RawTable>>,
    _types: PhantomData<fn() -> (K, V)>,
}

impl<K: KeyCodec, V: DeserializeOwned> TableRead<K, V> {
    /// Reads one row.
    pub fn get(&self, key: &K) -> Result<Option<V>, StoreError> {
        let Some(t) = &self.table else {
            return Ok(None);
        };
        let guard = t.get(key.to_key_bytes().as_slice())?;
        guard
            .map(|g| decode_value(g.value()).map_err(StoreError::from))
            .transpose()
    }
}

/// Converts typed range bounds into encoded-key bounds.
pub(super) fn byte_bounds<K: KeyCodec>(
    range: &impl RangeBounds<K>,
) -> (Bound<Vec<u8>>, Bound<Vec<u8>>) {
    let conv = |b: Bound<&K>| match b {
        Bound::Included(k) => Bound::Included(k.to_key_bytes()),
        Bound::Excluded(k) => Bound::Excluded(k.to_key_bytes()),
        Bound::Unbounded => Bound::Unbounded,
    };
    (conv(range.start_bound()), conv(range.end_bound()))
}

/// Borrows an owned byte bound.
pub(super) fn bytes_bound(b: &Bound<Vec<u8>>) -> Bound<&[u8]> {
    match b {
        Bound::Included(v) => Bound::Included(v.as_slice()),
        Bound::Excluded(v) => Bound::Excluded(v.as_slice()),
        Bound::Unbounded => Bound::Unbounded,
    }
}

/// The schema version recorded in a store, if it has been initialised.
pub(super) fn schema_version(db: &redb::Database) -> Result<Option<u32>, StoreError> {
    ReadTx::new(db.begin_read()?).meta(meta_keys::SCHEMA_VERSION)
}

impl ReadTx {
    pub(super) fn new(rtx: redb::ReadTransaction) -> ReadTx {
        ReadTx {
            rtx,
            opened: Mutex::new(Vec::new()),
        }
    }

    /// A table of this snapshot, opened on its first use and kept for the snapshot's life.
    fn cached(&self, name: &'static str) -> Result<Option<Arc<RawTable>>, StoreError> {
        let mut opened = self.opened.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, t)) = opened.iter().find(|(n, _)| *n == name) {
            return Ok(t.clone());
        }
        let t = self.open(name)?.map(Arc::new);
        opened.push((name, t.clone()));
        Ok(t)
    }

    /// A typed handle on one table of this snapshot, for reading many of its rows (the table
    /// is opened once per snapshot, whichever way it is read).
    pub fn table<K, V>(&self, table: &Table<K, V>) -> Result<TableRead<K, V>, StoreError> {
        Ok(TableRead {
            table: self.cached(table.name())?,
            _types: PhantomData,
        })
    }

    fn open(&self, name: &str) -> Result<Option<RawTable>, StoreError> {
        match self.rtx.open_table(tables::raw(name)) {
            Ok(t) => Ok(Some(t)),
            Err(redb::TableError::TableDoesNotExist(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Reads one row.
    pub fn get<K: KeyCodec, V: DeserializeOwned>(
        &self,
        table: &Table<K, V>,
        key: &K,
    ) -> Result<Option<V>, StoreError> {
        self.table(table)?.get(key)
    }

    /// Rows whose keys fall in `range`, in key order, read lazily.
    pub fn range<K: KeyCodec + 'static, V: DeserializeOwned + 'static>(
        &self,
        table: &Table<K, V>,
        range: impl RangeBounds<K>,
    ) -> Result<impl DoubleEndedIterator<Item = Result<(K, V), StoreError>> + 'static, StoreError>
    {
        let (lo, hi) = byte_bounds(&range);
        let rows = match self.cached(table.name())? {
            Some(t) => Some(t.range::<&[u8]>((bytes_bound(&lo), bytes_bound(&hi)))?),
            None => None,
        };
        Ok(rows.into_iter().flatten().map(|row| {
            let (k, v) = row?;
            Ok((K::from_key_bytes(k.value())?, decode_value(v.value())?))
        }))
    }

    /// Rows whose key starts with `prefix` (a leading part of a tuple key), in key order.
    pub fn scan_prefix<K: KeyCodec + 'static, V: DeserializeOwned + 'static, P: KeyCodec>(
        &self,
        table: &Table<K, V>,
        prefix: &P,
    ) -> Result<impl Iterator<Item = Result<(K, V), StoreError>> + 'static, StoreError> {
        self.scan_bytes_prefix(table, prefix.to_key_bytes())
    }

    /// Rows whose *encoded* key starts with `prefix` bytes: for prefix searches inside a string
    /// key component (encode the leading components, then append the string's first bytes).
    pub fn scan_bytes_prefix<K: KeyCodec + 'static, V: DeserializeOwned + 'static>(
        &self,
        table: &Table<K, V>,
        prefix: Vec<u8>,
    ) -> Result<impl Iterator<Item = Result<(K, V), StoreError>> + 'static, StoreError> {
        let rows = match self.cached(table.name())? {
            Some(t) => Some(t.range::<&[u8]>(prefix.as_slice()..)?),
            None => None,
        };
        Ok(rows
            .into_iter()
            .flatten()
            .take_while(move |row| match row {
                Ok((k, _)) => k.value().starts_with(&prefix),
                Err(_) => true,
            })
            .map(|row| {
                let (k, v) = row?;
                Ok((K::from_key_bytes(k.value())?, decode_value(v.value())?))
            }))
    }

    /// Every row of a table as raw bytes, in key order (checks and tests).
    pub fn raw_rows(
        &self,
        table: &str,
    ) -> Result<impl Iterator<Item = Result<RawRow, StoreError>> + 'static, StoreError> {
        let rows = match self.open(table)? {
            Some(t) => Some(t.range::<&[u8]>(..)?),
            None => None,
        };
        Ok(rows.into_iter().flatten().map(|row| {
            let (k, v) = row?;
            Ok((k.value().to_vec(), v.value().to_vec()))
        }))
    }

    pub(super) fn meta<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        // Meta values are stored as the bare postcard encoding of `T`.
        let Some(t) = self.cached(tables::META.name())? else {
            return Ok(None);
        };
        let guard = t.get(key.to_owned().to_key_bytes().as_slice())?;
        guard
            .map(|g| decode_value(g.value()).map_err(StoreError::from))
            .transpose()
    }

    /// The position of the last change log entry in this snapshot.
    pub fn head(&self) -> Result<Position, StoreError> {
        self.meta(meta_keys::HEAD)?
            .ok_or_else(|| StoreError::Diverged("store bookkeeping `head` is missing".into()))
    }

    /// The schema version of the store.
    pub fn schema_version(&self) -> Result<Option<u32>, StoreError> {
        self.meta(meta_keys::SCHEMA_VERSION)
    }

    /// Change log entries with `seq > after`, in order, at most `max`.
    pub fn entries_after(&self, after: u64, max: usize) -> Result<Vec<LoggedEntry>, StoreError> {
        let mut out = Vec::new();
        if let Some(next) = after.checked_add(1) {
            for row in self.range(&tables::CHANGELOG, next..)?.take(max) {
                out.push(row?.1);
            }
        }
        Ok(out)
    }

    /// The entry with sequence number `seq`, if still in the log.
    pub fn entry(&self, seq: u64) -> Result<Option<LoggedEntry>, StoreError> {
        self.get(&tables::CHANGELOG, &seq)
    }

    /// Names of all tables in the store.
    pub fn table_names(&self) -> Result<Vec<String>, StoreError> {
        use redb::TableHandle;
        Ok(self
            .rtx
            .list_tables()?
            .map(|h| h.name().to_owned())
            .collect())
    }
}
