//! What the documents pages and the JSON API show (issue 7 §2), each view gathered in one read
//! transaction: the home (spaces, "shared with me", usage, the root of *Mes documents*), a
//! folder with who last changed each entry, a file with its versions and shares, the trash of a
//! space, the destinations of a move or copy, the grantees one may pick for a share.
//!
//! Nothing here decides a permission of its own: every object comes through
//! [`super::service`], [`super::shares`], [`super::trash`] or [`super::policy::node_access`],
//! which answer "not found" for what the actor may not read.

use std::collections::BTreeMap;

use super::DocumentError;
use super::policy::{self, Access, node_access, space_access};
use super::service::{self, Limits, Listing, SpaceSummary};
use super::shares;
use crate::domain::messaging::MessagingError;
use crate::model::Actor;
use crate::model::directory::PersonId;
use crate::model::documents::{FileVersion, Grantee, Node, NodeId, NodeKind, Share, Space};
use crate::store::tables::{CLASSES, DOCUMENT_VERSIONS, GROUPS};
use crate::store::{ReadTx, Store};

/// The most destinations a move or copy offers (spaces and their top folders).
pub const MAX_DESTINATIONS: usize = 300;

/// How a space is named for an actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpaceName {
    /// Their own personal space (*Mes documents*).
    Mine,
    /// Another person's personal space (reached through a share): that person's name.
    Of(String),
    /// A class, group or establishment: its name.
    Named(String),
}

/// The name of a space as the actor sees it.
pub fn space_name(read: &ReadTx, actor: &Actor, space: Space) -> Result<SpaceName, DocumentError> {
    Ok(match space {
        Space::Personal(p) if actor.person == Some(p) => SpaceName::Mine,
        Space::Personal(p) => SpaceName::Of(service::person_name(read, p)?),
        other => SpaceName::Named(service::space_label(read, other)?),
    })
}

/// Display names of people, each read once per view.
#[derive(Default)]
struct Names(BTreeMap<PersonId, String>);

impl Names {
    fn of(&mut self, read: &ReadTx, person: PersonId) -> Result<String, DocumentError> {
        if let Some(name) = self.0.get(&person) {
            return Ok(name.clone());
        }
        let name = service::person_name(read, person)?;
        self.0.insert(person, name.clone());
        Ok(name)
    }
}

/// One entry of a folder as listed.
#[derive(Debug, Clone)]
pub struct Row {
    /// Its id.
    pub id: NodeId,
    /// The node.
    pub node: Node,
    /// Who last changed it: the uploader of a file's current version, a folder's creator.
    pub by: String,
    /// Whether it is shared (told only to those who manage it).
    pub shared: bool,
}

/// A folder (or a space's root) as a page shows it.
#[derive(Debug, Clone)]
pub struct FolderView {
    /// The listing from the service (access, entries).
    pub listing: Listing,
    /// The space's name.
    pub name: SpaceName,
    /// Whether the actor may open the space's root (else they came through a share).
    pub space_open: bool,
    /// The folders from the first one the actor may open down to this one (breadcrumb).
    pub path: Vec<(NodeId, String)>,
    /// The entries with who changed them.
    pub rows: Vec<Row>,
}

/// The part of a chain of folders (root first) the actor may open: the folders above the first
/// one they may read are left out, names included.
fn reachable(
    read: &ReadTx,
    actor: &Actor,
    space_open: bool,
    chain: Vec<(NodeId, String)>,
) -> Result<Vec<(NodeId, String)>, DocumentError> {
    if space_open {
        return Ok(chain);
    }
    let mut first = chain.len();
    for (i, (id, _)) in chain.iter().enumerate() {
        if node_access(read, actor, *id)?.is_some() {
            first = i;
            break;
        }
    }
    Ok(chain.into_iter().skip(first).collect())
}

/// The rows of a listing, with who changed each entry.
fn rows_of(read: &ReadTx, listing: &Listing, names: &mut Names) -> Result<Vec<Row>, DocumentError> {
    let manage = listing.access == Access::Manage;
    let versions = read.table(&DOCUMENT_VERSIONS)?;
    let mut rows = Vec::with_capacity(listing.entries.len());
    for entry in &listing.entries {
        let by = match entry.node.kind {
            NodeKind::File { current, .. } => versions
                .get(&(entry.id, current))?
                .map_or(entry.node.created_by, |v: FileVersion| v.uploaded_by),
            NodeKind::Folder => entry.node.created_by,
        };
        rows.push(Row {
            id: entry.id,
            node: entry.node.clone(),
            by: names.of(read, by)?,
            shared: manage && shares::is_shared(&entry.node),
        });
    }
    Ok(rows)
}

fn folder_in(
    read: &ReadTx,
    actor: &Actor,
    space: Space,
    folder: Option<NodeId>,
    names: &mut Names,
) -> Result<FolderView, DocumentError> {
    let listing = service::list(read, actor, space, folder)?;
    let space_open = space_access(read, actor, space)? > Access::None;
    let path = reachable(read, actor, space_open, listing.path.clone())?;
    let rows = rows_of(read, &listing, names)?;
    Ok(FolderView {
        name: space_name(read, actor, space)?,
        space_open,
        path,
        rows,
        listing,
    })
}

/// A folder or a space's root, for someone who may read it (else `NotFound`).
pub fn folder(
    store: &Store,
    actor: &Actor,
    space: Space,
    folder: Option<NodeId>,
) -> Result<FolderView, DocumentError> {
    let read = store.read()?;
    folder_in(&read, actor, space, folder, &mut Names::default())
}

/// Something shared with the actor.
#[derive(Debug, Clone)]
pub struct SharedEntry {
    /// Its id.
    pub id: NodeId,
    /// The node.
    pub node: Node,
    /// What the actor may do with it.
    pub access: Access,
    /// Who created it.
    pub owner: String,
}

/// The documents home.
#[derive(Debug, Clone)]
pub struct Home {
    /// The spaces the actor may open, with their names (their own first).
    pub spaces: Vec<(SpaceSummary, SpaceName)>,
    /// What was shared with them, newest first.
    pub shared: Vec<SharedEntry>,
    /// Bytes their uploads take.
    pub used: u64,
    /// Their quota in bytes.
    pub quota: u64,
    /// The root of their own space (`None` for an actor without a person).
    pub mine: Option<FolderView>,
}

/// The home of the documents: spaces, shares, usage, the root of *Mes documents*.
pub fn home(store: &Store, actor: &Actor, limits: &Limits) -> Result<Home, DocumentError> {
    let read = store.read()?;
    let mut names = Names::default();
    let mut spaces = Vec::new();
    for summary in service::spaces_of(&read, actor)? {
        let name = space_name(&read, actor, summary.space)?;
        spaces.push((summary, name));
    }
    let mut shared = Vec::new();
    for (id, node, access) in shares::shared_with_me(&read, actor)? {
        let owner = names.of(&read, node.created_by)?;
        shared.push(SharedEntry {
            id,
            node,
            access,
            owner,
        });
    }
    let (used, quota) = service::usage(&read, actor, limits)?;
    let mine = match actor.person {
        Some(me) => Some(folder_in(
            &read,
            actor,
            Space::Personal(me),
            None,
            &mut names,
        )?),
        None => None,
    };
    Ok(Home {
        spaces,
        shared,
        used,
        quota,
        mine,
    })
}

/// A file or folder with where it is and, for those who manage it, its shares.
#[derive(Debug, Clone)]
pub struct NodeView {
    /// Its id.
    pub id: NodeId,
    /// The node.
    pub node: Node,
    /// What the actor may do with it.
    pub access: Access,
    /// Its space's name.
    pub name: SpaceName,
    /// Whether the actor may open the space's root.
    pub space_open: bool,
    /// The folders above it that the actor may open, root first.
    pub path: Vec<(NodeId, String)>,
    /// Its shares with each grantee's name (empty unless the actor manages it).
    pub shares: Vec<(Grantee, String, Share)>,
    /// Whether the actor may rename it or move it inside its space
    /// ([`policy::writes_within`]; moving it out of its space needs [`Access::Manage`]).
    pub arrange: bool,
}

fn node_in(read: &ReadTx, actor: &Actor, id: NodeId) -> Result<NodeView, DocumentError> {
    let (node, access) = service::get(read, actor, id)?;
    let space_open = space_access(read, actor, node.space)? > Access::None;
    let chain: Vec<(NodeId, String)> = policy::with_ancestors(read, id)?
        .unwrap_or_default()
        .into_iter()
        .skip(1)
        .rev()
        .map(|(id, n)| (id, n.name))
        .collect();
    let path = reachable(read, actor, space_open, chain)?;
    let shares = if access == Access::Manage {
        shares::shares_of(read, actor, id)?
    } else {
        Vec::new()
    };
    let arrange = access == Access::Manage
        || (access >= Access::Write && policy::writes_within(read, actor, id)?);
    Ok(NodeView {
        id,
        arrange,
        name: space_name(read, actor, node.space)?,
        node,
        access,
        space_open,
        path,
        shares,
    })
}

/// A file or folder for someone who may read it (not in the trash; else `NotFound`).
pub fn node(store: &Store, actor: &Actor, id: NodeId) -> Result<NodeView, DocumentError> {
    node_in(&store.read()?, actor, id)
}

/// One version of a file as listed.
#[derive(Debug, Clone)]
pub struct VersionRow {
    /// Its number (1, 2, …).
    pub number: u32,
    /// The version.
    pub version: FileVersion,
    /// Who uploaded it.
    pub by: String,
}

/// A file's page: the node and its versions, newest first.
#[derive(Debug, Clone)]
pub struct FileView {
    /// The node, where it is, its shares.
    pub node: NodeView,
    /// Its versions, newest first.
    pub versions: Vec<VersionRow>,
    /// Whether the actor may put it in the trash.
    pub trash: bool,
}

/// A file for someone who may read it (`NotFound` for a folder, a trashed file, or one they may
/// not read).
pub fn file(store: &Store, actor: &Actor, id: NodeId) -> Result<FileView, DocumentError> {
    let read = store.read()?;
    let (_, _, versions) = service::versions(&read, actor, id)?;
    let node = node_in(&read, actor, id)?;
    let mut names = Names::default();
    let mut rows = Vec::with_capacity(versions.len());
    for (number, version) in versions {
        rows.push(VersionRow {
            number,
            by: names.of(&read, version.uploaded_by)?,
            version,
        });
    }
    // As `trash::trash` decides: those who manage it, or a writer who alone put it there.
    let trash = node.access == Access::Manage
        || (node.access >= Access::Write
            && actor.person == Some(node.node.created_by)
            && rows
                .iter()
                .all(|v| actor.person == Some(v.version.uploaded_by)));
    Ok(FileView {
        node,
        versions: rows,
        trash,
    })
}

/// A trashed entry of a space.
#[derive(Debug, Clone)]
pub struct TrashRow {
    /// Its id.
    pub id: NodeId,
    /// The node (its `trashed` stamp says when).
    pub node: Node,
    /// Who put it in the trash.
    pub by: String,
}

/// The trash of a space.
#[derive(Debug, Clone)]
pub struct TrashView {
    /// The space's name.
    pub name: SpaceName,
    /// Its trashed entries, newest first.
    pub rows: Vec<TrashRow>,
}

/// The trash of a space, for someone who may write in it (`NotFound` / `Forbidden` else).
pub fn trash(store: &Store, actor: &Actor, space: Space) -> Result<TrashView, DocumentError> {
    let read = store.read()?;
    let entries = super::trash::list(&read, actor, space)?;
    let mut names = Names::default();
    let mut rows = Vec::with_capacity(entries.len());
    for (id, node) in entries {
        let by = match &node.trashed {
            Some(t) => names.of(&read, t.by)?,
            None => String::new(),
        };
        rows.push(TrashRow { id, node, by });
    }
    Ok(TrashView {
        name: space_name(&read, actor, space)?,
        rows,
    })
}

/// A place a file or folder can be moved or copied to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    /// The space.
    pub space: Space,
    /// The space's name.
    pub name: SpaceName,
    /// A folder at the root of the space, or `None` for the root itself.
    pub folder: Option<(NodeId, String)>,
}

/// The places the actor may write to: each space where they may write, and the folders at its
/// root (one level deep), `exclude` (the node being moved) left out; at most
/// [`MAX_DESTINATIONS`].
pub fn destinations(
    store: &Store,
    actor: &Actor,
    exclude: NodeId,
) -> Result<Vec<Destination>, DocumentError> {
    let read = store.read()?;
    let mut out = Vec::new();
    for summary in service::spaces_of(&read, actor)? {
        if summary.access < Access::Write {
            continue;
        }
        let name = space_name(&read, actor, summary.space)?;
        out.push(Destination {
            space: summary.space,
            name: name.clone(),
            folder: None,
        });
        let listing = service::list(&read, actor, summary.space, None)?;
        for entry in listing.entries {
            if out.len() >= MAX_DESTINATIONS {
                return Ok(out);
            }
            if entry.node.is_folder() && entry.id != exclude {
                out.push(Destination {
                    space: summary.space,
                    name: name.clone(),
                    folder: Some((entry.id, entry.node.name)),
                });
            }
        }
    }
    Ok(out)
}

/// Who the actor may pick for a share.
#[derive(Debug, Clone, Default)]
pub struct Grantees {
    /// Their classes and groups they may share with, by name.
    pub groups: Vec<(Grantee, String)>,
    /// The people found by the name typed (those they may write to), by name.
    pub people: Vec<(Grantee, String)>,
}

/// The classes and groups the actor may share with, and the people whose names start with
/// `query` that they may share with (the messaging's suggestions: the same communication
/// rules). An empty query finds nobody.
pub fn grantees(store: &Store, actor: &Actor, query: &str) -> Result<Grantees, DocumentError> {
    let people = match crate::domain::messaging::compose::suggest(store, actor, query) {
        Ok(found) => found,
        Err(MessagingError::Store(e)) => return Err(e.into()),
        Err(_) => Vec::new(),
    };
    let read = store.read()?;
    let mut out = Grantees::default();
    let mut groups = Vec::new();
    for c in &actor.classes {
        if let Some(class) = read.get(&CLASSES, c)? {
            groups.push((Grantee::Class(*c), class.name));
        }
    }
    for g in &actor.groups {
        if let Some(group) = read.get(&GROUPS, g)? {
            groups.push((Grantee::Group(*g), group.name));
        }
    }
    for (grantee, name) in groups {
        if policy::may_share_with(&read, actor, grantee)? {
            out.groups.push((grantee, name));
        }
    }
    out.groups
        .sort_by_cached_key(|g| crate::domain::text::french_key(&g.1));
    for s in people {
        let grantee = Grantee::Person(s.person.id);
        if Some(s.person.id) != actor.person && policy::may_share_with(&read, actor, grantee)? {
            out.people.push((grantee, s.person.display_name()));
        }
    }
    Ok(out)
}

/// Checks, before an upload is read, that the actor may write into `folder` of `space` (or its
/// root): `NotFound` if they may not see it, `Forbidden` if they may only read it. The
/// service checks again when it stores the files.
pub fn check_writable(
    store: &Store,
    actor: &Actor,
    space: Space,
    folder: Option<NodeId>,
) -> Result<(), DocumentError> {
    let read = store.read()?;
    let access = match folder {
        None => space_access(&read, actor, space)?,
        Some(f) => match node_access(&read, actor, f)? {
            Some((node, access, false)) if node.space == space && node.is_folder() => access,
            _ => return Err(DocumentError::NotFound),
        },
    };
    match access {
        Access::None => Err(DocumentError::NotFound),
        Access::Read => Err(DocumentError::Forbidden),
        Access::Write | Access::Manage => Ok(()),
    }
}

/// A version of a file (the current one by default) for someone who may read it: what a
/// download serves (`NotFound` otherwise).
pub fn download(
    store: &Store,
    actor: &Actor,
    id: NodeId,
    version: Option<u32>,
) -> Result<service::Download, DocumentError> {
    service::download(&store.read()?, actor, id, version)
}

/// The usage and quota of the actor (bytes).
pub fn usage(store: &Store, actor: &Actor, limits: &Limits) -> Result<(u64, u64), DocumentError> {
    service::usage(&store.read()?, actor, limits)
}
