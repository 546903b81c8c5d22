//! The documents' operations: list a space, create folders, store uploaded files (a new version
//! when the name exists), rename, move, copy, versions, download. Each opens its own short
//! transaction and asks [`super::access`] first; a refused operation writes nothing.

use jiff::Timestamp;

use super::DocumentError;
use super::policy::{self, Access, MAX_DEPTH, node_access, space_access};
use crate::model::Actor;
use crate::model::directory::{PersonId, Role};
use crate::model::documents::{FileVersion, Node, NodeId, NodeKind, Space};
use crate::model::events::Event;
use crate::store::tables::{
    CLASSES, DOCUMENT_CHILDREN, DOCUMENT_NODES, DOCUMENT_USAGE, DOCUMENT_VERSIONS,
    ESTABLISHMENT_CLASSES, ESTABLISHMENT_GROUPS, GROUPS, PEOPLE,
};
use crate::store::{ReadTx, Store, Tx};

pub use super::names::{
    clean_name, content_type_of, is_invisible_format, is_safe_inline, path_of, upload_name,
};
pub use super::tree::{copy_node, move_node};
pub(super) use super::tree::{descendants, free_name};
pub(super) use super::versions::remove_version;
pub use super::versions::{
    Stored, Uploaded, restore_version, store_files, store_files_once, versions,
};

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
pub(super) fn sort_entries(entries: &mut [Entry]) {
    entries.sort_by_cached_key(|e| {
        (
            !e.node.is_folder(),
            crate::domain::text::french_key(&e.node.name),
            e.id,
        )
    });
}

/// The entries of a folder (or a root) of a space, trashed ones included.
pub(super) fn children(
    read: &ReadTx,
    space: Space,
    folder: Option<NodeId>,
) -> Result<Vec<Entry>, DocumentError> {
    let parent = folder.map_or(0, |f| f.0);
    let nodes = read.table(&DOCUMENT_NODES)?;
    let mut out = Vec::new();
    for row in read.scan_prefix(&DOCUMENT_CHILDREN, &(space, parent))? {
        let ((_, _, id), ()) = row?;
        if let Some(node) = nodes.get(&id)? {
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
pub(super) fn charge(tx: &mut Tx, person: PersonId, delta: i128) -> Result<u64, DocumentError> {
    let used = tx.get(&DOCUMENT_USAGE, &person)?.unwrap_or(0);
    let next = (i128::from(used) + delta).clamp(0, i128::from(u64::MAX));
    let next = u64::try_from(next).unwrap_or(u64::MAX);
    tx.insert(&DOCUMENT_USAGE, &person, &next)?;
    Ok(next)
}

/// Charges an upload of `size` bytes to the actor, refusing it past their quota.
pub(super) fn charge_within_quota(
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
pub(super) fn check_destination(
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
pub(super) fn find_by_name(
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
pub(super) fn put_node(tx: &mut Tx, id: NodeId, node: &Node) -> Result<(), DocumentError> {
    tx.insert(&DOCUMENT_NODES, &id, node)?;
    tx.insert(
        &DOCUMENT_CHILDREN,
        &(node.space, node.parent.map_or(0, |p| p.0), id),
        &(),
    )?;
    Ok(())
}

/// Removes a node's place in its folder (before it moves).
pub(super) fn unplace(tx: &mut Tx, id: NodeId, node: &Node) -> Result<(), DocumentError> {
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
                shares: 0,
            },
        )?;
        tx.emit(Event::DocumentChanged { node: id });
        Ok(id)
    })
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
        assert_eq!(
            clean_name("a\u{0}b\u{7}c\u{202e}fdp.exe").unwrap(),
            "abcfdp.exe"
        );
        assert_eq!(clean_name(&"é".repeat(1000)).unwrap().chars().count(), 200);
        assert!(clean_name("..").is_err());
        assert!(clean_name("  ").is_err());
        assert!(clean_name(" . .").is_err());
        assert_eq!(clean_name(" .. .profil").unwrap(), "profil");
        assert_eq!(
            clean_name("Élève – fiche n°1.odt").unwrap(),
            "Élève – fiche n°1.odt"
        );
        // Spaces collapse; a control character, a tab included, is removed from a name.
        assert_eq!(
            clean_name("  Sortie \u{a0}  du\tjeudi ").unwrap(),
            "Sortie dujeudi"
        );
        // NFC: the same name however the accent was typed.
        assert_eq!(clean_name("E\u{301}le\u{300}ve").unwrap(), "Élève");
    }

    #[test]
    fn a_typed_name_keeps_its_slashes_as_look_alikes() {
        assert_eq!(
            clean_name("Devoirs 2025/2026").unwrap(),
            "Devoirs 2025\u{2215}2026"
        );
        assert_eq!(
            clean_name("<script>alert(1)</script>.txt").unwrap(),
            "<script>alert(1)<\u{2215}script>.txt"
        );
        assert_eq!(clean_name("a\\b").unwrap(), "a\u{29f5}b");
        assert_eq!(clean_name("dossier/").unwrap(), "dossier\u{2215}");
        assert_eq!(clean_name("/").unwrap(), "\u{2215}");
        assert_eq!(
            clean_name("../../etc/passwd").unwrap(),
            "\u{2215}..\u{2215}etc\u{2215}passwd"
        );
    }

    #[test]
    fn only_a_path_sent_as_a_file_name_is_cut() {
        for (sent, stored) in [
            ("C:\\fakepath\\x.txt", "x.txt"),
            ("C:\\Users\\léa\\devoir.pdf", "devoir.pdf"),
            ("C:/Users/léa/devoir.pdf", "devoir.pdf"),
            ("\\\\serveur\\partage\\cours.odt", "cours.odt"),
            ("/home/lea/devoir.pdf", "devoir.pdf"),
            ("Devoirs/chapitre 1/devoir.pdf", "devoir.pdf"),
            ("../../etc/passwd", "passwd"),
            (
                "<script>alert(1)</script>.txt",
                "<script>alert(1)<\u{2215}script>.txt",
            ),
            ("a:b/c.txt", "a:b\u{2215}c.txt"),
            ("//x.txt", "x.txt"),
            ("devoir.pdf", "devoir.pdf"),
        ] {
            assert_eq!(upload_name(sent).unwrap(), stored, "{sent}");
        }
        assert!(upload_name("dossier/").is_err());
        assert!(upload_name("C:\\").is_err());
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
