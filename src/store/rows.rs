//! [`Rows`]: reading one row by key the same way from a snapshot or inside the writing
//! transaction, so a rule checked before a write and inside it is written once.

use serde::de::DeserializeOwned;

use super::{KeyCodec, ReadTx, StoreError, Table, Tx};

/// One row by key, from a [`ReadTx`] or a [`Tx`].
pub trait Rows {
    /// The row of `table` under `key`, if any.
    fn row<K: KeyCodec, V: DeserializeOwned>(
        &self,
        table: &Table<K, V>,
        key: &K,
    ) -> Result<Option<V>, StoreError>;
}

impl Rows for ReadTx {
    fn row<K: KeyCodec, V: DeserializeOwned>(
        &self,
        table: &Table<K, V>,
        key: &K,
    ) -> Result<Option<V>, StoreError> {
        self.get(table, key)
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
}
