//! The content-addressed blob store (issue 7 §1, DESIGN.md §3 "Blobs"): the files people upload
//! (documents, message attachments) live on disk under `<data_dir>/blobs/`, named by the SHA-256
//! of their content, and redb counts who refers to them.
//!
//! * **Write** ([`BlobStore::put`], `write.rs`): streamed to `blobs/tmp/` while hashing, never
//!   whole in memory; refused past a size limit; fsynced, renamed to `blobs/ab/cd/abcd…`, the
//!   directory fsynced, and only then returned. The caller then commits the row that refers to
//!   the blob and, in the same transaction, [`incref_in`]: a committed reference always points to
//!   a durable file. Identical content is stored once.
//! * **References** (`refs.rs`): `blobs_v1` holds a count per blob; [`decref_in`] at zero stamps
//!   the time and adds the blob to the `blobs_unreferenced_v1` index.
//! * **Sweep** (`sweep.rs`): a background task deletes blobs unreferenced for longer than the
//!   grace period, and files no row knows (crash leftovers, stale temp files).
//! * **Check** (`check.rs`): `cartable check` re-hashes every blob the store knows.
//!
//! docs/blobs.md explains the design and what a crash at each step leaves behind.

mod check;
mod refs;
mod sweep;
mod write;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use jiff::Timestamp;

use crate::clock::SharedClock;
pub use crate::model::blobs::{BlobId, BlobMeta};
use crate::store::StoreError;

pub use check::BlobCheckReport;
pub use refs::{decref_in, incref_in, meta};
pub use sweep::SweepReport;
pub use write::BlobWriter;

/// The directory of the blobs inside the data directory.
pub const BLOBS_DIR: &str = "blobs";
/// The directory of files being written, inside [`BLOBS_DIR`].
pub const TMP_DIR: &str = "tmp";

/// What can go wrong with blobs.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    /// The content is larger than the limit the caller gave; nothing was kept.
    #[error("the file is larger than {limit} bytes")]
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// No file for this blob.
    #[error("blob {0} is missing")]
    NotFound(BlobId),
    /// A range outside the blob.
    #[error("range {start}+{len} is outside blob {id} ({size} bytes)")]
    BadRange {
        /// The blob.
        id: BlobId,
        /// Its size.
        size: u64,
        /// First byte asked for.
        start: u64,
        /// Bytes asked for.
        len: u64,
    },
    /// A reference with a size that differs from the one recorded (a caller's mistake).
    #[error("blob {id} is recorded with {recorded} bytes, not {given}")]
    SizeMismatch {
        /// The blob.
        id: BlobId,
        /// Size in `blobs_v1`.
        recorded: u64,
        /// Size the caller gave.
        given: u64,
    },
    /// A file system failure.
    #[error("blob storage failure: {0}")]
    Io(#[from] std::io::Error),
    /// A store failure.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The blob files of one data directory. Cheap to clone; clones share the in-memory guard that
/// keeps the sweep away from files being written or just written.
#[derive(Clone)]
pub struct BlobStore {
    inner: Arc<Inner>,
}

struct Inner {
    root: PathBuf,
    clock: SharedClock,
    guard: Mutex<Guard>,
}

/// What the sweep must not touch. Only this process writes blobs (it holds the store's lock),
/// so in-memory bookkeeping is enough; a crash forgets it, and leaves only files the sweep may
/// delete once the grace period has passed.
#[derive(Default)]
struct Guard {
    /// Blobs returned by `put` recently, with when: their reference may not be committed yet.
    fresh: HashMap<BlobId, Timestamp>,
    /// Names of temp files being written.
    writing: HashSet<String>,
}

impl std::fmt::Debug for BlobStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlobStore")
            .field("root", &self.inner.root)
            .finish()
    }
}

impl BlobStore {
    /// The blob store of `data_dir` (`<data_dir>/blobs`). Creates nothing yet: directories are
    /// made by the first write.
    pub fn new(data_dir: &Path, clock: SharedClock) -> BlobStore {
        BlobStore {
            inner: Arc::new(Inner {
                root: data_dir.join(BLOBS_DIR),
                clock,
                guard: Mutex::new(Guard::default()),
            }),
        }
    }

    /// `<data_dir>/blobs`.
    pub fn root(&self) -> &Path {
        &self.inner.root
    }

    /// `<data_dir>/blobs/tmp`.
    pub fn tmp_dir(&self) -> PathBuf {
        self.inner.root.join(TMP_DIR)
    }

    /// Where a blob's file lives: `blobs/ab/cd/abcd…` (two levels of 256 directories, so that no
    /// directory grows past a few thousand entries).
    pub fn path_of(&self, id: BlobId) -> PathBuf {
        let hex = id.to_hex();
        self.inner.root.join(&hex[0..2]).join(&hex[2..4]).join(hex)
    }

    /// Opens a blob for reading, with its size on disk. Use it from async code (HTTP
    /// downloads): the file reads go to tokio's blocking pool.
    pub async fn open(&self, id: BlobId) -> Result<(tokio::fs::File, u64), BlobError> {
        let file = tokio::fs::File::open(self.path_of(id))
            .await
            .map_err(|e| not_found(id, e))?;
        let size = file.metadata().await?.len();
        Ok((file, size))
    }

    /// Opens `len` bytes of a blob from byte `start` (HTTP range requests): the file is
    /// positioned at `start` and reading stops after `len` bytes.
    pub async fn open_range(
        &self,
        id: BlobId,
        start: u64,
        len: u64,
    ) -> Result<tokio::io::Take<tokio::fs::File>, BlobError> {
        use tokio::io::{AsyncReadExt as _, AsyncSeekExt as _};
        let (mut file, size) = self.open(id).await?;
        if start.checked_add(len).is_none_or(|end| end > size) {
            return Err(BlobError::BadRange {
                id,
                size,
                start,
                len,
            });
        }
        file.seek(std::io::SeekFrom::Start(start)).await?;
        Ok(file.take(len))
    }

    /// Opens a blob for reading from blocking code (CLI, tests), with its size on disk.
    pub fn open_sync(&self, id: BlobId) -> Result<(std::fs::File, u64), BlobError> {
        let file = std::fs::File::open(self.path_of(id)).map_err(|e| not_found(id, e))?;
        let size = file.metadata()?.len();
        Ok((file, size))
    }

    /// Reads a whole blob into memory (small blobs and tests only).
    pub fn read_all(&self, id: BlobId) -> Result<Vec<u8>, BlobError> {
        std::fs::read(self.path_of(id)).map_err(|e| not_found(id, e))
    }

    fn now(&self) -> Timestamp {
        self.inner.clock.now()
    }

    fn guard(&self) -> MutexGuard<'_, Guard> {
        // The guard's maps stay consistent even if a holder panicked: keep using them.
        self.inner
            .guard
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn not_found(id: BlobId, e: std::io::Error) -> BlobError {
    if e.kind() == std::io::ErrorKind::NotFound {
        BlobError::NotFound(id)
    } else {
        BlobError::Io(e)
    }
}

/// fsyncs a directory, so that the names created or renamed in it survive a power loss.
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip_and_fan_out() {
        let id = BlobId::of(b"hello world");
        assert_eq!(
            id.to_hex(),
            "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
        );
        assert_eq!(BlobId::from_hex(&id.to_hex()), Some(id));
        assert_eq!(BlobId::from_hex(&id.to_hex().to_uppercase()), Some(id));
        assert_eq!(BlobId::from_hex("b94d"), None);
        assert_eq!(BlobId::from_hex(&"g".repeat(64)), None);
        assert_eq!(BlobId::from_hex(&"é".repeat(32)), None);
        let store = BlobStore::new(
            Path::new("/data"),
            Arc::new(crate::clock::SystemClock) as SharedClock,
        );
        assert_eq!(
            store.path_of(id),
            Path::new("/data/blobs/b9/4d").join(id.to_hex())
        );
    }
}
