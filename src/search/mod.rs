//! Search (issue 7 §3, DESIGN.md §6): one Tantivy index in `<data_dir>/index/` over the files'
//! names and text, the messages and the people, fed by a tailer of the change log; every query
//! filtered by the actor's principals inside Tantivy, every hit re-checked against the store.
//!
//! * `analyzer`: the French analyzer (`fr`): lower case, accents folded, French stemming.
//! * `schema`: the fields; `index`: the directory and the commit payload (the change log
//!   position the index reflects).
//! * `items`: what is indexed for a file, a message, a person, with its `acl` principals, and
//!   which items a change log entry touches.
//! * `extract` (text of PDF, DOCX, ODT… in a bounded child process) and `texts` (its cache).
//! * `indexer`: the live tailer; `rebuild`: `cartable reindex`; `control`: the server's
//!   control socket.
//! * `query`: the search itself.
//!
//! See docs/search.md.

pub mod analyzer;
pub mod control;
pub mod extract;
pub mod index;
pub mod indexer;
pub mod items;
pub mod query;
pub mod rebuild;
mod schema;
mod snippets;
pub mod texts;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use tokio::sync::watch;

use crate::blobs::BlobStore;
use crate::store::{Position, StoreError};
use extract::ExtractLimits;
use indexer::Writer;
use schema::Fields;

pub use items::{Key, Kind};

/// How the search runs on this node.
#[derive(Debug, Clone)]
pub struct SearchConfig {
    /// The program run as `PROGRAM extract-text …` to extract a file's text: Cartable's own
    /// binary (`std::env::current_exe()`); the integration tests give the built `cartable`.
    pub extract_program: PathBuf,
    /// The caps of each extraction.
    pub extract_limits: ExtractLimits,
    /// The index writer's buffer, in bytes.
    pub writer_memory: usize,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            extract_program: std::env::current_exe().unwrap_or_else(|_| PathBuf::from("cartable")),
            extract_limits: ExtractLimits::default(),
            writer_memory: 32 * 1024 * 1024,
        }
    }
}

/// What can go wrong with the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// A store failure.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The index failed.
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// Its directory failed.
    #[error("search index: {0}")]
    Io(#[from] std::io::Error),
    /// A rebuild is already running.
    #[error("a rebuild of the search index is already running")]
    Busy,
    /// The index is not open yet (being built at start).
    #[error("the search index is not ready yet")]
    NotReady,
    /// The index's position is not followed by the store's log: it must be rebuilt.
    #[error("the search index is out of step with the store: {0}")]
    Diverged(String),
    /// The server is stopping: the work was left for the next start.
    #[error("the server is stopping")]
    Stopping,
}

impl From<tantivy::directory::error::OpenDirectoryError> for SearchError {
    fn from(e: tantivy::directory::error::OpenDirectoryError) -> Self {
        SearchError::Index(e.into())
    }
}

impl From<tantivy::directory::error::OpenReadError> for SearchError {
    fn from(e: tantivy::directory::error::OpenReadError) -> Self {
        SearchError::Index(e.into())
    }
}

/// The live index's reading side.
pub(crate) struct Live {
    /// Its reader, reloaded after each commit.
    pub reader: tantivy::IndexReader,
    /// Its fields.
    pub fields: Fields,
}

/// The search of one data directory: the live index, its writer, its status. Shared by the
/// handlers, the indexer task and the control socket.
pub struct Search {
    data_dir: PathBuf,
    config: SearchConfig,
    blobs: BlobStore,
    live: RwLock<Option<Arc<Live>>>,
    writer: Mutex<Option<Writer>>,
    indexed: watch::Sender<Option<Position>>,
    rebuilding: AtomicBool,
    stopping: AtomicBool,
}

impl std::fmt::Debug for Search {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Search")
            .field("data_dir", &self.data_dir)
            .field("indexed", &self.status())
            .finish()
    }
}

/// Locks a mutex, even one a panicking thread left (the writer is then dropped and reopened
/// by the indexer's next error path, or still consistent).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Search {
    /// The search of `data_dir` (nothing is opened yet: the indexer task opens the index).
    pub fn new(data_dir: &Path, blobs: BlobStore, config: SearchConfig) -> Search {
        Search {
            data_dir: data_dir.to_owned(),
            config,
            blobs,
            live: RwLock::new(None),
            writer: Mutex::new(None),
            indexed: watch::channel(None).0,
            rebuilding: AtomicBool::new(false),
            stopping: AtomicBool::new(false),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &SearchConfig {
        &self.config
    }

    /// The change log position the searches see (`None` before the index is open).
    pub fn status(&self) -> Option<Position> {
        *self.indexed.borrow()
    }

    /// Waits until the searches see every entry up to `seq` (tests, and anyone who wrote and
    /// wants to find what they wrote).
    pub async fn wait_for(&self, seq: u64) {
        let mut rx = self.indexed.subscribe();
        let _ = rx.wait_for(|p| p.is_some_and(|p| p.seq >= seq)).await;
    }

    /// The server stops: a running rebuild or catch-up ends at its next item (what was not
    /// committed is redone at the next start), so the shutdown does not wait for it.
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
    }

    /// [`SearchError::Stopping`] once [`Search::stop`] was called.
    pub(crate) fn check_stopping(&self) -> Result<(), SearchError> {
        if self.stopping.load(Ordering::SeqCst) {
            Err(SearchError::Stopping)
        } else {
            Ok(())
        }
    }

    pub(crate) fn live(&self) -> Option<Arc<Live>> {
        self.live
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}
