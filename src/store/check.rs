//! Integrity check of the store (`cartable check`): the change log's hash chain and the
//! per-table checksums recomputed from the rows.

use super::changelog::{Hash128, LoggedEntry, row_hash};
use super::codec::{KeyCodec, decode_value};
use super::read::ReadTx;
use super::tables;
use super::{StoreError, meta_keys};

/// What `cartable check` found.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// Number of change log entries verified.
    pub entries: u64,
    /// Sequence number of the last entry (0 if none).
    pub head_seq: u64,
    /// Logged tables whose checksum was recomputed, with their row counts.
    pub tables: Vec<(String, u64)>,
    /// Every problem found, in plain words. Empty means the store is sound.
    pub problems: Vec<String>,
}

impl CheckReport {
    /// Whether nothing is wrong.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

pub(super) fn run(read: &ReadTx) -> Result<CheckReport, StoreError> {
    let mut report = CheckReport::default();
    check_chain(read, &mut report)?;
    check_checksums(read, &mut report)?;
    Ok(report)
}

fn check_chain(read: &ReadTx, report: &mut CheckReport) -> Result<(), StoreError> {
    let head = read.head()?;
    report.head_seq = head.seq;
    let mut previous: Option<LoggedEntry> = None;
    for row in read.raw_rows(tables::CHANGELOG.name())? {
        let (key, value) = row?;
        let seq = u64::from_key_bytes(&key)?;
        let entry: LoggedEntry = match decode_value(&value) {
            Ok(entry) => entry,
            Err(e) => {
                report
                    .problems
                    .push(format!("change log entry {seq} cannot be decoded: {e}"));
                return Ok(());
            }
        };
        report.entries += 1;
        if entry.body.seq != seq {
            report.problems.push(format!(
                "change log entry stored at {seq} says it is entry {}",
                entry.body.seq
            ));
        }
        match &previous {
            Some(prev) if prev.body.seq + 1 != seq => report.problems.push(format!(
                "change log gap: entry {} is followed by entry {seq}",
                prev.body.seq
            )),
            Some(prev) if prev.hash != entry.prev_hash => report.problems.push(format!(
                "broken hash chain: entry {seq} does not point to the hash of entry {}",
                prev.body.seq
            )),
            None if seq == 1 && entry.prev_hash != Hash128::ZERO => report
                .problems
                .push("broken hash chain: the first entry has a previous hash".into()),
            _ => {}
        }
        if !entry.hash_is_valid() {
            report.problems.push(format!(
                "broken hash chain: entry {seq} does not match its hash (changed after it was written)"
            ));
        }
        previous = Some(entry);
    }
    match &previous {
        Some(last) if last.position() != head => report.problems.push(format!(
            "the store's head (entry {}) is not the last entry of the log ({})",
            head.seq, last.body.seq
        )),
        None if head.seq != 0 => report.problems.push(format!(
            "the store's head is entry {} but the change log is empty",
            head.seq
        )),
        _ => {}
    }
    let combined: Hash128 = read.meta(meta_keys::COMBINED)?.unwrap_or_default();
    if let Some(last) = &previous
        && last.body.checksum != combined
    {
        report.problems.push(format!(
            "the last entry records checksum {} but the store's is {combined}",
            last.body.checksum
        ));
    }
    Ok(())
}

fn check_checksums(read: &ReadTx, report: &mut CheckReport) -> Result<(), StoreError> {
    let mut recorded = std::collections::BTreeMap::new();
    for row in read.raw_rows(tables::TABLE_CHECKSUMS.name())? {
        let (key, value) = row?;
        recorded.insert(
            String::from_key_bytes(&key)?,
            decode_value::<Hash128>(&value)?,
        );
    }
    // Every logged table in the file, and every table a checksum is recorded for.
    let mut names: std::collections::BTreeSet<String> = read
        .table_names()?
        .into_iter()
        .filter(|name| !tables::is_unlogged_name(name))
        .collect();
    names.extend(recorded.keys().cloned());

    let mut recorded_combined = Hash128::ZERO;
    for table in names {
        let expected = recorded.get(&table).copied().unwrap_or_default();
        let mut actual = Hash128::ZERO;
        let mut rows = 0u64;
        for row in read.raw_rows(&table)? {
            let (k, v) = row?;
            actual = actual.xor(row_hash(&table, &k, &v));
            rows += 1;
        }
        if actual != expected {
            report.problems.push(format!(
                "table {table}: its rows do not match its checksum (a row was changed behind the change log)"
            ));
        }
        recorded_combined = recorded_combined.xor(expected);
        report.tables.push((table, rows));
    }
    let stored: Hash128 = read.meta(meta_keys::COMBINED)?.unwrap_or_default();
    if stored != recorded_combined {
        report
            .problems
            .push("the combined checksum does not match the tables' checksums".into());
    }
    Ok(())
}
