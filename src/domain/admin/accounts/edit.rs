//! Editing an account: its identity, its profiles (adding and removing one, leaving classes).

use jiff::Timestamp;
use serde::Serialize;

use super::values::{birth_date, email, person_name};
use crate::domain::accounts::audit::AuditAction;
use crate::domain::admin::EstablishmentItem;
use crate::domain::directory::policy;
use crate::domain::directory::service::{self};
use crate::model::Actor;
use crate::model::Origin;
use crate::model::directory::{ClassId, EstablishmentId, Person, PersonId, Role, SchoolYear};
use crate::store::tables::{
    CLASSES, ESTABLISHMENTS, LOGIN_TO_PERSON, PERSON_PROFILES, STUDENT_CLASSES,
};
use crate::store::{Store, Tx};

use super::*;

/// A profile on the edit page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EditProfile {
    /// The establishment.
    pub establishment: EstablishmentId,
    /// Its name.
    pub establishment_name: String,
    /// The role.
    pub role: Role,
    /// Whether the actor may remove it here (an administered establishment, not `AdminLocal`,
    /// not their own, not the last profile).
    pub removable: bool,
}

/// What the edit page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EditView {
    /// The id.
    pub id: PersonId,
    /// The record as stored.
    pub person: Person,
    /// Whether the actor edits their own account (identity only).
    pub own: bool,
    /// Whether the actor may change the identity, login and e-mail: their own account, or a
    /// person all of whose establishments they administer.
    pub identity_editable: bool,
    /// Whether the person is a pupil somewhere (birth date required).
    pub pupil: bool,
    /// Their profiles.
    pub profiles: Vec<EditProfile>,
    /// Where the actor may add a profile (the establishments they administer), by name.
    pub establishments: Vec<EstablishmentItem>,
}

/// The edit page of `target`.
pub fn edit_view(store: &Store, actor: &Actor, target: PersonId) -> Result<EditView, AccountError> {
    let read = store.read()?;
    let (person, reach) = crate::domain::admin::policy::editing(&read, actor, target)?;
    let profiles: Vec<_> = read
        .scan_prefix(&PERSON_PROFILES, &(target,))?
        .map(|r| r.map(|(_, p)| p))
        .collect::<Result<_, _>>()?;
    let own = actor.person == Some(target);
    let count = profiles.len();
    let mut out = Vec::with_capacity(count);
    for p in &profiles {
        out.push(EditProfile {
            establishment: p.establishment,
            establishment_name: read
                .get(&ESTABLISHMENTS, &p.establishment)?
                .map(|e| e.name)
                .unwrap_or_default(),
            role: p.role,
            removable: !own
                && count > 1
                && p.role != Role::AdminLocal
                && actor.administers(p.establishment),
        });
    }
    drop(read);
    let establishments = if own {
        Vec::new()
    } else {
        crate::domain::admin::my_establishments(store, actor)?
    };
    Ok(EditView {
        id: target,
        identity_editable: own || reach.full(),
        pupil: profiles.iter().any(|p| p.role == Role::Eleve),
        person,
        own,
        profiles: out,
        establishments,
    })
}

/// The identity part of the edit form, as typed.
#[derive(Debug, Clone, Default)]
pub struct Identity {
    /// First name (required).
    pub first_name: String,
    /// Usage name (required).
    pub last_name: String,
    /// Birth name (optional).
    pub birth_name: String,
    /// `JJ/MM/AAAA` (required for a pupil).
    pub birth_date: String,
    /// E-mail address (optional; typed by an administrator: counts as verified).
    pub email: String,
    /// The login ([`is_login`], unique).
    pub login: String,
}

/// Saves the identity of `target`; returns whether anything changed (then audited
/// `AccountEdited`).
pub fn update_identity(
    store: &Store,
    actor: &Actor,
    target: PersonId,
    input: &Identity,
    client: &Origin,
    now: Timestamp,
) -> Result<bool, AccountError> {
    let today = paris_date(now);
    store.write(|tx| {
        let Access {
            person: old,
            own,
            full,
        } = access_tx(tx, actor, target)?;
        if !own && !full {
            // The identity, login and e-mail are the person's in every school they belong to.
            return Err(AccountError::Forbidden);
        }
        let pupil = profiles_in_tx(tx, target)?
            .iter()
            .any(|p| p.role == Role::Eleve);
        let mut errors = Vec::new();
        let first_name = person_name("first_name", &input.first_name, true, &mut errors);
        let last_name = person_name("last_name", &input.last_name, true, &mut errors);
        let birth_name = person_name("birth_name", &input.birth_name, false, &mut errors);
        let birth = birth_date(&input.birth_date, pupil, today, &mut errors);
        let email = email(&input.email, &mut errors);
        let login = input.login.trim().to_lowercase();
        if login.is_empty() {
            errors.push(FieldError {
                field: "login",
                key: "comptes-obligatoire",
            });
        } else if !is_login(&login) {
            errors.push(FieldError {
                field: "login",
                key: "comptes-identifiant-invalide",
            });
        } else if tx
            .get(&LOGIN_TO_PERSON, &login)?
            .is_some_and(|p| p != target)
        {
            errors.push(FieldError {
                field: "login",
                key: "comptes-identifiant-pris",
            });
        }
        if !errors.is_empty() {
            return Err(AccountError::Invalid(errors));
        }
        let mut new = old.clone();
        new.first_name = first_name;
        new.last_name = last_name;
        new.birth_name = Some(birth_name).filter(|n| !n.is_empty());
        new.birth_date = birth;
        new.email = email;
        let before = tx.change_count();
        if new != old {
            service::update_person(tx, target, &new)?;
        }
        service::set_login(tx, target, &login)?;
        let changed = tx.change_count() > before;
        if changed {
            audit(
                tx,
                actor,
                AuditAction::AccountEdited { target },
                login,
                client,
                now,
            )?;
        }
        Ok(changed)
    })
}

/// Checks that the actor may change the profiles of `target` in `establishment`: the person is
/// administered ("not found"), not themselves ("forbidden"), and the establishment is one the
/// actor administers ("not found"). Returns the target's login.
fn profile_access(
    tx: &Tx,
    actor: &Actor,
    target: PersonId,
    establishment: EstablishmentId,
) -> Result<String, AccountError> {
    let access = access_tx(tx, actor, target)?;
    administered_establishment(tx, actor, establishment)?;
    if access.own {
        return Err(AccountError::Forbidden);
    }
    Ok(access.person.login)
}

/// A profile to add, as the form gives it.
#[derive(Debug, Clone)]
pub struct NewProfile {
    /// Where (an establishment the actor administers, else "not found").
    pub establishment: EstablishmentId,
    /// A [`role_code`] of [`ROLES`].
    pub role: String,
    /// For a pupil: the name of a class of the establishment for the current school year.
    pub class: String,
}

/// Gives `target` the profile `new`, audited `AccountEdited`.
pub fn add_profile(
    store: &Store,
    actor: &Actor,
    target: PersonId,
    new: &NewProfile,
    client: &Origin,
    now: Timestamp,
) -> Result<(), AccountError> {
    let year = SchoolYear::at(now);
    let (establishment, role, class) = (new.establishment, new.role.as_str(), new.class.as_str());
    store.write(|tx| {
        let login = profile_access(tx, actor, target, establishment)?;
        let role = ROLES
            .into_iter()
            .find(|r| role_code(*r) == role.trim())
            .ok_or_else(|| invalid("role", "comptes-role-invalide"))?;
        let current = tx.get(&PERSON_PROFILES, &(target, establishment, role.code()))?;
        if current.is_some_and(|p| p.role == role) {
            return Err(invalid("role", "comptes-profil-existe"));
        }
        let class = if role == Role::Eleve {
            if class.trim().is_empty() {
                return Err(invalid("class", "comptes-classe-obligatoire"));
            }
            Some(
                service::class_by_name(tx, establishment, year, class)?
                    .ok_or_else(|| invalid("class", "comptes-classe-inconnue"))?,
            )
        } else {
            None
        };
        service::ensure_profile(tx, target, establishment, role)?;
        if let Some(class) = class {
            service::enrol_in_class(tx, target, class)?;
        }
        audit(
            tx,
            actor,
            AuditAction::AccountEdited { target },
            login,
            client,
            now,
        )?;
        Ok(())
    })
}

/// Takes the `role` (a [`role_code`]) in `establishment` away from `target` (a pupil also
/// leaves the establishment's classes of the current school year); never the last profile,
/// never `AdminLocal` (the platform administrator's administrators page does that). Audited
/// `AccountEdited`. Returns whether the actor still administers the person.
pub fn remove_profile(
    store: &Store,
    actor: &Actor,
    target: PersonId,
    establishment: EstablishmentId,
    role: &str,
    client: &Origin,
    now: Timestamp,
) -> Result<bool, AccountError> {
    let year = SchoolYear::at(now);
    store.write(|tx| {
        let login = profile_access(tx, actor, target, establishment)?;
        let role = role_of_code(role).ok_or(AccountError::NotFound)?;
        let profiles = profiles_in_tx(tx, target)?;
        if !profiles
            .iter()
            .any(|p| p.establishment == establishment && p.role == role)
        {
            return Err(AccountError::NotFound);
        }
        if role == Role::AdminLocal {
            return Err(AccountError::Forbidden);
        }
        if profiles.len() <= 1 {
            return Err(invalid("profiles", "comptes-dernier-profil"));
        }
        service::remove_profile(tx, target, establishment, role)?;
        if role == Role::Eleve {
            leave_classes(tx, target, establishment, year)?;
        }
        audit(
            tx,
            actor,
            AuditAction::AccountEdited { target },
            login,
            client,
            now,
        )?;
        Ok(policy::administers_person(tx, actor, target)?)
    })
}

/// Takes a pupil out of `establishment`'s classes of `year`.
fn leave_classes(
    tx: &mut Tx,
    pupil: PersonId,
    establishment: EstablishmentId,
    year: SchoolYear,
) -> Result<(), AccountError> {
    for ((_, class), ()) in tx.range(
        &STUDENT_CLASSES,
        (pupil, ClassId(0))..=(pupil, ClassId(u64::MAX)),
    )? {
        if tx
            .get(&CLASSES, &class)?
            .is_some_and(|c| c.establishment == establishment && c.year == year)
        {
            service::leave_class(tx, pupil, class)?;
        }
    }
    Ok(())
}
