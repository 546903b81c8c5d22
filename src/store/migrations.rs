//! Schema versions and the steps between them (DESIGN.md §3).
//!
//! `SCHEMA_VERSION` is the version this binary writes. A store with a lower version is brought
//! up to date at start, one `migrate_to_vN` per step, all in one transaction (after an automatic
//! backup, once backups exist); a store with a higher version is refused before anything is
//! written ([`super::StoreError::NewerSchema`]).

use super::{Store, StoreError, Tx, meta_keys};

/// The schema version this binary reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// One step: brings a store from version `to - 1` to version `to`.
struct Step {
    to: u32,
    run: fn(&mut Tx) -> Result<(), StoreError>,
}

/// Every step, in order. Version 1 is the first schema: nothing to migrate yet.
const STEPS: &[Step] = &[];

/// Runs every step above `from`, in one write transaction.
pub(super) fn migrate(store: &Store, from: u32) -> Result<(), StoreError> {
    tracing::info!(from, to = SCHEMA_VERSION, "migrating the store");
    store.write(|tx| {
        for step in STEPS.iter().filter(|s| s.to > from) {
            (step.run)(tx)?;
        }
        tx.put_meta(meta_keys::SCHEMA_VERSION, &SCHEMA_VERSION)?;
        Ok(())
    })
}
