//! The quota shared by documents and message attachments (issue 12): one figure per person,
//! `document_usage_v1`, which the documents' uploads charge (`service`) and which the
//! attachments of a person's drafts and sent messages charge too (`domain::messaging`), each
//! content once per person. One quota, whatever the way the bytes came in.

use crate::model::directory::PersonId;
use crate::store::tables::DOCUMENT_USAGE;
use crate::store::{ReadTx, StoreError, Tx};

/// The quota would be exceeded: what is used and the quota, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverQuota {
    /// Bytes used now.
    pub used: u64,
    /// The quota.
    pub quota: u64,
}

/// Bytes counted for `person` (documents and attachments).
pub fn used(read: &ReadTx, person: PersonId) -> Result<u64, StoreError> {
    Ok(read.get(&DOCUMENT_USAGE, &person)?.unwrap_or(0))
}

/// Inside a write: adds `bytes` to `person`'s usage, or refuses (writing nothing) if that would
/// pass `quota`.
pub fn charge_within(
    tx: &mut Tx,
    person: PersonId,
    bytes: u64,
    quota: u64,
) -> Result<Result<(), OverQuota>, StoreError> {
    let used = tx.get(&DOCUMENT_USAGE, &person)?.unwrap_or(0);
    if bytes == 0 {
        return Ok(Ok(()));
    }
    if used.saturating_add(bytes) > quota {
        return Ok(Err(OverQuota { used, quota }));
    }
    tx.insert(&DOCUMENT_USAGE, &person, &(used + bytes))?;
    Ok(Ok(()))
}

/// Inside a write: gives `bytes` back to `person` (never below zero).
pub fn give_back(tx: &mut Tx, person: PersonId, bytes: u64) -> Result<(), StoreError> {
    if bytes == 0 {
        return Ok(());
    }
    let used = tx.get(&DOCUMENT_USAGE, &person)?.unwrap_or(0);
    let next = used.saturating_sub(bytes);
    if next != used {
        tx.insert(&DOCUMENT_USAGE, &person, &next)?;
    }
    Ok(())
}
