//! Schema versions and the steps between them (DESIGN.md §3, docs/store.md).
//!
//! `SCHEMA_VERSION` is the version this binary writes. A store with a lower version is brought
//! up to date at start ([`super::Store::open`]), every step above its version run in order
//! inside **one** write transaction that also records the new version: a crash or an error
//! in the middle leaves the store as it was (old tables, old version), and the next start runs
//! the steps again from the beginning. A store already at `SCHEMA_VERSION` is not written to.
//! A store with a higher version is refused before anything is written
//! ([`super::StoreError::NewerSchema`]).
//!
//! A step rewrites rows through the ordinary [`Tx`], so the change log records it like any
//! write (a replica replaying the log ends with the same tables and checksums); its entry
//! carries [`Event::SchemaMigrated`], which tells tailers that no content changed. A step
//! keeps the old value type it reads (its own copy, never the model's current type) and drops
//! the old table once it is empty.

mod v2;

#[cfg(test)]
mod tests;

use super::{Store, StoreError, Tx, meta_keys};
use crate::model::events::Event;

/// The schema version this binary reads and writes.
///
/// 1. The first schema.
/// 2. Documents' nodes with integer timestamps and their share count (`document_nodes_v2`).
pub const SCHEMA_VERSION: u32 = 2;

/// One step: brings a store from version `to - 1` to version `to`.
struct Step {
    to: u32,
    run: fn(&mut Tx) -> Result<(), StoreError>,
}

/// Every step, in order.
const STEPS: &[Step] = &[Step {
    to: 2,
    run: v2::run,
}];

/// Runs every step above `from`, in one write transaction.
pub(super) fn migrate(store: &Store, from: u32) -> Result<(), StoreError> {
    run_steps(store, from, STEPS, SCHEMA_VERSION)
}

fn run_steps(store: &Store, from: u32, steps: &[Step], to: u32) -> Result<(), StoreError> {
    tracing::info!(from, to, "migrating the store");
    store.write(|tx| {
        for step in steps.iter().filter(|s| s.to > from && s.to <= to) {
            (step.run)(tx)?;
        }
        tx.emit(Event::SchemaMigrated { from, to });
        tx.put_meta(meta_keys::SCHEMA_VERSION, &to)?;
        Ok(())
    })
}
