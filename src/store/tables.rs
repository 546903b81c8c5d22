//! Every table of the store, with its key, value, indexes and writer.
//!
//! redb sees each table as raw bytes (`&[u8] → &[u8]`, see `codec.rs`); the typed view is the
//! [`Table`] constant below. Names carry a version (`_v1`): changing a stored struct means a new
//! table name, a migration (`migrations.rs`) and a golden-bytes test.
//!
//! A table is either **logged** (every insert and remove goes into the change log, is replicated,
//! and counts in the per-table checksums) or **node-local** (written through the same [`Tx`] API but
//! never logged: sessions, rate-limit counters, tailer positions, the store's own bookkeeping).
//!
//! [`Tx`]: super::Tx

use std::marker::PhantomData;

use serde::{Deserialize, Serialize};

use super::changelog::{Hash128, LoggedEntry, Position};
use crate::model::blobs::BlobId;

/// A typed view of one redb table.
pub struct Table<K, V> {
    name: &'static str,
    logged: bool,
    _types: PhantomData<fn() -> (K, V)>,
}

/// Names of node-local tables start with this; no other table's name does, so that
/// `cartable check` can tell them apart from the tables it verifies.
pub const NODE_LOCAL_PREFIX: &str = "local_";

const fn is_node_local_name(name: &str) -> bool {
    let (n, p) = (name.as_bytes(), NODE_LOCAL_PREFIX.as_bytes());
    if n.len() < p.len() {
        return false;
    }
    let mut i = 0;
    while i < p.len() {
        if n[i] != p[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether a table name is one of the store's own or a node-local table's (not checksummed).
pub fn is_unlogged_name(name: &str) -> bool {
    is_node_local_name(name) || STORE_OWN.contains(&name)
}

/// The store's own bookkeeping tables.
pub(crate) const STORE_OWN: [&str; 3] = [CHANGELOG.name, META.name, TABLE_CHECKSUMS.name];

impl<K, V> Table<K, V> {
    /// A table whose changes go into the change log and are replicated.
    /// Its name must not start with [`NODE_LOCAL_PREFIX`] (checked at compile time).
    pub const fn logged(name: &'static str) -> Self {
        assert!(
            !is_node_local_name(name),
            "a logged table's name must not start with `local_`"
        );
        Table {
            name,
            logged: true,
            _types: PhantomData,
        }
    }

    /// A table kept on this node only: written through `Tx`, never logged or replicated.
    /// Its name must start with [`NODE_LOCAL_PREFIX`] (checked at compile time).
    pub const fn node_local(name: &'static str) -> Self {
        assert!(
            is_node_local_name(name),
            "a node-local table's name must start with `local_`"
        );
        Table {
            name,
            logged: false,
            _types: PhantomData,
        }
    }

    /// One of the store's own bookkeeping tables (unlogged, written only by `store/`).
    const fn store_own(name: &'static str) -> Self {
        Table {
            name,
            logged: false,
            _types: PhantomData,
        }
    }

    /// The redb table name (with its version suffix).
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// Whether changes to this table are logged.
    pub const fn is_logged(&self) -> bool {
        self.logged
    }
}

/// The raw redb definition behind a table name.
pub(crate) fn raw(name: &str) -> redb::TableDefinition<'_, &'static [u8], &'static [u8]> {
    redb::TableDefinition::new(name)
}

// ---------------------------------------------------------------------------------------------
// The store's own tables (written only by `store/`).
// ---------------------------------------------------------------------------------------------

/// `changelog_v1`: sequence number → [`LoggedEntry`].
/// The change log itself. Appended by `Tx` when a transaction that changed a logged table
/// commits; read by tailers and `cartable check`. Not itself "logged" (it *is* the log).
pub const CHANGELOG: Table<u64, LoggedEntry> = Table::store_own("changelog_v1");

/// `meta_v1`: name → the bare postcard encoding of a value of the type given below. Node-local bookkeeping: `schema_version` (u32), `node_id` (u64),
/// `epoch` ([`super::changelog::Epoch`]), `head` ([`Position`] of the last entry) and `combined`
/// (the XOR of all table checksums, [`Hash128`]). Written by `Store::open` and `Tx`.
pub const META: Table<String, Vec<u8>> = Table::store_own("meta_v1");

/// `table_checksums_v1`: table name → [`Hash128`], the XOR of the hashes of every row of that
/// logged table (`changelog::row_hash`); no row means zero (an empty table). Maintained by `Tx` on every logged insert/remove;
/// recomputed from the rows by `cartable check`. Node-local: each node derives its own.
pub const TABLE_CHECKSUMS: Table<String, Hash128> = Table::store_own("table_checksums_v1");

/// `local_tailer_positions_v1`: tailer name → [`Position`] of the last entry it finished.
/// Written by each tailer (search indexer, notifier, replication feeder) after its work.
pub const TAILER_POSITIONS: Table<String, Position> =
    Table::node_local("local_tailer_positions_v1");

/// `id_counters_v1`: id kind (`"person"`, `"class"` …) → last id handed out.
/// Logged, so that a replica that takes over continues the same sequences. Written by
/// `Tx::next_id` inside the transaction that uses the id.
pub const ID_COUNTERS: Table<String, u64> = Table::logged("id_counters_v1");

/// Value of the hidden `debug_notes_v1` table used by crash tests and benchmarks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DebugNote {
    /// Free text.
    pub text: String,
}

/// `debug_notes_v1`: u64 → [`DebugNote`]. Logged. Written only by `cartable debug write-burst`
/// (crash tests) and the store benchmarks; holds nothing a user created.
pub const DEBUG_NOTES: Table<u64, DebugNote> = Table::logged("debug_notes_v1");

// ---------------------------------------------------------------------------------------------
// Directory (written by `domain::directory::service`). Index tables have `()` values; their keys
// start with the id they are looked up by, so one prefix range answers the question.
// ---------------------------------------------------------------------------------------------

use crate::model::directory::{
    Class, ClassId, Establishment, EstablishmentId, Group, GroupId, ParentLink, Person, PersonId,
    Profile, Subject, SubjectId, Teaching, TeachingId,
};

/// `establishments_v1`: [`EstablishmentId`] → [`Establishment`]. Index: [`UAI_TO_ESTABLISHMENT`].
pub const ESTABLISHMENTS: Table<EstablishmentId, Establishment> =
    Table::logged("establishments_v1");

/// `uai_to_establishment_v1`: UAI → [`EstablishmentId`] (unique).
pub const UAI_TO_ESTABLISHMENT: Table<String, EstablishmentId> =
    Table::logged("uai_to_establishment_v1");

/// `people_v1`: [`PersonId`] → [`Person`] (with the account). Indexes: [`LOGIN_TO_PERSON`],
/// [`PERSON_PROFILES`], [`ESTABLISHMENT_PEOPLE`].
pub const PEOPLE: Table<PersonId, Person> = Table::logged("people_v1");

/// `login_to_person_v1`: login → [`PersonId`] (unique, lower-case).
pub const LOGIN_TO_PERSON: Table<String, PersonId> = Table::logged("login_to_person_v1");

/// `person_profiles_v1`: (person, establishment, role code) → [`Profile`]: a person's profiles.
pub const PERSON_PROFILES: Table<(PersonId, EstablishmentId, u8), Profile> =
    Table::logged("person_profiles_v1");

/// `establishment_people_v1`: (establishment, role code, person) → (): the accounts of an
/// establishment, by role.
pub const ESTABLISHMENT_PEOPLE: Table<(EstablishmentId, u8, PersonId), ()> =
    Table::logged("establishment_people_v1");

/// `classes_v1`: [`ClassId`] → [`Class`]. Index: [`ESTABLISHMENT_CLASSES`].
pub const CLASSES: Table<ClassId, Class> = Table::logged("classes_v1");

/// `establishment_classes_v1`: (establishment, class) → ().
pub const ESTABLISHMENT_CLASSES: Table<(EstablishmentId, ClassId), ()> =
    Table::logged("establishment_classes_v1");

/// `class_students_v1`: (class, pupil) → (): the members of a class.
pub const CLASS_STUDENTS: Table<(ClassId, PersonId), ()> = Table::logged("class_students_v1");

/// `student_classes_v1`: (pupil, class) → (): a pupil's classes (one per school year).
pub const STUDENT_CLASSES: Table<(PersonId, ClassId), ()> = Table::logged("student_classes_v1");

/// `groups_v1`: [`GroupId`] → [`Group`]. Index: [`ESTABLISHMENT_GROUPS`].
pub const GROUPS: Table<GroupId, Group> = Table::logged("groups_v1");

/// `establishment_groups_v1`: (establishment, group) → ().
pub const ESTABLISHMENT_GROUPS: Table<(EstablishmentId, GroupId), ()> =
    Table::logged("establishment_groups_v1");

/// `group_students_v1`: (group, pupil) → ().
pub const GROUP_STUDENTS: Table<(GroupId, PersonId), ()> = Table::logged("group_students_v1");

/// `student_groups_v1`: (pupil, group) → ().
pub const STUDENT_GROUPS: Table<(PersonId, GroupId), ()> = Table::logged("student_groups_v1");

/// `subjects_v1`: [`SubjectId`] → [`Subject`]. Index: [`ESTABLISHMENT_SUBJECTS`].
pub const SUBJECTS: Table<SubjectId, Subject> = Table::logged("subjects_v1");

/// `establishment_subjects_v1`: (establishment, subject) → ().
pub const ESTABLISHMENT_SUBJECTS: Table<(EstablishmentId, SubjectId), ()> =
    Table::logged("establishment_subjects_v1");

/// `teachings_v1`: [`TeachingId`] → [`Teaching`]. Indexes: [`TEACHER_TEACHINGS`],
/// [`CLASS_TEACHINGS`], [`GROUP_TEACHINGS`].
pub const TEACHINGS: Table<TeachingId, Teaching> = Table::logged("teachings_v1");

/// `teacher_teachings_v1`: (teacher, teaching) → (): what a teacher teaches.
pub const TEACHER_TEACHINGS: Table<(PersonId, TeachingId), ()> =
    Table::logged("teacher_teachings_v1");

/// `class_teachings_v1`: (class, teaching) → (): who teaches a class.
pub const CLASS_TEACHINGS: Table<(ClassId, TeachingId), ()> = Table::logged("class_teachings_v1");

/// `group_teachings_v1`: (group, teaching) → ().
pub const GROUP_TEACHINGS: Table<(GroupId, TeachingId), ()> = Table::logged("group_teachings_v1");

/// `parent_children_v1`: (parent, child) → [`ParentLink`]: a parent's children.
pub const PARENT_CHILDREN: Table<(PersonId, PersonId), ParentLink> =
    Table::logged("parent_children_v1");

/// `child_parents_v1`: (child, parent) → (): a pupil's parents (details in [`PARENT_CHILDREN`]).
pub const CHILD_PARENTS: Table<(PersonId, PersonId), ()> = Table::logged("child_parents_v1");

// ---------------------------------------------------------------------------------------------
// Sign-in: sessions (node-local) and the audit log (logged).
// ---------------------------------------------------------------------------------------------

use crate::model::accounts::Session;
use crate::model::audit::{AuditEvent, AuditId};

/// `local_sessions_v1`: BLAKE3 hash of the session token → [`Session`]. Node-local: a session
/// lives on the node that created it. The token itself is never stored. Index:
/// [`PERSON_SESSIONS`]. Written by `domain::accounts::session` (sign-in, sign-out, revoke, the periodic
/// "last seen" flush).
pub const SESSIONS: Table<[u8; 32], Session> = Table::node_local("local_sessions_v1");

/// `local_person_sessions_v1`: (person, token hash) → (): a person's sessions, to list and end them.
pub const PERSON_SESSIONS: Table<(PersonId, [u8; 32]), ()> =
    Table::node_local("local_person_sessions_v1");

/// `audit_v1`: (time in µs since the epoch, [`AuditId`]) → [`AuditEvent`]: sign-ins, failures,
/// sign-outs, revocations — never a password. Index: [`PERSON_AUDIT`]. Written by `auth`.
pub const AUDIT: Table<(i64, AuditId), AuditEvent> = Table::logged("audit_v1");

/// `person_audit_v1`: (person, time µs, [`AuditId`]) → (): a person's audit events.
pub const PERSON_AUDIT: Table<(PersonId, i64, AuditId), ()> = Table::logged("person_audit_v1");

/// `national_id_to_person_v1`: (kind, value) → [`PersonId`]: académie and national ids
/// (`("ine", …)`, `("aaf", …)`), unique per kind; imports match people on them. Written by
/// `directory::service` with the person.
pub const NATIONAL_ID_TO_PERSON: Table<(String, String), PersonId> =
    Table::logged("national_id_to_person_v1");

/// `establishment_class_names_v1`: (establishment, school year, folded name) → [`ClassId`]:
/// finding a class by its name ("5B") for imports. Written by `directory::service::create_class`.
pub const ESTABLISHMENT_CLASS_NAMES: Table<
    (EstablishmentId, crate::model::directory::SchoolYear, String),
    ClassId,
> = Table::logged("establishment_class_names_v1");

/// `person_name_words_v1`: (establishment, folded word of the name, person) → (): every word of
/// a person's first and last names, accents and case folded, once per establishment they have a
/// profile in. A prefix range answers "people of this school whose name starts with …" without
/// scanning. Written by `directory::service` (profiles and name changes).
pub const PERSON_NAME_WORDS: Table<(EstablishmentId, String, PersonId), ()> =
    Table::logged("person_name_words_v1");

/// `aaf_structures_v1`: AAF structure id (`ENTStructureJointure`, e.g. `63999`) →
/// [`EstablishmentId`]: how person records of a later AAF delta, which name the structure and
/// not the UAI, find their establishment. Written by `domain::import::aaf_apply`.
pub const AAF_STRUCTURES: Table<String, EstablishmentId> = Table::logged("aaf_structures_v1");

/// `establishment_subject_codes_v1`: (establishment, national subject code, e.g. `061300`) →
/// [`SubjectId`]: one subject per code per establishment, for imports. Written by
/// `domain::import::aaf_apply` with the subject.
pub const ESTABLISHMENT_SUBJECT_CODES: Table<(EstablishmentId, String), SubjectId> =
    Table::logged("establishment_subject_codes_v1");

// ---------------------------------------------------------------------------------------------
// Activation: one-time codes, activation tickets, charters, password recovery, outgoing mail.
// ---------------------------------------------------------------------------------------------

use crate::model::accounts::RecoveryToken;
use crate::model::accounts::StoredCode;
use crate::model::accounts::Ticket;
use crate::model::accounts::{Charter, CharterAcceptance};
use crate::model::mail::{MailId, OutgoingMail};

/// `activation_codes_v1`: person → their current one-time code (salted hash, expiry), at most
/// one: a new letter or reset replaces it, and activating removes it. Written by
/// `domain::activation` (letters), `domain::admin` (reset) and `domain::accounts::activation` (use).
pub const ACTIVATION_CODES: Table<PersonId, StoredCode> = Table::logged("activation_codes_v1");

/// `local_activation_tickets_v1`: BLAKE3 hash of an activation ticket → [`Ticket`]: the state of
/// an activation in progress (code accepted, password chosen, charter to accept), for 20
/// minutes. Node-local like a session. Written by `domain::accounts::activation`.
pub const ACTIVATION_TICKETS: Table<[u8; 32], Ticket> =
    Table::node_local("local_activation_tickets_v1");

/// `charters_v1`: establishment → its charter (*charte d'utilisation*) as the administrator
/// last wrote it, with a version number. Absent: the default charter, version 0. Written by
/// `domain::activation::charter`.
pub const CHARTERS: Table<EstablishmentId, Charter> = Table::logged("charters_v1");

/// `charter_acceptances_v1`: (person, establishment) → the version they accepted and when.
/// Written by `domain::accounts::activation` and the charter page.
pub const CHARTER_ACCEPTANCES: Table<(PersonId, EstablishmentId), CharterAcceptance> =
    Table::logged("charter_acceptances_v1");

/// `recovery_tokens_v1`: BLAKE3 hash of a password recovery link's token → [`RecoveryToken`]
/// (whose, until when). Single use: removed when used. Logged, so that any node of a cluster
/// can follow the link. Written by `domain::accounts::recovery`.
pub const RECOVERY_TOKENS: Table<[u8; 32], RecoveryToken> = Table::logged("recovery_tokens_v1");

/// `mail_queue_v1`: [`MailId`] → [`OutgoingMail`]: every outgoing mail with its state
/// (queued, retrying, sent, failed, cancelled), in the order it was queued. Indexes:
/// [`MAIL_DUE`], [`MAIL_BY_STATE`], [`PERSON_MAIL_FAILURES`], kept in step by
/// `mail::queue` (every state change goes through its `replace`). Written by `mail::enqueue` in
/// the same transaction as what caused the mail, then by the relay (`mail::relay`) and the
/// administrators' retry and cancel (`domain::admin::mail`).
pub const MAIL_QUEUE: Table<MailId, OutgoingMail> = Table::logged("mail_queue_v1");

/// `mail_due_v1`: (time of the next attempt in µs, [`MailId`]) → (): the queued and retrying
/// mails, by when they are due; the relay reads it by range up to "now" (never scanning the
/// queue). Written by `mail::queue` with [`MAIL_QUEUE`].
pub const MAIL_DUE: Table<(i64, MailId), ()> = Table::logged("mail_due_v1");

/// `mail_by_state_v1`: (state code, [`MailId`]) → (): every mail under its current state
/// (`mail::StateCode::byte`), for the administrators' filter, newest last. Written by
/// `mail::queue` with [`MAIL_QUEUE`].
pub const MAIL_BY_STATE: Table<(u8, MailId), ()> = Table::logged("mail_by_state_v1");

/// `person_mail_failures_v1`: (sender, failure time µs, [`MailId`]) → (): the failed mails a
/// person caused (`OutgoingMail::sender`), for their timeline (`mail::failures_for`); a row
/// leaves when an administrator retries or cancels the mail. Written by `mail::queue` with
/// [`MAIL_QUEUE`].
pub const PERSON_MAIL_FAILURES: Table<(PersonId, i64, MailId), ()> =
    Table::logged("person_mail_failures_v1");

/// `local_import_uploads_v1`: BLAKE3 hash of an upload token → a spreadsheet file previewed by
/// an administrator and waiting (one hour) for their confirmation. Node-local: the
/// confirmation comes back to the node that showed the preview. Written by
/// `domain::admin::import`.
pub const IMPORT_UPLOADS: Table<[u8; 32], crate::model::import::Upload> =
    Table::node_local("local_import_uploads_v1");

// ---------------------------------------------------------------------------------------------
// Messaging (issue 6): rules, messages, mailboxes, reports. Written by `domain::messaging`.
// ---------------------------------------------------------------------------------------------

use crate::model::messaging::CommRules;
use crate::model::messaging::{
    FolderId, MailboxEntry, Message, MessageId, RecipientState, Report, ReportId, Suspension,
    Thread, ThreadId,
};

/// `comm_rules_v1`: establishment → its communication rules (absent: the defaults).
pub const COMM_RULES: Table<EstablishmentId, CommRules> = Table::logged("comm_rules_v1");

/// `messages_v1`: [`MessageId`] → [`Message`]: one body per message, whatever the number of
/// recipients; drafts too (`sent_at` = `None`). Indexes: [`MESSAGE_RECIPIENTS`],
/// [`THREAD_MESSAGES`], the mailboxes.
pub const MESSAGES: Table<MessageId, Message> = Table::logged("messages_v1");

/// `message_recipients_v1`: (message, recipient) → [`RecipientState`] (read, acknowledged): one
/// small row per recipient.
pub const MESSAGE_RECIPIENTS: Table<(MessageId, PersonId), RecipientState> =
    Table::logged("message_recipients_v1");

/// `threads_v1`: [`ThreadId`] → [`Thread`] (subject, frozen by a report).
pub const THREADS: Table<ThreadId, Thread> = Table::logged("threads_v1");

/// `thread_messages_v1`: (thread, message) → (): a thread's messages in order.
pub const THREAD_MESSAGES: Table<(ThreadId, MessageId), ()> = Table::logged("thread_messages_v1");

/// `mailbox_v1`: (person, folder key, time µs, message) → (): a person's folder in time order
/// (read backwards: newest first). Kept in step with [`MAILBOX_INDEX`] and [`UNREAD_COUNTS`].
pub const MAILBOX: Table<(PersonId, u64, i64, MessageId), ()> = Table::logged("mailbox_v1");

/// `mailbox_index_v1`: (person, message) → [`MailboxEntry`]: where a message is in a person's
/// mailbox, and whether it is unread.
pub const MAILBOX_INDEX: Table<(PersonId, MessageId), MailboxEntry> =
    Table::logged("mailbox_index_v1");

/// `unread_counts_v1`: (person, folder key) → unread messages in it (absent: none).
pub const UNREAD_COUNTS: Table<(PersonId, u64), u32> = Table::logged("unread_counts_v1");

/// `mail_folders_v1`: (person, [`FolderId`]) → name: personal folders.
pub const MAIL_FOLDERS: Table<(PersonId, FolderId), String> = Table::logged("mail_folders_v1");

/// `message_reports_v1`: [`ReportId`] → [`Report`]. Index: [`ESTABLISHMENT_REPORTS`].
pub const MESSAGE_REPORTS: Table<ReportId, Report> = Table::logged("message_reports_v1");

/// `establishment_reports_v1`: (establishment, 0 = open / 1 = reviewed, report) → ().
pub const ESTABLISHMENT_REPORTS: Table<(EstablishmentId, u8, ReportId), ()> =
    Table::logged("establishment_reports_v1");

/// `messaging_suspensions_v1`: person → [`Suspension`]: may not send messages.
pub const MESSAGING_SUSPENSIONS: Table<PersonId, Suspension> =
    Table::logged("messaging_suspensions_v1");

/// `message_attachment_holds_v1`: (sender, blob) → how many of the sender's stored messages and
/// drafts refer to that blob. The blob's size counts once in the sender's quota
/// ([`DOCUMENT_USAGE`]) while this is above zero: the same content attached again, forwarded
/// or kept from a draft into the sent message is not counted twice. Written by
/// `domain::messaging::compose` in the transaction that stores or removes the message.
pub const MESSAGE_ATTACHMENT_HOLDS: Table<(PersonId, BlobId), u32> =
    Table::logged("message_attachment_holds_v1");

/// `local_message_rates_v1`: (person, kind: 1 = message sent, 2 = draft saved, time µs, message
/// id) → (): the sends and draft saves of the last hour, for the hourly limits
/// (`domain::messaging::limits`). Node-local (DESIGN.md §3: rate-limit counters), but on disk,
/// so a restart does not reset them; written in the transaction of the send or save it counts,
/// rows older than an hour removed as the person's next action is counted.
pub const MESSAGE_RATES: Table<(PersonId, u64, i64, u64), ()> =
    Table::node_local("local_message_rates_v1");

// ---------------------------------------------------------------------------------------------
// Blobs (issue 7 §1, `crate::blobs`): reference counts of the content-addressed files under
// `<data_dir>/blobs/`. Written only by `blobs::incref_in` / `blobs::decref_in` (inside the
// transaction that stores or removes the referring row) and by the blob sweep.
// ---------------------------------------------------------------------------------------------

use crate::model::blobs::BlobMeta;

/// `blobs_v1`: [`BlobId`] (SHA-256 of the content) → [`BlobMeta`] (size, reference count,
/// created, unreferenced since). A row exists only once its file is durable, and its file is
/// deleted only after the row's removal is committed. Index: [`BLOBS_UNREFERENCED`].
pub const BLOBS: Table<BlobId, BlobMeta> = Table::logged("blobs_v1");

/// `blobs_unreferenced_v1`: (µs since the epoch when the last reference went, [`BlobId`]) → ():
/// the blobs at zero references, oldest first, so the sweep reads only those past the grace
/// period. Changes with [`BLOBS`] (`decref_in` adds, `incref_in` and the sweep remove).
pub const BLOBS_UNREFERENCED: Table<(i64, BlobId), ()> = Table::logged("blobs_unreferenced_v1");

/// `local_blob_strays_v1`: path under `blobs/` (`ab/cd/<hex>` or `tmp/<name>`) → when a sweep
/// first saw that file without a row (a crash between a write and its commit): deleted by a
/// sweep once the grace period has passed. Node-local: each node sweeps its own disk. Written
/// only by the blob sweep.
pub const BLOB_STRAYS: Table<String, jiff::Timestamp> = Table::node_local("local_blob_strays_v1");

// ---------------------------------------------------------------------------------------------
// Notifications (issue 6 §4). Written by `domain::notifications` (the notifier tailer and the
// preferences page).
// ---------------------------------------------------------------------------------------------

use crate::model::notifications::{DigestItem, Prefs, TimelineEntry};

/// `timeline_v1`: (person, time µs, change log seq, index) → [`TimelineEntry`]: what happened
/// for a person, newest last. The key comes from the entry that caused it, so the notifier
/// writing it twice writes the same row.
pub const TIMELINE: Table<(PersonId, i64, u64, u32), TimelineEntry> = Table::logged("timeline_v1");

/// `notification_prefs_v1`: person → [`Prefs`] (absent: the defaults of their role).
pub const NOTIFICATION_PREFS: Table<PersonId, Prefs> = Table::logged("notification_prefs_v1");

/// `digest_items_v1`: (person, time µs, seq, index) → [`DigestItem`]: waiting for the person's
/// daily digest. Index: [`DIGEST_DUE`].
pub const DIGEST_ITEMS: Table<(PersonId, i64, u64, u32), DigestItem> =
    Table::logged("digest_items_v1");

/// `digest_due_v1`: (digest time µs, person) → (): whose digest leaves when.
pub const DIGEST_DUE: Table<(i64, PersonId), ()> = Table::logged("digest_due_v1");

// ---------------------------------------------------------------------------------------------
// Documents (issue 7 §2). Written only by `domain::documents` (its service and the trash purge).
// ---------------------------------------------------------------------------------------------

use crate::model::documents::{FileVersion, Grantee, Node, NodeId, Share, ShareRight, Space};

/// `document_nodes_v2`: [`NodeId`] → [`Node`] (a file or a folder: space, parent, name, kind,
/// trash stamp, timestamps as integers, number of shares kept by `domain::documents::shares`).
/// Indexes: [`DOCUMENT_CHILDREN`], [`DOCUMENT_TRASH`], [`DOCUMENT_TRASH_DUE`]. Version 1 (text
/// timestamps, no share count) is migrated by `migrations/v2.rs`.
pub const DOCUMENT_NODES: Table<NodeId, Node> = Table::logged("document_nodes_v2");

/// `document_children_v1`: (space, parent node or 0 for the root, node) → (): a folder's
/// entries, trashed ones included (the listing skips them, a restore finds its place again).
pub const DOCUMENT_CHILDREN: Table<(Space, u64, NodeId), ()> =
    Table::logged("document_children_v1");

/// `document_versions_v1`: (file, version number from 1) → [`FileVersion`]: each a blob
/// reference; the newest is the node's `current`.
pub const DOCUMENT_VERSIONS: Table<(NodeId, u32), FileVersion> =
    Table::logged("document_versions_v1");

/// `document_shares_v1`: (node, grantee) → [`Share`]. Reverse index: [`DOCUMENT_SHARED_WITH`].
pub const DOCUMENT_SHARES: Table<(NodeId, Grantee), Share> = Table::logged("document_shares_v1");

/// `document_shared_with_v1`: (grantee, node) → [`ShareRight`]: "shared with me" lists without a
/// scan. Changes with [`DOCUMENT_SHARES`].
pub const DOCUMENT_SHARED_WITH: Table<(Grantee, NodeId), ShareRight> =
    Table::logged("document_shared_with_v1");

/// `document_trash_v1`: (space, node) → (): the nodes put in the trash of a space (themselves,
/// not through a folder).
pub const DOCUMENT_TRASH: Table<(Space, NodeId), ()> = Table::logged("document_trash_v1");

/// `document_trash_due_v1`: (µs when trashed, node) → (): oldest first, for the purge after the
/// retention period. Changes with [`DOCUMENT_TRASH`].
pub const DOCUMENT_TRASH_DUE: Table<(i64, NodeId), ()> = Table::logged("document_trash_due_v1");

/// `document_usage_v1`: person → bytes of the versions they uploaded that the store keeps
/// (trash included until the purge) and of the attachments of their drafts and sent messages
/// (each content once, see [`MESSAGE_ATTACHMENT_HOLDS`]): what their quota counts.
pub const DOCUMENT_USAGE: Table<PersonId, u64> = Table::logged("document_usage_v1");

// ---------------------------------------------------------------------------------------------
// Search (issue 7 §3). Node-local: the index and what feeds it are rebuilt from the store.
// ---------------------------------------------------------------------------------------------

/// `local_search_texts_v1`: blob → [`crate::model::search::CachedText`] (its text, deflated):
/// each file content is extracted once. Written by the search indexer and `cartable reindex`;
/// a row goes when its blob's `blobs_v1` row does.
pub const SEARCH_TEXTS: Table<BlobId, crate::model::search::CachedText> =
    Table::node_local("local_search_texts_v1");

// ---------------------------------------------------------------------------------------------
// One-time form keys (issue 14 §6). Written only by `domain::once`.
// ---------------------------------------------------------------------------------------------

use crate::model::origin::FormOutcome;

/// `form_keys_v1`: (person, kind of form, key) → [`FormOutcome`]: what a form's one-time key
/// produced, written in the transaction of the write it guarded, so that the same form posted
/// twice gets the first result back and creates nothing. Scoped by person: one user's key
/// never reads another's result. Logged, so a replica that takes over knows the keys too.
/// Index: [`FORM_KEYS_DUE`]; rows older than a day are removed by the hourly purge task.
pub const FORM_KEYS: Table<(PersonId, u8, [u8; 16]), FormOutcome> = Table::logged("form_keys_v1");

/// `form_keys_due_v1`: (µs when recorded, person, kind, key) → (): the keys oldest first, for
/// the purge. Changes with [`FORM_KEYS`].
pub const FORM_KEYS_DUE: Table<(i64, PersonId, u8, [u8; 16]), ()> =
    Table::logged("form_keys_due_v1");
