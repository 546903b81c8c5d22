//! Who may see what in the directory (DESIGN.md §4; arrêté du 30 novembre 2006, art. 4: need to
//! know). Deny by default; callers answer "not found" when this says no.
//!
//! - the system and platform admins see everything;
//! - everyone sees themselves;
//! - a parent sees their own children, and a pupil their own parents;
//! - a pupil sees the members of their own classes and groups, and their teachers;
//! - a teacher sees the pupils (and those pupils' parents) of the classes and groups they teach,
//!   and the staff of their establishments;
//! - staff and local admins see everyone with a profile in their establishment, nothing elsewhere.

use super::model::{ClassId, EstablishmentId, PersonId, Role};
use crate::auth::Actor;
use crate::store::tables::*;
use crate::store::{ReadTx, StoreError};

/// The establishments a person has a profile in.
fn establishments_of(
    read: &ReadTx,
    person: PersonId,
) -> Result<Vec<(EstablishmentId, Role)>, StoreError> {
    read.scan_prefix(&PERSON_PROFILES, &(person,))?
        .map(|row| row.map(|(_, p)| (p.establishment, p.role)))
        .collect()
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
                super::model::Audience::Class(c) => actor.classes.contains(&c),
                super::model::Audience::Group(g) => actor.groups.contains(&g),
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
    let is_admin_or_staff = |e: EstablishmentId| {
        actor.profiles.iter().any(|p| {
            p.establishment == e && matches!(p.role, Role::Personnel(_) | Role::AdminLocal)
        })
    };
    if target_establishments
        .iter()
        .any(|(e, _)| is_admin_or_staff(*e))
    {
        return Ok(true);
    }
    // Teachers: staff colleagues, and the pupils they teach and their parents.
    let teacher_in = |e: EstablishmentId| actor.has_role(e, Role::Enseignant);
    if target_establishments.iter().any(|(e, role)| {
        teacher_in(*e)
            && matches!(
                role,
                Role::Enseignant | Role::Personnel(_) | Role::AdminLocal
            )
    }) {
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

/// May `actor` see the list of members of `class`?
pub fn may_see_class(read: &ReadTx, actor: &Actor, class: ClassId) -> Result<bool, StoreError> {
    if actor.platform_admin {
        return Ok(true);
    }
    let Some(c) = read.get(&CLASSES, &class)? else {
        return Ok(false);
    };
    if actor.profiles.iter().any(|p| {
        p.establishment == c.establishment
            && matches!(p.role, Role::Personnel(_) | Role::AdminLocal)
    }) {
        return Ok(true);
    }
    // Its pupils and the teachers who teach it (both carry it in `actor.classes`).
    Ok(actor.classes.contains(&class))
}
