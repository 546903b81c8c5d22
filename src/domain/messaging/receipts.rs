//! Who read and signed a message, for its sender (the « Vu et signé » list): each recipient
//! by name, and a parent with the children that make them a parent *for the sender* (issue 14
//! §1): « Nathalie CHABRIER (mère de Léa, 4A) ». A child is named only through a class of an
//! establishment the sender works in, so a teacher never learns of a pupil of another school.
//! The children and their classes are read in one pass over the recipients, each class once.

use std::collections::BTreeMap;

use jiff::Timestamp;

use super::MessagingError;
use super::mailbox::summary;
use crate::domain::directory::queries::PersonSummary;
use crate::model::Actor;
use crate::model::directory::{Class, ClassId, PersonId, Relation};
use crate::model::messaging::MessageId;
use crate::store::tables::{
    CLASSES, MESSAGE_RECIPIENTS, MESSAGES, PARENT_CHILDREN, PEOPLE, STUDENT_CLASSES,
};
use crate::store::{ReadTx, Store, StoreError};

/// A recipient's receipt, for the sender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The recipient.
    pub person: PersonSummary,
    /// When they first read it.
    pub read_at: Option<Timestamp>,
    /// When they signed it (*vu et signé*), if asked.
    pub acknowledged_at: Option<Timestamp>,
    /// When the recipient is a parent: their children in a class of an establishment the sender
    /// works in (none otherwise).
    pub children: Vec<ChildOf>,
}

/// A recipient's child, as the sender may know them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildOf {
    /// The child's first name.
    pub first_name: String,
    /// How the recipient is related to them.
    pub relation: Relation,
    /// The child's class (its latest school year among those the sender may know).
    pub class: String,
}

/// Who read and acknowledged message `id`, for its sender, sorted by last name.
pub fn receipts(
    store: &Store,
    actor: &Actor,
    id: MessageId,
) -> Result<Vec<Receipt>, MessagingError> {
    let me = actor.person.ok_or(MessagingError::NotFound)?;
    let read = store.read()?;
    let m = read.get(&MESSAGES, &id)?.ok_or(MessagingError::NotFound)?;
    if m.sender != me || m.sent_at.is_none() {
        return Err(MessagingError::NotFound);
    }
    let mut out = Vec::new();
    for row in read.scan_prefix(&MESSAGE_RECIPIENTS, &(id,))? {
        let ((_, p), s) = row?;
        out.push(Receipt {
            person: summary(&read, p)?,
            read_at: s.read_at,
            acknowledged_at: s.acknowledged_at,
            children: Vec::new(),
        });
    }
    let people: Vec<PersonId> = out.iter().map(|r| r.person.id).collect();
    let mut families = Families::new(&read, actor);
    for (receipt, person) in out.iter_mut().zip(people) {
        receipt.children = families.children_of(person)?;
    }
    out.sort_by(|a, b| {
        crate::domain::text::french_key(&a.person.last_name)
            .cmp(&crate::domain::text::french_key(&b.person.last_name))
    });
    Ok(out)
}

/// The children of the recipients and their classes, each person and class read once.
struct Families<'a> {
    read: &'a ReadTx,
    actor: &'a Actor,
    /// Classes read so far (`None`: one the sender may not know).
    classes: BTreeMap<ClassId, Option<Class>>,
    /// Children met so far: first name and the class the sender may know, if any.
    children: BTreeMap<PersonId, Option<(String, String)>>,
}

impl<'a> Families<'a> {
    fn new(read: &'a ReadTx, actor: &'a Actor) -> Families<'a> {
        Families {
            read,
            actor,
            classes: BTreeMap::new(),
            children: BTreeMap::new(),
        }
    }

    /// `parent`'s children the sender may know, with their classes.
    fn children_of(&mut self, parent: PersonId) -> Result<Vec<ChildOf>, StoreError> {
        let mut out = Vec::new();
        for row in self.read.scan_prefix(&PARENT_CHILDREN, &(parent,))? {
            let ((_, child), link) = row?;
            if let Some((first_name, class)) = self.child(child)? {
                out.push(ChildOf {
                    first_name,
                    relation: link.relation,
                    class,
                });
            }
        }
        Ok(out)
    }

    /// A child's first name and latest class among those of establishments the sender works
    /// in; `None` if the sender knows none of them.
    fn child(&mut self, child: PersonId) -> Result<Option<(String, String)>, StoreError> {
        if let Some(known) = self.children.get(&child) {
            return Ok(known.clone());
        }
        let mut best: Option<Class> = None;
        for row in self.read.scan_prefix(&STUDENT_CLASSES, &(child,))? {
            let ((_, class_id), ()) = row?;
            if let Some(class) = self.class(class_id)?
                && best.as_ref().is_none_or(|b| class.year > b.year)
            {
                best = Some(class);
            }
        }
        let found = match best {
            Some(class) => self
                .read
                .get(&PEOPLE, &child)?
                .map(|p| (p.first_name, class.name)),
            None => None,
        };
        self.children.insert(child, found.clone());
        Ok(found)
    }

    /// A class, if it is in an establishment the sender works in.
    fn class(&mut self, id: ClassId) -> Result<Option<Class>, StoreError> {
        if let Some(known) = self.classes.get(&id) {
            return Ok(known.clone());
        }
        let class = self
            .read
            .get(&CLASSES, &id)?
            .filter(|c| self.actor.works_in(c.establishment));
        self.classes.insert(id, class.clone());
        Ok(class)
    }
}
