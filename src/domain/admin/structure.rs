//! Administration of an establishment's structure (issue 5 §1): its classes and groups (their
//! pupils, head teacher and teachings), its subjects, and pupils' parent links.
//!
//! Permissions, as in the rest of [`super`]:
//! - a class, group, subject or teaching belongs to one establishment; the actor may see and
//!   change it if they administer that establishment ([`Actor::administers`]: its local
//!   administrator, or the platform administrator); for anyone else it does not exist
//!   ([`AdminError::NotFound`], a 404 that reveals nothing);
//! - a pupil's parent links are managed by the administrators of an establishment where the
//!   pupil is a pupil; the parent is found by login, and gets a parent profile in that
//!   establishment if they had none;
//! - every check is made again inside the writing transaction, and a refused write leaves the
//!   store as it was (the whole change is one [`Store::write`]).
//!
//! Every change is audited in its transaction as [`AuditAction::StructureChanged`], with the
//! acting administrator as the event's person and, for a change about a person (a pupil added
//! or removed, a parent link, a teacher's teaching), that person as the target.
//!
//! Field errors carry the form field they belong to (`nom`, `identifiant`, …) and a key of
//! `admin-structure.ftl`.

use jiff::Timestamp;
use serde::Serialize;

use super::{AdminError, EstablishmentItem};
use crate::domain::accounts::audit::{self, AuditAction, AuditEvent, StructureChange};
use crate::domain::directory::policy;
use crate::domain::directory::queries::PersonSummary;
use crate::domain::directory::service;
use crate::domain::text::{fold, french_key};
use crate::model::Actor;
use crate::model::Origin;
use crate::model::directory::{
    Audience, Class, ClassId, EstablishmentId, Group, GroupId, ParentLink, PersonId, Role,
    SchoolYear, Subject, SubjectId, Teaching, TeachingId,
};
use crate::store::tables::{
    CHILD_PARENTS, CLASS_STUDENTS, CLASS_TEACHINGS, CLASSES, ESTABLISHMENT_CLASS_NAMES,
    ESTABLISHMENT_CLASSES, ESTABLISHMENT_GROUPS, ESTABLISHMENT_PEOPLE, ESTABLISHMENT_SUBJECT_CODES,
    ESTABLISHMENT_SUBJECTS, GROUP_STUDENTS, GROUP_TEACHINGS, GROUPS, LOGIN_TO_PERSON,
    PARENT_CHILDREN, PEOPLE, PERSON_PROFILES, SUBJECTS, TEACHINGS,
};
use crate::store::{ReadTx, Rows, Store, StoreError, Tx};

mod parents;
mod subjects;
mod units;

pub use parents::*;
pub use subjects::*;
pub use units::*;

/// A class name has at most this many characters ("5B", "2nde 3", "1re STMG").
pub const CLASS_NAME_MAX: usize = 30;
/// A level has at most this many characters ("5e", "2nde").
pub const LEVEL_MAX: usize = 20;
/// A group name has at most this many characters ("4e LV2 espagnol").
pub const GROUP_NAME_MAX: usize = 60;
/// A subject name has at most this many characters.
pub const SUBJECT_NAME_MAX: usize = 60;
/// A national subject code has at most this many characters (académie codes have 6).
pub const SUBJECT_CODE_MAX: usize = 12;

/// Who is writing, for the audit log: the client and the instant (read once by the caller).
#[derive(Debug, Clone, Copy)]
pub struct Stamp<'a> {
    /// The client's address and user agent.
    pub client: &'a Origin,
    /// Now.
    pub now: Timestamp,
}

/// A class or a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum UnitKind {
    /// A class (*division*).
    Class,
    /// A group.
    Group,
}

impl UnitKind {
    /// The kind of a class or group id.
    pub fn of(id: Audience) -> UnitKind {
        match id {
            Audience::Class(_) => UnitKind::Class,
            Audience::Group(_) => UnitKind::Group,
        }
    }
}

fn invalid<T>(field: &'static str, key: &'static str) -> Result<T, AdminError> {
    Err(AdminError::Invalid { field, key })
}

/// What a class and a group have in common.
#[derive(Debug, Clone)]
struct Unit {
    establishment: EstablishmentId,
    year: SchoolYear,
    name: String,
    level: String,
    head_teacher: Option<PersonId>,
}

impl From<Class> for Unit {
    fn from(c: Class) -> Unit {
        Unit {
            establishment: c.establishment,
            year: c.year,
            name: c.name,
            level: c.level,
            head_teacher: c.head_teacher,
        }
    }
}

impl From<Group> for Unit {
    fn from(g: Group) -> Unit {
        Unit {
            establishment: g.establishment,
            year: g.year,
            name: g.name,
            level: String::new(),
            head_teacher: None,
        }
    }
}

fn load_unit(rows: &impl Rows, id: Audience) -> Result<Option<Unit>, StoreError> {
    Ok(match id {
        Audience::Class(c) => rows.row(&CLASSES, &c)?.map(Unit::from),
        Audience::Group(g) => rows.row(&GROUPS, &g)?.map(Unit::from),
    })
}

/// The class or group if the actor administers its establishment; "not found" otherwise.
fn administered_unit(rows: &impl Rows, actor: &Actor, id: Audience) -> Result<Unit, AdminError> {
    load_unit(rows, id)?
        .filter(|u| actor.administers(u.establishment))
        .ok_or(AdminError::NotFound)
}

/// The establishment if the actor administers it; "not found" otherwise.
fn administered_establishment(
    rows: &impl Rows,
    actor: &Actor,
    id: EstablishmentId,
) -> Result<EstablishmentItem, AdminError> {
    let e =
        super::policy::administered_establishment(rows, actor, id)?.ok_or(AdminError::NotFound)?;
    Ok(EstablishmentItem {
        id,
        name: e.name,
        uai: e.uai,
    })
}

fn has_role(
    rows: &impl Rows,
    person: PersonId,
    establishment: EstablishmentId,
    role: Role,
) -> Result<bool, StoreError> {
    Ok(rows
        .row(&PERSON_PROFILES, &(person, establishment, role.code()))?
        .is_some())
}

fn summary(rows: &impl Rows, id: PersonId) -> Result<Option<PersonSummary>, StoreError> {
    Ok(rows.row(&PEOPLE, &id)?.map(|p| PersonSummary {
        id,
        first_name: p.first_name,
        last_name: p.last_name,
    }))
}

fn by_name(a: &PersonSummary, b: &PersonSummary) -> std::cmp::Ordering {
    french_key(&a.last_name)
        .cmp(&french_key(&b.last_name))
        .then_with(|| french_key(&a.first_name).cmp(&french_key(&b.first_name)))
}

/// A name after the text hygiene of one line (`text::single_line`), checked to be there and
/// not too long.
fn checked_name(value: &str, max: usize, too_long: &'static str) -> Result<String, AdminError> {
    let value = crate::domain::text::single_line(value);
    if value.is_empty() {
        return invalid("nom", "structure-nom-obligatoire");
    }
    if value.chars().count() > max {
        return invalid("nom", too_long);
    }
    Ok(value)
}

/// Records a structure change in the audit log, inside the change's transaction.
fn record(
    tx: &mut Tx,
    actor: &Actor,
    stamp: Stamp<'_>,
    establishment: EstablishmentId,
    change: StructureChange,
) -> Result<(), StoreError> {
    // The login column names the person the change concerns, as for the other
    // administrators' actions.
    let login = match change.person() {
        Some(p) => tx.get(&PEOPLE, &p)?.map(|p| p.login).unwrap_or_default(),
        None => String::new(),
    };
    audit::record(
        tx,
        AuditEvent {
            at: stamp.now,
            action: AuditAction::StructureChanged {
                establishment,
                change,
            },
            person: actor.person,
            login,
            ip: stamp.client.ip.clone(),
            user_agent: stamp.client.user_agent.clone(),
        },
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Teachings as the pages list them.
// ---------------------------------------------------------------------------------------------

/// A teaching as a class, group or subject page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeachingRow {
    /// The teaching.
    pub id: TeachingId,
    /// The teacher.
    pub teacher: PersonSummary,
    /// The subject's name.
    pub subject: String,
    /// The class's or group's name.
    pub audience: String,
}

fn subject_name(rows: &impl Rows, id: SubjectId) -> Result<String, StoreError> {
    Ok(rows
        .row(&SUBJECTS, &id)?
        .map_or_else(|| format!("#{id}"), |s| s.name))
}

fn unit_name(rows: &impl Rows, id: Audience) -> Result<String, StoreError> {
    Ok(load_unit(rows, id)?.map_or_else(
        || match id {
            Audience::Class(c) => format!("#{c}"),
            Audience::Group(g) => format!("#{g}"),
        },
        |u| u.name,
    ))
}

fn teaching_row(read: &ReadTx, id: TeachingId, t: &Teaching) -> Result<TeachingRow, StoreError> {
    let teacher = summary(read, t.teacher)?.unwrap_or(PersonSummary {
        id: t.teacher,
        first_name: String::new(),
        last_name: format!("#{}", t.teacher),
    });
    Ok(TeachingRow {
        id,
        teacher,
        subject: subject_name(read, t.subject)?,
        audience: unit_name(read, t.audience)?,
    })
}

fn sort_teachings(rows: &mut [TeachingRow]) {
    rows.sort_by(|a, b| {
        french_key(&a.subject)
            .cmp(&french_key(&b.subject))
            .then_with(|| by_name(&a.teacher, &b.teacher))
            .then_with(|| french_key(&a.audience).cmp(&french_key(&b.audience)))
    });
}

// ---------------------------------------------------------------------------------------------
// The journal's description of a change.
// ---------------------------------------------------------------------------------------------

/// How the journal describes a structure change: a message key of `admin-structure.ftl` and
/// its `$objet` (names as they are now; `#id` for what no longer exists).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeDetail {
    /// The message key.
    pub key: &'static str,
    /// What it is about ("5B", "Mathématiques — 5B", a parent's name).
    pub what: String,
}

/// The description of `change`, reading today's names.
pub fn describe(read: &ReadTx, change: &StructureChange) -> Result<ChangeDetail, StoreError> {
    use StructureChange as C;
    let class = |c: ClassId| unit_name(read, Audience::Class(c));
    let group = |g: GroupId| unit_name(read, Audience::Group(g));
    let person = |p: PersonId| -> Result<String, StoreError> {
        Ok(summary(read, p)?.map_or_else(|| format!("#{p}"), |s| s.display_name()))
    };
    let teaching = |subject: SubjectId, audience: Audience| -> Result<String, StoreError> {
        Ok(format!(
            "{} — {}",
            subject_name(read, subject)?,
            unit_name(read, audience)?
        ))
    };
    let (key, what) = match change {
        C::ClassCreated { class: c } => ("structure-journal-classe-creee", class(*c)?),
        C::ClassEdited { class: c } => ("structure-journal-classe-modifiee", class(*c)?),
        C::ClassDeleted { name } => ("structure-journal-classe-supprimee", name.clone()),
        C::PupilAddedToClass { class: c, .. } => {
            ("structure-journal-eleve-ajoute-classe", class(*c)?)
        }
        C::PupilRemovedFromClass { class: c, .. } => {
            ("structure-journal-eleve-retire-classe", class(*c)?)
        }
        C::GroupCreated { group: g } => ("structure-journal-groupe-cree", group(*g)?),
        C::GroupEdited { group: g } => ("structure-journal-groupe-modifie", group(*g)?),
        C::GroupDeleted { name } => ("structure-journal-groupe-supprime", name.clone()),
        C::PupilAddedToGroup { group: g, .. } => {
            ("structure-journal-eleve-ajoute-groupe", group(*g)?)
        }
        C::PupilRemovedFromGroup { group: g, .. } => {
            ("structure-journal-eleve-retire-groupe", group(*g)?)
        }
        C::SubjectCreated { subject } => (
            "structure-journal-matiere-creee",
            subject_name(read, *subject)?,
        ),
        C::SubjectEdited { subject } => (
            "structure-journal-matiere-modifiee",
            subject_name(read, *subject)?,
        ),
        C::SubjectDeleted { name } => ("structure-journal-matiere-supprimee", name.clone()),
        C::TeachingAdded {
            subject, audience, ..
        } => (
            "structure-journal-enseignement-ajoute",
            teaching(*subject, *audience)?,
        ),
        C::TeachingRemoved {
            subject, audience, ..
        } => (
            "structure-journal-enseignement-retire",
            teaching(*subject, *audience)?,
        ),
        C::ParentLinked { parent, .. } => {
            ("structure-journal-responsable-ajoute", person(*parent)?)
        }
        C::ParentLinkEdited { parent, .. } => {
            ("structure-journal-responsable-modifie", person(*parent)?)
        }
        C::ParentUnlinked { parent, .. } => {
            ("structure-journal-responsable-retire", person(*parent)?)
        }
    };
    Ok(ChangeDetail { key, what })
}

#[cfg(test)]
mod tests;
