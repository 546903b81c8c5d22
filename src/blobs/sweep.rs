//! The sweep: deletes blobs unreferenced for longer than the grace period, then files that no
//! row knows (a crash between `put` and the referring commit, or between a sweep's commit and
//! its deletion) and stale temp files, once they too have waited the grace period.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use jiff::Timestamp;

use super::{BlobError, BlobId, BlobStore, TMP_DIR};
use crate::store::Store;
use crate::store::tables::{BLOB_STRAYS, BLOBS, BLOBS_UNREFERENCED};

/// Unreferenced blobs removed per transaction.
const BATCH: usize = 256;

/// What one sweep did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Blobs unreferenced past the grace period: rows removed and files deleted.
    pub unreferenced_deleted: u64,
    /// Rows removed whose file was kept because the same content was just stored again (its
    /// new reference recreates the row).
    pub kept_fresh: u64,
    /// Blob files without a row, deleted after the grace period.
    pub orphans_deleted: u64,
    /// Temp files left by interrupted writes, deleted after the grace period.
    pub temps_deleted: u64,
    /// Bytes the deleted files held.
    pub bytes_freed: u64,
    /// Files without a row still within their grace period (deleted by a later sweep).
    pub strays_waiting: u64,
}

impl SweepReport {
    /// Whether anything was deleted.
    pub fn deleted_anything(&self) -> bool {
        self.unreferenced_deleted + self.orphans_deleted + self.temps_deleted > 0
    }
}

fn micros(d: Duration) -> i64 {
    i64::try_from(d.as_micros()).unwrap_or(i64::MAX)
}

impl BlobStore {
    /// One sweep at `now` with the given grace period (blocking: run it on the blocking pool).
    ///
    /// 1. Unreferenced blobs whose `unreferenced_since` is older than `now - grace`: in batches,
    ///    one transaction each re-checks `refs == 0` and removes the rows; after the commit the
    ///    files are deleted (a crash in between leaves files without rows: step 2).
    /// 2. Files without a row and stale temp files: the first sweep that sees one records when
    ///    (node-local `local_blob_strays_v1`); a sweep after the grace period deletes it.
    ///
    /// A blob `put` within the grace period is never deleted, whatever its row says: its
    /// referring commit may be on its way.
    pub fn sweep(
        &self,
        store: &Store,
        now: Timestamp,
        grace: Duration,
    ) -> Result<SweepReport, BlobError> {
        let cutoff = now.as_microsecond().saturating_sub(micros(grace));
        let mut report = SweepReport::default();
        self.sweep_unreferenced(store, now, grace, cutoff, &mut report)?;
        self.sweep_strays(store, now, grace, cutoff, &mut report)?;
        self.guard().fresh.retain(|_, at| !is_old(*at, now, grace));
        Ok(report)
    }

    fn sweep_unreferenced(
        &self,
        store: &Store,
        now: Timestamp,
        grace: Duration,
        cutoff: i64,
        report: &mut SweepReport,
    ) -> Result<(), BlobError> {
        loop {
            let batch: Vec<(i64, BlobId)> = store
                .read()?
                .range(&BLOBS_UNREFERENCED, ..=(cutoff, BlobId::MAX))?
                .take(BATCH)
                .map(|row| row.map(|(key, ())| key))
                .collect::<Result<_, _>>()?;
            if batch.is_empty() {
                return Ok(());
            }
            let removed = store.write(|tx| {
                let mut removed = Vec::new();
                for &(since, id) in &batch {
                    tx.remove(&BLOBS_UNREFERENCED, &(since, id))?;
                    // Re-checked inside the transaction: a reference committed since the read
                    // above keeps the blob (its index row is then a stale one, removed here).
                    if let Some(meta) = tx.get(&BLOBS, &id)?
                        && meta.refs == 0
                        && meta.unreferenced_since.map(Timestamp::as_microsecond) == Some(since)
                    {
                        tx.remove(&BLOBS, &id)?;
                        removed.push((id, meta.size));
                    }
                }
                Ok::<_, BlobError>(removed)
            })?;
            // The rows are gone (committed): now the files may go.
            for (id, size) in removed {
                if self.delete_unless_fresh(store, id, now, grace)? {
                    report.unreferenced_deleted += 1;
                    report.bytes_freed += size;
                } else {
                    report.kept_fresh += 1;
                }
            }
            if batch.len() < BATCH {
                return Ok(());
            }
        }
    }

    /// Deletes a blob's file unless it was `put` within the grace period or has a row again
    /// (checked under the lock `put` renames under). Returns whether a file was deleted.
    fn delete_unless_fresh(
        &self,
        store: &Store,
        id: BlobId,
        now: Timestamp,
        grace: Duration,
    ) -> Result<bool, BlobError> {
        let guard = self.guard();
        if guard
            .fresh
            .get(&id)
            .is_some_and(|at| !is_old(*at, now, grace))
        {
            return Ok(false);
        }
        if store.read()?.get(&BLOBS, &id)?.is_some() {
            return Ok(false);
        }
        let deleted = remove_if_present(&self.path_of(id))?;
        drop(guard);
        Ok(deleted)
    }

    fn sweep_strays(
        &self,
        store: &Store,
        now: Timestamp,
        grace: Duration,
        cutoff: i64,
        report: &mut SweepReport,
    ) -> Result<(), BlobError> {
        let recorded: BTreeMap<String, Timestamp> = store
            .read()?
            .range(&BLOB_STRAYS, ..)?
            .collect::<Result<_, _>>()?;
        let mut seen: BTreeMap<String, Timestamp> = BTreeMap::new();
        let due = |key: &str| {
            recorded
                .get(key)
                .is_some_and(|t| t.as_microsecond() <= cutoff)
        };

        // Blob files: `ab/cd/abcd…`. One snapshot for the walk; a deletion re-checks.
        let snapshot = store.read()?;
        for (key, id, len) in self.blob_files()? {
            if snapshot.get(&BLOBS, &id)?.is_some() {
                continue;
            }
            if due(&key) {
                if self.delete_unless_fresh(store, id, now, grace)? {
                    report.orphans_deleted += 1;
                    report.bytes_freed += len;
                }
                // Otherwise stored again just now: its reference may be on its way.
                continue;
            }
            // A blob stored but not (yet) referenced counts from when it was stored.
            let fresh_at = self.guard().fresh.get(&id).copied();
            let first_seen = recorded.get(&key).copied().or(fresh_at).unwrap_or(now);
            seen.insert(key, first_seen);
        }
        drop(snapshot);

        // Temp files: `tmp/<random>.part`.
        let tmp = self.tmp_dir();
        for (name, len) in files_in(&tmp)? {
            let key = format!("{TMP_DIR}/{name}");
            let guard = self.guard();
            if guard.writing.contains(&name) {
                continue;
            }
            if due(&key) {
                if remove_if_present(&tmp.join(&name))? {
                    report.temps_deleted += 1;
                    report.bytes_freed += len;
                }
                continue;
            }
            drop(guard);
            seen.insert(key.clone(), recorded.get(&key).copied().unwrap_or(now));
        }

        report.strays_waiting = seen.len() as u64;
        if seen != recorded {
            store.write(|tx| {
                for key in recorded.keys().filter(|k| !seen.contains_key(*k)) {
                    tx.remove(&BLOB_STRAYS, key)?;
                }
                for (key, first_seen) in seen.iter().filter(|(k, _)| !recorded.contains_key(*k)) {
                    tx.insert(&BLOB_STRAYS, key, first_seen)?;
                }
                Ok::<_, BlobError>(())
            })?;
        }
        Ok(())
    }

    /// Every blob file on disk: (`ab/cd/abcd…`, id, size). Other names are left alone.
    pub(super) fn blob_files(&self) -> Result<Vec<(String, BlobId, u64)>, BlobError> {
        let mut out = Vec::new();
        for (first, _) in dirs_in(self.root())? {
            if !is_fan_out(&first) {
                continue;
            }
            let first_dir = self.root().join(&first);
            for (second, _) in dirs_in(&first_dir)? {
                if !is_fan_out(&second) {
                    continue;
                }
                for (name, len) in files_in(&first_dir.join(&second))? {
                    match BlobId::from_hex(&name) {
                        Some(id)
                            if name == id.to_hex() && name[..4] == format!("{first}{second}") =>
                        {
                            out.push((format!("{first}/{second}/{name}"), id, len));
                        }
                        _ => tracing::debug!(file = %name, "not a blob file name; left alone"),
                    }
                }
            }
        }
        Ok(out)
    }
}

/// Whether `at` is at least `grace` before `now`.
fn is_old(at: Timestamp, now: Timestamp, grace: Duration) -> bool {
    now.as_microsecond().saturating_sub(at.as_microsecond()) >= micros(grace)
}

fn is_fan_out(name: &str) -> bool {
    name.len() == 2
        && name
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn remove_if_present(path: &Path) -> Result<bool, BlobError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Entries of a directory (none if it does not exist), as (name, metadata), filtered.
fn entries(dir: &Path, want_dirs: bool) -> Result<Vec<(String, u64)>, BlobError> {
    let read = match std::fs::read_dir(dir) {
        Ok(read) => read,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let mut out = Vec::new();
    for entry in read {
        let entry = entry?;
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        let meta = match entry.metadata() {
            Ok(meta) => meta,
            // Deleted meanwhile.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e.into()),
        };
        if meta.is_dir() == want_dirs && (want_dirs || meta.is_file()) {
            out.push((name, meta.len()));
        }
    }
    out.sort();
    Ok(out)
}

fn dirs_in(dir: &Path) -> Result<Vec<(String, u64)>, BlobError> {
    entries(dir, true)
}

fn files_in(dir: &Path) -> Result<Vec<(String, u64)>, BlobError> {
    entries(dir, false)
}
