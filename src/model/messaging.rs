//! The messaging's stored types (issue 6). Changing one means a new table version.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::model::directory::Role;

use crate::model::directory::{EstablishmentId, PersonId};

crate::typed_id!(
    /// A message (sent or draft).
    MessageId,
    "message"
);
crate::typed_id!(
    /// A thread: a message and the replies to it.
    ThreadId,
    "thread"
);
crate::typed_id!(
    /// A personal folder of a mailbox.
    FolderId,
    "mail_folder"
);
crate::typed_id!(
    /// A report (*signalement*) of a message.
    ReportId,
    "message_report"
);

/// A file attached to a message: a blob of the content-addressed store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// SHA-256 of the content (the blob's name).
    pub blob: [u8; 32],
    /// The file name as given (cleaned).
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// The content type declared by the uploader (served only as an attachment).
    pub content_type: String,
}

/// A message: one body, whatever the number of recipients (their state is in
/// `message_recipients_v1`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Its thread.
    pub thread: ThreadId,
    /// Who wrote it.
    pub sender: PersonId,
    /// Subject.
    pub subject: String,
    /// Body, as typed (a small Markdown subset, rendered and sanitised when shown).
    pub body: String,
    /// Attached files.
    pub attachments: Vec<Attachment>,
    /// The recipients (for a draft: those chosen so far).
    pub recipients: Vec<PersonId>,
    /// The lists chosen ("Parents de 5B"), as labels for display.
    pub lists: Vec<String>,
    /// The message this one answers or forwards.
    pub reply_to: Option<MessageId>,
    /// Whether the sender asks each recipient to acknowledge (*vu et signé*).
    pub ack_requested: bool,
    /// When it was sent; `None` for a draft.
    pub sent_at: Option<Timestamp>,
    /// When it was last changed (drafts).
    pub updated_at: Timestamp,
    /// When the sender recalled it (no recipient had read it).
    pub recalled_at: Option<Timestamp>,
}

/// One recipient's state of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct RecipientState {
    /// When they first opened it.
    pub read_at: Option<Timestamp>,
    /// When they acknowledged it (if asked).
    pub acknowledged_at: Option<Timestamp>,
}

/// A thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thread {
    /// The first message's subject.
    pub subject: String,
    /// Who started it.
    pub started_by: PersonId,
    /// When it started.
    pub started_at: Timestamp,
    /// Frozen by a report until an administrator reviews it: no new replies.
    pub frozen_by: Option<ReportId>,
}

/// A mailbox folder, as keys store it: the four system folders, then personal ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Folder {
    /// Received messages.
    Inbox,
    /// Sent messages.
    Sent,
    /// Drafts.
    Drafts,
    /// Deleted messages, restorable.
    Trash,
    /// A personal folder.
    Personal(FolderId),
}

impl Folder {
    /// The folder's key in index tables.
    pub fn key(self) -> u64 {
        match self {
            Folder::Inbox => 1,
            Folder::Sent => 2,
            Folder::Drafts => 3,
            Folder::Trash => 4,
            Folder::Personal(id) => 1_000 + id.0,
        }
    }

    /// The folder of a key.
    pub fn of_key(key: u64) -> Option<Folder> {
        match key {
            1 => Some(Folder::Inbox),
            2 => Some(Folder::Sent),
            3 => Some(Folder::Drafts),
            4 => Some(Folder::Trash),
            k if k > 1_000 => Some(Folder::Personal(FolderId(k - 1_000))),
            _ => None,
        }
    }
}

/// A message in one person's mailbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxEntry {
    /// The folder it is in.
    pub folder: u64,
    /// When it arrived (or was sent, or last saved for a draft), µs: its place in the folder.
    pub at: i64,
    /// Not opened yet.
    pub unread: bool,
    /// For a message in the trash: the folder it came from.
    pub trashed_from: Option<u64>,
}

/// A report of a message by one of its recipients.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The message reported.
    pub message: MessageId,
    /// Its thread (frozen).
    pub thread: ThreadId,
    /// Who reported it.
    pub reporter: PersonId,
    /// The establishment whose administrators review it.
    pub establishment: EstablishmentId,
    /// When.
    pub at: Timestamp,
    /// The reporter's words (optional).
    pub reason: String,
    /// The review, once done.
    pub review: Option<Review>,
}

/// An administrator's review of a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// Who.
    pub by: PersonId,
    /// When.
    pub at: Timestamp,
    /// Whether the sender's messaging was suspended.
    pub suspended_sender: bool,
}

/// An account whose messaging an administrator suspended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suspension {
    /// By whom.
    pub by: Option<PersonId>,
    /// When.
    pub at: Timestamp,
    /// In which establishment's name.
    pub establishment: EstablishmentId,
}

/// A side of a rule: the four kinds of profile (a local administrator counts as staff).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Category {
    /// Pupils.
    Eleve,
    /// Parents.
    Parent,
    /// Teachers.
    Enseignant,
    /// Staff and local administrators.
    Personnel,
}

impl Category {
    /// All four, in the matrix's order.
    pub const ALL: [Category; 4] = [
        Category::Eleve,
        Category::Parent,
        Category::Enseignant,
        Category::Personnel,
    ];

    /// The category of a role.
    pub fn of(role: Role) -> Category {
        match role {
            Role::Eleve => Category::Eleve,
            Role::Parent => Category::Parent,
            Role::Enseignant => Category::Enseignant,
            Role::Personnel(_) | Role::AdminLocal => Category::Personnel,
        }
    }

    /// The index in the matrix.
    pub fn index(self) -> usize {
        match self {
            Category::Eleve => 0,
            Category::Parent => 1,
            Category::Enseignant => 2,
            Category::Personnel => 3,
        }
    }

    /// The code in forms (`eleve`, `parent`, `enseignant`, `personnel`).
    pub fn code(self) -> &'static str {
        match self {
            Category::Eleve => "eleve",
            Category::Parent => "parent",
            Category::Enseignant => "enseignant",
            Category::Personnel => "personnel",
        }
    }
}

/// How far a profile may write to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reach {
    /// To nobody of that profile.
    Nobody,
    /// To those related (see the module's table).
    Related,
    /// To everyone of that profile in the establishment.
    Everyone,
}

impl Reach {
    /// The code in forms.
    pub fn code(self) -> &'static str {
        match self {
            Reach::Nobody => "personne",
            Reach::Related => "lies",
            Reach::Everyone => "tous",
        }
    }

    /// The reach of a form code.
    pub fn from_code(code: &str) -> Option<Reach> {
        [Reach::Nobody, Reach::Related, Reach::Everyone]
            .into_iter()
            .find(|r| r.code() == code)
    }
}

/// An establishment's rules: `matrix[from][to]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommRules {
    /// The matrix, indexed by [`Category::index`].
    pub matrix: [[Reach; 4]; 4],
    /// When an administrator last changed it (`None`: the defaults).
    pub updated_at: Option<Timestamp>,
    /// Who.
    pub updated_by: Option<PersonId>,
}

impl CommRules {
    /// The defaults of DESIGN.md §4: a pupil writes to their teachers, the vie scolaire, their
    /// class and their own parents; a parent to their children's teachers, the staff, their
    /// children and the other parents of their children; staff and teachers to everyone.
    pub fn defaults() -> CommRules {
        use Reach::*;
        CommRules {
            matrix: [
                // to: pupil, parent, teacher, staff
                [Related, Related, Related, Related], // from a pupil
                [Related, Related, Related, Everyone], // from a parent
                [Everyone, Everyone, Everyone, Everyone], // from a teacher
                [Everyone, Everyone, Everyone, Everyone], // from staff
            ],
            updated_at: None,
            updated_by: None,
        }
    }

    /// The rule from one category to another.
    pub fn reach(&self, from: Category, to: Category) -> Reach {
        self.matrix[from.index()][to.index()]
    }
}
