//! Moving and copying files and folders within and between spaces.

use jiff::Timestamp;

use super::DocumentError;
use super::policy::{self, Access, node_access};
use crate::blobs::{self, BlobId};
use crate::model::Actor;
use crate::model::directory::PersonId;
use crate::model::documents::{FileVersion, Node, NodeId, NodeKind, Space};
use crate::model::events::Event;
use crate::store::tables::{DOCUMENT_CHILDREN, DOCUMENT_NODES, DOCUMENT_VERSIONS};
use crate::store::{Store, Tx};

/// The most versions kept per file: an upload beyond drops the oldest.
use super::service::*;

/// The nodes under a folder (not itself), breadth first, at most [`MAX_TREE`].
pub(super) fn descendants(
    tx: &Tx,
    space: Space,
    folder: NodeId,
) -> Result<Vec<(NodeId, Node)>, DocumentError> {
    let mut out: Vec<(NodeId, Node)> = Vec::new();
    let mut queue = vec![folder];
    while let Some(f) = queue.pop() {
        let rows = tx.range(
            &DOCUMENT_CHILDREN,
            (space, f.0, NodeId(0))..=(space, f.0, NodeId(u64::MAX)),
        )?;
        for ((_, _, id), ()) in rows {
            if out.len() >= MAX_TREE {
                return Err(DocumentError::Invalid("documents-error-too-many"));
            }
            if let Some(node) = tx.get(&DOCUMENT_NODES, &id)? {
                if node.is_folder() {
                    queue.push(id);
                }
                out.push((id, node));
            }
        }
    }
    Ok(out)
}

/// Moves a file or folder to another folder, possibly of another space the actor may write to.
///
/// Taking a node out of its space needs **manage** rights on it (the owner of a personal
/// space, those who manage a shared space): a share, even read-write, never hands a file over.
/// Within its space, a node moves for whoever may rename it ([`policy::writes_within`]) into a
/// folder they write in: a sharee reorganises the inside of what was shared with them, and the
/// file stays its owner's. The destination always needs write access.
pub fn move_node(
    store: &Store,
    actor: &Actor,
    id: NodeId,
    to_space: Space,
    to_parent: Option<NodeId>,
    now: Timestamp,
) -> Result<(), DocumentError> {
    store.write(|tx| {
        let Some((mut node, access, false)) = node_access(tx, actor, id)? else {
            return Err(DocumentError::NotFound);
        };
        let allowed = if node.space == to_space {
            access >= Access::Write && policy::writes_within(tx, actor, id)?
        } else {
            access >= Access::Manage
        };
        if !allowed {
            return Err(DocumentError::Forbidden);
        }
        check_destination(tx, actor, to_space, to_parent)?;
        if let Some(p) = to_parent {
            let chain = policy::with_ancestors(tx, p)?.unwrap_or_default();
            if chain.iter().any(|(a, _)| *a == id) {
                return Err(DocumentError::Invalid("documents-error-into-itself"));
            }
        }
        if let Some((other, _)) = find_by_name(tx, to_space, to_parent, &node.name)?
            && other != id
        {
            return Err(DocumentError::Invalid("documents-error-name-taken"));
        }
        let old_space = node.space;
        let inner = if node.is_folder() && old_space != to_space {
            descendants(tx, old_space, id)?
        } else {
            Vec::new()
        };
        unplace(tx, id, &node)?;
        node.space = to_space;
        node.parent = to_parent;
        node.updated_at = now;
        put_node(tx, id, &node)?;
        for (child, mut n) in inner {
            unplace(tx, child, &n)?;
            n.space = to_space;
            put_node(tx, child, &n)?;
            if n.trashed.is_some() {
                tx.remove(&crate::store::tables::DOCUMENT_TRASH, &(old_space, child))?;
                tx.insert(
                    &crate::store::tables::DOCUMENT_TRASH,
                    &(to_space, child),
                    &(),
                )?;
            }
        }
        tx.emit(Event::DocumentChanged { node: id });
        Ok(())
    })
}

/// Copies a file (its current version) or a folder (what it holds, trashed entries left out)
/// into a folder the actor may write to. The copy is charged to the actor's quota.
pub fn copy_node(
    store: &Store,
    actor: &Actor,
    id: NodeId,
    to_space: Space,
    to_parent: Option<NodeId>,
    limits: &Limits,
    now: Timestamp,
) -> Result<NodeId, DocumentError> {
    let me = actor.person.ok_or(DocumentError::Forbidden)?;
    store.write(|tx| {
        let Some((node, _, false)) = node_access(tx, actor, id)? else {
            return Err(DocumentError::NotFound);
        };
        check_destination(tx, actor, to_space, to_parent)?;
        if let Some(p) = to_parent {
            let chain = policy::with_ancestors(tx, p)?.unwrap_or_default();
            if chain.iter().any(|(a, _)| *a == id) {
                return Err(DocumentError::Invalid("documents-error-into-itself"));
            }
        }
        let mut name = node.name.clone();
        if find_by_name(tx, to_space, to_parent, &name)?.is_some() {
            name = copy_name(tx, to_space, to_parent, &node.name)?;
        }
        copy_one(
            tx, actor, me, id, &node, name, to_space, to_parent, limits, now, 0,
        )
    })
}

/// `name` if no other live entry of the folder has it, else the first free copy name.
pub(super) fn free_name(
    tx: &Tx,
    space: Space,
    parent: Option<NodeId>,
    name: &str,
    me: NodeId,
) -> Result<String, DocumentError> {
    match find_by_name(tx, space, parent, name)? {
        Some((other, _)) if other != me => copy_name(tx, space, parent, name),
        _ => Ok(name.to_owned()),
    }
}

/// "rapport (copie).pdf", "rapport (copie 2).pdf"…: the first free name.
pub(super) fn copy_name(
    tx: &Tx,
    space: Space,
    parent: Option<NodeId>,
    name: &str,
) -> Result<String, DocumentError> {
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s, format!(".{e}")),
        _ => (name, String::new()),
    };
    for n in 1..1000 {
        let candidate = if n == 1 {
            format!("{stem} (copie){ext}")
        } else {
            format!("{stem} (copie {n}){ext}")
        };
        if find_by_name(tx, space, parent, &candidate)?.is_none() {
            return Ok(candidate);
        }
    }
    Err(DocumentError::Invalid("documents-error-name-taken"))
}

#[allow(clippy::too_many_arguments)]
pub(super) fn copy_one(
    tx: &mut Tx,
    actor: &Actor,
    me: PersonId,
    source: NodeId,
    node: &Node,
    name: String,
    space: Space,
    parent: Option<NodeId>,
    limits: &Limits,
    now: Timestamp,
    copied: usize,
) -> Result<NodeId, DocumentError> {
    if copied > MAX_TREE {
        return Err(DocumentError::Invalid("documents-error-too-many"));
    }
    let id: NodeId = tx.next_id()?;
    let kind = match &node.kind {
        NodeKind::Folder => NodeKind::Folder,
        NodeKind::File { current, .. } => {
            let Some(v) = tx.get(&DOCUMENT_VERSIONS, &(source, *current))? else {
                return Err(DocumentError::NotFound);
            };
            charge_within_quota(tx, actor, v.size, limits)?;
            blobs::incref_in(tx, BlobId(v.blob), v.size, now)?;
            let kind = NodeKind::File {
                current: 1,
                size: v.size,
                content_type: v.content_type.clone(),
            };
            tx.insert(
                &DOCUMENT_VERSIONS,
                &(id, 1),
                &FileVersion {
                    uploaded_by: me,
                    uploaded_at: now,
                    ..v
                },
            )?;
            kind
        }
    };
    put_node(
        tx,
        id,
        &Node {
            space,
            parent,
            name,
            kind,
            created_by: me,
            created_at: now,
            updated_at: now,
            trashed: None,
            shares: 0,
        },
    )?;
    tx.emit(Event::DocumentChanged { node: id });
    if node.is_folder() {
        let rows = tx.range(
            &DOCUMENT_CHILDREN,
            (node.space, source.0, NodeId(0))..=(node.space, source.0, NodeId(u64::MAX)),
        )?;
        for (n, ((_, _, child), ())) in rows.into_iter().enumerate() {
            if let Some(c) = tx.get(&DOCUMENT_NODES, &child)?
                && c.trashed.is_none()
            {
                let cname = c.name.clone();
                copy_one(
                    tx,
                    actor,
                    me,
                    child,
                    &c,
                    cname,
                    space,
                    Some(id),
                    limits,
                    now,
                    copied + n + 1,
                )?;
            }
        }
    }
    Ok(id)
}
