//! [`Actor`]: who is acting, as the domain layer sees it. Built from the session by the HTTP
//! layer (one read transaction), or [`Actor::system`] for the command line.

use crate::model::directory::{ClassId, EstablishmentId, GroupId, PersonId, Profile, Role};

/// The acting person with what the rules need to know about them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The person, or `None` for the system itself (CLI, imports, migrations).
    pub person: Option<PersonId>,
    /// Whether they administer the whole instance.
    pub platform_admin: bool,
    /// Their profiles, one per establishment and role.
    pub profiles: Vec<Profile>,
    /// A parent's children.
    pub children: Vec<PersonId>,
    /// A pupil's own classes, or the classes a teacher teaches.
    pub classes: Vec<ClassId>,
    /// A pupil's own groups, or the groups a teacher teaches.
    pub groups: Vec<GroupId>,
}

impl Actor {
    /// The system: may do anything (command line, imports, migrations).
    pub fn system() -> Actor {
        Actor {
            person: None,
            platform_admin: true,
            profiles: Vec::new(),
            children: Vec::new(),
            classes: Vec::new(),
            groups: Vec::new(),
        }
    }

    /// Whether this is the system actor.
    pub fn is_system(&self) -> bool {
        self.person.is_none()
    }

    /// Whether the actor has `role` in `establishment` (any staff function for `Personnel`).
    pub fn has_role(&self, establishment: EstablishmentId, role: Role) -> bool {
        self.profiles.iter().any(|p| {
            p.establishment == establishment
                && match (p.role, role) {
                    (Role::Personnel(_), Role::Personnel(_)) => true,
                    (a, b) => a == b,
                }
        })
    }

    /// Whether the actor is [staff](Role::is_staff) of `establishment` (a non-teaching function or
    /// its local administrator).
    pub fn is_staff_in(&self, establishment: EstablishmentId) -> bool {
        self.profiles
            .iter()
            .any(|p| p.establishment == establishment && p.role.is_staff())
    }

    /// Whether the actor works in `establishment` (teacher, staff or local admin).
    pub fn works_in(&self, establishment: EstablishmentId) -> bool {
        self.profiles
            .iter()
            .any(|p| p.establishment == establishment && p.role.works_there())
    }

    /// Whether the actor works in a school (teacher, staff or local admin somewhere).
    pub fn works_in_a_school(&self) -> bool {
        self.profiles.iter().any(|p| p.role.works_there())
    }

    /// Whether the actor administers `establishment` (local admin, or platform admin).
    pub fn administers(&self, establishment: EstablishmentId) -> bool {
        self.platform_admin || self.has_role(establishment, Role::AdminLocal)
    }

    /// The establishments the actor has a profile in.
    pub fn establishments(&self) -> Vec<EstablishmentId> {
        let mut out: Vec<EstablishmentId> = self.profiles.iter().map(|p| p.establishment).collect();
        out.sort();
        out.dedup();
        out
    }
}
