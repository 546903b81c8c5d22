//! Whom a text speaks to (issue 14 §8): a parent's classes are their children's, a pupil is
//! told « tu » where adults are told « vous » (the activation pages, the credential letter and
//! the mails). The texts choose their wording with Fluent selectors on [`Audience::code`] or with
//! separate keys; this is the one place that decides which audience a person is.

use crate::model::Actor;
use crate::model::directory::Role;

/// The audience of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// A pupil: « tu ».
    Pupil,
    /// A parent (and no other role): the classes are their children's.
    Parent,
    /// A teacher (and no staff function).
    Teacher,
    /// Staff or an administrator of an establishment, or the platform administrator.
    Staff,
}

impl Audience {
    /// The audience of someone holding `roles` (a person with several: the one they act in at
    /// school — staff, then teacher, then pupil, then parent). Nobody with no role is staff
    /// (the platform administrator).
    pub fn of_roles(roles: impl IntoIterator<Item = Role>) -> Audience {
        let roles: Vec<Role> = roles.into_iter().collect();
        if roles.is_empty() || roles.iter().any(|r| r.is_staff()) {
            Audience::Staff
        } else if roles.contains(&Role::Enseignant) {
            Audience::Teacher
        } else if roles.contains(&Role::Eleve) {
            Audience::Pupil
        } else {
            Audience::Parent
        }
    }

    /// The audience of a signed-in actor.
    pub fn of(actor: &Actor) -> Audience {
        Audience::of_roles(actor.profiles.iter().map(|p| p.role))
    }

    /// The selector value Fluent messages read (`$public`): `eleve`, `parent`, `enseignant`,
    /// `personnel`.
    pub fn code(self) -> &'static str {
        match self {
            Audience::Pupil => "eleve",
            Audience::Parent => "parent",
            Audience::Teacher => "enseignant",
            Audience::Staff => "personnel",
        }
    }

    /// The register (`$registre`): `tu` for a pupil, `vous` for everyone else.
    pub fn register(self) -> &'static str {
        match self {
            Audience::Pupil => "tu",
            _ => "vous",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::directory::StaffFunction;

    #[test]
    fn the_role_acted_in_at_school_decides() {
        assert_eq!(Audience::of_roles([Role::Eleve]), Audience::Pupil);
        assert_eq!(Audience::of_roles([Role::Parent]), Audience::Parent);
        assert_eq!(
            Audience::of_roles([Role::Parent, Role::Enseignant]),
            Audience::Teacher
        );
        assert_eq!(
            Audience::of_roles([Role::Enseignant, Role::Personnel(StaffFunction::Cpe)]),
            Audience::Staff
        );
        assert_eq!(Audience::of_roles([]), Audience::Staff);
        assert_eq!(Audience::Pupil.register(), "tu");
        assert_eq!(Audience::Parent.register(), "vous");
    }
}
