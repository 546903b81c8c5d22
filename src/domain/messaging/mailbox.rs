//! Mailboxes: folders per person as index tables, reading (marks read), unread counts, moving,
//! trash and restore, personal folders, search within one's own mail, recall and
//! acknowledgements.

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::MessagingError;
use super::policy::{Party, party};
use crate::domain::directory::queries::PersonSummary;
use crate::domain::text::fold;
use crate::model::Actor;
use crate::model::directory::PersonId;
use crate::model::messaging::{
    Attachment, Folder, FolderId, MailboxEntry, Message, MessageId, RecipientState,
};
use crate::store::tables::{
    MAIL_FOLDERS, MAILBOX, MAILBOX_INDEX, MESSAGE_RECIPIENTS, MESSAGES, PEOPLE, THREAD_MESSAGES,
    THREADS, UNREAD_COUNTS,
};
use crate::store::{ReadTx, Store, StoreError, Tx};

pub use super::receipts::{ChildOf, Receipt, receipts};

/// Messages per page of a folder.
pub const PAGE: usize = 50;

/// The longest folder name.
pub const MAX_FOLDER_NAME: usize = 60;

fn bump_unread(tx: &mut Tx, person: PersonId, folder: u64, delta: i64) -> Result<(), StoreError> {
    let key = (person, folder);
    let current = i64::from(tx.get(&UNREAD_COUNTS, &key)?.unwrap_or(0u32));
    let next = u32::try_from((current + delta).max(0)).unwrap_or(0);
    if next == 0 {
        tx.remove(&UNREAD_COUNTS, &key)?;
    } else {
        tx.insert(&UNREAD_COUNTS, &key, &next)?;
    }
    Ok(())
}

/// Files message `id` in `person`'s `folder` at time `at`.
pub(super) fn file_in(
    tx: &mut Tx,
    person: PersonId,
    id: MessageId,
    folder: Folder,
    at: Timestamp,
    unread: bool,
) -> Result<(), StoreError> {
    let entry = MailboxEntry {
        folder: folder.key(),
        at: at.as_microsecond(),
        unread,
        trashed_from: None,
    };
    put_entry(tx, person, id, entry)
}

fn put_entry(
    tx: &mut Tx,
    person: PersonId,
    id: MessageId,
    entry: MailboxEntry,
) -> Result<(), StoreError> {
    tx.insert(&MAILBOX, &(person, entry.folder, entry.at, id), &())?;
    tx.insert(&MAILBOX_INDEX, &(person, id), &entry)?;
    if entry.unread {
        bump_unread(tx, person, entry.folder, 1)?;
    }
    Ok(())
}

/// Takes message `id` out of `person`'s mailbox (whatever folder); returns its entry.
pub(super) fn unfile(
    tx: &mut Tx,
    person: PersonId,
    id: MessageId,
) -> Result<Option<MailboxEntry>, StoreError> {
    let Some(entry) = tx.remove(&MAILBOX_INDEX, &(person, id))? else {
        return Ok(None);
    };
    tx.remove(&MAILBOX, &(person, entry.folder, entry.at, id))?;
    if entry.unread {
        bump_unread(tx, person, entry.folder, -1)?;
    }
    Ok(Some(entry))
}

/// A row of a folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The message.
    pub id: MessageId,
    /// Its sender.
    pub sender: PersonSummary,
    /// How many recipients (for sent messages and drafts).
    pub recipient_count: usize,
    /// The first recipient's name, for sent messages and drafts.
    pub first_recipient: Option<PersonSummary>,
    /// Subject.
    pub subject: String,
    /// When it arrived, was sent or last saved.
    pub at: Timestamp,
    /// Not opened yet.
    pub unread: bool,
    /// Has attachments.
    pub attachments: bool,
    /// Asks for an acknowledgement.
    pub ack_requested: bool,
    /// Recalled by its sender.
    pub recalled: bool,
}

/// Search criteria within one's own mail.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Words of the subject (accents and case ignored).
    pub subject: Option<String>,
    /// Words of the sender's name.
    pub sender: Option<String>,
    /// From this instant.
    pub from: Option<Timestamp>,
    /// Until this instant.
    pub to: Option<Timestamp>,
}

impl Filter {
    fn is_empty(&self) -> bool {
        self.subject.is_none() && self.sender.is_none() && self.from.is_none() && self.to.is_none()
    }
}

/// A page of a folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FolderPage {
    /// The rows, newest first.
    pub rows: Vec<Row>,
    /// The cursor of the next page, if any.
    pub next: Option<i64>,
}

/// A person's summary, or "?" if their record is gone.
pub(super) fn summary(read: &ReadTx, id: PersonId) -> Result<PersonSummary, StoreError> {
    Ok(match read.get(&PEOPLE, &id)? {
        Some(p) => PersonSummary::of(id, &p),
        None => PersonSummary {
            id,
            first_name: String::new(),
            last_name: "?".into(),
        },
    })
}

fn words_match(haystack: &str, needle: &str) -> bool {
    let hay = fold(haystack);
    fold(needle).split_whitespace().all(|w| {
        hay.split(|c: char| !c.is_alphanumeric())
            .any(|h| h.starts_with(w))
    })
}

/// The actor's folder, newest first, [`PAGE`] rows from the cursor `before` (µs), filtered.
/// Reads the actor's own index rows only.
pub fn folder(
    store: &Store,
    actor: &Actor,
    folder: Folder,
    before: Option<i64>,
    filter: &Filter,
) -> Result<FolderPage, MessagingError> {
    let me = actor.person.ok_or(MessagingError::NotFound)?;
    let read = store.read()?;
    if let Folder::Personal(f) = folder
        && read.get(&MAIL_FOLDERS, &(me, f))?.is_none()
    {
        return Err(MessagingError::NotFound);
    }
    let key = folder.key();
    let upper = before.unwrap_or(i64::MAX);
    let mut rows = Vec::new();
    let mut next = None;
    let mut senders: std::collections::HashMap<PersonId, PersonSummary> =
        std::collections::HashMap::new();
    let range = read.range(
        &MAILBOX,
        (me, key, i64::MIN, MessageId(0))..(me, key, upper, MessageId(0)),
    )?;
    for row in range.rev() {
        let ((_, _, at, id), ()) = row?;
        if rows.len() == PAGE {
            next = Some(at + 1);
            break;
        }
        let Some(m) = read.get(&MESSAGES, &id)? else {
            continue;
        };
        let at_ts = Timestamp::from_microsecond(at).unwrap_or(Timestamp::UNIX_EPOCH);
        if filter.from.is_some_and(|f| at_ts < f) {
            // Newest first: everything after is older still.
            break;
        }
        if filter.to.is_some_and(|t| at_ts > t) {
            continue;
        }
        if let Some(s) = &filter.subject
            && !words_match(&m.subject, s)
        {
            continue;
        }
        // One read per distinct sender of the page (an inbox is often one teacher's).
        let sender = match senders.get(&m.sender) {
            Some(s) => s.clone(),
            None => {
                let s = summary(&read, m.sender)?;
                senders.insert(m.sender, s.clone());
                s
            }
        };
        if let Some(s) = &filter.sender
            && !words_match(&format!("{} {}", sender.first_name, sender.last_name), s)
        {
            continue;
        }
        let unread = read
            .get(&MAILBOX_INDEX, &(me, id))?
            .is_some_and(|e| e.unread);
        let first_recipient = match m.recipients.first() {
            Some(p) if matches!(folder, Folder::Sent | Folder::Drafts) => Some(summary(&read, *p)?),
            _ => None,
        };
        rows.push(Row {
            id,
            sender,
            recipient_count: m.recipients.len(),
            first_recipient,
            subject: m.subject,
            at: at_ts,
            unread,
            attachments: !m.attachments.is_empty(),
            ack_requested: m.ack_requested,
            recalled: m.recalled_at.is_some(),
        });
    }
    if !filter.is_empty() && rows.len() < PAGE {
        next = None;
    }
    // The cursor is a time: a page must not end in the middle of messages of the same
    // microsecond, or the next page would show them again.
    if let Some(cut) = next.map(|n| n - 1)
        && rows.iter().any(|r| r.at.as_microsecond() != cut)
    {
        rows.retain(|r| r.at.as_microsecond() != cut);
        next = rows.last().map(|r| r.at.as_microsecond());
    }
    Ok(FolderPage { rows, next })
}

/// Unread counts of the actor's folders (system folders and personal ones).
pub fn unread_counts(store: &Store, actor: &Actor) -> Result<Vec<(Folder, u32)>, MessagingError> {
    let me = actor.person.ok_or(MessagingError::NotFound)?;
    let read = store.read()?;
    let mut out = Vec::new();
    for row in read.scan_prefix(&UNREAD_COUNTS, &(me,))? {
        let ((_, key), n) = row?;
        if let Some(f) = Folder::of_key(key) {
            out.push((f, n));
        }
    }
    Ok(out)
}

/// The unread count of `person`'s inbox, inside the caller's read (the header of every page
/// shows it; one key read).
pub fn inbox_unread(read: &ReadTx, person: PersonId) -> Result<u32, StoreError> {
    Ok(read
        .get(&UNREAD_COUNTS, &(person, Folder::Inbox.key()))?
        .unwrap_or(0))
}

/// A personal folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonalFolder {
    /// Its id.
    pub id: FolderId,
    /// Its name.
    pub name: String,
}

/// The actor's personal folders, by name.
pub fn personal_folders(
    store: &Store,
    actor: &Actor,
) -> Result<Vec<PersonalFolder>, MessagingError> {
    let me = actor.person.ok_or(MessagingError::NotFound)?;
    let read = store.read()?;
    let mut out = Vec::new();
    for row in read.scan_prefix(&MAIL_FOLDERS, &(me,))? {
        let ((_, id), name) = row?;
        out.push(PersonalFolder { id, name });
    }
    out.sort_by_key(|f| crate::domain::text::french_key(&f.name));
    Ok(out)
}

fn folder_name(name: &str) -> Result<String, MessagingError> {
    let name = crate::domain::text::single_line(name);
    if name.is_empty() || name.chars().count() > MAX_FOLDER_NAME {
        return Err(MessagingError::Invalid {
            field: "nom",
            key: "messagerie-erreur-dossier",
        });
    }
    Ok(name)
}

/// Creates a personal folder.
pub fn create_folder(store: &Store, actor: &Actor, name: &str) -> Result<FolderId, MessagingError> {
    let me = actor.person.ok_or(MessagingError::NotFound)?;
    let name = folder_name(name)?;
    store.write(|tx| {
        let id: FolderId = tx.next_id()?;
        tx.insert(&MAIL_FOLDERS, &(me, id), &name)?;
        Ok(id)
    })
}

/// Deletes a personal folder; its messages go back to the inbox.
pub fn delete_folder(store: &Store, actor: &Actor, id: FolderId) -> Result<(), MessagingError> {
    let me = actor.person.ok_or(MessagingError::NotFound)?;
    store.write(|tx| {
        tx.remove(&MAIL_FOLDERS, &(me, id))?
            .ok_or(MessagingError::NotFound)?;
        let key = Folder::Personal(id).key();
        let rows = tx.range(
            &MAILBOX,
            (me, key, i64::MIN, MessageId(0))..=(me, key, i64::MAX, MessageId(u64::MAX)),
        )?;
        for ((_, _, _, message), ()) in rows {
            if let Some(mut entry) = unfile(tx, me, message)? {
                entry.folder = Folder::Inbox.key();
                put_entry(tx, me, message, entry)?;
            }
        }
        Ok(())
    })
}

/// A message as its reader sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageView {
    /// The message's id.
    pub id: MessageId,
    /// The message.
    pub message: Message,
    /// Its sender.
    pub sender: PersonSummary,
    /// Its recipients as the reader may know them: all of them for its sender; for a
    /// recipient, those the directory lets them see (`message.recipients` holds the same ids).
    pub recipients: Vec<PersonSummary>,
    /// The folder it is in for the reader.
    pub folder: Option<Folder>,
    /// Whether the reader is its sender.
    pub mine: bool,
    /// The reader's acknowledgement, if asked.
    pub acknowledged_at: Option<Timestamp>,
    /// Whether its thread is frozen by a report.
    pub frozen: bool,
    /// The other messages of the thread the reader is party to, oldest first (ids, subject,
    /// sender, time).
    pub thread: Vec<(MessageId, PersonSummary, Timestamp)>,
    /// Whether "reply to all" would address more people than "reply" (within the rules and
    /// among those the reader may see).
    pub reply_all: bool,
}

/// The recipients of message `m` that `actor` may be shown: all of them for its sender; for a
/// recipient, only those the directory lets them see (`policy::may_see_person`) — the members
/// of a list see the list's name, not each other.
pub(super) fn visible_recipients(
    read: &ReadTx,
    actor: &Actor,
    m: &Message,
) -> Result<Vec<PersonId>, StoreError> {
    if actor.person == Some(m.sender) {
        return Ok(m.recipients.clone());
    }
    let mut out = Vec::new();
    for p in &m.recipients {
        if crate::domain::directory::policy::may_see_person(read, actor, *p)? {
            out.push(*p);
        }
    }
    Ok(out)
}

/// Opens message `id` for the actor (marking it read): "not found" unless they sent it,
/// received it (and it was not recalled), or it is their draft.
pub fn open(
    store: &Store,
    actor: &Actor,
    id: MessageId,
    now: Timestamp,
) -> Result<MessageView, MessagingError> {
    let me = actor.person.ok_or(MessagingError::NotFound)?;
    let read = store.read()?;
    let Party {
        message: mut m,
        state,
        entry,
    } = party(&read, me, id)?;
    let mine = m.sender == me;
    let unread = entry.unread;
    let first_read = state.is_some_and(|s| s.read_at.is_none());
    drop(read);
    if unread || first_read {
        store.write(|tx| {
            if let Some(mut e) = tx.get(&MAILBOX_INDEX, &(me, id))?
                && e.unread
            {
                e.unread = false;
                tx.insert(&MAILBOX_INDEX, &(me, id), &e)?;
                bump_unread(tx, me, e.folder, -1)?;
            }
            if let Some(mut s) = tx.get(&MESSAGE_RECIPIENTS, &(id, me))?
                && s.read_at.is_none()
            {
                s.read_at = Some(now);
                tx.insert(&MESSAGE_RECIPIENTS, &(id, me), &s)?;
            }
            Ok::<_, StoreError>(())
        })?;
    }
    let read = store.read()?;
    let state = read.get(&MESSAGE_RECIPIENTS, &(id, me))?;
    // Only the recipients the reader may be shown; the message itself carries no more.
    m.recipients = visible_recipients(&read, actor, &m)?;
    let mut recipients = Vec::with_capacity(m.recipients.len().min(500));
    for p in m.recipients.iter().take(500) {
        recipients.push(summary(&read, *p)?);
    }
    let reply_all = m.sent_at.is_some() && {
        let (one, _) = super::compose::reply_set(&read, actor, &m, false)?;
        let (all, _) = super::compose::reply_set(&read, actor, &m, true)?;
        all.len() > one.len()
    };
    let frozen = read
        .get(&THREADS, &m.thread)?
        .is_some_and(|t| t.frozen_by.is_some());
    let mut thread = Vec::new();
    if m.sent_at.is_some() {
        for row in read.scan_prefix(&THREAD_MESSAGES, &(m.thread,))? {
            let ((_, other), ()) = row?;
            if other == id {
                continue;
            }
            let o = match party(&read, me, other) {
                Ok(p) => p.message,
                Err(MessagingError::NotFound) => continue,
                Err(e) => return Err(e),
            };
            if let Some(at) = o.sent_at {
                thread.push((other, summary(&read, o.sender)?, at));
            }
        }
    }
    Ok(MessageView {
        id,
        sender: summary(&read, m.sender)?,
        recipients,
        folder: read
            .get(&MAILBOX_INDEX, &(me, id))?
            .and_then(|e| Folder::of_key(e.folder)),
        mine,
        acknowledged_at: state.and_then(|s| s.acknowledged_at),
        frozen,
        thread,
        reply_all,
        message: m,
    })
}

/// Marks message `id` unread again for the actor.
pub fn mark_unread(store: &Store, actor: &Actor, id: MessageId) -> Result<(), MessagingError> {
    let me = actor.person.ok_or(MessagingError::NotFound)?;
    store.write(|tx| {
        let mut e = tx
            .get(&MAILBOX_INDEX, &(me, id))?
            .ok_or(MessagingError::NotFound)?;
        if !e.unread {
            e.unread = true;
            tx.insert(&MAILBOX_INDEX, &(me, id), &e)?;
            bump_unread(tx, me, e.folder, 1)?;
        }
        Ok(())
    })
}

/// Moves message `id` to `to` in the actor's mailbox (the trash remembers where it came from).
/// Drafts stay in the drafts; nothing moves into the drafts.
pub fn move_to(
    store: &Store,
    actor: &Actor,
    id: MessageId,
    to: Folder,
) -> Result<(), MessagingError> {
    let me = actor.person.ok_or(MessagingError::NotFound)?;
    store.write(|tx| {
        if let Folder::Personal(f) = to
            && tx.get(&MAIL_FOLDERS, &(me, f))?.is_none()
        {
            return Err(MessagingError::NotFound);
        }
        let entry = tx
            .get(&MAILBOX_INDEX, &(me, id))?
            .ok_or(MessagingError::NotFound)?;
        if to == Folder::Drafts || (entry.folder == Folder::Drafts.key() && to != Folder::Trash) {
            return Err(MessagingError::Invalid {
                field: "dossier",
                key: "messagerie-erreur-deplacer",
            });
        }
        let mut moved = unfile(tx, me, id)?.ok_or(MessagingError::NotFound)?;
        moved.trashed_from = if to == Folder::Trash {
            Some(entry.folder)
        } else {
            None
        };
        moved.folder = to.key();
        put_entry(tx, me, id, moved)?;
        Ok(())
    })
}

/// Takes message `id` out of the trash, back where it was.
pub fn restore(store: &Store, actor: &Actor, id: MessageId) -> Result<(), MessagingError> {
    let me = actor.person.ok_or(MessagingError::NotFound)?;
    store.write(|tx| {
        let entry = tx
            .get(&MAILBOX_INDEX, &(me, id))?
            .ok_or(MessagingError::NotFound)?;
        if entry.folder != Folder::Trash.key() {
            return Err(MessagingError::NotFound);
        }
        let mut moved = unfile(tx, me, id)?.ok_or(MessagingError::NotFound)?;
        moved.folder = entry.trashed_from.unwrap_or(Folder::Inbox.key());
        moved.trashed_from = None;
        put_entry(tx, me, id, moved)?;
        Ok(())
    })
}

/// Deletes message `id` from the actor's trash for good (the message itself stays for its
/// other parties).
pub fn delete_forever(
    store: &Store,
    actor: &Actor,
    id: MessageId,
    now: Timestamp,
) -> Result<(), MessagingError> {
    let me = actor.person.ok_or(MessagingError::NotFound)?;
    store.write(|tx| {
        let entry = tx
            .get(&MAILBOX_INDEX, &(me, id))?
            .ok_or(MessagingError::NotFound)?;
        if entry.folder != Folder::Trash.key() {
            return Err(MessagingError::NotFound);
        }
        unfile(tx, me, id)?;
        // A draft belongs to nobody else: it goes, and its attachments with it.
        if let Some(m) = tx.get(&MESSAGES, &id)?
            && m.sent_at.is_none()
            && m.sender == me
        {
            tx.remove(&MESSAGES, &id)?;
            super::compose::release_attachments(tx, me, &m.attachments, now)?;
        }
        Ok(())
    })
}

/// Recalls message `id` (its sender, within `window` of sending, while nobody has read it): it
/// leaves every recipient's mailbox and stays in the sender's sent folder, marked recalled.
pub fn recall(
    store: &Store,
    actor: &Actor,
    id: MessageId,
    window: std::time::Duration,
    now: Timestamp,
) -> Result<(), MessagingError> {
    let me = actor.person.ok_or(MessagingError::NotFound)?;
    let window = SignedDuration::try_from(window)
        .map_err(|e| StoreError::Diverged(format!("recall window: {e}")))?;
    store.write(|tx| {
        let mut m = tx.get(&MESSAGES, &id)?.ok_or(MessagingError::NotFound)?;
        let Some(sent_at) = m.sent_at.filter(|_| m.sender == me) else {
            return Err(MessagingError::NotFound);
        };
        if m.recalled_at.is_some() {
            return Err(MessagingError::Conflict("already recalled"));
        }
        if now.duration_since(sent_at) > window {
            return Err(MessagingError::Conflict("too late"));
        }
        for p in &m.recipients {
            if tx
                .get(&MESSAGE_RECIPIENTS, &(id, *p))?
                .is_some_and(|s| s.read_at.is_some())
            {
                return Err(MessagingError::Conflict("already read"));
            }
        }
        for p in m.recipients.clone() {
            tx.remove(&MESSAGE_RECIPIENTS, &(id, p))?;
            unfile(tx, p, id)?;
        }
        m.recalled_at = Some(now);
        tx.insert(&MESSAGES, &id, &m)?;
        Ok(())
    })
}

/// The actor acknowledges message `id` (*vu et signé*), once.
pub fn acknowledge(
    store: &Store,
    actor: &Actor,
    id: MessageId,
    now: Timestamp,
) -> Result<(), MessagingError> {
    let me = actor.person.ok_or(MessagingError::NotFound)?;
    store.write(|tx| {
        let m = tx.get(&MESSAGES, &id)?.ok_or(MessagingError::NotFound)?;
        let mut s: RecipientState = tx
            .get(&MESSAGE_RECIPIENTS, &(id, me))?
            .ok_or(MessagingError::NotFound)?;
        if !m.ack_requested {
            return Err(MessagingError::Conflict("not asked"));
        }
        if s.acknowledged_at.is_none() {
            s.acknowledged_at = Some(now);
            s.read_at.get_or_insert(now);
            tx.insert(&MESSAGE_RECIPIENTS, &(id, me), &s)?;
        }
        Ok(())
    })
}

/// Attachment `index` of message `id`, if the actor may open the message ([`party`]).
pub fn attachment(
    store: &Store,
    actor: &Actor,
    id: MessageId,
    index: usize,
) -> Result<Attachment, MessagingError> {
    let me = actor.person.ok_or(MessagingError::NotFound)?;
    let read = store.read()?;
    let m = party(&read, me, id)?.message;
    m.attachments
        .get(index)
        .cloned()
        .ok_or(MessagingError::NotFound)
}
