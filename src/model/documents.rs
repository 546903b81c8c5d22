//! The documents' stored types (issue 7 §2). Changing one means a new table version.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::model::directory::{ClassId, EstablishmentId, GroupId, PersonId};

crate::typed_id!(
    /// A file or a folder of a documents space.
    NodeId,
    "document_node"
);

/// Whose documents: a person's own space, or the shared space of a class, a group or an
/// establishment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Space {
    /// *Mes documents*: only its owner (and those they share with).
    Personal(PersonId),
    /// A class's space: its pupils read, its teachers and the establishment's staff write.
    Class(ClassId),
    /// A group's space: as a class's.
    Group(GroupId),
    /// The establishment's space: everyone in it reads, its staff and teachers write.
    Establishment(EstablishmentId),
}

impl Space {
    /// One-byte code of the kind (keys, URLs).
    pub fn kind_code(self) -> u8 {
        match self {
            Space::Personal(_) => 1,
            Space::Class(_) => 2,
            Space::Group(_) => 3,
            Space::Establishment(_) => 4,
        }
    }

    /// The raw id of the owner, class, group or establishment.
    pub fn raw_id(self) -> u64 {
        match self {
            Space::Personal(p) => p.0,
            Space::Class(c) => c.0,
            Space::Group(g) => g.0,
            Space::Establishment(e) => e.0,
        }
    }

    /// Rebuilds a space from its kind code and raw id.
    pub fn from_parts(kind: u8, id: u64) -> Option<Space> {
        Some(match kind {
            1 => Space::Personal(PersonId(id)),
            2 => Space::Class(ClassId(id)),
            3 => Space::Group(GroupId(id)),
            4 => Space::Establishment(EstablishmentId(id)),
            _ => return None,
        })
    }

    /// The space as it appears in URLs: `perso-12`, `classe-7`, `groupe-9`, `etab-3`.
    pub fn slug(self) -> String {
        let kind = match self {
            Space::Personal(_) => "perso",
            Space::Class(_) => "classe",
            Space::Group(_) => "groupe",
            Space::Establishment(_) => "etab",
        };
        format!("{kind}-{}", self.raw_id())
    }

    /// Parses [`Space::slug`].
    pub fn from_slug(slug: &str) -> Option<Space> {
        let (kind, id) = slug.split_once('-')?;
        let id: u64 = id.parse().ok()?;
        let kind = match kind {
            "perso" => 1,
            "classe" => 2,
            "groupe" => 3,
            "etab" => 4,
            _ => return None,
        };
        Space::from_parts(kind, id)
    }
}

/// One stored version of a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileVersion {
    /// SHA-256 of the content (the blob's name).
    pub blob: [u8; 32],
    /// Size in bytes.
    pub size: u64,
    /// The content type, as sniffed from the name and declared type (never trusted for inline).
    pub content_type: String,
    /// Who uploaded it (their quota pays for it).
    pub uploaded_by: PersonId,
    /// When.
    pub uploaded_at: Timestamp,
}

/// A node is a folder or a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum NodeKind {
    /// A folder.
    Folder,
    /// A file: its versions are in `document_versions_v1`, the newest is `current`.
    File {
        /// Number of the current version (1, 2, …).
        current: u32,
        /// Size of the current version.
        size: u64,
        /// Content type of the current version.
        content_type: String,
    },
}

/// Why and when a node went to the trash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trashed {
    /// When (the purge comes 30 days later).
    #[serde(with = "crate::model::stamp")]
    pub at: Timestamp,
    /// Who.
    pub by: PersonId,
}

/// A file or a folder, as stored in `document_nodes_v2` (its timestamps as integers, see
/// [`crate::model::stamp`]; the layout of `document_nodes_v1` is kept by the store's migration
/// to version 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    /// Its space.
    pub space: Space,
    /// Its folder (`None`: at the root of the space).
    pub parent: Option<NodeId>,
    /// Its name (cleaned: no `/`, no control characters, at most 200 characters).
    pub name: String,
    /// Folder or file.
    pub kind: NodeKind,
    /// Who created it.
    pub created_by: PersonId,
    /// When.
    #[serde(with = "crate::model::stamp")]
    pub created_at: Timestamp,
    /// Last change of its content or name.
    #[serde(with = "crate::model::stamp")]
    pub updated_at: Timestamp,
    /// In the trash (itself, not through a folder).
    pub trashed: Option<Trashed>,
    /// How many shares it has (its rows in `document_shares_v1`): kept with the node by
    /// `domain::documents::shares`, so a listing tells "partagé" without reading the shares.
    pub shares: u32,
}

impl Node {
    /// Whether it is a folder.
    pub fn is_folder(&self) -> bool {
        matches!(self.kind, NodeKind::Folder)
    }
}

/// Who a node is shared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Grantee {
    /// One person.
    Person(PersonId),
    /// The pupils and teachers of a class.
    Class(ClassId),
    /// The pupils and teachers of a group.
    Group(GroupId),
}

impl Grantee {
    /// One-byte code of the kind.
    pub fn kind_code(self) -> u8 {
        match self {
            Grantee::Person(_) => 1,
            Grantee::Class(_) => 2,
            Grantee::Group(_) => 3,
        }
    }

    /// The raw id.
    pub fn raw_id(self) -> u64 {
        match self {
            Grantee::Person(p) => p.0,
            Grantee::Class(c) => c.0,
            Grantee::Group(g) => g.0,
        }
    }

    /// The search principal the grantee stands for (`u:42`, `class:7`, `group:9`).
    pub fn principal(self) -> String {
        match self {
            Grantee::Person(p) => format!("u:{}", p.0),
            Grantee::Class(c) => format!("class:{}", c.0),
            Grantee::Group(g) => format!("group:{}", g.0),
        }
    }
}

/// What a share allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ShareRight {
    /// Read and download.
    Read,
    /// Also upload new files and versions, create folders, rename and move within what was
    /// shared, trash what one put there oneself (docs/documents.md, *Shares*).
    Write,
}

/// A share of a node (and, for a folder, of everything in it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    /// Read or read-write.
    pub right: ShareRight,
    /// Who shared.
    pub by: PersonId,
    /// When.
    pub at: Timestamp,
}
