//! `cartable reindex`: a fresh index built from the store while the live one keeps serving.
//!
//! 1. A read snapshot of the store, at head position `P`: every file, sent message and person
//!    in it is written to `index.new/` and committed with payload `P`.
//! 2. The new index catches up from `P` by tailing the log, like the live indexer, while the
//!    live indexer keeps the old index current and serving.
//! 3. The live indexer is paused (its lock taken), the new index takes the last entries, both
//!    writers close, `index.new/` replaces `index/` (two renames, see `index.rs`), and the
//!    reader and writer are reopened on it. Searches in flight finish on the old files.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::index::{self, INDEX_DIR, NEW_DIR};
use super::indexer::{Writer, catch_up_writer, file_item};
use super::items::{self, DocState};
use super::texts::Pending;
use super::{Live, Search, SearchError, lock};
use crate::model::directory::PersonId;
use crate::model::documents::NodeId;
use crate::model::messaging::MessageId;
use crate::store::tables::{DOCUMENT_NODES, MESSAGES, PEOPLE};
use crate::store::{ReadTx, Store};

/// Progress is reported every this many items.
const REPORT_EVERY: u64 = 50;
/// Extracted texts are written to their cache table every this many.
const FLUSH_TEXTS_EVERY: usize = 64;

/// While held, no other rebuild (nor the opening of the index) starts.
pub(crate) struct RebuildGuard<'a>(&'a Search);

impl Drop for RebuildGuard<'_> {
    fn drop(&mut self) {
        self.0.rebuilding.store(false, Ordering::SeqCst);
    }
}

impl Search {
    /// Takes the rebuild flag, or says [`SearchError::Busy`].
    pub(crate) fn start_rebuild(&self) -> Result<RebuildGuard<'_>, SearchError> {
        self.rebuilding
            .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
            .map_err(|_| SearchError::Busy)?;
        Ok(RebuildGuard(self))
    }

    /// Whether a rebuild is running.
    pub fn is_rebuilding(&self) -> bool {
        self.rebuilding.load(Ordering::SeqCst)
    }

    /// Rebuilds the index from the store (see the module documentation), calling
    /// `progress(done, total)` as the snapshot's items are written. Returns how many items
    /// the snapshot held. [`SearchError::Busy`] if a rebuild is already running.
    pub fn rebuild(
        &self,
        store: &Store,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<u64, SearchError> {
        let _guard = self.start_rebuild()?;
        self.rebuild_held(store, progress)
    }

    /// [`Search::rebuild`], the flag already taken.
    pub(crate) fn rebuild_held(
        &self,
        store: &Store,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<u64, SearchError> {
        let (index, fields) = index::create_dir(&self.data_dir.join(NEW_DIR))?;
        let read = store.read()?;
        let mut w = Writer::new(index, fields, read.head()?, self.config.writer_memory)?;
        let items = self.fill(store, &read, &mut w, progress)?;
        drop(read);
        w.commit()?;
        // Catch up while the live index serves.
        while catch_up_writer(self, store, &mut w)?.entries > 0 {}
        // Pause the live indexer, take the last entries, swap.
        let mut live_writer = lock(&self.writer);
        while catch_up_writer(self, store, &mut w)?.entries > 0 {}
        w.commit()?;
        let position = w.position;
        w.writer.wait_merging_threads()?;
        drop(w.index);
        if let Some(old) = live_writer.take() {
            // Its merges must not write into the directory once it is renamed.
            old.writer.wait_merging_threads()?;
        }
        index::swap(&self.data_dir)?;
        let (index, fields) =
            index::open_dir(&self.data_dir.join(INDEX_DIR))?.ok_or_else(|| {
                SearchError::Io(std::io::Error::other("the rebuilt index cannot be opened"))
            })?;
        let reader = index::reader(&index)?;
        *live_writer = Some(Writer::new(
            index.clone(),
            fields,
            position,
            self.config.writer_memory,
        )?);
        *self
            .live
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) =
            Some(Arc::new(Live { reader, fields }));
        drop(live_writer);
        self.indexed.send_replace(Some(position));
        tracing::info!(items, seq = position.seq, "search: index rebuilt");
        Ok(items)
    }

    /// Writes every file, sent message and person of the snapshot. Returns how many items.
    fn fill(
        &self,
        store: &Store,
        read: &ReadTx,
        w: &mut Writer,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<u64, SearchError> {
        let count = |name: &str| -> Result<u64, SearchError> {
            let mut n = 0;
            for row in read.raw_rows(name)? {
                row?;
                n += 1;
            }
            Ok(n)
        };
        let total = count(DOCUMENT_NODES.name())? + count(MESSAGES.name())? + count(PEOPLE.name())?;
        progress(0, total);
        let mut done = 0;
        let mut items = 0;
        let mut pending = Pending::default();
        let mut step = |done: &mut u64, pending: &mut Pending| -> Result<(), SearchError> {
            self.check_stopping()?;
            *done += 1;
            if done.is_multiple_of(REPORT_EVERY) {
                progress(*done, total);
            }
            if pending.len() >= FLUSH_TEXTS_EVERY {
                pending.flush(store)?;
            }
            Ok(())
        };
        for row in read.range(&DOCUMENT_NODES, NodeId(0)..)? {
            let (id, _) = row?;
            if let DocState::File { item, version } = items::document(read, id)? {
                w.add(file_item(self, read, &mut pending, item, &version)?)?;
                items += 1;
            }
            step(&mut done, &mut pending)?;
        }
        for row in read.range(&MESSAGES, MessageId(0)..)? {
            let (id, _) = row?;
            if let Some(item) = items::message(read, id)? {
                w.add(item)?;
                items += 1;
            }
            step(&mut done, &mut pending)?;
        }
        for row in read.range(&PEOPLE, PersonId(0)..)? {
            let (id, _) = row?;
            if let Some(item) = items::person(read, id)? {
                w.add(item)?;
                items += 1;
            }
            step(&mut done, &mut pending)?;
        }
        pending.flush(store)?;
        progress(total, total);
        Ok(items)
    }
}
