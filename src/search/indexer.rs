//! The live indexer: a tailer of the change log (DESIGN.md §3, §6) that keeps the index in step
//! with the store.
//!
//! * It resumes after the position in the index's last commit payload: the index and its
//!   position are committed together, so a `kill -9` anywhere loses nothing and duplicates
//!   nothing — every update is "delete the item's id, add its current state", which is
//!   idempotent, and entries after the payload are simply applied again.
//! * For each entry it gathers the items touched ([`Touched`]), reads their current state from
//!   a snapshot at least as new as the entry, and re-indexes them. A folder's files follow it
//!   (moved, shared, trashed, restored): its descendants are walked, bounded.
//! * A batch ends after [`MAX_ENTRIES`] entries or [`MAX_ITEMS`] items re-indexed, then the
//!   index is committed with the new position and the reader reloaded. Entries that touch
//!   nothing are only committed every [`SAVE_EVERY`] (a restart re-reads them, harmlessly).

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

use tantivy::{Index, IndexWriter, TantivyDocument, Term};

use super::index::{self, payload};
use super::items::{self, DocState, Item, Key, Touched};
use super::schema::Fields;
use super::texts::Pending;
use super::{Live, Search, SearchError, lock};
use crate::model::documents::NodeId;
use crate::store::tables::{CHILD_PARENTS, DOCUMENT_NODES};
use crate::store::{Position, ReadTx, Store};

/// Entries read from the store at a time: one, as the notifier does. An entry may hold a whole
/// import (a sector of the region demo is one entry of tens of MB once decoded), and what is
/// decoded at once is what the allocator keeps afterwards (issue 14 §14); reading the next entry
/// is one seek in the log's table.
const READ_AT_ONCE: usize = 1;
/// At most this many entries between two commits.
pub(crate) const MAX_ENTRIES: u64 = 1_000;
/// A commit once this many items were re-indexed.
pub(crate) const MAX_ITEMS: usize = 100;
/// Entries that touch nothing, passed before their position is committed anyway.
const SAVE_EVERY: u64 = 1_000;
/// The most nodes walked under one folder (a larger tree is re-indexed by `cartable reindex`).
const MAX_WALK: usize = 100_000;
/// A body is indexed up to this many characters (the extraction stops at 1,000,000).
const MAX_BODY_CHARS: usize = 1_000_000;
/// The start of a body kept for snippets.
const MAX_EXCERPT_CHARS: usize = 100_000;

/// An index being written: the live one, or a rebuild's.
pub(crate) struct Writer {
    /// The index.
    pub index: Index,
    /// Its fields.
    pub fields: Fields,
    /// Its only writer.
    pub writer: IndexWriter,
    /// The last entry applied (committed or not).
    pub position: Position,
    /// Items changed since the last commit.
    pub dirty: bool,
    /// Entries applied since the last commit.
    pub uncommitted: u64,
}

impl Writer {
    /// A writer for `index`, positioned at `position`.
    pub(crate) fn new(
        index: Index,
        fields: Fields,
        position: Position,
        memory: usize,
    ) -> Result<Writer, SearchError> {
        let writer = index::writer(&index, memory)?;
        Ok(Writer {
            index,
            fields,
            writer,
            position,
            dirty: false,
            uncommitted: 0,
        })
    }

    /// Commits what was written, with the position as payload.
    pub(crate) fn commit(&mut self) -> Result<(), SearchError> {
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&payload(self.position)?);
        prepared.commit()?;
        self.dirty = false;
        self.uncommitted = 0;
        Ok(())
    }

    /// Replaces the item `key` by `item` (`None`: removes it).
    pub(crate) fn put(&self, key: Key, item: Option<Item>) -> Result<(), SearchError> {
        self.writer
            .delete_term(Term::from_field_text(self.fields.id, &key.id_text()));
        if let Some(item) = item {
            self.writer.add_document(document(&self.fields, item))?;
        }
        Ok(())
    }

    /// Adds an item known not to be in the index yet (a rebuild).
    pub(crate) fn add(&self, item: Item) -> Result<(), SearchError> {
        self.writer.add_document(document(&self.fields, item))?;
        Ok(())
    }
}

/// The first `max` characters of `text`.
pub(crate) fn cap_chars(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

fn document(fields: &Fields, item: Item) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.id, item.key.id_text());
    doc.add_u64(fields.key, item.key.packed());
    doc.add_text(fields.kind, item.key.kind().code());
    doc.add_text(fields.title, &item.title);
    let body = cap_chars(&item.body, MAX_BODY_CHARS);
    doc.add_text(fields.body, body);
    doc.add_text(fields.excerpt, cap_chars(body, MAX_EXCERPT_CHARS));
    for principal in &item.acl {
        doc.add_text(fields.acl, principal);
    }
    if let Some(owner) = item.owner {
        doc.add_u64(fields.owner, owner.0);
    }
    if let Some(date) = item.date {
        doc.add_i64(fields.date, date.as_microsecond());
    }
    doc
}

/// A file's item with its text.
pub(crate) fn file_item(
    search: &Search,
    read: &ReadTx,
    pending: &mut Pending,
    mut item: Item,
    version: &crate::model::documents::FileVersion,
) -> Result<Item, SearchError> {
    item.body = search.file_text(read, pending, &item.title, version)?;
    Ok(item)
}

/// Re-indexes what `touched` names, each item once per batch (`done`). Returns how many items
/// were re-indexed or removed.
fn apply(
    search: &Search,
    read: &ReadTx,
    w: &Writer,
    touched: &Touched,
    done: &mut HashSet<Key>,
    pending: &mut Pending,
) -> Result<usize, SearchError> {
    for blob in &touched.blobs_gone {
        pending.forget(*blob);
    }
    let mut n = 0;
    let mut people = touched.people.clone();
    for pupil in &touched.pupils {
        people.insert(*pupil);
        for row in read.scan_prefix(&CHILD_PARENTS, &(*pupil,))? {
            let ((_, parent), ()) = row?;
            people.insert(parent);
        }
    }
    for id in people {
        if done.insert(Key::Person(id)) {
            w.put(Key::Person(id), items::person(read, id)?)?;
            n += 1;
        }
    }
    for id in &touched.messages {
        if done.insert(Key::Message(*id)) {
            w.put(Key::Message(*id), items::message(read, *id)?)?;
            n += 1;
        }
    }
    let mut queue: VecDeque<NodeId> = touched.docs.iter().copied().collect();
    let mut walked = 0;
    while let Some(id) = queue.pop_front() {
        let key = Key::Document(id);
        if !done.insert(key) {
            continue;
        }
        walked += 1;
        if walked > MAX_WALK {
            tracing::warn!(
                "search: a folder holds more than {MAX_WALK} nodes; run `cartable reindex`"
            );
            break;
        }
        n += 1;
        match items::document(read, id)? {
            DocState::Gone => {
                w.put(key, None)?;
                // A trashed folder: what it holds leaves the results too.
                if let Some(node) = read.get(&DOCUMENT_NODES, &id)?
                    && node.is_folder()
                {
                    queue.extend(items::children(read, node.space, id)?);
                }
            }
            DocState::Folder(space) => {
                w.put(key, None)?;
                queue.extend(items::children(read, space, id)?);
            }
            DocState::File { item, version } => {
                let item = file_item(search, read, pending, item, &version)?;
                w.put(key, Some(item))?;
            }
        }
    }
    Ok(n)
}

/// What one [`catch_up_writer`] did.
pub(crate) struct Step {
    /// Entries applied.
    pub entries: u64,
    /// Whether the index was committed.
    pub committed: bool,
}

/// Applies the entries after `w.position`, up to a batch, and commits if there was work (or
/// many entries without). Fails with [`SearchError::Diverged`] if the log does not continue
/// from `w.position`.
pub(crate) fn catch_up_writer(
    search: &Search,
    store: &Store,
    w: &mut Writer,
) -> Result<Step, SearchError> {
    let read = store.read()?;
    let mut pending = Pending::default();
    let mut done = HashSet::new();
    let mut entries = 0;
    let mut items = 0;
    'batch: loop {
        let batch = read.entries_after(w.position.seq, READ_AT_ONCE)?;
        if batch.is_empty() {
            break;
        }
        for entry in batch {
            search.check_stopping()?;
            let follows = entry.body.seq == w.position.seq + 1
                && (w.position.seq == 0 || entry.prev_hash == w.position.hash);
            if !follows {
                return Err(SearchError::Diverged(format!(
                    "the change log does not continue from entry {}",
                    w.position.seq
                )));
            }
            let mut touched = Touched::default();
            touched.add(&entry);
            if !touched.is_empty() {
                items += apply(search, &read, w, &touched, &mut done, &mut pending)?;
                w.dirty = true;
            }
            w.position = entry.position();
            w.uncommitted += 1;
            entries += 1;
            if entries >= MAX_ENTRIES || items >= MAX_ITEMS {
                break 'batch;
            }
        }
    }
    let committed = entries > 0 && (w.dirty || w.uncommitted >= SAVE_EVERY);
    if committed {
        w.commit()?;
    }
    pending.flush(store)?;
    Ok(Step { entries, committed })
}

impl Search {
    /// Opens the live index: resumes the one in `index/` if the store's log holds its position,
    /// else builds it from the store ([`Search::rebuild`]). Does nothing if it is open.
    pub fn open(&self, store: &Store) -> Result<(), SearchError> {
        if lock(&self.writer).is_some() {
            return Ok(());
        }
        let _rebuilding = self.start_rebuild()?;
        if lock(&self.writer).is_some() {
            return Ok(());
        }
        index::recover(&self.data_dir)?;
        let path = self.data_dir.join(index::INDEX_DIR);
        let existing = index::open_dir(&path).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "search: the index is unreadable; rebuilding it");
            None
        });
        if let Some((index, fields)) = existing {
            match index::position_of(&index).unwrap_or(None) {
                Some(position) if index::in_log(&store.read()?, position)? => {
                    let reader = index::reader(&index)?;
                    let writer =
                        Writer::new(index.clone(), fields, position, self.config.writer_memory)?;
                    self.install(writer, Live { reader, fields });
                    return Ok(());
                }
                Some(position) => tracing::warn!(
                    seq = position.seq,
                    "search: the index was made from another store or a rewound log; rebuilding it"
                ),
                None => tracing::info!("search: the index has no position; rebuilding it"),
            }
        } else if path.exists() {
            tracing::info!("search: the index was made by another version; rebuilding it");
        }
        self.rebuild_held(store, &mut |_, _| {})?;
        Ok(())
    }

    /// Puts a writer and a reader in place (the writer's position becomes the status).
    pub(crate) fn install(&self, writer: Writer, live: Live) {
        let position = writer.position;
        let mut guard = lock(&self.writer);
        *guard = Some(writer);
        *self
            .live
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Arc::new(live));
        drop(guard);
        self.indexed.send_replace(Some(position));
    }

    /// Applies the next batch of change log entries to the live index (see the module
    /// documentation). Returns how many entries it applied: 0 once caught up.
    pub fn catch_up(&self, store: &Store) -> Result<u64, SearchError> {
        let mut guard = lock(&self.writer);
        let Some(w) = guard.as_mut() else {
            return Err(SearchError::NotReady);
        };
        match catch_up_writer(self, store, w) {
            Ok(step) => {
                if step.committed
                    && let Some(live) = self.live()
                {
                    live.reader.reload()?;
                }
                if step.entries > 0 {
                    self.indexed.send_replace(Some(w.position));
                }
                Ok(step.entries)
            }
            Err(e) => {
                // Whatever was not committed is dropped; the next `open` resumes from the
                // last commit.
                *guard = None;
                Err(e)
            }
        }
    }

    /// Opens the index if needed and applies every entry up to the store's head.
    pub fn catch_up_all(&self, store: &Store) -> Result<(), SearchError> {
        self.open(store)?;
        while self.catch_up(store)? > 0 {}
        Ok(())
    }
}
