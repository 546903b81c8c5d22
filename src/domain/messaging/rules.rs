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
use serde::{Deserialize, Serialize};

use crate::auth::Actor;
use crate::auth::audit::{self, AuditAction, AuditEvent};
use crate::auth::signin::Client;
use crate::domain::admin::AdminError;
use crate::domain::directory::model::{Audience, EstablishmentId, PersonId, Role, StaffFunction};
use crate::store::tables::{
    CHILD_PARENTS, CLASS_STUDENTS, COMM_RULES, ESTABLISHMENTS, GROUP_STUDENTS, PARENT_CHILDREN,
    PERSON_PROFILES, STUDENT_CLASSES, STUDENT_GROUPS, TEACHER_TEACHINGS, TEACHINGS,
};
use crate::store::{ReadTx, Store, StoreError};

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
    classes: &[crate::domain::directory::model::ClassId],
    groups: &[crate::domain::directory::model::GroupId],
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
        Vec<crate::domain::directory::model::ClassId>,
        Vec<crate::domain::directory::model::GroupId>,
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
    if !actor.administers(establishment) {
        return Err(AdminError::NotFound);
    }
    let read = store.read()?;
    if read.get(&ESTABLISHMENTS, &establishment)?.is_none() {
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
    client: &Client,
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
