//! [`Tailer`]: a reader of the change log that remembers how far it got.
//!
//! The search indexer, the notifier and the replication feeder are tailers. Each reads the
//! entries after its saved [`Position`], does its work, then saves the position of the last
//! entry it finished (node-local, so saving writes no change log entry). After a crash or a
//! restart it resumes from there: work may be redone once, never skipped.

use tokio::sync::watch;

use super::changelog::{LoggedEntry, Position};
use super::{Store, StoreError, tables};

/// A named reader of the change log.
pub struct Tailer {
    store: Store,
    name: String,
    position: Position,
    head: watch::Receiver<Position>,
    /// Entries passed by [`Tailer::skip`] since the position was last saved.
    unsaved: u64,
    /// When [`Tailer::save_when_idle`] last saved (or first found entries to save).
    idle_saved_at: Option<jiff::Timestamp>,
}

impl Tailer {
    /// Opens the tailer `name`, at its saved position (or before the first entry).
    pub fn open(store: &Store, name: &str) -> Result<Tailer, StoreError> {
        let saved = store
            .read()?
            .get(&tables::TAILER_POSITIONS, &name.to_owned())?;
        let position = match saved {
            Some(p) => p,
            None => Position::origin(store.head().epoch),
        };
        Ok(Tailer {
            store: store.clone(),
            name: name.to_owned(),
            position,
            head: store.subscribe(),
            unsaved: 0,
            idle_saved_at: None,
        })
    }

    /// The position of the last entry this tailer finished.
    pub fn position(&self) -> Position {
        self.position
    }

    /// The next entries to work on, at most `max`, oldest first (empty when caught up).
    /// Fails if the log no longer continues from this tailer's position (truncated past it,
    /// or rewound): the tailer must then rebuild what it maintains.
    pub fn next_batch(&self, max: usize) -> Result<Vec<LoggedEntry>, StoreError> {
        let read = self.store.read()?;
        let batch = read.entries_after(self.position.seq, max)?;
        if let Some(first) = batch.first()
            && (first.body.seq != self.position.seq + 1
                || (self.position.seq > 0 && first.prev_hash != self.position.hash))
        {
            return Err(StoreError::Diverged(format!(
                "tailer {}: the change log no longer continues from entry {}",
                self.name, self.position.seq
            )));
        }
        Ok(batch)
    }

    /// Records that every entry up to and including `entry` is done.
    pub fn advance(&mut self, entry: &LoggedEntry) -> Result<(), StoreError> {
        self.save(entry.position())
    }

    /// Saves `position` as this tailer's (its own commit) and makes it the current one.
    fn save(&mut self, position: Position) -> Result<(), StoreError> {
        self.store.write(|tx| {
            tx.insert(&tables::TAILER_POSITIONS, &self.name, &position)?;
            Ok::<_, StoreError>(())
        })?;
        self.position = position;
        self.unsaved = 0;
        Ok(())
    }

    /// Saves the position if entries were passed by [`Tailer::skip`] since the last save and
    /// this method last saved at least `every` before `now` (the first call only starts the
    /// count). A tailer calls it once caught up, so that a restart does not read again what it
    /// passed: a demo or an import is one entry of hundreds of MB decoded, which a restart
    /// would otherwise decode again (issue 14 §14). Returns whether it saved.
    pub fn save_when_idle(
        &mut self,
        now: jiff::Timestamp,
        every: jiff::SignedDuration,
    ) -> Result<bool, StoreError> {
        if self.unsaved == 0 {
            return Ok(false);
        }
        match self.idle_saved_at {
            Some(last) if now.duration_since(last) >= every => {}
            Some(_) => return Ok(false),
            None => {
                self.idle_saved_at = Some(now);
                return Ok(false);
            }
        }
        self.save(self.position)?;
        self.idle_saved_at = Some(now);
        Ok(true)
    }

    /// Records, in the caller's transaction, that every entry up to `entry` is done, so that
    /// the work and the position commit together (no entry redone after a crash). Call
    /// [`Tailer::moved_to`] once the transaction committed.
    pub fn save_in(&self, tx: &mut super::Tx, entry: &LoggedEntry) -> Result<(), StoreError> {
        tx.insert(&tables::TAILER_POSITIONS, &self.name, &entry.position())
            .map(|_| ())
    }

    /// The transaction of [`Tailer::save_in`] committed.
    pub fn moved_to(&mut self, entry: &LoggedEntry) {
        self.position = entry.position();
        self.unsaved = 0;
    }

    /// Moves past `entry`, which needed no work, without saving the position (saving every
    /// such entry would double the commits of the whole system). Returns how many entries were
    /// passed so since the last save: the caller saves now and then ([`Tailer::advance`]); a
    /// crash before that only re-reads entries that need no work.
    pub fn skip(&mut self, entry: &LoggedEntry) -> u64 {
        self.position = entry.position();
        self.unsaved += 1;
        self.unsaved
    }

    /// Waits until the log has entries after this tailer's position.
    pub async fn wait(&mut self) {
        let seq = self.position.seq;
        // The sender lives as long as the store; an error means it is closing, so return.
        let _ = self.head.wait_for(|head| head.seq > seq).await;
    }
}
