//! [`Rows`]: reading rows by key the same way from a snapshot or inside the writing
//! transaction, so a rule checked before a write and inside it is written once.

use serde::de::DeserializeOwned;

use super::{KeyCodec, ReadTx, StoreError, Table, Tx};

/// Rows by key, from a [`ReadTx`] or a [`Tx`].
pub trait Rows {
    /// The row of `table` under `key`, if any.
    fn row<K: KeyCodec, V: DeserializeOwned>(
        &self,
        table: &Table<K, V>,
        key: &K,
    ) -> Result<Option<V>, StoreError>;

    /// The rows of `table` whose key starts with `prefix` (a leading part of a tuple key), in
    /// key order. For bounded reads (a person's profiles, a node's shares).
    fn rows_with_prefix<K: KeyCodec + 'static, V: DeserializeOwned + 'static, P: KeyCodec>(
        &self,
        table: &Table<K, V>,
        prefix: &P,
    ) -> Result<Vec<(K, V)>, StoreError>;
}

impl Rows for ReadTx {
    fn row<K: KeyCodec, V: DeserializeOwned>(
        &self,
        table: &Table<K, V>,
        key: &K,
    ) -> Result<Option<V>, StoreError> {
        self.get(table, key)
    }

    fn rows_with_prefix<K: KeyCodec + 'static, V: DeserializeOwned + 'static, P: KeyCodec>(
        &self,
        table: &Table<K, V>,
        prefix: &P,
    ) -> Result<Vec<(K, V)>, StoreError> {
        self.scan_prefix(table, prefix)?.collect()
    }
}

impl Rows for Tx {
    fn row<K: KeyCodec, V: DeserializeOwned>(
        &self,
        table: &Table<K, V>,
        key: &K,
    ) -> Result<Option<V>, StoreError> {
        self.get(table, key)
    }

    fn rows_with_prefix<K: KeyCodec + 'static, V: DeserializeOwned + 'static, P: KeyCodec>(
        &self,
        table: &Table<K, V>,
        prefix: &P,
    ) -> Result<Vec<(K, V)>, StoreError> {
        self.scan_prefix(table, prefix)
    }
}
