//! The index on disk: `<data_dir>/index/`, its commit payload, and the directories of a rebuild.
//!
//! * Every commit carries a payload naming the change log [`Position`] the index reflects
//!   (`{"format":1,"position":{…}}`): all entries up to it are in, none after. The indexer
//!   resumes from there; a position the store's log does not hold (another store, a rewound
//!   log) means a rebuild.
//! * A rebuild writes `index.new/`, then swaps: `index/` → `index.old/`, `index.new/` →
//!   `index/`, then deletes `index.old/`. [`recover`] finishes or undoes a swap a crash cut
//!   short, and drops an unfinished `index.new/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::schema::Value as _;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument};

use super::schema::{self, Fields};
use super::{SearchError, analyzer};
use crate::store::{Position, ReadTx};

/// The live index's directory, inside the data directory.
pub const INDEX_DIR: &str = "index";
/// Where a rebuild writes the new index.
pub const NEW_DIR: &str = "index.new";
/// Where the replaced index goes for the moment of the swap.
pub const OLD_DIR: &str = "index.old";

/// Version of the payload's format.
const PAYLOAD_FORMAT: u32 = 1;

/// The commit payload.
#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    format: u32,
    position: Position,
}

/// The payload of a commit that reflects the log up to `position`.
pub(crate) fn payload(position: Position) -> Result<String, SearchError> {
    serde_json::to_string(&Payload {
        format: PAYLOAD_FORMAT,
        position,
    })
    .map_err(|e| SearchError::Io(std::io::Error::other(e)))
}

/// The position of the last commit of `index` (`None`: never committed with a payload, or a
/// payload of another format).
pub(crate) fn position_of(index: &Index) -> Result<Option<Position>, SearchError> {
    let metas = index.load_metas()?;
    Ok(metas
        .payload
        .and_then(|p| serde_json::from_str::<Payload>(&p).ok())
        .filter(|p| p.format == PAYLOAD_FORMAT)
        .map(|p| p.position))
}

/// Whether the store's change log holds `position` (so the index can resume after it).
pub(crate) fn in_log(read: &ReadTx, position: Position) -> Result<bool, SearchError> {
    if position.seq == 0 {
        return Ok(true);
    }
    Ok(read
        .entry(position.seq)?
        .is_some_and(|e| e.hash == position.hash && e.body.epoch == position.epoch))
}

fn register(index: &Index) {
    index
        .tokenizers()
        .register(analyzer::FRENCH, analyzer::french());
}

/// Opens the index in `path`: `None` if there is none, or if its schema is not ours.
pub(crate) fn open_dir(path: &Path) -> Result<Option<(Index, Fields)>, SearchError> {
    if !path.join("meta.json").exists() {
        return Ok(None);
    }
    let directory = MmapDirectory::open(path)?;
    if !Index::exists(&directory)? {
        return Ok(None);
    }
    let index = Index::open(directory)?;
    let Some(fields) = schema::fields(&index.schema())? else {
        return Ok(None);
    };
    register(&index);
    Ok(Some((index, fields)))
}

/// A new, empty index in `path` (whatever was there is deleted first).
pub(crate) fn create_dir(path: &Path) -> Result<(Index, Fields), SearchError> {
    remove_dir_if_any(path)?;
    std::fs::create_dir_all(path)?;
    let index = Index::create_in_dir(path, schema::build())?;
    let fields = schema::fields(&index.schema())?.ok_or_else(|| {
        SearchError::Io(std::io::Error::other(
            "the new index has an unexpected schema",
        ))
    })?;
    register(&index);
    Ok((index, fields))
}

/// The writer of an index: one indexing thread (the machine has few cores, and the indexer
/// is a background task), `memory` bytes of buffer.
pub(crate) fn writer(index: &Index, memory: usize) -> Result<IndexWriter, SearchError> {
    Ok(index.writer_with_num_threads(1, memory)?)
}

/// A reader reloaded by hand after each commit, so a search right after the indexer says it
/// caught up sees everything (no reload delay).
pub(crate) fn reader(index: &Index) -> Result<IndexReader, SearchError> {
    Ok(index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?)
}

fn remove_dir_if_any(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

fn sync_dir(path: &Path) -> std::io::Result<()> {
    std::fs::File::open(path)?.sync_all()
}

/// Finishes or undoes a swap that a crash interrupted, and drops an unfinished rebuild:
/// * `index.old/` without `index/`: the crash came between the two renames → `index.old/` is
///   put back (the rebuild is lost, the old index is whole);
/// * `index.old/` with `index/`: the swap was done → `index.old/` goes;
/// * `index.new/`: a rebuild that did not finish → it goes.
pub(crate) fn recover(data_dir: &Path) -> std::io::Result<()> {
    let (live, new, old) = dirs(data_dir);
    if old.exists() {
        if live.exists() {
            remove_dir_if_any(&old)?;
        } else {
            std::fs::rename(&old, &live)?;
            sync_dir(data_dir)?;
        }
    }
    remove_dir_if_any(&new)
}

/// Puts the finished `index.new/` in the place of `index/` (see the module documentation).
/// No writer may be open on either.
pub(crate) fn swap(data_dir: &Path) -> std::io::Result<()> {
    let (live, new, old) = dirs(data_dir);
    remove_dir_if_any(&old)?;
    if live.exists() {
        std::fs::rename(&live, &old)?;
    }
    std::fs::rename(&new, &live)?;
    sync_dir(data_dir)?;
    remove_dir_if_any(&old)
}

fn dirs(data_dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    (
        data_dir.join(INDEX_DIR),
        data_dir.join(NEW_DIR),
        data_dir.join(OLD_DIR),
    )
}

/// What `cartable check` reports of the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexState {
    /// No index yet: the server builds it when it starts.
    Missing,
    /// An index from an older Cartable, or without a position: rebuilt at start.
    Outdated,
    /// An index at `position`, which the log does not hold (another store): rebuilt at start.
    Foreign(Position),
    /// An index reflecting the log up to `position`, with `documents` items.
    At {
        /// Its position.
        position: Position,
        /// How many items it holds.
        documents: u64,
    },
}

/// The state of the index of `data_dir` against the store read by `read` (nothing written; the
/// server must be stopped, as for `cartable check`).
pub fn inspect(data_dir: &Path, read: &ReadTx) -> Result<IndexState, SearchError> {
    let Some((index, _)) = open_dir(&data_dir.join(INDEX_DIR))? else {
        return Ok(if data_dir.join(INDEX_DIR).exists() {
            IndexState::Outdated
        } else {
            IndexState::Missing
        });
    };
    let Some(position) = position_of(&index)? else {
        return Ok(IndexState::Outdated);
    };
    if !in_log(read, position)? {
        return Ok(IndexState::Foreign(position));
    }
    let documents = reader(&index)?.searcher().num_docs();
    Ok(IndexState::At {
        position,
        documents,
    })
}

/// How many live index documents carry each item id (`doc:12` → 1): every item must be there
/// at most once. Reads every stored id: for tests and investigations, not for requests.
pub fn count_by_id(data_dir: &Path) -> Result<BTreeMap<String, u32>, SearchError> {
    let mut out = BTreeMap::new();
    let Some((index, fields)) = open_dir(&data_dir.join(INDEX_DIR))? else {
        return Ok(out);
    };
    let searcher = reader(&index)?.searcher();
    for segment in searcher.segment_readers() {
        let store = segment.get_store_reader(64)?;
        for doc in segment.doc_ids_alive() {
            let doc: TantivyDocument = store.get(doc)?;
            let id = doc
                .get_first(fields.id)
                .and_then(|v| v.as_str())
                .unwrap_or("?")
                .to_owned();
            *out.entry(id).or_insert(0) += 1;
        }
    }
    Ok(out)
}
