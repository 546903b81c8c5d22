//! The documents' operations: list a space, create folders, store uploaded files (a new version
//! when the name exists), rename, move, copy, versions, download. Each opens its own short
//! transaction and asks [`super::access`] first; a refused operation writes nothing.

use jiff::Timestamp;

use super::DocumentError;
use super::policy::{self, Access, MAX_DEPTH, node_access, space_access};
use crate::blobs::{self, BlobId};
use crate::model::Actor;
use crate::model::directory::{PersonId, Role};
use crate::model::documents::{FileVersion, Node, NodeId, NodeKind, Space};
use crate::model::events::Event;
use crate::store::tables::{
    CLASSES, DOCUMENT_CHILDREN, DOCUMENT_NODES, DOCUMENT_USAGE, DOCUMENT_VERSIONS,
    ESTABLISHMENT_CLASSES, ESTABLISHMENT_GROUPS, GROUPS, PEOPLE,
};
use crate::store::{ReadTx, Store, Tx};

/// The most versions kept per file: an upload beyond drops the oldest.
pub const MAX_VERSIONS: u32 = 10;

/// The most nodes one copy or one folder walk handles.
pub const MAX_TREE: usize = 2_000;

/// Size limits, from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The largest file, in bytes.
    pub max_file: u64,
    /// A pupil's quota, in bytes.
    pub quota_pupil: u64,
    /// A parent's quota, in bytes.
    pub quota_parent: u64,
    /// A teacher's or staff member's quota, in bytes.
    pub quota_staff: u64,
}

impl Limits {
    /// The quota of an actor: the largest of their roles'.
    pub fn quota_of(&self, actor: &Actor) -> u64 {
        if actor.is_system() || actor.platform_admin {
            return self.quota_staff;
        }
        actor
            .profiles
            .iter()
            .map(|p| match p.role {
                Role::Eleve => self.quota_pupil,
                Role::Parent => self.quota_parent,
                _ => self.quota_staff,
            })
            .max()
            .unwrap_or(self.quota_parent)
    }
}

/// Whether a character is invisible formatting: Unicode's general category Cf (bidirectional
/// marks, embeddings, overrides and isolates — U+200E, U+200F, U+061C, U+202A–U+202E,
/// U+2066–U+2069 —, zero-width spaces and joiners U+200B–U+200D, the byte-order mark U+FEFF,
/// the soft hyphen, invisible operators, tags…) and the line and paragraph separators. In a
/// file name they only serve to make it read other than it is ("fdp\u{202e}fdp.exe").
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061c}'
            | '\u{06dd}'
            | '\u{070f}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08e2}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{110bd}'
            | '\u{110cd}'
            | '\u{13430}'..='\u{1343f}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0001}'
            | '\u{e0020}'..='\u{e007f}'
    )
}

/// A name as stored: the last path component, no control characters and no invisible
/// formatting ([`is_invisible_format`]: bidirectional marks and overrides, zero-width
/// characters…), no leading dots, at most 200 characters. Empty after cleaning: refused.
/// Documents and messaging attachments both clean names here.
pub fn clean_name(raw: &str) -> Result<String, DocumentError> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !is_invisible_format(*c))
        .take(200)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_owned();
    if cleaned.is_empty() {
        return Err(DocumentError::Invalid("documents-error-name"));
    }
    Ok(cleaned)
}

/// The content type a file is served with, from its name (the declared type is not trusted).
pub fn content_type_of(name: &str) -> String {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "html" | "htm" => "text/html; charset=utf-8",
        "svg" => "image/svg+xml",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "odp" => "application/vnd.oasis.opendocument.presentation",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
    .to_owned()
}

/// Whether a content type may be shown inline (in the browser's own viewer): images that
/// cannot carry script, and PDF. Never HTML, SVG or anything else a user uploaded.
pub fn is_safe_inline(content_type: &str) -> bool {
    matches!(
        content_type,
        "application/pdf" | "image/png" | "image/jpeg" | "image/gif" | "image/webp"
    )
}

/// A space as listed for an actor.
#[derive(Debug, Clone)]
pub struct SpaceSummary {
    /// Which.
    pub space: Space,
    /// Its name ("Mes documents", "5B", "Collège Jean Moulin").
    pub label: String,
    /// What the actor may do there.
    pub access: Access,
}

/// The spaces an actor may open: their own, their classes' and groups', their establishments'.
pub fn spaces_of(read: &ReadTx, actor: &Actor) -> Result<Vec<SpaceSummary>, DocumentError> {
    let mut out = Vec::new();
    if let Some(me) = actor.person {
        out.push(SpaceSummary {
            space: Space::Personal(me),
            label: String::new(),
            access: Access::Manage,
        });
    }
    // Their own classes and groups (a pupil's, a teacher's), and for staff and local admins
    // every class and group of their establishments (they may write in all of them).
    let mut class_ids = actor.classes.clone();
    let mut group_ids = actor.groups.clone();
    for p in &actor.profiles {
        if p.role.is_staff() {
            for row in read.scan_prefix(&ESTABLISHMENT_CLASSES, &(p.establishment,))? {
                class_ids.push(row?.0.1);
            }
            for row in read.scan_prefix(&ESTABLISHMENT_GROUPS, &(p.establishment,))? {
                group_ids.push(row?.0.1);
            }
        }
    }
    class_ids.sort();
    class_ids.dedup();
    group_ids.sort();
    group_ids.dedup();
    let mut classes: Vec<SpaceSummary> = Vec::new();
    for c in &class_ids {
        if let Some(class) = read.get(&CLASSES, c)? {
            let space = Space::Class(*c);
            classes.push(SpaceSummary {
                space,
                label: class.name,
                access: space_access(read, actor, space)?,
            });
        }
    }
    for g in &group_ids {
        if let Some(group) = read.get(&GROUPS, g)? {
            let space = Space::Group(*g);
            classes.push(SpaceSummary {
                space,
                label: group.name,
                access: space_access(read, actor, space)?,
            });
        }
    }
    classes.sort_by_cached_key(|c| crate::domain::text::french_key(&c.label));
    out.extend(classes);
    for e in actor.establishments() {
        if let Some(est) = read.get(&crate::store::tables::ESTABLISHMENTS, &e)? {
            let space = Space::Establishment(e);
            out.push(SpaceSummary {
                space,
                label: est.name,
                access: space_access(read, actor, space)?,
            });
        }
    }
    Ok(out
        .into_iter()
        .filter(|s| s.access > Access::None)
        .collect())
}

/// One entry of a folder listing.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Its id.
    pub id: NodeId,
    /// The node.
    pub node: Node,
}

/// A folder (or a space's root) as an actor sees it.
#[derive(Debug, Clone)]
pub struct Listing {
    /// The space.
    pub space: Space,
    /// The folder (`None`: the root).
    pub folder: Option<NodeId>,
    /// The folders from the root down to this one (for the breadcrumb).
    pub path: Vec<(NodeId, String)>,
    /// What the actor may do here.
    pub access: Access,
    /// Folders first, then files, each in French alphabetical order; trashed ones left out.
    pub entries: Vec<Entry>,
}

/// Sorts entries folders first, then by name in French order. The folded names are computed
/// once per entry, not once per comparison (that was most of a listing's cost).
fn sort_entries(entries: &mut [Entry]) {
    entries.sort_by_cached_key(|e| {
        (
            !e.node.is_folder(),
            crate::domain::text::french_key(&e.node.name),
            e.id,
        )
    });
}

/// The entries of a folder (or a root) of a space, trashed ones included.
fn children(
    read: &ReadTx,
    space: Space,
    folder: Option<NodeId>,
) -> Result<Vec<Entry>, DocumentError> {
    let parent = folder.map_or(0, |f| f.0);
    let mut out = Vec::new();
    for row in read.scan_prefix(&DOCUMENT_CHILDREN, &(space, parent))? {
        let ((_, _, id), ()) = row?;
        if let Some(node) = read.get(&DOCUMENT_NODES, &id)? {
            out.push(Entry { id, node });
        }
    }
    Ok(out)
}

/// Lists a space's root or one of its folders.
pub fn list(
    read: &ReadTx,
    actor: &Actor,
    space: Space,
    folder: Option<NodeId>,
) -> Result<Listing, DocumentError> {
    let (access, path) = match folder {
        None => (space_access(read, actor, space)?, Vec::new()),
        Some(f) => {
            let Some((node, access, trashed)) = node_access(read, actor, f)? else {
                return Err(DocumentError::NotFound);
            };
            if node.space != space || !node.is_folder() || trashed {
                return Err(DocumentError::NotFound);
            }
            let chain = policy::with_ancestors(read, f)?.unwrap_or_default();
            let path = chain
                .into_iter()
                .rev()
                .map(|(id, n)| (id, n.name))
                .collect();
            (access, path)
        }
    };
    if access == Access::None {
        return Err(DocumentError::NotFound);
    }
    let mut entries: Vec<Entry> = children(read, space, folder)?
        .into_iter()
        .filter(|e| e.node.trashed.is_none())
        .collect();
    sort_entries(&mut entries);
    Ok(Listing {
        space,
        folder,
        path,
        access,
        entries,
    })
}

/// Bytes an actor's uploads take, and their quota.
pub fn usage(read: &ReadTx, actor: &Actor, limits: &Limits) -> Result<(u64, u64), DocumentError> {
    let used = match actor.person {
        Some(me) => read.get(&DOCUMENT_USAGE, &me)?.unwrap_or(0),
        None => 0,
    };
    Ok((used, limits.quota_of(actor)))
}

/// Adds (or takes back) bytes to a person's usage.
fn charge(tx: &mut Tx, person: PersonId, delta: i128) -> Result<u64, DocumentError> {
    let used = tx.get(&DOCUMENT_USAGE, &person)?.unwrap_or(0);
    let next = (i128::from(used) + delta).clamp(0, i128::from(u64::MAX));
    let next = u64::try_from(next).unwrap_or(u64::MAX);
    tx.insert(&DOCUMENT_USAGE, &person, &next)?;
    Ok(next)
}

/// Charges an upload of `size` bytes to the actor, refusing it past their quota.
fn charge_within_quota(
    tx: &mut Tx,
    actor: &Actor,
    size: u64,
    limits: &Limits,
) -> Result<(), DocumentError> {
    let Some(me) = actor.person else {
        return Ok(());
    };
    let used = tx.get(&DOCUMENT_USAGE, &me)?.unwrap_or(0);
    let quota = limits.quota_of(actor);
    if used.saturating_add(size) > quota {
        return Err(DocumentError::QuotaExceeded { used, quota });
    }
    charge(tx, me, i128::from(size))?;
    Ok(())
}

/// Where a new node goes: checks the actor may write into the space / folder.
fn check_destination(
    tx: &Tx,
    actor: &Actor,
    space: Space,
    parent: Option<NodeId>,
) -> Result<(), DocumentError> {
    let access = match parent {
        None => space_access(tx, actor, space)?,
        Some(p) => match node_access(tx, actor, p)? {
            Some((node, access, false)) if node.space == space && node.is_folder() => access,
            _ => return Err(DocumentError::NotFound),
        },
    };
    if access == Access::None {
        return Err(DocumentError::NotFound);
    }
    if access < Access::Write {
        return Err(DocumentError::Forbidden);
    }
    if let Some(p) = parent {
        let depth = policy::with_ancestors(tx, p)?.map_or(MAX_DEPTH, |c| c.len());
        if depth >= MAX_DEPTH {
            return Err(DocumentError::Invalid("documents-error-too-deep"));
        }
    }
    Ok(())
}

/// The live (not trashed) entry of a folder with this name, compared without case.
fn find_by_name(
    tx: &Tx,
    space: Space,
    parent: Option<NodeId>,
    name: &str,
) -> Result<Option<(NodeId, Node)>, DocumentError> {
    let p = parent.map_or(0, |f| f.0);
    let wanted = name.to_lowercase();
    let rows = tx.range(
        &DOCUMENT_CHILDREN,
        (space, p, NodeId(0))..=(space, p, NodeId(u64::MAX)),
    )?;
    for ((_, _, id), ()) in rows {
        if let Some(node) = tx.get(&DOCUMENT_NODES, &id)?
            && node.trashed.is_none()
            && node.name.to_lowercase() == wanted
        {
            return Ok(Some((id, node)));
        }
    }
    Ok(None)
}

/// Inserts a node and its place in its folder.
fn put_node(tx: &mut Tx, id: NodeId, node: &Node) -> Result<(), DocumentError> {
    tx.insert(&DOCUMENT_NODES, &id, node)?;
    tx.insert(
        &DOCUMENT_CHILDREN,
        &(node.space, node.parent.map_or(0, |p| p.0), id),
        &(),
    )?;
    Ok(())
}

/// Removes a node's place in its folder (before it moves).
fn unplace(tx: &mut Tx, id: NodeId, node: &Node) -> Result<(), DocumentError> {
    tx.remove(
        &DOCUMENT_CHILDREN,
        &(node.space, node.parent.map_or(0, |p| p.0), id),
    )?;
    Ok(())
}

/// Creates a folder.
pub fn create_folder(
    store: &Store,
    actor: &Actor,
    space: Space,
    parent: Option<NodeId>,
    name: &str,
    now: Timestamp,
) -> Result<NodeId, DocumentError> {
    let name = clean_name(name)?;
    let me = actor.person.ok_or(DocumentError::Forbidden)?;
    store.write(|tx| {
        check_destination(tx, actor, space, parent)?;
        if find_by_name(tx, space, parent, &name)?.is_some() {
            return Err(DocumentError::Invalid("documents-error-name-taken"));
        }
        let id: NodeId = tx.next_id()?;
        put_node(
            tx,
            id,
            &Node {
                space,
                parent,
                name,
                kind: NodeKind::Folder,
                created_by: me,
                created_at: now,
                updated_at: now,
                trashed: None,
            },
        )?;
        tx.emit(Event::DocumentChanged { node: id });
        Ok(id)
    })
}

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

/// What storing a file did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    let me = actor.person.ok_or(DocumentError::Forbidden)?;
    let mut named = Vec::with_capacity(files.len());
    for f in files {
        if f.size > limits.max_file {
            return Err(DocumentError::TooLarge {
                name: clean_name(&f.name).unwrap_or_default(),
                max: limits.max_file,
            });
        }
        named.push((clean_name(&f.name)?, f));
    }
    store.write(|tx| {
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
fn drop_old_versions(
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
fn push_version(
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

/// What a download serves.
#[derive(Debug, Clone)]
pub struct Download {
    /// The file's name.
    pub name: String,
    /// The version served.
    pub version: FileVersion,
}

/// A version of a file (the current one by default) for someone who may read it. Reads of
/// another person's file are recorded in the log (minors' data).
pub fn download(
    read: &ReadTx,
    actor: &Actor,
    id: NodeId,
    version: Option<u32>,
) -> Result<Download, DocumentError> {
    let Some((node, _, false)) = node_access(read, actor, id)? else {
        return Err(DocumentError::NotFound);
    };
    let NodeKind::File { current, .. } = node.kind else {
        return Err(DocumentError::NotFound);
    };
    let n = version.unwrap_or(current);
    let Some(v) = read.get(&DOCUMENT_VERSIONS, &(id, n))? else {
        return Err(DocumentError::NotFound);
    };
    if node.space != Space::Personal(actor.person.unwrap_or(PersonId(0))) {
        tracing::info!(node = id.0, reader = ?actor.person.map(|p| p.0), "document read");
    }
    Ok(Download {
        name: node.name,
        version: v,
    })
}

/// A node for someone who may read it (not in the trash).
pub fn get(read: &ReadTx, actor: &Actor, id: NodeId) -> Result<(Node, Access), DocumentError> {
    match node_access(read, actor, id)? {
        Some((node, access, false)) => Ok((node, access)),
        _ => Err(DocumentError::NotFound),
    }
}

/// Renames a file or folder.
pub fn rename(
    store: &Store,
    actor: &Actor,
    id: NodeId,
    name: &str,
    now: Timestamp,
) -> Result<(), DocumentError> {
    let name = clean_name(name)?;
    store.write(|tx| {
        let Some((mut node, access, false)) = node_access(tx, actor, id)? else {
            return Err(DocumentError::NotFound);
        };
        // A share lets its grantee rename what is inside a shared folder, not the shared
        // file or folder itself (its owner's name for it).
        if access < Access::Write || !policy::writes_within(tx, actor, id)? {
            return Err(DocumentError::Forbidden);
        }
        if let Some((other, _)) = find_by_name(tx, node.space, node.parent, &name)?
            && other != id
        {
            return Err(DocumentError::Invalid("documents-error-name-taken"));
        }
        node.name = name;
        node.updated_at = now;
        tx.insert(&DOCUMENT_NODES, &id, &node)?;
        tx.emit(Event::DocumentChanged { node: id });
        Ok(())
    })
}

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
fn copy_name(
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
fn copy_one(
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

/// The display name of a person (for "shared by", owners in lists).
pub fn person_name(read: &ReadTx, person: PersonId) -> Result<String, DocumentError> {
    Ok(read
        .get(&PEOPLE, &person)?
        .map(|p| p.display_name())
        .unwrap_or_default())
}

/// The label of a space for someone who may open it.
pub fn space_label(read: &ReadTx, space: Space) -> Result<String, DocumentError> {
    Ok(match space {
        Space::Personal(p) => person_name(read, p)?,
        Space::Class(c) => read.get(&CLASSES, &c)?.map(|c| c.name).unwrap_or_default(),
        Space::Group(g) => read.get(&GROUPS, &g)?.map(|g| g.name).unwrap_or_default(),
        Space::Establishment(e) => read
            .get(&crate::store::tables::ESTABLISHMENTS, &e)?
            .map(|e| e.name)
            .unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_are_cleaned() {
        assert_eq!(clean_name("../../etc/passwd").unwrap(), "passwd");
        assert_eq!(
            clean_name("C:\\Users\\x\\devoir.pdf").unwrap(),
            "devoir.pdf"
        );
        assert_eq!(
            clean_name("a\u{0}b\u{7}c\u{202e}fdp.exe").unwrap(),
            "abcfdp.exe"
        );
        assert_eq!(clean_name(&"é".repeat(1000)).unwrap().chars().count(), 200);
        assert!(clean_name("..").is_err());
        assert!(clean_name("  ").is_err());
        assert!(clean_name("dossier/").is_err());
        assert_eq!(
            clean_name("Élève – fiche n°1.odt").unwrap(),
            "Élève – fiche n°1.odt"
        );
    }

    #[test]
    fn bidi_marks_and_invisible_formatting_are_stripped() {
        for c in [
            '\u{200e}',
            '\u{200f}',
            '\u{061c}',
            '\u{202a}',
            '\u{202b}',
            '\u{202c}',
            '\u{202d}',
            '\u{202e}',
            '\u{2066}',
            '\u{2067}',
            '\u{2068}',
            '\u{2069}',
            '\u{200b}',
            '\u{200c}',
            '\u{200d}',
            '\u{feff}',
            '\u{00ad}',
            '\u{2060}',
            '\u{2028}',
            '\u{e0041}',
        ] {
            assert_eq!(
                clean_name(&format!("devoir{c}fdp.exe")).unwrap(),
                "devoirfdp.exe",
                "U+{:04X}",
                c as u32
            );
        }
        assert!(clean_name("\u{200f}\u{061c}\u{feff}").is_err());
        // Letters of every script stay, and so do ordinary spaces and punctuation.
        assert_eq!(clean_name("تمرين ١.pdf").unwrap(), "تمرين ١.pdf");
        assert_eq!(clean_name("שיעור.txt").unwrap(), "שיעור.txt");
        assert_eq!(
            clean_name("fiche « B » – n°2.odt").unwrap(),
            "fiche « B » – n°2.odt"
        );
    }

    #[test]
    fn only_images_and_pdf_are_inline() {
        assert!(is_safe_inline(&content_type_of("a.PDF")));
        assert!(is_safe_inline(&content_type_of("a.jpg")));
        assert!(!is_safe_inline(&content_type_of("a.svg")));
        assert!(!is_safe_inline(&content_type_of("a.html")));
        assert!(!is_safe_inline(&content_type_of("a")));
    }
}
