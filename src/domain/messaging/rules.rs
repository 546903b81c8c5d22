//! Communication rules (issue 6 §1, DESIGN.md §4): who may write to whom, as data. Each
//! establishment has a matrix *from profile → to profile* of [`Reach`]; the defaults follow
//! DESIGN.md §4 and the local administrator may edit them. One function,
//! [`may_communicate`], answers for messaging, and later for sharing and search.
//!
//! A pair is allowed if, in **one establishment where both have a profile**, the rule for
//! (the actor's role there → the recipient's role there) allows it. "Related" means, by pair:
//!
//! | from → to | related |
//! | --- | --- |
//! | pupil → pupil | in one of my classes or groups |
//! | pupil → parent | my own parent |
//! | pupil → teacher | teaches one of my classes or groups |
//! | parent → pupil | my own child |
//! | parent → parent | another parent of one of my children |
//! | parent → teacher | teaches one of my children |
//! | teacher → pupil | in a class or group I teach |
//! | teacher → parent | parent of a pupil I teach |
//! | teacher → teacher | teaches one of the classes or groups I teach |
//! | anyone → staff | vie scolaire, direction or secretariat (not every staff member) |
//! | staff → anyone | anyone of the establishment |

use jiff::Timestamp;

use crate::domain::accounts::audit::{self, AuditAction, AuditEvent};
use crate::domain::admin::{self, AdminError};
use crate::model::Actor;
use crate::model::Origin;
use crate::model::directory::{Audience, EstablishmentId, PersonId, Role, StaffFunction};
pub use crate::model::messaging::{Category, CommRules, Reach};
use crate::store::tables::{
    CHILD_PARENTS, CLASS_STUDENTS, COMM_RULES, ESTABLISHMENTS, GROUP_STUDENTS, PARENT_CHILDREN,
    PERSON_PROFILES, STUDENT_CLASSES, STUDENT_GROUPS, TEACHER_TEACHINGS, TEACHINGS,
};
use crate::store::{ReadTx, Store, StoreError};

/// The rules of `establishment` (the defaults if never edited).
pub fn rules_of(read: &ReadTx, establishment: EstablishmentId) -> Result<CommRules, StoreError> {
    Ok(read
        .get(&COMM_RULES, &establishment)?
        .unwrap_or_else(CommRules::defaults))
}

fn profiles_of(
    read: &ReadTx,
    person: PersonId,
) -> Result<Vec<(EstablishmentId, Role)>, StoreError> {
    read.scan_prefix(&PERSON_PROFILES, &(person,))?
        .map(|r| r.map(|(_, p)| (p.establishment, p.role)))
        .collect()
}

/// Whether `target` is in one of `actor`'s classes or groups (own or taught).
fn in_my_classes(read: &ReadTx, actor: &Actor, target: PersonId) -> Result<bool, StoreError> {
    for class in &actor.classes {
        if read.get(&CLASS_STUDENTS, &(*class, target))?.is_some() {
            return Ok(true);
        }
    }
    for group in &actor.groups {
        if read.get(&GROUP_STUDENTS, &(*group, target))?.is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Whether `teacher` teaches one of these classes or groups.
fn teaches_any(
    read: &ReadTx,
    teacher: PersonId,
    classes: &[crate::model::directory::ClassId],
    groups: &[crate::model::directory::GroupId],
) -> Result<bool, StoreError> {
    for row in read.scan_prefix(&TEACHER_TEACHINGS, &(teacher,))? {
        let ((_, teaching), ()) = row?;
        if let Some(t) = read.get(&TEACHINGS, &teaching)? {
            let hit = match t.audience {
                Audience::Class(c) => classes.contains(&c),
                Audience::Group(g) => groups.contains(&g),
            };
            if hit {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// A pupil's classes and groups.
#[allow(clippy::type_complexity)]
fn pupil_units(
    read: &ReadTx,
    pupil: PersonId,
) -> Result<
    (
        Vec<crate::model::directory::ClassId>,
        Vec<crate::model::directory::GroupId>,
    ),
    StoreError,
> {
    let classes = read
        .scan_prefix(&STUDENT_CLASSES, &(pupil,))?
        .map(|r| r.map(|((_, c), ())| c))
        .collect::<Result<Vec<_>, _>>()?;
    let groups = read
        .scan_prefix(&STUDENT_GROUPS, &(pupil,))?
        .map(|r| r.map(|((_, g), ())| g))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((classes, groups))
}

/// Whether `target` and the actor are related, for the pair of categories.
fn related(
    read: &ReadTx,
    actor: &Actor,
    me: PersonId,
    from: Category,
    to: Category,
    target: PersonId,
    target_role: Role,
) -> Result<bool, StoreError> {
    use Category::*;
    Ok(match (from, to) {
        (_, Personnel) => matches!(
            target_role,
            Role::Personnel(
                StaffFunction::Cpe
                    | StaffFunction::Aed
                    | StaffFunction::Direction
                    | StaffFunction::Secretariat
            )
        ),
        (Personnel, _) => true,
        (Eleve, Eleve) | (Enseignant, Eleve) => in_my_classes(read, actor, target)?,
        (Eleve, Parent) => read.get(&CHILD_PARENTS, &(me, target))?.is_some(),
        (Eleve, Enseignant) | (Enseignant, Enseignant) => {
            teaches_any(read, target, &actor.classes, &actor.groups)?
        }
        (Parent, Eleve) => actor.children.contains(&target),
        (Parent, Parent) => {
            let mut shared = false;
            for child in &actor.children {
                if read.get(&PARENT_CHILDREN, &(target, *child))?.is_some() {
                    shared = true;
                    break;
                }
            }
            shared
        }
        (Parent, Enseignant) => {
            let mut teaches = false;
            for child in &actor.children {
                let (classes, groups) = pupil_units(read, *child)?;
                if teaches_any(read, target, &classes, &groups)? {
                    teaches = true;
                    break;
                }
            }
            teaches
        }
        (Enseignant, Parent) => {
            let mut found = false;
            for row in read.scan_prefix(&PARENT_CHILDREN, &(target,))? {
                let ((_, child), _) = row?;
                if in_my_classes(read, actor, child)? {
                    found = true;
                    break;
                }
            }
            found
        }
    })
}

/// May `actor` write to `recipient`? Never to oneself; the platform administrator to anyone;
/// otherwise the rules of an establishment both belong to (see the module's documentation).
pub fn may_communicate(
    read: &ReadTx,
    actor: &Actor,
    recipient: PersonId,
) -> Result<bool, StoreError> {
    let Some(me) = actor.person else {
        return Ok(false);
    };
    if me == recipient {
        return Ok(false);
    }
    if actor.platform_admin {
        return Ok(true);
    }
    let theirs = profiles_of(read, recipient)?;
    for mine in &actor.profiles {
        let shared: Vec<Role> = theirs
            .iter()
            .filter(|(e, _)| *e == mine.establishment)
            .map(|(_, r)| *r)
            .collect();
        if shared.is_empty() {
            continue;
        }
        let rules = rules_of(read, mine.establishment)?;
        let from = Category::of(mine.role);
        for role in shared {
            let to = Category::of(role);
            let allowed = match rules.reach(from, to) {
                Reach::Nobody => false,
                Reach::Everyone => true,
                Reach::Related => related(read, actor, me, from, to, recipient, role)?,
            };
            if allowed {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// The rules of an establishment the actor administers.
pub fn for_admin(
    store: &Store,
    actor: &Actor,
    establishment: EstablishmentId,
) -> Result<CommRules, AdminError> {
    let read = store.read()?;
    if admin::policy::administered_establishment(&read, actor, establishment)?.is_none() {
        return Err(AdminError::NotFound);
    }
    Ok(rules_of(&read, establishment)?)
}

/// Replaces the rules of `establishment`, audited.
pub fn edit(
    store: &Store,
    actor: &Actor,
    establishment: EstablishmentId,
    matrix: [[Reach; 4]; 4],
    client: &Origin,
    now: Timestamp,
) -> Result<(), AdminError> {
    if !actor.administers(establishment) {
        return Err(AdminError::NotFound);
    }
    store.write(|tx| {
        if tx.get(&ESTABLISHMENTS, &establishment)?.is_none() {
            return Err(AdminError::NotFound);
        }
        tx.insert(
            &COMM_RULES,
            &establishment,
            &CommRules {
                matrix,
                updated_at: Some(now),
                updated_by: actor.person,
            },
        )?;
        audit::record(
            tx,
            AuditEvent {
                at: now,
                action: AuditAction::CommunicationRulesEdited { establishment },
                person: actor.person,
                login: String::new(),
                ip: client.ip.clone(),
                user_agent: client.user_agent.clone(),
            },
        )?;
        Ok(())
    })
}
