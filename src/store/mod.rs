//! The store: one redb file, one write path, a change log (DESIGN.md §3).
//!
//! * [`Store::write`] is the only way to change data. It hands out a [`Tx`]; every insert and
//!   remove on a logged table, and every domain event, goes into one [`LoggedEntry`] appended to
//!   the change log in the same redb transaction, with a gapless sequence number and a hash chain.
//! * Commits use `Durability::Immediate`: an acknowledged write survives `kill -9`.
//! * After each commit the new head [`Position`] is published on a `watch` channel; [`Tailer`]s
//!   read the log from their own saved position.
//! * Only this module touches redb.

pub mod changelog;
mod check;
mod codec;
mod keys;
pub mod migrations;
mod read;
mod rows;
pub mod tables;
mod tailer;
mod tx;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::watch;

pub use crate::model::IdKind;
pub use changelog::{EntryBody, Epoch, Hash128, LoggedEntry, Op, Position};
pub use check::CheckReport;
pub use codec::{CodecError, KeyCodec, decode_value, encode_value};
pub use read::{ReadTx, TableRead};
pub use rows::Rows;
pub use tables::Table;
pub use tailer::Tailer;
pub use tx::Tx;

use crate::clock::SharedClock;
use crate::model::events::Event;
use migrations::SCHEMA_VERSION;

/// The name of the store file inside the data directory.
pub const STORE_FILE: &str = "cartable.redb";

/// The default of `store_cache_mib`: redb's page cache, which otherwise grows to 1 GiB as a
/// long-running server (or a `reindex`, which reads everything) reads the file. The pages a
/// request path touches (sessions, people, the day's messages) fit in far less, and the
/// kernel's page cache still holds the rest of the file. On the region demo, 16 MiB against 64
/// served the portal as fast and kept the server 40 MiB smaller (docs/PERFORMANCE.md).
pub const DEFAULT_CACHE_MIB: u64 = 16;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another process (or this one) has the store open.
    #[error(
        "the store {path} is already in use by another running Cartable (stop it first, e.g. `systemctl stop cartable`)"
    )]
    Locked {
        /// The store file.
        path: PathBuf,
    },
    /// The store was written by a newer Cartable.
    #[error(
        "the store {path} was written by a newer version of Cartable (schema version {found}); this binary knows schema version {known} at most. Install the newer Cartable again, or restore a backup made by this version. The store was not modified."
    )]
    NewerSchema {
        /// The store file.
        path: PathBuf,
        /// Version found in the store.
        found: u32,
        /// Highest version this binary knows.
        known: u32,
    },
    /// The file is not a redb store or is damaged.
    #[error("the store {path} cannot be opened: {reason}")]
    Unopenable {
        /// The store file.
        path: PathBuf,
        /// What redb said.
        reason: String,
    },
    /// Stored bytes did not decode.
    #[error(transparent)]
    Codec(#[from] CodecError),
    /// A change log entry does not follow the local log (replay, rewind, tailers).
    #[error("change log mismatch: {0}")]
    Diverged(String),
    /// A redb failure (I/O, corruption, …).
    #[error("store failure: {0}")]
    Db(#[from] redb::Error),
    /// Reading the operating system's randomness failed.
    #[error("no randomness available: {0}")]
    Random(String),
}

macro_rules! from_redb {
    ($($t:ty),*) => {$(
        impl From<$t> for StoreError {
            fn from(e: $t) -> Self {
                StoreError::Db(e.into())
            }
        }
    )*};
}
from_redb!(
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError,
    redb::DatabaseError
);

/// The store. Cheap to clone; all clones share one redb database.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    db: redb::Database,
    path: PathBuf,
    clock: SharedClock,
    head: watch::Sender<Position>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.inner.path)
            .finish()
    }
}

/// Keys of the `meta_v1` table.
pub(crate) mod meta_keys {
    pub const SCHEMA_VERSION: &str = "schema_version";
    pub const NODE_ID: &str = "node_id";
    pub const EPOCH: &str = "epoch";
    pub const HEAD: &str = "head";
    pub const COMBINED: &str = "combined";
}

fn db_open_error(path: &Path, e: redb::DatabaseError) -> StoreError {
    match e {
        redb::DatabaseError::DatabaseAlreadyOpen => StoreError::Locked {
            path: path.to_owned(),
        },
        redb::DatabaseError::Storage(redb::StorageError::Io(io))
            if io.kind() == std::io::ErrorKind::WouldBlock =>
        {
            StoreError::Locked {
                path: path.to_owned(),
            }
        }
        other => StoreError::Unopenable {
            path: path.to_owned(),
            reason: other.to_string(),
        },
    }
}

fn open_db(path: &Path, cache_bytes: usize) -> Result<redb::Database, StoreError> {
    redb::Database::builder()
        .set_cache_size(cache_bytes)
        .create(path)
        .map_err(|e| db_open_error(path, e))
}

fn cache_bytes(mib: u64) -> usize {
    usize::try_from(mib.saturating_mul(1024 * 1024)).unwrap_or(usize::MAX)
}

fn refuse_newer(path: &Path, found: Option<u32>) -> Result<(), StoreError> {
    match found {
        Some(found) if found > SCHEMA_VERSION => Err(StoreError::NewerSchema {
            path: path.to_owned(),
            found,
            known: SCHEMA_VERSION,
        }),
        _ => Ok(()),
    }
}

impl Store {
    /// Opens the store file in `data_dir`, creating it (and the directory) if needed, and
    /// brings an older schema up to date. A newer schema is refused before anything is written.
    pub fn open(data_dir: &Path, clock: SharedClock) -> Result<Store, StoreError> {
        Store::open_with_cache(data_dir, clock, DEFAULT_CACHE_MIB)
    }

    /// [`Store::open`] with a page cache of `cache_mib` MiB (`store_cache_mib`).
    pub fn open_with_cache(
        data_dir: &Path,
        clock: SharedClock,
        cache_mib: u64,
    ) -> Result<Store, StoreError> {
        Store::open_as(data_dir, clock, true, cache_bytes(cache_mib))
    }

    /// Opens a store meant to receive another node's change log ([`Store::apply_entry`]): a
    /// new one starts with an empty log instead of its own first entry.
    pub fn open_replica(data_dir: &Path, clock: SharedClock) -> Result<Store, StoreError> {
        Store::open_as(data_dir, clock, false, cache_bytes(DEFAULT_CACHE_MIB))
    }

    fn open_as(
        data_dir: &Path,
        clock: SharedClock,
        primary: bool,
        cache_bytes: usize,
    ) -> Result<Store, StoreError> {
        let path = data_dir.join(STORE_FILE);
        let unopenable = |e: std::io::Error| StoreError::Unopenable {
            path: path.clone(),
            reason: e.to_string(),
        };
        std::fs::create_dir_all(data_dir).map_err(unopenable)?;
        if !path.exists() {
            // A new store is built under another name and renamed into place once complete,
            // so a crash while creating it never leaves a half-written store behind.
            let creating = data_dir.join(format!("{STORE_FILE}.creating"));
            if creating.exists() {
                std::fs::remove_file(&creating).map_err(unopenable)?;
            }
            let db = open_db(&creating, cache_bytes)?;
            let store = Store::from_db(db, creating.clone(), clock.clone());
            store.initialise(primary)?;
            drop(store);
            std::fs::rename(&creating, &path).map_err(unopenable)?;
            std::fs::File::open(data_dir)
                .and_then(|dir| dir.sync_all())
                .map_err(unopenable)?;
        }
        // Look at the schema version read-only first, so that a store written by a newer
        // Cartable is refused without a single byte written to it.
        match redb::Builder::new().open_read_only(&path) {
            Ok(ro) => {
                use redb::ReadableDatabase;
                let found = ReadTx::new(ro.begin_read()?).schema_version()?;
                refuse_newer(&path, found)?;
            }
            Err(e @ redb::DatabaseError::DatabaseAlreadyOpen) => {
                return Err(db_open_error(&path, e));
            }
            // A store that needs repair after a crash is repaired by the read-write open.
            Err(_) => {}
        }
        let db = open_db(&path, cache_bytes)?;
        let found = read::schema_version(&db)?;
        refuse_newer(&path, found)?;
        let store = Store::from_db(db, path, clock);
        match found {
            None => store.initialise(primary)?,
            Some(v) if v < SCHEMA_VERSION => migrations::migrate(&store, v)?,
            Some(_) => {}
        }
        let head = store.read()?.head()?;
        store.inner.head.send_replace(head);
        Ok(store)
    }

    fn from_db(db: redb::Database, path: PathBuf, clock: SharedClock) -> Store {
        let (head, _) = watch::channel(Position::origin(Epoch { term: 0, node: 0 }));
        Store {
            inner: Arc::new(Inner {
                db,
                path,
                clock,
                head,
            }),
        }
    }

    /// Writes the bookkeeping of a new store and, on a primary, its first entry (`StoreCreated`).
    fn initialise(&self, primary: bool) -> Result<(), StoreError> {
        let mut node = [0u8; 8];
        getrandom::fill(&mut node).map_err(|e| StoreError::Random(e.to_string()))?;
        let epoch = Epoch {
            term: 1,
            node: u64::from_be_bytes(node),
        };
        self.write_with(None, |tx| {
            tx.put_meta(meta_keys::SCHEMA_VERSION, &SCHEMA_VERSION)?;
            tx.put_meta(meta_keys::NODE_ID, &epoch.node)?;
            tx.put_meta(meta_keys::EPOCH, &epoch)?;
            tx.put_meta(meta_keys::HEAD, &Position::origin(epoch))?;
            tx.put_meta(meta_keys::COMBINED, &Hash128::ZERO)?;
            if primary {
                tx.emit(Event::StoreCreated {
                    schema_version: SCHEMA_VERSION,
                });
            }
            Ok::<_, StoreError>(())
        })
    }

    /// The store file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs `f` in a write transaction and commits it, appending one change log entry if `f`
    /// changed a logged table or emitted an event. If `f` returns `Err` or panics, nothing is
    /// written. Blocks the calling thread: call it from `spawn_blocking` in async code.
    pub fn write<R, E>(&self, f: impl FnOnce(&mut Tx) -> Result<R, E>) -> Result<R, E>
    where
        E: From<StoreError>,
    {
        self.write_with(None, f)
    }

    /// [`Store::write`] recording the idempotency key of the request that caused the write.
    pub fn write_with<R, E>(
        &self,
        origin: Option<String>,
        f: impl FnOnce(&mut Tx) -> Result<R, E>,
    ) -> Result<R, E>
    where
        E: From<StoreError>,
    {
        let mut tx = self.begin(origin)?;
        // Catch a panic so the transaction is aborted cleanly (redb only leaks pages when a
        // transaction is dropped while unwinding), then let the panic go on.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mut tx)));
        match result {
            Ok(Ok(value)) => {
                let now = self.inner.clock.now().as_microsecond();
                if let Some(head) = tx.commit(now)? {
                    self.inner.head.send_replace(head);
                }
                Ok(value)
            }
            Ok(Err(e)) => {
                tx.abort();
                Err(e)
            }
            Err(panic) => {
                tx.abort();
                std::panic::resume_unwind(panic)
            }
        }
    }

    /// The one place a redb write transaction is begun (every write path goes through it).
    fn begin(&self, origin: Option<String>) -> Result<Tx, StoreError> {
        let mut wtx = self.inner.db.begin_write()?;
        wtx.set_durability(redb::Durability::Immediate)
            .map_err(|e| StoreError::Db(redb::Error::from(e)))?;
        Ok(Tx::new(wtx, origin))
    }

    /// A consistent read-only snapshot.
    pub fn read(&self) -> Result<ReadTx, StoreError> {
        use redb::ReadableDatabase;
        Ok(ReadTx::new(self.inner.db.begin_read()?))
    }

    /// Follows the position of the last committed change log entry.
    pub fn subscribe(&self) -> watch::Receiver<Position> {
        self.inner.head.subscribe()
    }

    /// The position of the last committed change log entry.
    pub fn head(&self) -> Position {
        *self.inner.head.borrow()
    }

    /// Applies an entry written by another node (replication, or replay onto an empty store):
    /// it must follow this store's head, its old values must match the rows, and the checksum
    /// after it must be the one it records. Stored as-is, so both logs stay identical.
    pub fn apply_entry(&self, entry: &LoggedEntry) -> Result<Position, StoreError> {
        let mut tx = self.begin(None)?;
        match tx.apply_entry(entry) {
            Ok(()) => {
                let head = tx.commit_raw()?;
                self.inner.head.send_replace(head);
                Ok(head)
            }
            Err(e) => {
                tx.abort();
                Err(e)
            }
        }
    }

    /// Undoes the last change log entry with its old values and removes it from the log
    /// (rewinding a fenced primary's divergent entries, DESIGN.md §9). Returns the entry.
    pub fn rewind_last(&self) -> Result<Option<LoggedEntry>, StoreError> {
        let mut tx = self.begin(None)?;
        match tx.rewind_last() {
            Ok(Some(entry)) => {
                let head = tx.commit_raw()?;
                self.inner.head.send_replace(head);
                Ok(Some(entry))
            }
            Ok(None) => {
                tx.abort();
                Ok(None)
            }
            Err(e) => {
                tx.abort();
                Err(e)
            }
        }
    }

    /// Verifies the hash chain and recomputes every logged table's checksum (`cartable check`).
    pub fn check(&self) -> Result<CheckReport, StoreError> {
        check::run(&self.read()?)
    }
}
