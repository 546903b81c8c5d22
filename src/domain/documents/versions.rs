//! Storing uploaded files and their versions (at most `MAX_VERSIONS`), restoring one.

use jiff::Timestamp;

use super::DocumentError;
use super::policy::{Access, node_access};
use crate::blobs::{self, BlobId};
use crate::domain::once::Once;
use crate::model::Actor;
use crate::model::documents::{FileVersion, Node, NodeId, NodeKind, Space};
use crate::model::events::Event;
use crate::store::tables::{DOCUMENT_NODES, DOCUMENT_VERSIONS};
use crate::store::{ReadTx, Store, Tx};

/// The most versions kept per file: an upload beyond drops the oldest.
use super::service::*;

/// A file uploaded to the blob store, not referenced yet.
#[derive(Debug, Clone)]
pub struct Uploaded {
    /// The name given by the browser.
    pub name: String,
    /// Its blob.
    pub blob: BlobId,
    /// Its size.
    pub size: u64,
}

/// What storing a file did (also what a form's one-time key gives back: `domain::once`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Stored {
    /// A new file.
    New(NodeId),
    /// A new version of an existing file of the same name.
    NewVersion(NodeId, u32),
}

impl Stored {
    /// The file.
    pub fn node(self) -> NodeId {
        match self {
            Stored::New(id) | Stored::NewVersion(id, _) => id,
        }
    }
}

/// Stores uploaded files in a folder, all or nothing: each a new file, or a new version of the
/// file of the same name. Refused past the size limit or the uploader's quota.
pub fn store_files(
    store: &Store,
    actor: &Actor,
    space: Space,
    parent: Option<NodeId>,
    files: &[Uploaded],
    limits: &Limits,
    now: Timestamp,
) -> Result<Vec<Stored>, DocumentError> {
    store_files_once(store, actor, (space, parent), files, limits, now, None)
}

/// [`store_files`] into `(space, folder)`, guarded by a form's one-time key
/// (`domain::once`): what the key stored already, if anything, else the files, recorded
/// under it.
pub fn store_files_once(
    store: &Store,
    actor: &Actor,
    (space, parent): (Space, Option<NodeId>),
    files: &[Uploaded],
    limits: &Limits,
    now: Timestamp,
    once: Option<&Once>,
) -> Result<Vec<Stored>, DocumentError> {
    let me = actor.person.ok_or(DocumentError::Forbidden)?;
    if let Some(first) = crate::domain::once::done_before(store, once)? {
        return Ok(first);
    }
    let mut named = Vec::with_capacity(files.len());
    for f in files {
        if f.size > limits.max_file {
            return Err(DocumentError::TooLarge {
                name: upload_name(&f.name).unwrap_or_default(),
                max: limits.max_file,
            });
        }
        named.push((upload_name(&f.name)?, f));
    }
    crate::domain::once::write(store, once, now, |tx| {
        check_destination(tx, actor, space, parent)?;
        let mut out = Vec::with_capacity(named.len());
        for (name, f) in &named {
            charge_within_quota(tx, actor, f.size, limits)?;
            blobs::incref_in(tx, f.blob, f.size, now)?;
            let version = FileVersion {
                blob: f.blob.0,
                size: f.size,
                content_type: content_type_of(name),
                uploaded_by: me,
                uploaded_at: now,
            };
            match find_by_name(tx, space, parent, name)? {
                Some((_, existing)) if existing.is_folder() => {
                    return Err(DocumentError::Invalid("documents-error-name-taken"));
                }
                Some((id, existing)) => {
                    let next = push_version(tx, id, existing, version, now)?;
                    out.push(Stored::NewVersion(id, next));
                }
                None => {
                    let id: NodeId = tx.next_id()?;
                    tx.insert(&DOCUMENT_VERSIONS, &(id, 1), &version)?;
                    put_node(
                        tx,
                        id,
                        &Node {
                            space,
                            parent,
                            name: name.clone(),
                            kind: NodeKind::File {
                                current: 1,
                                size: f.size,
                                content_type: version.content_type.clone(),
                            },
                            created_by: me,
                            created_at: now,
                            updated_at: now,
                            trashed: None,
                            shares: 0,
                        },
                    )?;
                    tx.emit(Event::DocumentChanged { node: id });
                    out.push(Stored::New(id));
                }
            }
        }
        Ok(out)
    })
}

/// Drops the versions beyond [`MAX_VERSIONS`] (the oldest), giving their bytes back.
pub(super) fn drop_old_versions(
    tx: &mut Tx,
    id: NodeId,
    newest: u32,
    now: Timestamp,
) -> Result<(), DocumentError> {
    if newest <= MAX_VERSIONS {
        return Ok(());
    }
    let cut = newest - MAX_VERSIONS;
    for ((_, n), v) in tx.range(&DOCUMENT_VERSIONS, (id, 0)..=(id, cut))? {
        remove_version(tx, id, n, &v, now)?;
    }
    Ok(())
}

/// Removes one stored version: its row, its blob reference, its bytes from the uploader's usage.
pub(super) fn remove_version(
    tx: &mut Tx,
    id: NodeId,
    n: u32,
    v: &FileVersion,
    now: Timestamp,
) -> Result<(), DocumentError> {
    tx.remove(&DOCUMENT_VERSIONS, &(id, n))?;
    blobs::decref_in(tx, BlobId(v.blob), now)?;
    charge(tx, v.uploaded_by, -i128::from(v.size))?;
    Ok(())
}

/// A file, what the actor may do with it, and its versions (number, version), newest first.
pub type FileWithVersions = (Node, Access, Vec<(u32, FileVersion)>);

/// The versions of a file, newest first, for someone who may read it.
pub fn versions(
    read: &ReadTx,
    actor: &Actor,
    id: NodeId,
) -> Result<FileWithVersions, DocumentError> {
    let Some((node, access, false)) = node_access(read, actor, id)? else {
        return Err(DocumentError::NotFound);
    };
    if node.is_folder() {
        return Err(DocumentError::NotFound);
    }
    let mut out = Vec::new();
    for row in read.scan_prefix(&DOCUMENT_VERSIONS, &(id,))? {
        let ((_, n), v) = row?;
        out.push((n, v));
    }
    out.reverse();
    Ok((node, access, out))
}

/// Makes an older version the current one again (as a new version: nothing is lost).
pub fn restore_version(
    store: &Store,
    actor: &Actor,
    id: NodeId,
    version: u32,
    limits: &Limits,
    now: Timestamp,
) -> Result<u32, DocumentError> {
    let me = actor.person.ok_or(DocumentError::Forbidden)?;
    store.write(|tx| {
        let Some((node, access, false)) = node_access(tx, actor, id)? else {
            return Err(DocumentError::NotFound);
        };
        if access < Access::Write {
            return Err(DocumentError::Forbidden);
        }
        if node.is_folder() {
            return Err(DocumentError::NotFound);
        }
        let Some(old) = tx.get(&DOCUMENT_VERSIONS, &(id, version))? else {
            return Err(DocumentError::NotFound);
        };
        charge_within_quota(tx, actor, old.size, limits)?;
        blobs::incref_in(tx, BlobId(old.blob), old.size, now)?;
        let restored = FileVersion {
            uploaded_by: me,
            uploaded_at: now,
            ..old
        };
        push_version(tx, id, node, restored, now)
    })
}

/// Makes `version` the newest of the file `id` (numbered after the current one), keeps at most
/// [`MAX_VERSIONS`], and tells the indexer. The caller has counted the blob's reference.
pub(super) fn push_version(
    tx: &mut Tx,
    id: NodeId,
    mut node: Node,
    version: FileVersion,
    now: Timestamp,
) -> Result<u32, DocumentError> {
    let NodeKind::File { current, .. } = node.kind else {
        return Err(DocumentError::NotFound);
    };
    let next = current + 1;
    node.kind = NodeKind::File {
        current: next,
        size: version.size,
        content_type: version.content_type.clone(),
    };
    node.updated_at = now;
    tx.insert(&DOCUMENT_VERSIONS, &(id, next), &version)?;
    tx.insert(&DOCUMENT_NODES, &id, &node)?;
    drop_old_versions(tx, id, next, now)?;
    tx.emit(Event::DocumentChanged { node: id });
    Ok(next)
}
