//! Who may do what in the administration (issue 5 §1, issue 12 §1). The answers, one function
//! each; the callers turn "no" into "not found" (the administration does not exist for whoever
//! does not administer) or "forbidden" (they see the person but may not act on them).
//!
//! - an establishment: [`Actor::administers`] (its local administrator, or the platform
//!   administrator), and [`administered_establishment`] when it must also exist;
//! - a person: how far the actor's administration reaches them is
//!   [`directory::policy::admin_reach`](crate::domain::directory::policy::admin_reach) (with
//!   [`administers_person`](crate::domain::directory::policy::administers_person)): the
//!   directory's, since messaging and imports ask it too;
//! - an account-level action (disable, re-enable, reset the password): [`may_act_on`], checked
//!   in the writing transaction by [`account_action`];
//! - the edit page of a person: [`editing`];
//! - a pupil's parents: [`pupil_establishments`];
//! - the platform (new establishments, local administrators): [`manages_platform`].

use super::AdminError;
use super::accounts::AccountError;
use crate::domain::directory::policy::{AdminReach, admin_reach};
use crate::model::Actor;
use crate::model::directory::{Establishment, EstablishmentId, Person, PersonId, Role};
use crate::store::tables::{ESTABLISHMENTS, PEOPLE};
use crate::store::{Rows, StoreError};

/// Whether the actor may use the administration at all: a local administrator somewhere, or the
/// platform administrator.
pub fn is_admin(actor: &Actor) -> bool {
    actor.platform_admin || actor.profiles.iter().any(|p| p.role == Role::AdminLocal)
}

/// The establishments, in id order, where the person with these `profiles` is a pupil and the
/// actor administers: where the actor may see and change the pupil's parents (none: the pupil's
/// parents page does not exist for them).
pub fn pupil_establishments(
    profiles: impl IntoIterator<Item = (EstablishmentId, Role)>,
    actor: &Actor,
) -> Vec<EstablishmentId> {
    let mut out: Vec<EstablishmentId> = profiles
        .into_iter()
        .filter(|(e, role)| *role == Role::Eleve && actor.administers(*e))
        .map(|(e, _)| e)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Whether the actor runs the platform: creates establishments and names their local
/// administrators (the platform administrator only).
pub fn manages_platform(actor: &Actor) -> bool {
    actor.platform_admin
}

/// The establishment `id` if it exists and the actor administers it; `None` otherwise (the
/// callers answer "not found" for both).
pub fn administered_establishment(
    rows: &impl Rows,
    actor: &Actor,
    id: EstablishmentId,
) -> Result<Option<Establishment>, StoreError> {
    if !actor.administers(id) {
        return Ok(None);
    }
    rows.row(&ESTABLISHMENTS, &id)
}

/// Whether the actor may take an account-level action on `target` (disable, re-enable, reset the
/// password), given their [`AdminReach`] over them: they administer every establishment of the
/// person (a password or a state reaches all their schools), it is not themselves (an
/// administrator cannot lock themselves out), and a platform administrator's account only for
/// another platform administrator.
pub fn may_act_on(
    actor: &Actor,
    reach: AdminReach,
    target: PersonId,
    target_is_platform_admin: bool,
) -> bool {
    reach.full()
        && actor.person != Some(target)
        && (actor.platform_admin || !target_is_platform_admin)
}

/// Decides an account-level action on `target` ([`may_act_on`]): "not found" unless the actor
/// administers them at all, "forbidden" if they may not act on them. Returns the target's login.
pub fn account_action(
    rows: &impl Rows,
    actor: &Actor,
    target: PersonId,
) -> Result<String, AdminError> {
    let reach = admin_reach(rows, actor, target)?;
    let Some(p) = rows.row(&PEOPLE, &target)?.filter(|_| reach.sees()) else {
        return Err(AdminError::NotFound);
    };
    if !may_act_on(actor, reach, target, p.platform_admin) {
        return Err(AdminError::Forbidden);
    }
    Ok(p.login)
}

/// Whether the actor may open the edit page of `target` and edit what belongs to their
/// establishments: "not found" unless they administer the person at all; "forbidden" for a
/// platform administrator's account when the actor is not one. Returns the person and the reach
/// (only a [full](AdminReach::full) reach may change the identity, login or e-mail, which all
/// the person's schools share).
pub fn editing(
    rows: &impl Rows,
    actor: &Actor,
    target: PersonId,
) -> Result<(Person, AdminReach), AccountError> {
    let reach = admin_reach(rows, actor, target)?;
    let person = rows
        .row(&PEOPLE, &target)?
        .filter(|_| reach.sees())
        .ok_or(AccountError::NotFound)?;
    if person.platform_admin && !actor.platform_admin {
        return Err(AccountError::Forbidden);
    }
    Ok((person, reach))
}
