//! The trash: a trashed file or folder (with what it holds) disappears from listings and search,
//! can be restored for the retention period (30 days by default), and is then purged: its
//! versions' blob references and the uploaders' quota are given back.

use std::time::Duration;

use jiff::Timestamp;

use super::DocumentError;
use super::policy::{Access, node_access, space_access};
use super::service::{descendants, remove_version};
use crate::model::Actor;
use crate::model::documents::{Node, NodeId, Space, Trashed};
use crate::model::events::Event;
use crate::store::tables::{
    DOCUMENT_CHILDREN, DOCUMENT_NODES, DOCUMENT_SHARED_WITH, DOCUMENT_SHARES, DOCUMENT_TRASH,
    DOCUMENT_TRASH_DUE, DOCUMENT_VERSIONS,
};
use crate::store::{ReadTx, Store, Tx};

/// How long a trashed node can be restored, unless configured otherwise.
pub const DEFAULT_RETENTION: Duration = Duration::from_secs(30 * 24 * 3600);

/// The most trashed nodes one purge transaction handles.
const PURGE_BATCH: usize = 50;

/// Puts a file or folder in the trash (the trash of its space: only those who manage the space
/// see it, restore from it or empty it).
///
/// Those who manage the node trash it. Someone who writes only through a share trashes only
/// what they alone put there — a file or folder they created, every version uploaded by them,
/// and for a folder everything in it likewise: a share never lets its grantee take the owner's
/// file away from the owner.
pub fn trash(
    store: &Store,
    actor: &Actor,
    id: NodeId,
    now: Timestamp,
) -> Result<(), DocumentError> {
    let me = actor.person.ok_or(DocumentError::Forbidden)?;
    store.write(|tx| {
        let Some((mut node, access, false)) = node_access(tx, actor, id)? else {
            return Err(DocumentError::NotFound);
        };
        if access < Access::Write
            || (access < Access::Manage && !all_put_there_by(tx, id, &node, me)?)
        {
            return Err(DocumentError::Forbidden);
        }
        node.trashed = Some(Trashed { at: now, by: me });
        tx.insert(&DOCUMENT_NODES, &id, &node)?;
        tx.insert(&DOCUMENT_TRASH, &(node.space, id), &())?;
        tx.insert(&DOCUMENT_TRASH_DUE, &(now.as_microsecond(), id), &())?;
        tx.emit(Event::DocumentChanged { node: id });
        Ok(())
    })
}

/// Whether `person` created the node and everything under it, and uploaded every version of
/// each file there.
fn all_put_there_by(
    tx: &Tx,
    id: NodeId,
    node: &Node,
    person: crate::model::directory::PersonId,
) -> Result<bool, DocumentError> {
    let mut all = if node.is_folder() {
        descendants(tx, node.space, id)?
    } else {
        Vec::new()
    };
    all.push((id, node.clone()));
    for (nid, n) in &all {
        if n.created_by != person {
            return Ok(false);
        }
        for (_, version) in tx.range(&DOCUMENT_VERSIONS, (*nid, 0)..=(*nid, u32::MAX))? {
            if version.uploaded_by != person {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// The trash of a space, newest first, for someone who may write in the space.
pub fn list(
    read: &ReadTx,
    actor: &Actor,
    space: Space,
) -> Result<Vec<(NodeId, Node)>, DocumentError> {
    let access = space_access(read, actor, space)?;
    if access == Access::None {
        return Err(DocumentError::NotFound);
    }
    if access < Access::Write {
        return Err(DocumentError::Forbidden);
    }
    let mut out = Vec::new();
    for row in read.scan_prefix(&DOCUMENT_TRASH, &(space,))? {
        let ((_, id), ()) = row?;
        if let Some(node) = read.get(&DOCUMENT_NODES, &id)? {
            out.push((id, node));
        }
    }
    out.sort_by(|a, b| {
        let at = |n: &Node| n.trashed.as_ref().map(|t| t.at);
        at(&b.1).cmp(&at(&a.1))
    });
    Ok(out)
}

/// Checks the actor may handle a trashed node: it is in the trash of a space they manage (a
/// share gives nothing here: restoring and deleting for good are the owner's).
fn trashed_node(tx: &Tx, actor: &Actor, id: NodeId) -> Result<Node, DocumentError> {
    let Some(node) = tx.get(&DOCUMENT_NODES, &id)? else {
        return Err(DocumentError::NotFound);
    };
    if node.trashed.is_none() {
        return Err(DocumentError::NotFound);
    }
    match space_access(tx, actor, node.space)? {
        Access::None => Err(DocumentError::NotFound),
        Access::Manage => Ok(node),
        Access::Read | Access::Write => Err(DocumentError::Forbidden),
    }
}

/// Takes a node out of the trash, back to its folder (or to the root if that folder is gone or
/// trashed), renamed if its name was taken meanwhile.
pub fn restore(
    store: &Store,
    actor: &Actor,
    id: NodeId,
    now: Timestamp,
) -> Result<(), DocumentError> {
    store.write(|tx| {
        let mut node = trashed_node(tx, actor, id)?;
        let Some(stamp) = node.trashed.take() else {
            return Err(DocumentError::NotFound);
        };
        tx.remove(&DOCUMENT_TRASH, &(node.space, id))?;
        tx.remove(&DOCUMENT_TRASH_DUE, &(stamp.at.as_microsecond(), id))?;
        let parent_ok = match node.parent {
            None => true,
            Some(p) => matches!(
                node_access(tx, &crate::model::Actor::system(), p)?,
                Some((_, _, false))
            ),
        };
        if !parent_ok {
            tx.remove(
                &DOCUMENT_CHILDREN,
                &(node.space, node.parent.map_or(0, |p| p.0), id),
            )?;
            node.parent = None;
            tx.insert(&DOCUMENT_CHILDREN, &(node.space, 0, id), &())?;
        }
        node.name = super::service::free_name(tx, node.space, node.parent, &node.name, id)?;
        node.updated_at = now;
        tx.insert(&DOCUMENT_NODES, &id, &node)?;
        tx.emit(Event::DocumentChanged { node: id });
        Ok(())
    })
}

/// Deletes a trashed node now, with what it holds.
pub fn delete_forever(
    store: &Store,
    actor: &Actor,
    id: NodeId,
    now: Timestamp,
) -> Result<(), DocumentError> {
    store.write(|tx| {
        let node = trashed_node(tx, actor, id)?;
        purge_in(tx, id, node, now)
    })
}

/// Removes a node and everything under it: rows, indexes, shares, versions (blob references
/// and quota given back).
fn purge_in(tx: &mut Tx, id: NodeId, node: Node, now: Timestamp) -> Result<(), DocumentError> {
    let mut all = if node.is_folder() {
        descendants(tx, node.space, id)?
    } else {
        Vec::new()
    };
    all.push((id, node));
    for (nid, n) in all {
        for ((_, v), version) in tx.range(&DOCUMENT_VERSIONS, (nid, 0)..=(nid, u32::MAX))? {
            remove_version(tx, nid, v, &version, now)?;
        }
        let shares = super::policy::DocRead::shares(tx, nid)?;
        for (grantee, _) in shares {
            tx.remove(&DOCUMENT_SHARES, &(nid, grantee))?;
            tx.remove(&DOCUMENT_SHARED_WITH, &(grantee, nid))?;
        }
        if let Some(t) = &n.trashed {
            tx.remove(&DOCUMENT_TRASH, &(n.space, nid))?;
            tx.remove(&DOCUMENT_TRASH_DUE, &(t.at.as_microsecond(), nid))?;
        }
        tx.remove(
            &DOCUMENT_CHILDREN,
            &(n.space, n.parent.map_or(0, |p| p.0), nid),
        )?;
        tx.remove(&DOCUMENT_NODES, &nid)?;
        tx.emit(Event::DocumentChanged { node: nid });
    }
    Ok(())
}

/// Purges what was trashed more than `retention` ago, a batch per transaction. Returns how
/// many trashed nodes were purged.
pub fn purge_due(
    store: &Store,
    now: Timestamp,
    retention: Duration,
) -> Result<usize, DocumentError> {
    let Ok(cut) = now.checked_sub(jiff::SignedDuration::try_from(retention).unwrap_or_default())
    else {
        return Ok(0);
    };
    let mut purged = 0;
    loop {
        let due: Vec<(i64, NodeId)> = {
            let read = store.read()?;
            let mut due = Vec::new();
            for row in read.range(&DOCUMENT_TRASH_DUE, ..(cut.as_microsecond(), NodeId(0)))? {
                let (key, ()) = row?;
                due.push(key);
                if due.len() >= PURGE_BATCH {
                    break;
                }
            }
            due
        };
        if due.is_empty() {
            return Ok(purged);
        }
        let n = due.len();
        store.write(|tx| {
            for (at, id) in &due {
                match tx.get(&DOCUMENT_NODES, id)? {
                    Some(node) if node.trashed.is_some() => purge_in(tx, *id, node, now)?,
                    _ => {
                        tx.remove(&DOCUMENT_TRASH_DUE, &(*at, *id))?;
                    }
                }
            }
            Ok::<(), DocumentError>(())
        })?;
        purged += n;
        if n < PURGE_BATCH {
            return Ok(purged);
        }
    }
}
