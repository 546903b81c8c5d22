//! Version 2: `document_nodes_v1` → `document_nodes_v2`. A node's timestamps were jiff's RFC
//! 3339 text, parsed on every read; they are now integers ([`crate::model::stamp`]), and the
//! node keeps its number of shares, which a listing used to read from `document_shares_v1`
//! for every row (docs/PERFORMANCE.md, "Documents list").

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::super::tables::{DOCUMENT_NODES, DOCUMENT_SHARES, Table};
use super::super::{StoreError, Tx};
use crate::model::directory::PersonId;
use crate::model::documents::{Node, NodeId, NodeKind, Space, Trashed};

/// A node as version 1 stored it (the model's `Node` before version 2, field for field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct NodeV1 {
    pub space: Space,
    pub parent: Option<NodeId>,
    pub name: String,
    pub kind: NodeKind,
    pub created_by: PersonId,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub trashed: Option<TrashedV1>,
}

/// A trash stamp as version 1 stored it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct TrashedV1 {
    pub at: Timestamp,
    pub by: PersonId,
}

/// `document_nodes_v1`: [`NodeId`] → [`NodeV1`]; gone once migrated.
pub(super) const DOCUMENT_NODES_V1: Table<NodeId, NodeV1> = Table::logged("document_nodes_v1");

impl NodeV1 {
    /// The same node in the layout of version 2, with its number of shares.
    pub(super) fn upgrade(self, shares: u32) -> Node {
        Node {
            space: self.space,
            parent: self.parent,
            name: self.name,
            kind: self.kind,
            created_by: self.created_by,
            created_at: self.created_at,
            updated_at: self.updated_at,
            trashed: self.trashed.map(|t| Trashed { at: t.at, by: t.by }),
            shares,
        }
    }
}

/// Moves every node into `document_nodes_v2`, counting its shares, and drops the old table.
/// Running it on a store without the old table changes nothing.
pub(super) fn run(tx: &mut Tx) -> Result<(), StoreError> {
    if !tx.table_exists(DOCUMENT_NODES_V1.name())? {
        return Ok(());
    }
    let mut shares: BTreeMap<NodeId, u32> = BTreeMap::new();
    for ((node, _), _) in tx.range(&DOCUMENT_SHARES, ..)? {
        *shares.entry(node).or_default() += 1;
    }
    let old = tx.range(&DOCUMENT_NODES_V1, ..)?;
    tracing::info!(
        nodes = old.len(),
        "document nodes: integer timestamps and share counts"
    );
    for (id, node) in old {
        tx.remove(&DOCUMENT_NODES_V1, &id)?;
        let count = shares.get(&id).copied().unwrap_or(0);
        tx.insert(&DOCUMENT_NODES, &id, &node.upgrade(count))?;
    }
    tx.drop_empty_table(DOCUMENT_NODES_V1.name())
}
