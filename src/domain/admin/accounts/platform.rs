//! The platform administrator's part: creating establishments, naming and removing their local
//! administrators. For anyone else these functions answer "not found".

use jiff::Timestamp;
use serde::Serialize;

use super::values::{ESTABLISHMENT_NAME_MAX, KINDS, NAME_MAX, clean_name, kind_code};
use super::{AccountError, FieldError, audit, invalid, profiles_in_tx};
use crate::domain::accounts::audit::AuditAction;
use crate::domain::admin::{EstablishmentItem, policy};
use crate::domain::directory::service;
use crate::domain::text::french_key;
use crate::model::Actor;
use crate::model::Origin;
use crate::model::directory::{AccountState, Establishment, EstablishmentId, PersonId, Role};
use crate::store::Store;
use crate::store::tables::{
    ESTABLISHMENT_PEOPLE, ESTABLISHMENTS, LOGIN_TO_PERSON, PEOPLE, UAI_TO_ESTABLISHMENT,
};

/// The establishment form, as typed.
#[derive(Debug, Clone, Default)]
pub struct NewEstablishment {
    /// UAI, e.g. `0631234X` (upper-cased).
    pub uai: String,
    /// Name (required).
    pub name: String,
    /// A [`kind_code`].
    pub kind: String,
    /// Town (optional).
    pub town: String,
    /// Académie (optional).
    pub academie: String,
}

/// Creates an establishment (platform administrator only; "not found" for anyone else),
/// audited `EstablishmentCreated`.
pub fn create_establishment(
    store: &Store,
    actor: &Actor,
    input: &NewEstablishment,
    client: &Origin,
    now: Timestamp,
) -> Result<EstablishmentId, AccountError> {
    if !policy::manages_platform(actor) {
        return Err(AccountError::NotFound);
    }
    store.write(|tx| {
        let mut errors = Vec::new();
        let uai: String = input
            .uai
            .split_whitespace()
            .collect::<String>()
            .to_ascii_uppercase();
        if uai.is_empty() {
            errors.push(FieldError {
                field: "uai",
                key: "comptes-obligatoire",
            });
        } else if !service::is_uai(&uai) {
            errors.push(FieldError {
                field: "uai",
                key: "comptes-uai-invalide",
            });
        } else if tx.get(&UAI_TO_ESTABLISHMENT, &uai)?.is_some() {
            errors.push(FieldError {
                field: "uai",
                key: "comptes-uai-pris",
            });
        }
        let name = clean_name(
            "name",
            &input.name,
            true,
            ESTABLISHMENT_NAME_MAX,
            &mut errors,
        );
        let kind = KINDS
            .into_iter()
            .find(|k| kind_code(*k) == input.kind.trim());
        if kind.is_none() {
            errors.push(FieldError {
                field: "kind",
                key: "comptes-type-invalide",
            });
        }
        let town = clean_name("town", &input.town, false, NAME_MAX, &mut errors);
        let academie = clean_name("academie", &input.academie, false, NAME_MAX, &mut errors);
        let Some(kind) = kind.filter(|_| errors.is_empty()) else {
            return Err(AccountError::Invalid(errors));
        };
        let id = service::create_establishment(
            tx,
            Establishment {
                uai,
                name,
                kind,
                town,
                academie,
            },
        )?;
        let login = match actor.person {
            Some(p) => tx.get(&PEOPLE, &p)?.map(|p| p.login).unwrap_or_default(),
            None => String::new(),
        };
        audit(
            tx,
            actor,
            AuditAction::EstablishmentCreated { establishment: id },
            login,
            client,
            now,
        )?;
        Ok(id)
    })
}

/// A local administrator in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalAdmin {
    /// Who.
    pub id: PersonId,
    /// "Prénom NOM".
    pub name: String,
    /// Their login.
    pub login: String,
    /// Their account's state.
    pub state: AccountState,
}

/// The local administrators of an establishment, by name (platform administrator only).
pub fn local_admins(
    store: &Store,
    actor: &Actor,
    establishment: EstablishmentId,
) -> Result<(EstablishmentItem, Vec<LocalAdmin>), AccountError> {
    if !policy::manages_platform(actor) {
        return Err(AccountError::NotFound);
    }
    let item = crate::domain::admin::establishment(store, actor, establishment)?;
    let read = store.read()?;
    let mut out = Vec::new();
    for row in read.scan_prefix(
        &ESTABLISHMENT_PEOPLE,
        &(establishment, Role::AdminLocal.code()),
    )? {
        let ((_, _, id), ()) = row?;
        if let Some(p) = read.get(&PEOPLE, &id)? {
            out.push(LocalAdmin {
                id,
                name: p.display_name(),
                login: p.login,
                state: p.state,
            });
        }
    }
    out.sort_by_key(|a| french_key(&a.name));
    Ok((item, out))
}

/// Names the person with `login` local administrator of `establishment` (platform
/// administrator only): they must already be a teacher or staff member there. Audited
/// `LocalAdminNamed`.
pub fn name_local_admin(
    store: &Store,
    actor: &Actor,
    establishment: EstablishmentId,
    login: &str,
    client: &Origin,
    now: Timestamp,
) -> Result<PersonId, AccountError> {
    if !policy::manages_platform(actor) {
        return Err(AccountError::NotFound);
    }
    store.write(|tx| {
        tx.get(&ESTABLISHMENTS, &establishment)?
            .ok_or(AccountError::NotFound)?;
        let login = login.trim().to_lowercase();
        if login.is_empty() {
            return Err(invalid("login", "comptes-obligatoire"));
        }
        let target = tx
            .get(&LOGIN_TO_PERSON, &login)?
            .ok_or_else(|| invalid("login", "comptes-admin-inconnu"))?;
        let roles: Vec<Role> = profiles_in_tx(tx, target)?
            .into_iter()
            .filter(|p| p.establishment == establishment)
            .map(|p| p.role)
            .collect();
        if roles.contains(&Role::AdminLocal) {
            return Err(invalid("login", "comptes-admin-deja"));
        }
        if roles.is_empty() {
            return Err(invalid("login", "comptes-admin-pas-membre"));
        }
        if !roles
            .iter()
            .any(|r| matches!(r, Role::Enseignant | Role::Personnel(_)))
        {
            return Err(invalid("login", "comptes-admin-pas-personnel"));
        }
        service::ensure_profile(tx, target, establishment, Role::AdminLocal)?;
        audit(
            tx,
            actor,
            AuditAction::LocalAdminNamed {
                target,
                establishment,
            },
            login,
            client,
            now,
        )?;
        Ok(target)
    })
}

/// Takes the `AdminLocal` profile of `establishment` away from `target` (platform administrator
/// only; never their last profile). Audited `LocalAdminRemoved`.
pub fn remove_local_admin(
    store: &Store,
    actor: &Actor,
    establishment: EstablishmentId,
    target: PersonId,
    client: &Origin,
    now: Timestamp,
) -> Result<(), AccountError> {
    if !policy::manages_platform(actor) {
        return Err(AccountError::NotFound);
    }
    store.write(|tx| {
        tx.get(&ESTABLISHMENTS, &establishment)?
            .ok_or(AccountError::NotFound)?;
        let person = tx.get(&PEOPLE, &target)?.ok_or(AccountError::NotFound)?;
        let profiles = profiles_in_tx(tx, target)?;
        if !profiles
            .iter()
            .any(|p| p.establishment == establishment && p.role == Role::AdminLocal)
        {
            return Err(AccountError::NotFound);
        }
        if profiles.len() <= 1 {
            return Err(invalid("profiles", "comptes-dernier-profil"));
        }
        service::remove_profile(tx, target, establishment, Role::AdminLocal)?;
        audit(
            tx,
            actor,
            AuditAction::LocalAdminRemoved {
                target,
                establishment,
            },
            person.login,
            client,
            now,
        )?;
        Ok(())
    })
}
