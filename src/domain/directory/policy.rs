//! Who may see what in the directory (DESIGN.md §4; arrêté du 30 novembre 2006, art. 4: need to
//! know). Deny by default; callers answer "not found" when this says no.
//!
//! - the system and platform admins see everything;
//! - everyone sees themselves;
//! - a parent sees their own children, and a pupil their own parents;
//! - a pupil sees the members of their own classes and groups, and their teachers;
//! - a parent sees the page of their children's classes (head teacher, teachers of each subject),
//!   not the classmates ([`class_view`]);
//! - a teacher sees the pupils (and those pupils' parents) of the classes and groups they teach,
//!   and the staff of their establishments;
//! - staff and local admins see everyone with a profile in their establishment, nothing elsewhere.

use crate::model::Actor;
use crate::model::directory::{ClassId, EstablishmentId, PersonId, Role};
use crate::store::tables::*;
use crate::store::{ReadTx, Rows, StoreError};

/// The establishments a person has a profile in, with the role there.
fn establishments_of(
    rows: &impl Rows,
    person: PersonId,
) -> Result<Vec<(EstablishmentId, Role)>, StoreError> {
    Ok(rows
        .rows_with_prefix(&PERSON_PROFILES, &(person,))?
        .into_iter()
        .map(|(_, p)| (p.establishment, p.role))
        .collect())
}

fn in_class_or_group(read: &ReadTx, actor: &Actor, person: PersonId) -> Result<bool, StoreError> {
    for class in &actor.classes {
        if read.get(&CLASS_STUDENTS, &(*class, person))?.is_some() {
            return Ok(true);
        }
    }
    for group in &actor.groups {
        if read.get(&GROUP_STUDENTS, &(*group, person))?.is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Whether `target` teaches one of the actor's classes or groups.
fn teaches_actor(read: &ReadTx, actor: &Actor, target: PersonId) -> Result<bool, StoreError> {
    for row in read.scan_prefix(&TEACHER_TEACHINGS, &(target,))? {
        let ((_, teaching), ()) = row?;
        if let Some(t) = read.get(&TEACHINGS, &teaching)? {
            let audience_ok = match t.audience {
                crate::model::directory::Audience::Class(c) => actor.classes.contains(&c),
                crate::model::directory::Audience::Group(g) => actor.groups.contains(&g),
            };
            if audience_ok {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// May `actor` see the person `target`?
pub fn may_see_person(read: &ReadTx, actor: &Actor, target: PersonId) -> Result<bool, StoreError> {
    if actor.platform_admin || actor.person == Some(target) {
        return Ok(true);
    }
    if actor.children.contains(&target) {
        return Ok(true);
    }
    // A pupil sees their own parents.
    if let Some(me) = actor.person
        && read.get(&CHILD_PARENTS, &(me, target))?.is_some()
    {
        return Ok(true);
    }
    let target_establishments = establishments_of(read, target)?;
    // Staff and local admins: anyone in their establishments.
    if target_establishments
        .iter()
        .any(|(e, _)| actor.is_staff_in(*e))
    {
        return Ok(true);
    }
    // Teachers: staff colleagues, and the pupils they teach and their parents.
    let teacher_in = |e: EstablishmentId| actor.has_role(e, Role::Enseignant);
    if target_establishments
        .iter()
        .any(|(e, role)| teacher_in(*e) && role.works_there())
    {
        return Ok(true);
    }
    let actor_teaches = actor.profiles.iter().any(|p| p.role == Role::Enseignant);
    let actor_is_pupil = actor.profiles.iter().any(|p| p.role == Role::Eleve);
    if (actor_teaches || actor_is_pupil) && in_class_or_group(read, actor, target)? {
        return Ok(true);
    }
    if actor_teaches {
        for row in read.scan_prefix(&PARENT_CHILDREN, &(target,))? {
            let ((_, child), _) = row?;
            if in_class_or_group(read, actor, child)? {
                return Ok(true);
            }
        }
    }
    // Pupils: their own teachers.
    if actor_is_pupil && teaches_actor(read, actor, target)? {
        return Ok(true);
    }
    Ok(false)
}

/// How much of a class's page an actor sees (issue 14 §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ClassView {
    /// Nothing: the class does not exist for the actor ("not found", like an unknown id).
    Hidden,
    /// Its name, establishment, head teacher and the teachers of each subject, **not** its
    /// pupils: a parent of one of its pupils.
    Teachers,
    /// All of it, the list of its pupils included: its pupils, the teachers who teach it, the
    /// establishment's staff and administrators, the platform administrator.
    Members,
}

/// How much of `class` the actor sees ([`ClassView`]).
pub fn class_view(read: &ReadTx, actor: &Actor, class: ClassId) -> Result<ClassView, StoreError> {
    let Some(c) = read.get(&CLASSES, &class)? else {
        return Ok(ClassView::Hidden);
    };
    if actor.platform_admin || actor.is_staff_in(c.establishment) {
        return Ok(ClassView::Members);
    }
    // Its pupils and the teachers who teach it (both carry it in `actor.classes`).
    if actor.classes.contains(&class) {
        return Ok(ClassView::Members);
    }
    // A parent: the class of one of their children, without the classmates.
    for child in &actor.children {
        if read.get(&CLASS_STUDENTS, &(class, *child))?.is_some() {
            return Ok(ClassView::Teachers);
        }
    }
    Ok(ClassView::Hidden)
}

/// May `actor` see the page of `class` at all ([`class_view`] is not
/// [`ClassView::Hidden`])? Whether its pupils are listed is [`class_view`]'s answer.
pub fn may_see_class(read: &ReadTx, actor: &Actor, class: ClassId) -> Result<bool, StoreError> {
    Ok(class_view(read, actor, class)? != ClassView::Hidden)
}

/// How far an administrator's rights reach a person (issue 12 §1). A person belongs to every
/// establishment they have a profile in, and an administrator of one of them must not gain, through
/// that person, anything in the others:
/// - [`AdminReach::Outside`]: no profile in an establishment the actor administers: the person does
///   not exist for the actor's administration ("not found"), whatever else is true of them;
/// - [`AdminReach::Partial`]: profiles both in administered establishments and elsewhere (a parent
///   with children in two schools): the actor sees the person and manages what belongs to their
///   establishments (profiles, classes, links there), but no account-level action (password, codes,
///   login, identity, e-mail, state, messaging suspension), which would reach the other schools;
/// - [`AdminReach::Full`]: every profile is in an administered establishment (the platform
///   administrator: everyone).
///
/// A person without any profile is the platform administrator's alone. Nothing may give a person a
/// profile, a link or a role in an establishment unless the actor already reaches them (at least
/// `Partial`): that is what keeps a local administrator's reach from growing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AdminReach {
    /// Not administered.
    Outside,
    /// Administered in some of their establishments only.
    Partial,
    /// Administered everywhere they belong.
    Full,
}

impl AdminReach {
    /// The reach of `actor` over someone with profiles in `establishments` (repeats allowed).
    pub fn of(actor: &Actor, establishments: impl IntoIterator<Item = EstablishmentId>) -> Self {
        if actor.platform_admin {
            return AdminReach::Full;
        }
        let (mut some, mut all) = (false, true);
        for e in establishments {
            if actor.administers(e) {
                some = true;
            } else {
                all = false;
            }
        }
        match (some, all) {
            (false, _) => AdminReach::Outside,
            (true, true) => AdminReach::Full,
            (true, false) => AdminReach::Partial,
        }
    }

    /// Whether the actor administers the person at all (sees them in the administration).
    pub fn sees(self) -> bool {
        self != AdminReach::Outside
    }

    /// Whether the actor may take account-level actions on the person.
    pub fn full(self) -> bool {
        self == AdminReach::Full
    }
}

/// [`AdminReach`] of `actor` over `target`, from a snapshot or inside the writing transaction.
pub fn admin_reach(
    rows: &impl Rows,
    actor: &Actor,
    target: PersonId,
) -> Result<AdminReach, StoreError> {
    if actor.platform_admin {
        return Ok(AdminReach::Full);
    }
    Ok(AdminReach::of(
        actor,
        establishments_of(rows, target)?.into_iter().map(|(e, _)| e),
    ))
}

/// Whether the actor administers `target` at all: sees them in the administration
/// ([`AdminReach::sees`]).
pub fn administers_person(
    rows: &impl Rows,
    actor: &Actor,
    target: PersonId,
) -> Result<bool, StoreError> {
    Ok(admin_reach(rows, actor, target)?.sees())
}

/// The first establishment (in id order) of `target` that the actor administers, if any: where
/// an administrator's act on the person is recorded (a messaging suspension). `None` for a person
/// without any profile, even for the platform administrator.
pub fn administered_establishment_of(
    rows: &impl Rows,
    actor: &Actor,
    target: PersonId,
) -> Result<Option<EstablishmentId>, StoreError> {
    Ok(establishments_of(rows, target)?
        .into_iter()
        .map(|(e, _)| e)
        .find(|e| actor.administers(*e)))
}

/// May `actor` see the login of `target`, who has profiles in `establishments`? Themselves, and
/// whoever administers them at all ([`AdminReach::sees`]).
pub fn may_see_login(
    actor: &Actor,
    target: PersonId,
    establishments: impl IntoIterator<Item = EstablishmentId>,
) -> bool {
    actor.person == Some(target) || AdminReach::of(actor, establishments).sees()
}

/// May `actor` search the people of `establishment` by name? Its staff and local
/// administrators, and the platform administrator.
pub fn may_search_people(actor: &Actor, establishment: EstablishmentId) -> bool {
    actor.platform_admin || actor.is_staff_in(establishment)
}
