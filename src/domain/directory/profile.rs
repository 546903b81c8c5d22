//! What a person is, in a few words, for a viewer: « Élève de 4B », « Parent de Léa (4A) »,
//! « Professeur de mathématiques », « Conseiller principal d’éducation » (issue 14 §10). The
//! person's page and the search results both show it, from [`facets`], so a result never says
//! more than the page would: nothing unless [`policy::may_see_person`] allows the person, and a
//! parent's children only as far as the viewer may see each child.

use serde::Serialize;

use super::policy;
use crate::domain::text::french_key;
use crate::model::Actor;
use crate::model::directory::{EstablishmentId, PersonId, Role, StaffFunction};
use crate::store::tables::{
    CLASSES, PARENT_CHILDREN, PEOPLE, PERSON_PROFILES, STUDENT_CLASSES, SUBJECTS,
    TEACHER_TEACHINGS, TEACHINGS,
};
use crate::store::{ReadTx, StoreError};

/// A child as their parent's profile names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChildFacet {
    /// The child's first name.
    pub first_name: String,
    /// Their classes in the establishment, by name.
    pub classes: Vec<String>,
}

/// What the person is in one establishment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Facet {
    /// A pupil, with their classes there.
    Pupil {
        /// Class names ("5A").
        classes: Vec<String>,
    },
    /// A parent, with those of their children there whom the viewer may see.
    Parent {
        /// The children shown.
        children: Vec<ChildFacet>,
    },
    /// A teacher, with the subjects they teach there.
    Teacher {
        /// Subject names ("Mathématiques").
        subjects: Vec<String>,
    },
    /// A staff member and their function.
    Staff(StaffFunction),
    /// The establishment's local administrator.
    Admin,
}

/// One profile of the person, described.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProfileFacet {
    /// The establishment.
    pub establishment: EstablishmentId,
    /// Its name.
    pub establishment_name: String,
    /// What the person is there.
    pub facet: Facet,
}

fn classes_in(
    read: &ReadTx,
    pupil: PersonId,
    establishment: EstablishmentId,
) -> Result<Vec<String>, StoreError> {
    let mut out = Vec::new();
    for row in read.scan_prefix(&STUDENT_CLASSES, &(pupil,))? {
        let ((_, class), ()) = row?;
        if let Some(c) = read.get(&CLASSES, &class)?
            && c.establishment == establishment
        {
            out.push(c.name);
        }
    }
    out.sort_by_key(|n| french_key(n));
    Ok(out)
}

fn has_profile_in(
    read: &ReadTx,
    person: PersonId,
    establishment: EstablishmentId,
) -> Result<bool, StoreError> {
    for row in read.scan_prefix(&PERSON_PROFILES, &(person,))? {
        let (_, p) = row?;
        if p.establishment == establishment {
            return Ok(true);
        }
    }
    Ok(false)
}

fn facet_of(
    read: &ReadTx,
    actor: &Actor,
    person: PersonId,
    establishment: EstablishmentId,
    role: Role,
) -> Result<Facet, StoreError> {
    Ok(match role {
        Role::Eleve => Facet::Pupil {
            classes: classes_in(read, person, establishment)?,
        },
        Role::Parent => {
            let mut children = Vec::new();
            for row in read.scan_prefix(&PARENT_CHILDREN, &(person,))? {
                let ((_, child), _) = row?;
                if !has_profile_in(read, child, establishment)?
                    || !policy::may_see_person(read, actor, child)?
                {
                    continue;
                }
                if let Some(c) = read.get(&PEOPLE, &child)? {
                    children.push(ChildFacet {
                        first_name: c.first_name,
                        classes: classes_in(read, child, establishment)?,
                    });
                }
            }
            children.sort_by_key(|c| french_key(&c.first_name));
            Facet::Parent { children }
        }
        Role::Enseignant => {
            let mut subjects = Vec::new();
            for row in read.scan_prefix(&TEACHER_TEACHINGS, &(person,))? {
                let ((_, teaching), ()) = row?;
                if let Some(t) = read.get(&TEACHINGS, &teaching)?
                    && t.establishment == establishment
                    && let Some(s) = read.get(&SUBJECTS, &t.subject)?
                    && !subjects.contains(&s.name)
                {
                    subjects.push(s.name);
                }
            }
            subjects.sort_by_key(|n| french_key(n));
            Facet::Teacher { subjects }
        }
        Role::Personnel(function) => Facet::Staff(function),
        Role::AdminLocal => Facet::Admin,
    })
}

/// What `person` is in each establishment they belong to, as `actor` may see it; `None` when
/// the actor may not see the person at all ([`policy::may_see_person`]).
pub fn facets(
    read: &ReadTx,
    actor: &Actor,
    person: PersonId,
) -> Result<Option<Vec<ProfileFacet>>, StoreError> {
    if !policy::may_see_person(read, actor, person)? {
        return Ok(None);
    }
    facets_unchecked(read, actor, person).map(Some)
}

/// [`facets`] once the caller has asked [`policy::may_see_person`] itself (in the same
/// snapshot).
pub(crate) fn facets_unchecked(
    read: &ReadTx,
    actor: &Actor,
    person: PersonId,
) -> Result<Vec<ProfileFacet>, StoreError> {
    super::queries::profiles_named(read, person)?
        .into_iter()
        .map(|(profile, establishment_name)| {
            Ok(ProfileFacet {
                establishment: profile.establishment,
                establishment_name,
                facet: facet_of(read, actor, person, profile.establishment, profile.role)?,
            })
        })
        .collect()
}
