//! Who may do what in the messaging (issue 6, DESIGN.md §4). Each question has one function
//! here; the communication matrix itself ("may X write to Y") is [`may_communicate`], in
//! [`super::rules`], which sharing and search ask too. A message the actor is not party to is
//! "not found", whatever its id.

use super::MessagingError;
use super::compose::ListRef;
pub use super::rules::may_communicate;
use crate::model::Actor;
use crate::model::directory::PersonId;
use crate::model::messaging::{MailboxEntry, Message, MessageId, RecipientState};
use crate::store::tables::{CLASSES, MAILBOX_INDEX, MESSAGE_RECIPIENTS, MESSAGES};
use crate::store::{ReadTx, Rows, StoreError};

/// Whether the actor works in a school (teacher or staff somewhere, or the platform
/// administrator): bulk lists, acknowledgements, the staff limit.
pub fn is_staff(actor: &Actor) -> bool {
    actor.platform_admin || actor.works_in_a_school()
}

/// May the actor write to `list`? Staff only ([`is_staff`]): a teacher the classes they teach,
/// the staff and local administrators every class of their establishments.
pub fn may_use_list(read: &ReadTx, actor: &Actor, list: ListRef) -> Result<bool, StoreError> {
    if !is_staff(actor) {
        return Ok(false);
    }
    if actor.platform_admin || actor.classes.contains(&list.class()) {
        return Ok(true);
    }
    let Some(c) = read.get(&CLASSES, &list.class())? else {
        return Ok(false);
    };
    Ok(actor.is_staff_in(c.establishment))
}

/// What [`party`] found: the message, the reader's recipient state (none for its sender), and
/// where it is in the reader's mailbox.
pub struct Party {
    /// The message.
    pub message: Message,
    /// The reader's state as a recipient.
    pub state: Option<RecipientState>,
    /// The reader's mailbox row.
    pub entry: MailboxEntry,
}

/// The one check of who may touch message `id` — open it, download its attachments, answer,
/// forward or keep its attachments: its sender (a draft only for them) or a recipient it was
/// not recalled from, **and** the message is still in their mailbox. Deleted for good, it is
/// gone for that person: "not found", like an id that never existed.
pub fn party(r: &impl Rows, me: PersonId, id: MessageId) -> Result<Party, MessagingError> {
    let m = r.row(&MESSAGES, &id)?.ok_or(MessagingError::NotFound)?;
    let state = r.row(&MESSAGE_RECIPIENTS, &(id, me))?;
    if m.sender != me && state.is_none() {
        return Err(MessagingError::NotFound);
    }
    let entry = r
        .row(&MAILBOX_INDEX, &(me, id))?
        .ok_or(MessagingError::NotFound)?;
    Ok(Party {
        message: m,
        state,
        entry,
    })
}

/// The message `id` if `me` may answer, forward or find it: [`party`] to it (sent or received,
/// not recalled from them, still in their mailbox), and it is not a draft.
pub fn party_sent(r: &impl Rows, me: PersonId, id: MessageId) -> Result<Message, MessagingError> {
    let m = party(r, me, id)?.message;
    if m.sent_at.is_none() {
        return Err(MessagingError::NotFound);
    }
    Ok(m)
}
