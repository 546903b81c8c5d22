//! Who may do what with a document (DESIGN.md §4): the space's rules, then the shares of the
//! node and of its folders. Every read and write of the service asks [`node_access`]; the search
//! index stores [`acl_of`] and filters with [`actor_principals`], then re-checks each hit here.

use crate::domain::messaging::rules::may_communicate;
use crate::model::Actor;
use crate::model::directory::{EstablishmentId, Role};
use crate::model::documents::{Grantee, Node, NodeId, ShareRight, Space};
use crate::store::tables::{CLASSES, DOCUMENT_NODES, DOCUMENT_SHARES, GROUPS, PEOPLE};
use crate::store::{ReadTx, Rows, StoreError};

/// The deepest folder nesting walked (and allowed): bounds every ancestor walk.
pub const MAX_DEPTH: usize = 32;

/// What an actor may do with a space or a node, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    /// Nothing: the node does not exist for them (404).
    None,
    /// See and download.
    Read,
    /// Also upload, rename, move, copy into, trash.
    Write,
    /// Also share (the owner of a personal space; the writers of a shared space).
    Manage,
}

impl From<ShareRight> for Access {
    fn from(right: ShareRight) -> Access {
        match right {
            ShareRight::Read => Access::Read,
            ShareRight::Write => Access::Write,
        }
    }
}

/// Reads the documents' tables the same way in a read or a write transaction: what [`Rows`]
/// gives, said once for nodes, shares and spaces.
pub trait DocRead: Rows {
    /// The shares of a node.
    fn shares(&self, id: NodeId) -> Result<Vec<(Grantee, ShareRight)>, StoreError> {
        Ok(self
            .rows_with_prefix(&DOCUMENT_SHARES, &(id,))?
            .into_iter()
            .map(|((_, grantee), share)| (grantee, share.right))
            .collect())
    }

    /// A node.
    fn node(&self, id: NodeId) -> Result<Option<Node>, StoreError> {
        self.row(&DOCUMENT_NODES, &id)
    }

    /// The establishment of a class or group space.
    fn establishment_of(&self, space: Space) -> Result<Option<EstablishmentId>, StoreError> {
        Ok(match space {
            Space::Personal(_) => None,
            Space::Establishment(e) => Some(e),
            Space::Class(c) => self.row(&CLASSES, &c)?.map(|c| c.establishment),
            Space::Group(g) => self.row(&GROUPS, &g)?.map(|g| g.establishment),
        })
    }
}

impl<R: Rows> DocRead for R {}

/// What the actor may do in a space, before any share.
pub fn space_access(
    read: &impl DocRead,
    actor: &Actor,
    space: Space,
) -> Result<Access, StoreError> {
    let Some(me) = actor.person else {
        return Ok(Access::Manage);
    };
    Ok(match space {
        Space::Personal(owner) => {
            if owner == me {
                Access::Manage
            } else {
                Access::None
            }
        }
        Space::Class(_) | Space::Group(_) => {
            let Some(establishment) = read.establishment_of(space)? else {
                return Ok(Access::None);
            };
            let member = match space {
                Space::Class(c) => actor.classes.contains(&c),
                Space::Group(g) => actor.groups.contains(&g),
                _ => false,
            };
            if actor.is_staff_in(establishment)
                || (member && actor.has_role(establishment, Role::Enseignant))
            {
                Access::Manage
            } else if member {
                Access::Read
            } else {
                Access::None
            }
        }
        Space::Establishment(e) => {
            if actor.works_in(e) {
                Access::Manage
            } else if actor.profiles.iter().any(|p| p.establishment == e) {
                Access::Read
            } else {
                Access::None
            }
        }
    })
}

/// Whether the actor may give a share to this grantee: a person they may write to; a class or
/// group they belong to or teach, or one of an establishment where they are staff. Within the
/// messaging's communication rules (`may_communicate`).
pub fn may_share_with(read: &ReadTx, actor: &Actor, grantee: Grantee) -> Result<bool, StoreError> {
    Ok(match grantee {
        Grantee::Person(p) => read.get(&PEOPLE, &p)?.is_some() && may_communicate(read, actor, p)?,
        Grantee::Class(c) => {
            let Some(class) = read.get(&CLASSES, &c)? else {
                return Ok(false);
            };
            actor.classes.contains(&c) && !is_only_pupil(actor, class.establishment)
                || staff_of(actor, class.establishment)
        }
        Grantee::Group(g) => {
            let Some(group) = read.get(&GROUPS, &g)? else {
                return Ok(false);
            };
            actor.groups.contains(&g) && !is_only_pupil(actor, group.establishment)
                || staff_of(actor, group.establishment)
        }
    })
}

/// Pupils may share with people, not with their whole class.
fn is_only_pupil(actor: &Actor, e: crate::model::directory::EstablishmentId) -> bool {
    !actor.has_role(e, Role::Enseignant) && !staff_of(actor, e)
}

fn staff_of(actor: &Actor, e: crate::model::directory::EstablishmentId) -> bool {
    actor.platform_admin || actor.is_staff_in(e)
}

/// Whether a grantee designates the actor.
fn designates(actor: &Actor, grantee: Grantee) -> bool {
    match grantee {
        Grantee::Person(p) => actor.person == Some(p),
        Grantee::Class(c) => actor.classes.contains(&c),
        Grantee::Group(g) => actor.groups.contains(&g),
    }
}

/// A node with its folders, itself first: `None` if it or a folder is missing.
pub fn with_ancestors(
    read: &impl DocRead,
    id: NodeId,
) -> Result<Option<Vec<(NodeId, Node)>>, StoreError> {
    let mut chain = Vec::new();
    let mut next = Some(id);
    while let Some(current) = next {
        if chain.len() > MAX_DEPTH {
            return Ok(None);
        }
        let Some(node) = read.node(current)? else {
            return Ok(None);
        };
        next = node.parent;
        chain.push((current, node));
    }
    Ok(Some(chain))
}

/// A node as an actor sees it: the node, what they may do with it, and whether it (or one of
/// its folders) is in the trash. `None` when it does not exist **or** they may not read it: the
/// handlers answer 404 for both, so an id tells nothing.
pub fn node_access(
    read: &impl DocRead,
    actor: &Actor,
    id: NodeId,
) -> Result<Option<(Node, Access, bool)>, StoreError> {
    let Some(chain) = with_ancestors(read, id)? else {
        return Ok(None);
    };
    let Some((_, node)) = chain.first() else {
        return Ok(None);
    };
    let mut access = space_access(read, actor, node.space)?;
    if access < Access::Write {
        for (ancestor, _) in &chain {
            for (grantee, right) in read.shares(*ancestor)? {
                if designates(actor, grantee) {
                    access = access.max(Access::from(right));
                }
            }
        }
    }
    if access == Access::None {
        return Ok(None);
    }
    let trashed = chain.iter().any(|(_, n)| n.trashed.is_some());
    Ok(Some((node.clone(), access, trashed)))
}

/// Whether the actor may change a node's place in its space (rename it, move it between folders
/// of the space): they write in the space itself, or they write through a share of one of the
/// node's folders — not only through a share of the node itself. A share lets its grantee work
/// *inside* what was shared (Nextcloud, Edifice): the shared file or folder keeps the name and
/// the place its owner gave it.
pub fn writes_within(read: &impl DocRead, actor: &Actor, id: NodeId) -> Result<bool, StoreError> {
    let Some(chain) = with_ancestors(read, id)? else {
        return Ok(false);
    };
    let Some((_, node)) = chain.first() else {
        return Ok(false);
    };
    if space_access(read, actor, node.space)? >= Access::Write {
        return Ok(true);
    }
    for (ancestor, _) in chain.iter().skip(1) {
        for (grantee, right) in read.shares(*ancestor)? {
            if designates(actor, grantee) && right == ShareRight::Write {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// The principals that may read a space's content (before shares).
pub fn space_principals(read: &impl DocRead, space: Space) -> Result<Vec<String>, StoreError> {
    Ok(match space {
        Space::Personal(p) => vec![format!("u:{}", p.0)],
        Space::Class(c) => {
            let mut out = vec![format!("class:{}", c.0)];
            if let Some(e) = read.establishment_of(space)? {
                out.push(format!("est:{}:staff", e.0));
            }
            out
        }
        Space::Group(g) => {
            let mut out = vec![format!("group:{}", g.0)];
            if let Some(e) = read.establishment_of(space)? {
                out.push(format!("est:{}:staff", e.0));
            }
            out
        }
        Space::Establishment(e) => vec![format!("est:{}", e.0)],
    })
}

/// The principals allowed to read a node, for the search index: its space's, and those of the
/// shares of the node and its folders. `None` if it is missing or in the trash (not indexed).
pub fn acl_of(read: &impl DocRead, id: NodeId) -> Result<Option<Vec<String>>, StoreError> {
    let Some(chain) = with_ancestors(read, id)? else {
        return Ok(None);
    };
    if chain.iter().any(|(_, n)| n.trashed.is_some()) {
        return Ok(None);
    }
    let Some((_, node)) = chain.first() else {
        return Ok(None);
    };
    let mut out = space_principals(read, node.space)?;
    for (ancestor, _) in &chain {
        for (grantee, _) in read.shares(*ancestor)? {
            out.push(grantee.principal());
        }
    }
    out.sort();
    out.dedup();
    Ok(Some(out))
}

/// The principals an actor holds: `u:<me>`, `class:<c>` and `group:<g>` for their classes and
/// groups (pupils: their own; teachers: those they teach), `est:<e>` for each establishment
/// they belong to, `est:<e>:staff` where they are staff or local admin.
pub fn actor_principals(actor: &Actor) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(me) = actor.person {
        out.push(format!("u:{}", me.0));
    }
    out.extend(actor.classes.iter().map(|c| format!("class:{}", c.0)));
    out.extend(actor.groups.iter().map(|g| format!("group:{}", g.0)));
    for p in &actor.profiles {
        out.push(format!("est:{}", p.establishment.0));
        if p.role.is_staff() {
            out.push(format!("est:{}:staff", p.establishment.0));
        }
    }
    out.sort();
    out.dedup();
    out
}
