//! Creating and editing accounts, creating establishments and naming their local administrators
//! (issue 5 §1).
//!
//! Who may do what, decided here as in [`super`]:
//! - a local administrator creates accounts in the establishments they administer, and edits
//!   the people who have a profile there: names, birth date, e-mail, login, and the profiles held
//!   in the establishments they administer (never `AdminLocal`: that is the platform's);
//! - the platform administrator does all that everywhere, and alone creates establishments and
//!   names or removes local administrators; for everyone else those pages do not exist (404);
//! - an administrator may correct their own names, e-mail and login but not their own profiles,
//!   and a local administrator may not edit a platform administrator at all (403).
//!
//! Every form is validated here, field by field, into translation keys ([`FieldError`]); a
//! refused request writes nothing (each action is one `store.write`, aborted on any error), and
//! each change is audited in the same transaction, with the acting administrator as the event's
//! person and the account acted on as its target.

mod edit;
mod platform;
mod values;

pub use edit::{
    EditProfile, EditView, Identity, NewProfile, add_profile, edit_view, remove_profile,
    update_identity,
};

pub use platform::{
    LocalAdmin, NewEstablishment, create_establishment, local_admins, name_local_admin,
    remove_local_admin,
};
pub use values::{
    ADULT_AGE, ESTABLISHMENT_NAME_MAX, KINDS, LOGIN_LENGTH, NAME_MAX, PUPIL_AGE, ROLES, is_login,
    kind_code, normalize_email, normalize_national_id, paris_date, parse_date, role_code,
    role_of_code,
};

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use super::{AdminError, EstablishmentItem};
use crate::domain::accounts::audit::{self, AuditAction, AuditEvent};
use crate::domain::directory::DirectoryError;
use crate::domain::directory::policy;
use crate::domain::directory::service::{self, NewPerson};
use crate::domain::once::Once;
use crate::domain::text::{fold, french_key};
use crate::model::Actor;
use crate::model::Origin;
use crate::model::directory::{
    ClassId, Establishment, EstablishmentId, Person, PersonId, Profile, Role, SchoolYear,
};
use crate::store::tables::{
    CLASSES, ESTABLISHMENT_CLASSES, NATIONAL_ID_TO_PERSON, PEOPLE, PERSON_NAME_WORDS,
};
use crate::store::{ReadTx, Store, StoreError, Tx};
use values::{birth_date, email, person_name};

/// A field that does not validate, with the translation key of what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field (`first_name`, `last_name`, `birth_name`, `birth_date`, `role`, `class`,
    /// `email`, `national_id`, `login`, `establishment`, `profiles`, `uai`, `name`, `kind`,
    /// `town`, `academie`).
    pub field: &'static str,
    /// Translation key of the message.
    pub key: &'static str,
}

fn invalid(field: &'static str, key: &'static str) -> AccountError {
    AccountError::Invalid(vec![FieldError { field, key }])
}

/// Someone who already exists, as a duplicate check shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Match {
    /// The id (their admin page: `/admin/personnes/{id}`).
    pub id: PersonId,
    /// "Prénom NOM".
    pub name: String,
    /// Their login.
    pub login: String,
    /// Their birth date, if known.
    pub birth_date: Option<Date>,
}

/// Why a new account was not created although every field is valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Existing {
    /// Someone already holds this national id: refused, whatever the administrator says.
    /// `None` when that person is outside what the actor administers (named to nobody).
    NationalId(Option<Match>),
    /// People of the establishment with the same first and last names (accents, case and
    /// spaces ignored) and the same birth date: created only when the administrator confirms.
    Homonyms(Vec<Match>),
}

/// What a request of this module can run into.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// The establishment or person does not exist, or the actor does not administer it.
    #[error("not found")]
    NotFound,
    /// The actor sees the person but may not do this to them.
    #[error("forbidden")]
    Forbidden,
    /// Fields that do not validate (the form is shown again with them).
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// The person seems to exist already (see [`Existing`]).
    #[error("already exists")]
    Exists(Existing),
    /// A store failure.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<AdminError> for AccountError {
    fn from(e: AdminError) -> Self {
        match e {
            AdminError::NotFound => AccountError::NotFound,
            AdminError::Forbidden => AccountError::Forbidden,
            AdminError::Invalid { field, key } => invalid(field, key),
            AdminError::Store(e) => AccountError::Store(e),
        }
    }
}

impl From<DirectoryError> for AccountError {
    fn from(e: DirectoryError) -> Self {
        match e {
            DirectoryError::Store(e) => AccountError::Store(e),
            DirectoryError::NotFound => AccountError::NotFound,
            DirectoryError::Duplicate("login") => invalid("login", "comptes-identifiant-pris"),
            DirectoryError::Duplicate("uai") => invalid("uai", "comptes-uai-pris"),
            DirectoryError::Duplicate(_) => invalid("national_id", "comptes-ine-pris"),
            // Checked before the service is called; kept as a field error all the same.
            DirectoryError::Invalid { field, .. } => invalid(
                match field {
                    "first_name" => "first_name",
                    "last_name" => "last_name",
                    "uai" => "uai",
                    "name" => "name",
                    _ => "login",
                },
                "comptes-champ-invalide",
            ),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Shared checks.
// ---------------------------------------------------------------------------------------------

/// A person's profiles, read inside the writing transaction.
fn profiles_in_tx(tx: &Tx, person: PersonId) -> Result<Vec<Profile>, StoreError> {
    crate::domain::directory::service::profiles_in(tx, person)
}

/// What the actor may do to a person they reach: everything, or (themselves) their identity.
#[derive(Debug, Clone)]
struct Access {
    person: Person,
    /// The actor is the target: identity only, never their profiles.
    own: bool,
    /// Whether every establishment of the person is administered by the actor: only then may
    /// they change the identity, login or e-mail (shared by all the person's schools).
    full: bool,
}

/// "Not found" unless the actor administers `target`; "forbidden" for a platform
/// administrator's account when the actor is not one.
fn access_tx(tx: &Tx, actor: &Actor, target: PersonId) -> Result<Access, AccountError> {
    let (person, reach) = super::policy::editing(tx, actor, target)?;
    Ok(Access {
        person,
        own: actor.person == Some(target),
        full: reach.full(),
    })
}

/// An establishment the actor administers, from a form or URL value; anything else is "not
/// found".
fn administered_establishment(
    tx: &Tx,
    actor: &Actor,
    id: EstablishmentId,
) -> Result<Establishment, AccountError> {
    super::policy::administered_establishment(tx, actor, id)?.ok_or(AccountError::NotFound)
}

/// Appends the audit event of an administrator's action.
fn audit(
    tx: &mut Tx,
    actor: &Actor,
    action: AuditAction,
    login: String,
    client: &Origin,
    now: Timestamp,
) -> Result<(), StoreError> {
    audit::record(
        tx,
        AuditEvent {
            at: now,
            action,
            person: actor.person,
            login,
            ip: client.ip.clone(),
            user_agent: client.user_agent.clone(),
        },
    )?;
    Ok(())
}

fn match_of(id: PersonId, p: &Person) -> Match {
    Match {
        id,
        name: p.display_name(),
        login: p.login.clone(),
        birth_date: p.birth_date,
    }
}

/// People with a profile in `establishment` with the same first and last names (accents, case
/// and spaces ignored) and birth date (both unknown counts as the same), found through the
/// name-word index: no scan of the establishment.
fn homonyms(
    tx: &Tx,
    establishment: EstablishmentId,
    first_name: &str,
    last_name: &str,
    birth_date: Option<Date>,
) -> Result<Vec<Match>, StoreError> {
    let words = service::name_words(first_name, last_name);
    let Some(word) = words.iter().max_by_key(|w| w.len()) else {
        return Ok(Vec::new());
    };
    let key = |s: &str| fold(&s.split_whitespace().collect::<Vec<_>>().join(" "));
    let (first, last) = (key(first_name), key(last_name));
    let mut out = Vec::new();
    for ((_, _, id), ()) in tx.range(
        &PERSON_NAME_WORDS,
        (establishment, word.clone(), PersonId(0))
            ..=(establishment, word.clone(), PersonId(u64::MAX)),
    )? {
        if let Some(p) = tx.get(&PEOPLE, &id)?
            && key(&p.first_name) == first
            && key(&p.last_name) == last
            && p.birth_date == birth_date
        {
            out.push(match_of(id, &p));
        }
    }
    Ok(out)
}

/// The classes of `establishment` for `year`, by name.
fn classes_of(
    read: &ReadTx,
    establishment: EstablishmentId,
    year: SchoolYear,
) -> Result<Vec<ClassItem>, StoreError> {
    let mut out = Vec::new();
    for row in read.scan_prefix(&ESTABLISHMENT_CLASSES, &(establishment,))? {
        let ((_, id), ()) = row?;
        if let Some(c) = read.get(&CLASSES, &id)?
            && c.year == year
        {
            out.push(ClassItem { id, name: c.name });
        }
    }
    out.sort_by_key(|c| french_key(&c.name));
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Creating an account.
// ---------------------------------------------------------------------------------------------

/// A class in a form's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClassItem {
    /// The id (the option's value).
    pub id: ClassId,
    /// Its name, e.g. "5A".
    pub name: String,
}

/// What the account creation form shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreateContext {
    /// Where the account is created.
    pub establishment: EstablishmentItem,
    /// The establishment's classes of the current school year.
    pub classes: Vec<ClassItem>,
}

/// The account creation form's context; "not found" unless the actor administers the
/// establishment.
pub fn create_context(
    store: &Store,
    actor: &Actor,
    establishment: EstablishmentId,
    now: Timestamp,
) -> Result<CreateContext, AccountError> {
    let establishment = super::establishment(store, actor, establishment)?;
    let read = store.read()?;
    let classes = classes_of(&read, establishment.id, SchoolYear::at(now))?;
    Ok(CreateContext {
        establishment,
        classes,
    })
}

/// The account creation form, as typed.
#[derive(Debug, Clone, Default)]
pub struct NewAccount {
    /// First name (required).
    pub first_name: String,
    /// Last name (required).
    pub last_name: String,
    /// `JJ/MM/AAAA`: required for a pupil.
    pub birth_date: String,
    /// A [`role_code`] of [`ROLES`].
    pub role: String,
    /// A pupil's class: the id of a class of the establishment for the current school year.
    pub class: String,
    /// Optional e-mail address (typed by an administrator: counts as verified).
    pub email: String,
    /// A pupil's optional INE.
    pub national_id: String,
    /// The administrator confirmed creating the account despite homonyms.
    pub confirmed: bool,
}

/// Creates a pending account with a generated login in `establishment`, with its profile (and a
/// pupil's class), audited `AccountCreated`; returns the new person. Guarded by the form's
/// one-time key (`domain::once`), if any: the same form posted twice gives back the person it
/// created first.
pub fn create_account(
    store: &Store,
    actor: &Actor,
    establishment: EstablishmentId,
    input: &NewAccount,
    client: &Origin,
    now: Timestamp,
    once: Option<&Once>,
) -> Result<PersonId, AccountError> {
    let today = paris_date(now);
    crate::domain::once::write(store, once, now, |tx| {
        administered_establishment(tx, actor, establishment)?;
        let mut errors = Vec::new();
        let first_name = person_name("first_name", &input.first_name, true, &mut errors);
        let last_name = person_name("last_name", &input.last_name, true, &mut errors);
        let role = ROLES
            .into_iter()
            .find(|r| role_code(*r) == input.role.trim());
        if role.is_none() {
            errors.push(FieldError {
                field: "role",
                key: "comptes-role-invalide",
            });
        }
        let pupil = role == Some(Role::Eleve);
        let birth = birth_date(&input.birth_date, pupil, today, &mut errors);
        let email = email(&input.email, &mut errors);
        let national_id = if input.national_id.trim().is_empty() {
            None
        } else if !pupil {
            if role.is_some() {
                errors.push(FieldError {
                    field: "national_id",
                    key: "comptes-ine-eleve-seulement",
                });
            }
            None
        } else {
            let id = normalize_national_id(&input.national_id);
            if id.is_none() {
                errors.push(FieldError {
                    field: "national_id",
                    key: "comptes-ine-invalide",
                });
            }
            id
        };
        let class = if pupil {
            let year = SchoolYear::of(today);
            let found = match input.class.trim().parse::<u64>() {
                Ok(id) => tx
                    .get(&CLASSES, &ClassId(id))?
                    .filter(|c| c.establishment == establishment && c.year == year)
                    .map(|_| ClassId(id)),
                Err(_) => None,
            };
            if found.is_none() {
                errors.push(FieldError {
                    field: "class",
                    key: if input.class.trim().is_empty() {
                        "comptes-classe-obligatoire"
                    } else {
                        "comptes-classe-inconnue"
                    },
                });
            }
            found
        } else {
            None
        };
        let Some(role) = role.filter(|_| errors.is_empty()) else {
            return Err(AccountError::Invalid(errors));
        };
        if let Some(ine) = &national_id
            && let Some(other) = tx.get(&NATIONAL_ID_TO_PERSON, &("ine".to_owned(), ine.clone()))?
        {
            let shown = match tx.get(&PEOPLE, &other)? {
                Some(p) if policy::administers_person(tx, actor, other)? => {
                    Some(match_of(other, &p))
                }
                _ => None,
            };
            return Err(AccountError::Exists(Existing::NationalId(shown)));
        }
        if !input.confirmed {
            let same = homonyms(tx, establishment, &first_name, &last_name, birth)?;
            if !same.is_empty() {
                return Err(AccountError::Exists(Existing::Homonyms(same)));
            }
        }
        let id = service::create_person(
            tx,
            NewPerson {
                first_name,
                last_name,
                birth_date: birth,
                national_ids: national_id
                    .map(|v| ("ine".to_owned(), v))
                    .into_iter()
                    .collect(),
                email,
            },
        )?;
        service::ensure_profile(tx, id, establishment, role)?;
        if let Some(class) = class {
            service::enrol_in_class(tx, id, class)?;
        }
        let login = tx.get(&PEOPLE, &id)?.map(|p| p.login).unwrap_or_default();
        audit(
            tx,
            actor,
            AuditAction::AccountCreated { target: id },
            login,
            client,
            now,
        )?;
        Ok(id)
    })
}
