//! Reference counts: `blobs_v1` and its `blobs_unreferenced_v1` index, changed only inside the
//! caller's transaction, with the row that refers to (or stops referring to) the blob.

use jiff::Timestamp;

use super::{BlobError, BlobId, BlobMeta};
use crate::store::tables::{BLOBS, BLOBS_UNREFERENCED};
use crate::store::{ReadTx, Tx};

/// Counts one more reference to a blob that [`super::BlobStore::put`] has returned: call it in
/// the transaction that stores the referring row. Creates the blob's row on the first
/// reference, takes the blob off the sweep's list if it was unreferenced, and lists the blob in
/// the change log entry (replicas fetch blobs before applying the entry). Returns the new row.
pub fn incref_in(
    tx: &mut Tx,
    id: BlobId,
    size: u64,
    now: Timestamp,
) -> Result<BlobMeta, BlobError> {
    let meta = match tx.get(&BLOBS, &id)? {
        None => BlobMeta {
            size,
            refs: 1,
            created_at: now,
            unreferenced_since: None,
        },
        Some(mut meta) => {
            if meta.size != size {
                return Err(BlobError::SizeMismatch {
                    id,
                    recorded: meta.size,
                    given: size,
                });
            }
            if let Some(since) = meta.unreferenced_since.take() {
                tx.remove(&BLOBS_UNREFERENCED, &(since.as_microsecond(), id))?;
            }
            meta.refs = meta.refs.saturating_add(1);
            meta
        }
    };
    tx.insert(&BLOBS, &id, &meta)?;
    tx.reference_blob(id.0);
    Ok(meta)
}

/// Counts one reference less, in the transaction that removes the referring row. At zero the
/// blob is stamped `unreferenced_since = now` and listed for the sweep, which deletes it once
/// the grace period has passed (unless it is referenced again meanwhile). A blob the store does
/// not know, or one already at zero, is left as it is (logged): `None` for an unknown blob.
pub fn decref_in(tx: &mut Tx, id: BlobId, now: Timestamp) -> Result<Option<BlobMeta>, BlobError> {
    let Some(mut meta) = tx.get(&BLOBS, &id)? else {
        tracing::warn!(blob = %id, "a reference to an unknown blob was dropped");
        return Ok(None);
    };
    if meta.refs == 0 {
        tracing::warn!(blob = %id, "a reference to an unreferenced blob was dropped");
        return Ok(Some(meta));
    }
    meta.refs -= 1;
    if meta.refs == 0 {
        meta.unreferenced_since = Some(now);
        tx.insert(&BLOBS_UNREFERENCED, &(now.as_microsecond(), id), &())?;
    }
    tx.insert(&BLOBS, &id, &meta)?;
    Ok(Some(meta))
}

/// What the store knows of a blob.
pub fn meta(read: &ReadTx, id: BlobId) -> Result<Option<BlobMeta>, BlobError> {
    Ok(read.get(&BLOBS, &id)?)
}
