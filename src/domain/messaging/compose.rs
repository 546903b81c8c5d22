//! Writing: recipient suggestions within the rules, lists ("Parents de 5B"), drafts, sending,
//! replying and forwarding.

use std::collections::BTreeSet;

use jiff::Timestamp;
use serde::Serialize;

use super::MessagingError;
use super::body::MAX_BODY;
use super::limits::{
    AttachmentLimits, MAX_RECIPIENTS, MAX_RECIPIENTS_PUPIL_PARENT, Rate, SendLimiter, SendLimits,
    check_and_record,
};
use super::mailbox::{file_in, unfile, visible_recipients};
use super::policy::{may_use_list, party_sent};
use super::rules::may_communicate;
use crate::domain::directory::queries::{self, PersonSummary};
use crate::domain::once::Once;
use crate::domain::text::{self, french_key};
use crate::model::Actor;
use crate::model::directory::{ClassId, PersonId, Role};
use crate::model::events::Event;
use crate::model::messaging::{
    Attachment, Folder, Message, MessageId, RecipientState, Thread, ThreadId,
};
use crate::store::tables::{
    CHILD_PARENTS, CLASS_STUDENTS, CLASS_TEACHINGS, CLASSES, ESTABLISHMENT_CLASSES,
    MESSAGE_ATTACHMENT_HOLDS, MESSAGE_RECIPIENTS, MESSAGES, MESSAGING_SUSPENSIONS, PEOPLE,
    TEACHINGS, THREAD_MESSAGES, THREADS,
};
use crate::store::{ReadTx, Store, StoreError, Tx};

/// The longest subject, in characters.
pub const MAX_SUBJECT: usize = 200;

/// A recipient list an actor may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ListRef {
    /// The parents of a class's pupils.
    ParentsOf(ClassId),
    /// The teachers of a class.
    TeachersOf(ClassId),
    /// The pupils of a class.
    PupilsOf(ClassId),
}

impl ListRef {
    /// The code in forms: `parents-12`, `enseignants-12`, `eleves-12`.
    pub fn code(self) -> String {
        match self {
            ListRef::ParentsOf(c) => format!("parents-{c}"),
            ListRef::TeachersOf(c) => format!("enseignants-{c}"),
            ListRef::PupilsOf(c) => format!("eleves-{c}"),
        }
    }

    /// The list of a form code.
    pub fn parse(code: &str) -> Option<ListRef> {
        let (kind, id) = code.trim().split_once('-')?;
        let class = ClassId(id.parse().ok()?);
        match kind {
            "parents" => Some(ListRef::ParentsOf(class)),
            "enseignants" => Some(ListRef::TeachersOf(class)),
            "eleves" => Some(ListRef::PupilsOf(class)),
            _ => None,
        }
    }

    pub(super) fn class(self) -> ClassId {
        match self {
            ListRef::ParentsOf(c) | ListRef::TeachersOf(c) | ListRef::PupilsOf(c) => c,
        }
    }
}

/// A list as the compose page offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListOption {
    /// Which.
    pub list: ListRef,
    /// The class's name ("5B").
    pub class_name: String,
}

/// What a message says, as the compose form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Compose {
    /// People chosen one by one.
    pub recipients: Vec<PersonId>,
    /// Lists chosen.
    pub lists: Vec<ListRef>,
    /// Subject.
    pub subject: String,
    /// Body.
    pub body: String,
    /// Files already stored as blobs.
    pub attachments: Vec<Attachment>,
    /// Ask for an acknowledgement (staff and teachers only).
    pub ack_requested: bool,
    /// The message answered or forwarded.
    pub reply_to: Option<MessageId>,
}

impl Compose {
    /// What the person typed after the text hygiene (docs/security.md "Text hygiene"): the
    /// subject one line ([`text::single_line`]), the body a text of several lines
    /// ([`text::multi_line`]: no control character but line ends and tabs, no bidirectional
    /// override). Drafts and sent messages store this.
    pub fn cleaned(mut self) -> Self {
        self.subject = text::single_line(&self.subject);
        self.body = text::multi_line(&self.body);
        self
    }
}

fn hourly_limit(actor: &Actor, limits: &SendLimits) -> u32 {
    if super::policy::is_staff(actor) {
        limits.staff
    } else if actor.profiles.iter().any(|p| p.role == Role::Parent) {
        limits.parent
    } else {
        limits.pupil
    }
}

/// The lists the actor may use: none for pupils and parents; for a teacher the classes they
/// teach; for staff and local administrators every class of their establishments.
pub fn lists(store: &Store, actor: &Actor) -> Result<Vec<ListOption>, MessagingError> {
    if !super::policy::is_staff(actor) {
        return Ok(Vec::new());
    }
    let read = store.read()?;
    let mut classes: BTreeSet<ClassId> = actor.classes.iter().copied().collect();
    for p in &actor.profiles {
        if p.role.is_staff() {
            for row in read.scan_prefix(&ESTABLISHMENT_CLASSES, &(p.establishment,))? {
                let ((_, class), ()) = row?;
                classes.insert(class);
            }
        }
    }
    let mut named = Vec::new();
    for class in classes {
        if let Some(c) = read.get(&CLASSES, &class)? {
            named.push((class, c.name));
        }
    }
    named.sort_by_key(|a| french_key(&a.1));
    let mut out = Vec::new();
    for (class, name) in named {
        for list in [
            ListRef::ParentsOf(class),
            ListRef::TeachersOf(class),
            ListRef::PupilsOf(class),
        ] {
            out.push(ListOption {
                list,
                class_name: name.clone(),
            });
        }
    }
    Ok(out)
}

/// The members of a list.
fn expand(read: &ReadTx, list: ListRef) -> Result<Vec<PersonId>, StoreError> {
    let mut out = BTreeSet::new();
    match list {
        ListRef::PupilsOf(class) | ListRef::ParentsOf(class) => {
            for row in read.scan_prefix(&CLASS_STUDENTS, &(class,))? {
                let ((_, pupil), ()) = row?;
                if matches!(list, ListRef::PupilsOf(_)) {
                    out.insert(pupil);
                } else {
                    for row in read.scan_prefix(&CHILD_PARENTS, &(pupil,))? {
                        let ((_, parent), ()) = row?;
                        out.insert(parent);
                    }
                }
            }
        }
        ListRef::TeachersOf(class) => {
            for row in read.scan_prefix(&CLASS_TEACHINGS, &(class,))? {
                let ((_, teaching), ()) = row?;
                if let Some(t) = read.get(&TEACHINGS, &teaching)? {
                    out.insert(t.teacher);
                }
            }
        }
    }
    Ok(out.into_iter().collect())
}

/// A suggested recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// Who.
    pub person: PersonSummary,
    /// Their roles, for telling namesakes apart.
    pub roles: Vec<Role>,
}

/// At most this many suggestions.
pub const SUGGESTIONS: usize = 10;

/// People whose names start with the words typed, in the actor's establishments, that the
/// rules let the actor write to: a forbidden recipient is never offered.
pub fn suggest(
    store: &Store,
    actor: &Actor,
    query: &str,
) -> Result<Vec<Suggestion>, MessagingError> {
    let words = crate::domain::directory::service::name_words(query, "");
    if words.is_empty() || actor.person.is_none() {
        return Ok(Vec::new());
    }
    let read = store.read()?;
    let mut found = Vec::new();
    let mut seen = BTreeSet::new();
    for establishment in actor.establishments() {
        for person in queries::name_prefix_candidates(&read, establishment, &words, 200)? {
            if !seen.insert(person) || !may_communicate(&read, actor, person)? {
                continue;
            }
            let Some(p) = read.get(&PEOPLE, &person)? else {
                continue;
            };
            let roles = read
                .scan_prefix(&crate::store::tables::PERSON_PROFILES, &(person,))?
                .map(|r| r.map(|(_, profile)| profile.role))
                .collect::<Result<Vec<_>, _>>()?;
            found.push(Suggestion {
                person: PersonSummary::of(person, &p),
                roles,
            });
            if found.len() >= SUGGESTIONS {
                break;
            }
        }
    }
    found.sort_by(|a, b| {
        french_key(&a.person.last_name)
            .cmp(&french_key(&b.person.last_name))
            .then_with(|| french_key(&a.person.first_name).cmp(&french_key(&b.person.first_name)))
    });
    Ok(found)
}

/// The names of chosen recipients, for showing the compose form again: only those the rules
/// let the actor write to (a forged or forbidden id is never named), in the order given.
pub fn recipient_names(
    store: &Store,
    actor: &Actor,
    ids: &[PersonId],
) -> Result<Vec<PersonSummary>, MessagingError> {
    let read = store.read()?;
    let mut out: Vec<PersonSummary> = Vec::new();
    for id in ids.iter().take(MAX_RECIPIENTS) {
        if out.iter().any(|p| p.id == *id) || !may_communicate(&read, actor, *id)? {
            continue;
        }
        if let Some(p) = read.get(&PEOPLE, id)? {
            out.push(PersonSummary::of(*id, &p));
        }
    }
    Ok(out)
}

fn validate(actor: &Actor, compose: &Compose) -> Result<(), MessagingError> {
    let subject = compose.subject.trim();
    if subject.is_empty() {
        return Err(MessagingError::Invalid {
            field: "objet",
            key: "messagerie-erreur-objet",
        });
    }
    if subject.chars().count() > MAX_SUBJECT {
        return Err(MessagingError::Invalid {
            field: "objet",
            key: "messagerie-erreur-objet-long",
        });
    }
    if compose.body.chars().count() > MAX_BODY {
        return Err(MessagingError::Invalid {
            field: "corps",
            key: "messagerie-erreur-corps-long",
        });
    }
    if compose.ack_requested && !super::policy::is_staff(actor) {
        return Err(MessagingError::Invalid {
            field: "accuse",
            key: "messagerie-erreur-accuse",
        });
    }
    Ok(())
}

/// The final recipients of `compose`: each one chosen must be allowed (else `NotAllowed` with
/// their names); the members of lists are kept when allowed and left out otherwise.
fn resolve(
    read: &ReadTx,
    actor: &Actor,
    compose: &Compose,
) -> Result<Vec<PersonId>, MessagingError> {
    let mut out = BTreeSet::new();
    let mut refused = Vec::new();
    for person in &compose.recipients {
        if may_communicate(read, actor, *person)? {
            out.insert(*person);
        } else {
            // A person the actor may not even see is named by nothing: "not found".
            match read.get(&PEOPLE, person)? {
                Some(p)
                    if crate::domain::directory::policy::may_see_person(read, actor, *person)? =>
                {
                    refused.push(p.display_name());
                }
                _ => refused.push(String::from("?")),
            }
        }
    }
    if !refused.is_empty() {
        return Err(MessagingError::NotAllowed(refused));
    }
    for list in &compose.lists {
        if !may_use_list(read, actor, *list)? {
            return Err(MessagingError::NotAllowed(vec![list.code()]));
        }
        for person in expand(read, *list)? {
            if may_communicate(read, actor, person)? {
                out.insert(person);
            }
        }
    }
    Ok(out.into_iter().collect())
}

fn list_labels(read: &ReadTx, lists: &[ListRef]) -> Result<Vec<String>, StoreError> {
    let mut out = Vec::new();
    for list in lists {
        let name = read
            .get(&CLASSES, &list.class())?
            .map(|c| c.name)
            .unwrap_or_default();
        out.push(match list {
            ListRef::ParentsOf(_) => format!("Parents de {name}"),
            ListRef::TeachersOf(_) => format!("Enseignants de {name}"),
            ListRef::PupilsOf(_) => format!("Élèves de {name}"),
        });
    }
    Ok(out)
}

/// Saves a draft (new, or replacing the actor's draft `draft`); returns its id. Only the
/// lengths are checked — a draft may be unfinished — and what it stores: its attachments
/// within the cap of one message and the actor's quota (documents and attachments, each content
/// once), and at most `drafts_per_hour` drafts created or given new files per hour. A refusal
/// writes nothing.
pub fn save_draft(
    store: &Store,
    actor: &Actor,
    draft: Option<MessageId>,
    compose: Compose,
    limits: &AttachmentLimits,
    now: Timestamp,
) -> Result<MessageId, MessagingError> {
    let me = actor.person.ok_or(MessagingError::NotFound)?;
    let compose = compose.cleaned();
    if compose.subject.chars().count() > MAX_SUBJECT || compose.body.chars().count() > MAX_BODY {
        return Err(MessagingError::Invalid {
            field: "corps",
            key: "messagerie-erreur-corps-long",
        });
    }
    check_total(&compose.attachments, limits)?;
    store.write(|tx| {
        let (id, counted) = match draft {
            Some(id) => {
                let old = own_draft(tx, me, id)?;
                release_attachments(tx, me, &old.attachments, now)?;
                // Saving again counts only when it brings new files.
                let new_files = compose
                    .attachments
                    .iter()
                    .any(|a| !old.attachments.iter().any(|o| o.blob == a.blob));
                (id, new_files)
            }
            None => (tx.next_id()?, true),
        };
        if counted {
            check_and_record(tx, me, Rate::Draft, limits.drafts_per_hour, id.0, now).map_err(
                |e| match e {
                    MessagingError::RateLimited(wait) => MessagingError::DraftRateLimited(wait),
                    other => other,
                },
            )?;
        }
        reference_attachments(tx, actor, me, &compose.attachments, limits, now)?;
        let labels = list_labels_tx(tx, &compose.lists)?;
        let message = Message {
            thread: ThreadId(0),
            sender: me,
            subject: compose.subject.trim().to_owned(),
            body: compose.body,
            attachments: compose.attachments,
            recipients: compose.recipients,
            lists: labels,
            reply_to: compose.reply_to,
            ack_requested: compose.ack_requested,
            sent_at: None,
            updated_at: now,
            recalled_at: None,
        };
        tx.insert(&MESSAGES, &id, &message)?;
        unfile(tx, me, id)?;
        file_in(tx, me, id, Folder::Drafts, now, false)?;
        Ok(id)
    })
}

/// The attachments of one message or draft within the cap, in total.
fn check_total(
    attachments: &[Attachment],
    limits: &AttachmentLimits,
) -> Result<(), MessagingError> {
    let total = attachments
        .iter()
        .fold(0u64, |sum, a| sum.saturating_add(a.size));
    if total > limits.message_max_bytes {
        return Err(MessagingError::AttachmentsTooLarge {
            total,
            max: limits.message_max_bytes,
        });
    }
    Ok(())
}

fn list_labels_tx(tx: &Tx, lists: &[ListRef]) -> Result<Vec<String>, StoreError> {
    let mut out = Vec::new();
    for list in lists {
        let name = tx
            .get(&CLASSES, &list.class())?
            .map(|c| c.name)
            .unwrap_or_default();
        out.push(list.code() + ":" + &name);
    }
    Ok(out)
}

/// Counts one reference to each attachment's blob (`blobs::incref_in`), in the transaction
/// that stores the message or draft of `owner` referring to them (one reference per stored
/// row), and charges `owner`'s quota with each content they did not hold yet
/// ([`MESSAGE_ATTACHMENT_HOLDS`]): past the quota, `QuotaExceeded` and the transaction writes
/// nothing.
fn reference_attachments(
    tx: &mut Tx,
    actor: &Actor,
    owner: PersonId,
    attachments: &[Attachment],
    limits: &AttachmentLimits,
    now: Timestamp,
) -> Result<(), MessagingError> {
    let mut new_bytes: u64 = 0;
    for a in attachments {
        let blob = crate::blobs::BlobId(a.blob);
        crate::blobs::incref_in(tx, blob, a.size, now).map_err(blob_error)?;
        let held = tx
            .get(&MESSAGE_ATTACHMENT_HOLDS, &(owner, blob))?
            .unwrap_or(0);
        if held == 0 {
            new_bytes = new_bytes.saturating_add(a.size);
        }
        tx.insert(
            &MESSAGE_ATTACHMENT_HOLDS,
            &(owner, blob),
            &held.saturating_add(1),
        )?;
    }
    let quota = limits.quota.quota_of(actor);
    if let Err(over) =
        crate::domain::documents::quota_usage::charge_within(tx, owner, new_bytes, quota)?
    {
        return Err(MessagingError::QuotaExceeded {
            used: over.used,
            quota: over.quota,
            needed: new_bytes,
        });
    }
    Ok(())
}

/// Whether `person` holds this content (a blob's SHA-256) in one of their drafts or messages:
/// attaching it again costs nothing of their quota.
pub fn holds(store: &Store, person: PersonId, blob: [u8; 32]) -> Result<bool, MessagingError> {
    Ok(store
        .read()?
        .get(
            &MESSAGE_ATTACHMENT_HOLDS,
            &(person, crate::blobs::BlobId(blob)),
        )?
        .is_some_and(|n| n > 0))
}

/// Drops the references of a row of `owner` that is replaced (a draft saved again, or sent)
/// or deleted, and gives back to `owner`'s quota each content they no longer hold. (A row
/// stored before attachments were counted holds nothing, and gives nothing back.)
pub(super) fn release_attachments(
    tx: &mut Tx,
    owner: PersonId,
    attachments: &[Attachment],
    now: Timestamp,
) -> Result<(), MessagingError> {
    let mut freed: u64 = 0;
    for a in attachments {
        let blob = crate::blobs::BlobId(a.blob);
        crate::blobs::decref_in(tx, blob, now).map_err(blob_error)?;
        match tx.get(&MESSAGE_ATTACHMENT_HOLDS, &(owner, blob))? {
            Some(1) => {
                tx.remove(&MESSAGE_ATTACHMENT_HOLDS, &(owner, blob))?;
                freed = freed.saturating_add(a.size);
            }
            Some(n) if n > 1 => {
                tx.insert(&MESSAGE_ATTACHMENT_HOLDS, &(owner, blob), &(n - 1))?;
            }
            _ => {}
        }
    }
    crate::domain::documents::quota_usage::give_back(tx, owner, freed)?;
    Ok(())
}

fn blob_error(e: crate::blobs::BlobError) -> MessagingError {
    match e {
        crate::blobs::BlobError::Store(e) => MessagingError::Store(e),
        // A size that differs from the stored blob's: the caller's attachment is wrong.
        _ => MessagingError::Invalid {
            field: "pieces_jointes",
            key: "messagerie-erreur-piece-jointe",
        },
    }
}

fn own_draft(tx: &Tx, me: PersonId, id: MessageId) -> Result<Message, MessagingError> {
    let m = tx.get(&MESSAGES, &id)?.ok_or(MessagingError::NotFound)?;
    if m.sender != me || m.sent_at.is_some() {
        return Err(MessagingError::NotFound);
    }
    Ok(m)
}

/// What sending needs besides the actor and the message.
pub struct SendContext<'a> {
    /// Recent sends.
    pub limiter: &'a SendLimiter,
    /// Messages per hour.
    pub limits: SendLimits,
    /// Now.
    pub now: Timestamp,
}

/// [`send_within`] with the default attachment limits (messages without new files: the API,
/// tools, tests).
pub fn send(
    store: &Store,
    actor: &Actor,
    draft: Option<MessageId>,
    compose: Compose,
    ctx: &SendContext<'_>,
) -> Result<MessageId, MessagingError> {
    send_within(
        store,
        actor,
        draft,
        compose,
        ctx,
        &AttachmentLimits::default(),
    )
}

/// Sends `compose` (from the draft `draft` if given, which then leaves the drafts): checks the
/// fields, the suspension, the rules for every recipient, the recipient cap, the attachments'
/// cap and the sender's quota, and the send limit (counted in the store, in the same
/// transaction); stores the body once, one state row per recipient, the mailbox rows, the
/// thread, and a `MessageSent` event for the notifier — in one transaction. A refusal writes
/// nothing.
pub fn send_within(
    store: &Store,
    actor: &Actor,
    draft: Option<MessageId>,
    compose: Compose,
    ctx: &SendContext<'_>,
    attachment_limits: &AttachmentLimits,
) -> Result<MessageId, MessagingError> {
    send_once(store, actor, draft, compose, ctx, attachment_limits, None)
}

/// [`send_within`] guarded by a form's one-time key (`domain::once`): the message the key
/// already sent, if any, else a new one recorded under it.
pub fn send_once(
    store: &Store,
    actor: &Actor,
    draft: Option<MessageId>,
    compose: Compose,
    ctx: &SendContext<'_>,
    attachment_limits: &AttachmentLimits,
    once: Option<&Once>,
) -> Result<MessageId, MessagingError> {
    let me = actor.person.ok_or(MessagingError::NotFound)?;
    if let Some(first) = crate::domain::once::done_before(store, once)? {
        return Ok(first);
    }
    let compose = compose.cleaned();
    validate(actor, &compose)?;
    check_total(&compose.attachments, attachment_limits)?;
    if compose.recipients.is_empty() && compose.lists.is_empty() {
        return Err(MessagingError::Invalid {
            field: "destinataires",
            key: "messagerie-erreur-destinataires",
        });
    }
    let (recipients, labels) = {
        let read = store.read()?;
        if read.get(&MESSAGING_SUSPENSIONS, &me)?.is_some() {
            return Err(MessagingError::Suspended);
        }
        (
            resolve(&read, actor, &compose)?,
            list_labels(&read, &compose.lists)?,
        )
    };
    if recipients.is_empty() {
        return Err(MessagingError::Invalid {
            field: "destinataires",
            key: "messagerie-erreur-liste-vide",
        });
    }
    let cap = if super::policy::is_staff(actor) {
        MAX_RECIPIENTS
    } else {
        MAX_RECIPIENTS_PUPIL_PARENT
    };
    if recipients.len() > cap {
        return Err(MessagingError::Invalid {
            field: "destinataires",
            key: "messagerie-erreur-trop-de-destinataires",
        });
    }
    let limit = hourly_limit(actor, &ctx.limits);
    let now = ctx.now;
    crate::domain::once::write(store, once, now, |tx| {
        let thread = match compose.reply_to {
            Some(parent) => {
                let p = party_sent(tx, me, parent)?;
                let t = tx
                    .get(&THREADS, &p.thread)?
                    .ok_or(MessagingError::NotFound)?;
                if t.frozen_by.is_some() {
                    return Err(MessagingError::Frozen);
                }
                p.thread
            }
            None => {
                let id: ThreadId = tx.next_id()?;
                tx.insert(
                    &THREADS,
                    &id,
                    &Thread {
                        subject: compose.subject.trim().to_owned(),
                        started_by: me,
                        started_at: now,
                        frozen_by: None,
                    },
                )?;
                id
            }
        };
        let id = match draft {
            Some(id) => {
                // The draft's row becomes the message: its references go with it.
                let old = own_draft(tx, me, id)?;
                release_attachments(tx, me, &old.attachments, now)?;
                id
            }
            None => tx.next_id()?,
        };
        // Counted here, in the store: a restart keeps the count, a refusal counts nothing.
        check_and_record(tx, me, Rate::Send, limit, id.0, now)?;
        reference_attachments(tx, actor, me, &compose.attachments, attachment_limits, now)?;
        tx.insert(
            &MESSAGES,
            &id,
            &Message {
                thread,
                sender: me,
                subject: compose.subject.trim().to_owned(),
                body: compose.body.clone(),
                attachments: compose.attachments.clone(),
                recipients: recipients.clone(),
                lists: labels.clone(),
                reply_to: compose.reply_to,
                ack_requested: compose.ack_requested,
                sent_at: Some(now),
                updated_at: now,
                recalled_at: None,
            },
        )?;
        tx.insert(&THREAD_MESSAGES, &(thread, id), &())?;
        unfile(tx, me, id)?;
        file_in(tx, me, id, Folder::Sent, now, false)?;
        for person in &recipients {
            tx.insert(
                &MESSAGE_RECIPIENTS,
                &(id, *person),
                &RecipientState::default(),
            )?;
            file_in(tx, *person, id, Folder::Inbox, now, true)?;
        }
        tx.emit(Event::MessageSent { message: id });
        Ok(id)
    })
}

/// The recipients of a reply to `id`: its sender (reply) or also its other recipients
/// (reply-all), without the actor, keeping only those the reader may see and the rules let them
/// write to. Returns them and how many (of those they may see) were left out.
pub fn reply_recipients(
    store: &Store,
    actor: &Actor,
    id: MessageId,
    all: bool,
) -> Result<(Vec<PersonId>, usize), MessagingError> {
    let me = actor.person.ok_or(MessagingError::NotFound)?;
    let read = store.read()?;
    let m = party_sent(&read, me, id)?;
    reply_set(&read, actor, &m, all)
}

/// The people a reply (or reply-all) to `m` by `actor` addresses: the sender, and for
/// reply-all the recipients the actor may see ([`visible_recipients`]); without the actor;
/// only those the rules let the actor write to (`may_communicate`). Returns them and how many
/// were left out by the rules.
pub(super) fn reply_set(
    read: &ReadTx,
    actor: &Actor,
    m: &Message,
    all: bool,
) -> Result<(Vec<PersonId>, usize), MessagingError> {
    let me = actor.person.ok_or(MessagingError::NotFound)?;
    let mut wanted = vec![m.sender];
    if all {
        wanted.extend(visible_recipients(read, actor, m)?);
    }
    wanted.sort();
    wanted.dedup();
    wanted.retain(|p| *p != me);
    let mut out = Vec::new();
    let mut dropped = 0;
    for p in wanted {
        if may_communicate(read, actor, p)? {
            out.push(p);
        } else {
            dropped += 1;
        }
    }
    Ok((out, dropped))
}
