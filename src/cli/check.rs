//! `cartable check`: the integrity of the store, the blobs and the search index.

use anyhow::{Result, bail};

use crate::clock::SharedClock;
use crate::config::Config;

use super::*;

pub(super) fn check(config: &Config, clock: SharedClock) -> Result<()> {
    let file = config.data_dir.join(crate::store::STORE_FILE);
    if !file.exists() {
        bail!(
            "there is no store at {} (is data_dir right? `cartable init` creates one)",
            file.display()
        );
    }
    let store = open_store(config, clock.clone())?;
    let report = store.check()?;
    println!(
        "Store {}: {} change log entries checked (head at entry {})",
        store.path().display(),
        report.entries,
        report.head_seq
    );
    for (table, rows) in &report.tables {
        println!("  table {table}: {rows} rows");
    }
    let blobs = crate::blobs::BlobStore::new(&config.data_dir, clock);
    let blob_report = blobs.check(&store)?;
    println!(
        "Blobs {}: {} files checked ({} referenced), {} bytes re-hashed",
        blobs.root().display(),
        blob_report.blobs,
        blob_report.referenced,
        blob_report.bytes
    );
    if blob_report.files_without_row > 0 {
        println!(
            "  {} files no row refers to (left by an interrupted upload; the sweep deletes them after blob_grace_period)",
            blob_report.files_without_row
        );
    }
    reindex::report_index(&config.data_dir, &store)?;
    let problems: Vec<&String> = report
        .problems
        .iter()
        .chain(&blob_report.problems)
        .collect();
    if problems.is_empty() {
        println!("All checks passed.");
        Ok(())
    } else {
        for problem in &problems {
            println!("PROBLEM: {problem}");
        }
        bail!("{} problem(s) found in the store", problems.len())
    }
}
