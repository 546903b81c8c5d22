//! Shares: a file or folder given to people, classes or groups, read-only or read-write, within
//! the communication rules (the same `may_communicate` as the messaging, DESIGN.md §4).

use jiff::Timestamp;

use super::DocumentError;
use super::policy::{Access, may_share_with, node_access};
use crate::model::Actor;
use crate::model::documents::{Grantee, Node, NodeId, Share, ShareRight};
use crate::model::events::Event;
use crate::store::tables::{
    CLASSES, DOCUMENT_NODES, DOCUMENT_SHARED_WITH, DOCUMENT_SHARES, GROUPS,
};
use crate::store::{ReadTx, Store, Tx};

/// Shares a node (or changes the right of an existing share).
pub fn share(
    store: &Store,
    actor: &Actor,
    id: NodeId,
    grantee: Grantee,
    right: ShareRight,
    now: Timestamp,
) -> Result<(), DocumentError> {
    let me = actor.person.ok_or(DocumentError::Forbidden)?;
    {
        let read = store.read()?;
        match node_access(&read, actor, id)? {
            Some((_, Access::Manage, false)) => {}
            Some((_, _, false)) => return Err(DocumentError::Forbidden),
            _ => return Err(DocumentError::NotFound),
        }
        if grantee == Grantee::Person(me) || !may_share_with(&read, actor, grantee)? {
            return Err(DocumentError::Invalid("documents-error-share-not-allowed"));
        }
    }
    store.write(|tx| {
        match node_access(tx, actor, id)? {
            Some((_, Access::Manage, false)) => {}
            _ => return Err(DocumentError::NotFound),
        }
        let before = tx.insert(
            &DOCUMENT_SHARES,
            &(id, grantee),
            &Share {
                right,
                by: me,
                at: now,
            },
        )?;
        tx.insert(&DOCUMENT_SHARED_WITH, &(grantee, id), &right)?;
        if before.is_none() {
            count_shares(tx, id, 1)?;
        }
        tx.emit(Event::DocumentChanged { node: id });
        Ok(())
    })
}

/// Ends a share.
pub fn unshare(
    store: &Store,
    actor: &Actor,
    id: NodeId,
    grantee: Grantee,
) -> Result<(), DocumentError> {
    store.write(|tx| {
        match node_access(tx, actor, id)? {
            Some((_, Access::Manage, _)) => {}
            Some(_) => return Err(DocumentError::Forbidden),
            None => return Err(DocumentError::NotFound),
        }
        if tx.remove(&DOCUMENT_SHARES, &(id, grantee))?.is_none() {
            return Err(DocumentError::NotFound);
        }
        tx.remove(&DOCUMENT_SHARED_WITH, &(grantee, id))?;
        count_shares(tx, id, -1)?;
        tx.emit(Event::DocumentChanged { node: id });
        Ok(())
    })
}

/// Keeps the node's share count ([`Node::shares`]) in step with its share rows, in the
/// transaction that adds or removes one (a node being purged takes its count with it).
fn count_shares(tx: &mut Tx, id: NodeId, delta: i32) -> Result<(), DocumentError> {
    let Some(mut node) = tx.get(&DOCUMENT_NODES, &id)? else {
        return Err(DocumentError::NotFound);
    };
    node.shares = node.shares.saturating_add_signed(delta);
    tx.insert(&DOCUMENT_NODES, &id, &node)?;
    Ok(())
}

/// The shares of a node, for someone who may manage it, with a label for each grantee.
pub fn shares_of(
    read: &ReadTx,
    actor: &Actor,
    id: NodeId,
) -> Result<Vec<(Grantee, String, Share)>, DocumentError> {
    match node_access(read, actor, id)? {
        Some((_, Access::Manage, _)) => {}
        Some(_) => return Err(DocumentError::Forbidden),
        None => return Err(DocumentError::NotFound),
    }
    let mut out = Vec::new();
    for row in read.scan_prefix(&DOCUMENT_SHARES, &(id,))? {
        let ((_, grantee), share) = row?;
        out.push((grantee, grantee_label(read, grantee)?, share));
    }
    Ok(out)
}

/// A grantee's name: the person's, the class's or the group's.
pub fn grantee_label(read: &ReadTx, grantee: Grantee) -> Result<String, DocumentError> {
    Ok(match grantee {
        Grantee::Person(p) => super::service::person_name(read, p)?,
        Grantee::Class(c) => read.get(&CLASSES, &c)?.map(|c| c.name).unwrap_or_default(),
        Grantee::Group(g) => read.get(&GROUPS, &g)?.map(|g| g.name).unwrap_or_default(),
    })
}

/// What was shared with the actor (directly, or with their classes and groups), newest first;
/// trashed ones and those of which they lost sight left out.
pub fn shared_with_me(
    read: &ReadTx,
    actor: &Actor,
) -> Result<Vec<(NodeId, Node, Access)>, DocumentError> {
    let mut grantees = Vec::new();
    if let Some(me) = actor.person {
        grantees.push(Grantee::Person(me));
    }
    grantees.extend(actor.classes.iter().map(|c| Grantee::Class(*c)));
    grantees.extend(actor.groups.iter().map(|g| Grantee::Group(*g)));
    let mut ids = Vec::new();
    for g in grantees {
        for row in read.scan_prefix(&DOCUMENT_SHARED_WITH, &(g,))? {
            let ((_, id), _) = row?;
            ids.push(id);
        }
    }
    ids.sort();
    ids.dedup();
    let mut out = Vec::new();
    for id in ids {
        if let Some((node, access, false)) = node_access(read, actor, id)?
            && actor.person != Some(node.created_by)
        {
            out.push((id, node, access));
        }
    }
    out.sort_by_key(|e| std::cmp::Reverse(e.1.updated_at));
    Ok(out)
}

/// Whether the node has any share (for the "partagé" badge): its count, kept with it.
pub fn is_shared(node: &Node) -> bool {
    node.shares > 0
}
