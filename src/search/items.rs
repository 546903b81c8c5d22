//! What the index holds for each item, read from the store, with the principals allowed to read
//! it (DESIGN.md §6) — and which items a change log entry touches.
//!
//! | item | `acl` principals | re-checked at query time by |
//! |---|---|---|
//! | a file | its space's and its shares' ([`doc_policy::acl_of`]) | [`doc_policy::node_access`] |
//! | a message | `u:<p>` for the sender and each recipient still holding it | the actor's mailbox row |
//! | a person | see [`person`] | [`policy::may_see_person`] |
//!
//! Principals only narrow the search inside Tantivy; they may say yes too often (the store
//! decides), never no to someone allowed — else the item would not be found.

use std::collections::BTreeSet;

use jiff::Timestamp;

use crate::blobs::BlobId;
use crate::domain::documents::policy as doc_policy;
use crate::model::Actor;
use crate::model::directory::{
    Audience, ClassId, EstablishmentId, GroupId, PersonId, Role, Teaching, TeachingId,
};
use crate::model::documents::{Grantee, NodeId, NodeKind, Space};
use crate::model::events::Event;
use crate::model::messaging::MessageId;
use crate::store::tables::{
    BLOBS, CHILD_PARENTS, CLASSES, DOCUMENT_CHILDREN, DOCUMENT_NODES, DOCUMENT_SHARES,
    DOCUMENT_VERSIONS, ESTABLISHMENTS, GROUPS, MAILBOX_INDEX, MESSAGES, PARENT_CHILDREN, PEOPLE,
    PERSON_PROFILES, STUDENT_CLASSES, STUDENT_GROUPS, TEACHER_TEACHINGS, TEACHINGS,
};
use crate::store::{KeyCodec, LoggedEntry, ReadTx, StoreError, decode_value};

/// The kinds of items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A file of a documents space.
    Document,
    /// A sent message.
    Message,
    /// A person of the directory.
    Person,
}

impl Kind {
    /// Every kind, in the order of the type filter.
    pub const ALL: [Kind; 3] = [Kind::Document, Kind::Message, Kind::Person];

    /// The `kind` field's value, also the API's `type`.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Document => "document",
            Kind::Message => "message",
            Kind::Person => "personne",
        }
    }

    /// The kind of a [`Kind::code`].
    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }
}

const ID_MASK: u64 = (1 << 56) - 1;

/// An item, as the index names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    /// A file.
    Document(NodeId),
    /// A message.
    Message(MessageId),
    /// A person.
    Person(PersonId),
}

impl Key {
    /// The `id` field's value: `doc:12`, `msg:34`, `person:56`.
    pub fn id_text(self) -> String {
        match self {
            Key::Document(n) => format!("doc:{}", n.0),
            Key::Message(m) => format!("msg:{}", m.0),
            Key::Person(p) => format!("person:{}", p.0),
        }
    }

    /// Parses [`Key::id_text`].
    pub fn parse(text: &str) -> Option<Key> {
        let (kind, id) = text.split_once(':')?;
        let id: u64 = id.parse().ok()?;
        match kind {
            "doc" => Some(Key::Document(NodeId(id))),
            "msg" => Some(Key::Message(MessageId(id))),
            "person" => Some(Key::Person(PersonId(id))),
            _ => None,
        }
    }

    /// The `key` fast field's value: the kind in the top byte, the id below (ids are counters,
    /// far from 2⁵⁶).
    pub fn packed(self) -> u64 {
        let (tag, id) = match self {
            Key::Document(n) => (1u64, n.0),
            Key::Message(m) => (2, m.0),
            Key::Person(p) => (3, p.0),
        };
        (tag << 56) | (id & ID_MASK)
    }

    /// Reads [`Key::packed`].
    pub fn unpack(packed: u64) -> Option<Key> {
        let id = packed & ID_MASK;
        match packed >> 56 {
            1 => Some(Key::Document(NodeId(id))),
            2 => Some(Key::Message(MessageId(id))),
            3 => Some(Key::Person(PersonId(id))),
            _ => None,
        }
    }

    /// Its kind.
    pub fn kind(self) -> Kind {
        match self {
            Key::Document(_) => Kind::Document,
            Key::Message(_) => Kind::Message,
            Key::Person(_) => Kind::Person,
        }
    }
}

/// What the index stores for an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Item {
    pub key: Key,
    pub title: String,
    pub body: String,
    pub acl: Vec<String>,
    pub owner: Option<PersonId>,
    pub date: Option<Timestamp>,
}

/// A document node, for the index.
pub(crate) enum DocState {
    /// Missing, trashed (itself or a folder above it): out of the index.
    Gone,
    /// A folder: not indexed itself, but what it holds follows its place and shares.
    Folder(Space),
    /// A file to index; its text comes from `version`'s blob.
    File {
        /// Name, owner, date, ACL (the body is filled by the caller).
        item: Item,
        /// The current version.
        version: crate::model::documents::FileVersion,
    },
}

/// A node as the index sees it.
pub(crate) fn document(read: &ReadTx, id: NodeId) -> Result<DocState, StoreError> {
    let Some(acl) = doc_policy::acl_of(read, id)? else {
        return Ok(DocState::Gone);
    };
    let Some(node) = read.get(&DOCUMENT_NODES, &id)? else {
        return Ok(DocState::Gone);
    };
    let current = match node.kind {
        NodeKind::Folder => return Ok(DocState::Folder(node.space)),
        NodeKind::File { current, .. } => current,
    };
    let Some(version) = read.get(&DOCUMENT_VERSIONS, &(id, current))? else {
        return Ok(DocState::Gone);
    };
    Ok(DocState::File {
        item: Item {
            key: Key::Document(id),
            title: node.name,
            body: String::new(),
            acl,
            owner: Some(node.created_by),
            date: Some(node.updated_at),
        },
        version,
    })
}

/// The nodes directly in folder `folder` of `space`.
pub(crate) fn children(
    read: &ReadTx,
    space: Space,
    folder: NodeId,
) -> Result<Vec<NodeId>, StoreError> {
    read.scan_prefix(&DOCUMENT_CHILDREN, &(space, folder.0))?
        .map(|row| row.map(|((_, _, child), ())| child))
        .collect()
}

/// A sent message, readable by its sender and its recipients while it is in their mailbox
/// (deleted for good or recalled: gone for them).
pub(crate) fn message(read: &ReadTx, id: MessageId) -> Result<Option<Item>, StoreError> {
    let Some(m) = read.get(&MESSAGES, &id)? else {
        return Ok(None);
    };
    let Some(sent_at) = m.sent_at else {
        return Ok(None);
    };
    let mut acl = Vec::new();
    for party in std::iter::once(m.sender).chain(m.recipients.iter().copied()) {
        if read.get(&MAILBOX_INDEX, &(party, id))?.is_some() {
            acl.push(format!("u:{}", party.0));
        }
    }
    acl.sort();
    acl.dedup();
    if acl.is_empty() {
        return Ok(None);
    }
    Ok(Some(Item {
        key: Key::Message(id),
        title: m.subject,
        body: m.body,
        acl,
        owner: Some(m.sender),
        date: Some(sent_at),
    }))
}

fn classes_of(read: &ReadTx, pupil: PersonId) -> Result<Vec<ClassId>, StoreError> {
    read.scan_prefix(&STUDENT_CLASSES, &(pupil,))?
        .map(|row| row.map(|((_, c), ())| c))
        .collect()
}

fn groups_of(read: &ReadTx, pupil: PersonId) -> Result<Vec<GroupId>, StoreError> {
    read.scan_prefix(&STUDENT_GROUPS, &(pupil,))?
        .map(|row| row.map(|((_, g), ())| g))
        .collect()
}

/// A person, found by name (and by their establishments' and classes' names), with the
/// principals of everyone [`policy::may_see_person`] lets see them:
///
/// * `u:<p>` themselves, `platform` the platform administrators;
/// * `kin:<p>` their parents and their children (each holds `kin:` of the other);
/// * `est:<e>:staff` the staff and local administrators of each establishment of theirs;
/// * `est:<e>:teachers` the teachers there, if they are a teacher or staff member there;
/// * `class:<c>` / `group:<g>` the pupils and teachers of a pupil's classes and groups, and
///   the pupils of the classes and groups a teacher teaches;
/// * `parents:class:<c>` / `parents:group:<g>` the teachers of a parent's children's classes.
///
/// [`policy::may_see_person`]: crate::domain::directory::policy::may_see_person
pub(crate) fn person(read: &ReadTx, id: PersonId) -> Result<Option<Item>, StoreError> {
    let Some(p) = read.get(&PEOPLE, &id)? else {
        return Ok(None);
    };
    let mut acl = vec![
        format!("u:{}", id.0),
        "platform".to_owned(),
        format!("kin:{}", id.0),
    ];
    let mut places: Vec<String> = Vec::new();
    let mut establishments: Vec<EstablishmentId> = Vec::new();
    for row in read.scan_prefix(&PERSON_PROFILES, &(id,))? {
        let (_, profile) = row?;
        let e = profile.establishment;
        acl.push(format!("est:{}:staff", e.0));
        if profile.role.works_there() {
            acl.push(format!("est:{}:teachers", e.0));
        }
        if !establishments.contains(&e) {
            establishments.push(e);
            if let Some(est) = read.get(&ESTABLISHMENTS, &e)? {
                places.push(est.name);
            }
        }
    }
    for c in classes_of(read, id)? {
        acl.push(format!("class:{}", c.0));
        if let Some(class) = read.get(&CLASSES, &c)? {
            places.push(class.name);
        }
    }
    for g in groups_of(read, id)? {
        acl.push(format!("group:{}", g.0));
        if let Some(group) = read.get(&GROUPS, &g)? {
            places.push(group.name);
        }
    }
    for row in read.scan_prefix(&PARENT_CHILDREN, &(id,))? {
        let ((_, child), _) = row?;
        for c in classes_of(read, child)? {
            acl.push(format!("parents:class:{}", c.0));
        }
        for g in groups_of(read, child)? {
            acl.push(format!("parents:group:{}", g.0));
        }
    }
    for row in read.scan_prefix(&TEACHER_TEACHINGS, &(id,))? {
        let ((_, teaching), ()) = row?;
        if let Some(t) = read.get(&TEACHINGS, &teaching)? {
            acl.push(match t.audience {
                Audience::Class(c) => format!("class:{}", c.0),
                Audience::Group(g) => format!("group:{}", g.0),
            });
        }
    }
    acl.sort();
    acl.dedup();
    let mut title = format!("{} {}", p.first_name, p.last_name);
    if let Some(birth) = p.birth_name.filter(|b| *b != p.last_name) {
        title.push_str(&format!(" ({birth})"));
    }
    Ok(Some(Item {
        key: Key::Person(id),
        title,
        body: places.join(" · "),
        acl,
        owner: None,
        date: None,
    }))
}

/// The principals the actor holds for search: those of documents
/// ([`doc_policy::actor_principals`]) and those [`person`] hands out.
pub fn actor_principals(read: &ReadTx, actor: &Actor) -> Result<Vec<String>, StoreError> {
    let mut out = doc_policy::actor_principals(actor);
    if actor.platform_admin {
        out.push("platform".to_owned());
    }
    out.extend(actor.children.iter().map(|c| format!("kin:{}", c.0)));
    if let Some(me) = actor.person {
        for row in read.scan_prefix(&CHILD_PARENTS, &(me,))? {
            let ((_, parent), ()) = row?;
            out.push(format!("kin:{}", parent.0));
        }
    }
    let mut teaches = false;
    for p in &actor.profiles {
        if p.role == Role::Enseignant {
            teaches = true;
            out.push(format!("est:{}:teachers", p.establishment.0));
        }
    }
    if teaches {
        out.extend(
            actor
                .classes
                .iter()
                .map(|c| format!("parents:class:{}", c.0)),
        );
        out.extend(
            actor
                .groups
                .iter()
                .map(|g| format!("parents:group:{}", g.0)),
        );
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The items a batch of change log entries touches.
#[derive(Debug, Default)]
pub(crate) struct Touched {
    /// Nodes (files or folders) created, changed, moved, shared, trashed or removed.
    pub docs: BTreeSet<NodeId>,
    /// Messages sent, recalled, deleted, or leaving or entering someone's mailbox.
    pub messages: BTreeSet<MessageId>,
    /// People whose row, profiles, children or teachings changed.
    pub people: BTreeSet<PersonId>,
    /// Pupils whose classes or groups changed: them and their parents.
    pub pupils: BTreeSet<PersonId>,
    /// Blobs whose row went: their cached text goes too.
    pub blobs_gone: BTreeSet<BlobId>,
}

impl Touched {
    /// Whether nothing is touched.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
            && self.messages.is_empty()
            && self.people.is_empty()
            && self.pupils.is_empty()
            && self.blobs_gone.is_empty()
    }

    /// Adds what `entry` touches: its events, and the rows of the tables items are made of.
    /// Keys that do not decode are skipped (the item is then only refreshed by a rebuild).
    pub fn add(&mut self, entry: &LoggedEntry) {
        // A migration rewrites rows into a new layout without changing what they say.
        if (entry.body.events.iter()).any(|e| matches!(e, Event::SchemaMigrated { .. })) {
            return;
        }
        for event in &entry.body.events {
            match event {
                Event::MessageSent { message } => {
                    self.messages.insert(*message);
                }
                Event::DocumentChanged { node } => {
                    self.docs.insert(*node);
                }
                _ => {}
            }
        }
        for op in &entry.body.ops {
            let key = op.key.as_slice();
            let table = op.table.as_str();
            if table == DOCUMENT_NODES.name() {
                decode_into::<NodeId, _>(key, &mut self.docs, |n| n);
            } else if table == DOCUMENT_VERSIONS.name() {
                decode_into::<(NodeId, u32), _>(key, &mut self.docs, |k| k.0);
            } else if table == DOCUMENT_SHARES.name() {
                decode_into::<(NodeId, Grantee), _>(key, &mut self.docs, |k| k.0);
            } else if table == MESSAGES.name() {
                decode_into::<MessageId, _>(key, &mut self.messages, |m| m);
            } else if table == MAILBOX_INDEX.name() {
                // Moving between folders changes nothing the index holds; arriving or leaving
                // for good does.
                if op.old.is_some() != op.new.is_some() {
                    decode_into::<(PersonId, MessageId), _>(key, &mut self.messages, |k| k.1);
                }
            } else if table == PEOPLE.name() {
                decode_into::<PersonId, _>(key, &mut self.people, |p| p);
            } else if table == PERSON_PROFILES.name() {
                decode_into::<(PersonId, EstablishmentId, u8), _>(key, &mut self.people, |k| k.0);
            } else if table == STUDENT_CLASSES.name() {
                decode_into::<(PersonId, ClassId), _>(key, &mut self.pupils, |k| k.0);
            } else if table == STUDENT_GROUPS.name() {
                decode_into::<(PersonId, GroupId), _>(key, &mut self.pupils, |k| k.0);
            } else if table == PARENT_CHILDREN.name() {
                decode_into::<(PersonId, PersonId), _>(key, &mut self.people, |k| k.0);
            } else if table == TEACHER_TEACHINGS.name() {
                decode_into::<(PersonId, TeachingId), _>(key, &mut self.people, |k| k.0);
            } else if table == TEACHINGS.name() {
                // A teaching's audience changed: its teacher's principals follow.
                for value in [&op.old, &op.new].into_iter().flatten() {
                    if let Ok(t) = decode_value::<Teaching>(value) {
                        self.people.insert(t.teacher);
                    }
                }
            } else if table == BLOBS.name() && op.new.is_none() {
                decode_into::<BlobId, _>(key, &mut self.blobs_gone, |b| b);
            }
        }
    }
}

fn decode_into<K: KeyCodec, T: Ord>(key: &[u8], into: &mut BTreeSet<T>, pick: impl FnOnce(K) -> T) {
    if let Ok(k) = K::from_key_bytes(key) {
        into.insert(pick(k));
    }
}

#[cfg(test)]
mod tests {
    use super::{Key, Kind};
    use crate::model::directory::PersonId;
    use crate::model::documents::NodeId;
    use crate::model::messaging::MessageId;

    #[test]
    fn keys_round_trip() {
        for key in [
            Key::Document(NodeId(12)),
            Key::Message(MessageId(34)),
            Key::Person(PersonId(56)),
        ] {
            assert_eq!(Key::parse(&key.id_text()), Some(key));
            assert_eq!(Key::unpack(key.packed()), Some(key));
        }
        assert_eq!(Key::unpack(12), None);
        assert_eq!(Key::parse("doc:x"), None);
        assert_eq!(Key::parse("autre:1"), None);
        for kind in Kind::ALL {
            assert_eq!(Kind::from_code(kind.code()), Some(kind));
        }
    }
}
