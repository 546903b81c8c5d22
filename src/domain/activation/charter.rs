//! The establishment's charter (*charte d'utilisation*): the text users accept at activation and
//! again whenever the administrator changes it. Until an administrator writes one, the default
//! charter of `assets/charte/defaut.txt` applies, as version 0.

use jiff::Timestamp;

use crate::domain::accounts::audit::{self, AuditAction, AuditEvent};
use crate::domain::admin::{self, AdminError};
use crate::model::Actor;
use crate::model::Origin;
pub use crate::model::accounts::{Charter, CharterAcceptance};
use crate::model::directory::{EstablishmentId, PersonId};
use crate::store::tables::{CHARTER_ACCEPTANCES, CHARTERS, ESTABLISHMENTS, PERSON_PROFILES};
use crate::store::{ReadTx, Store, StoreError, Tx};

/// The charter used until an administrator writes one.
pub const DEFAULT_TEXT: &str = include_str!("../../../assets/charte/defaut.txt");

/// The longest charter accepted, in characters.
pub const MAX_LENGTH: usize = 20_000;

/// The charter of `establishment` now.
pub fn current(read: &ReadTx, establishment: EstablishmentId) -> Result<Charter, StoreError> {
    Ok(read
        .get(&CHARTERS, &establishment)?
        .unwrap_or_else(Charter::default_text))
}

/// A charter someone has to accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToAccept {
    /// Whose.
    pub establishment: EstablishmentId,
    /// The establishment's name.
    pub establishment_name: String,
    /// The charter.
    pub charter: Charter,
}

/// The charters of `person`'s establishments that they have not accepted in their current
/// version, by establishment.
pub fn to_accept(read: &ReadTx, person: PersonId) -> Result<Vec<ToAccept>, StoreError> {
    let mut establishments = Vec::new();
    for row in read.scan_prefix(&PERSON_PROFILES, &(person,))? {
        let (_, profile) = row?;
        if !establishments.contains(&profile.establishment) {
            establishments.push(profile.establishment);
        }
    }
    let mut out = Vec::new();
    for establishment in establishments {
        let charter = current(read, establishment)?;
        let accepted = read
            .get(&CHARTER_ACCEPTANCES, &(person, establishment))?
            .is_some_and(|a| a.version >= charter.version);
        if !accepted {
            let establishment_name = read
                .get(&ESTABLISHMENTS, &establishment)?
                .map(|e| e.name)
                .unwrap_or_default();
            out.push(ToAccept {
                establishment,
                establishment_name,
                charter,
            });
        }
    }
    Ok(out)
}

/// Records that `person` accepts every charter they still had to accept, in the caller's
/// transaction (re-read there: what they accept is what is current when it commits, and the
/// caller compares with the `versions` they were shown). Returns `false`, writing nothing, if
/// a charter changed since it was shown.
pub fn accept_in(
    tx: &mut Tx,
    person: PersonId,
    shown: &[(EstablishmentId, u32)],
    client: &Origin,
    login: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    for &(establishment, version) in shown {
        let current = tx.get(&CHARTERS, &establishment)?.map_or(0, |c| c.version);
        if current != version {
            return Ok(false);
        }
    }
    for &(establishment, version) in shown {
        tx.insert(
            &CHARTER_ACCEPTANCES,
            &(person, establishment),
            &CharterAcceptance { version, at: now },
        )?;
        audit::record(
            tx,
            AuditEvent {
                at: now,
                action: AuditAction::CharterAccepted {
                    establishment,
                    version,
                },
                person: Some(person),
                login: login.to_owned(),
                ip: client.ip.clone(),
                user_agent: client.user_agent.clone(),
            },
        )?;
    }
    Ok(true)
}

/// [`accept_in`] in its own transaction, for a signed-in person; the login is read there.
pub fn accept(
    store: &Store,
    person: PersonId,
    shown: &[(EstablishmentId, u32)],
    client: &Origin,
    now: Timestamp,
) -> Result<bool, StoreError> {
    store.write(|tx| {
        // Only the charters this person still has to accept: a forged list changes nothing else.
        let login = tx
            .get(&crate::store::tables::PEOPLE, &person)?
            .map(|p| p.login)
            .unwrap_or_default();
        for &(establishment, _) in shown {
            if tx
                .range(
                    &PERSON_PROFILES,
                    (person, establishment, 0)..=(person, establishment, u8::MAX),
                )?
                .is_empty()
            {
                return Ok(false);
            }
        }
        accept_in(tx, person, shown, client, &login, now)
    })
}

/// Whether `person` must accept a charter again before going on: one of their establishments
/// changed its charter (version ≥ 1) since they last accepted it. The default charter (version
/// 0) is only asked for at activation, so accounts made active by an import or the demo are
/// not stopped by it.
pub fn must_accept_again(read: &ReadTx, person: PersonId) -> Result<bool, StoreError> {
    Ok(to_accept(read, person)?
        .iter()
        .any(|c| c.charter.version >= 1))
}

/// The charter of an establishment the actor administers, to edit it.
pub fn for_admin(
    store: &Store,
    actor: &Actor,
    establishment: EstablishmentId,
) -> Result<Charter, AdminError> {
    let read = store.read()?;
    if admin::policy::administered_establishment(&read, actor, establishment)?.is_none() {
        return Err(AdminError::NotFound);
    }
    Ok(current(&read, establishment)?)
}

/// Replaces the charter of `establishment` (a new version: everyone accepts it again at their
/// next visit), audited. The text must not be empty nor longer than [`MAX_LENGTH`].
pub fn edit(
    store: &Store,
    actor: &Actor,
    establishment: EstablishmentId,
    text: &str,
    client: &Origin,
    now: Timestamp,
) -> Result<u32, AdminError> {
    if !actor.administers(establishment) {
        return Err(AdminError::NotFound);
    }
    let text = crate::domain::text::multi_line(text).trim().to_owned();
    if text.is_empty() {
        return Err(AdminError::Invalid {
            field: "texte",
            key: "charte-erreur-vide",
        });
    }
    if text.chars().count() > MAX_LENGTH {
        return Err(AdminError::Invalid {
            field: "texte",
            key: "charte-erreur-longue",
        });
    }
    store.write(|tx| {
        if tx.get(&ESTABLISHMENTS, &establishment)?.is_none() {
            return Err(AdminError::NotFound);
        }
        let version = tx.get(&CHARTERS, &establishment)?.map_or(0, |c| c.version) + 1;
        tx.insert(
            &CHARTERS,
            &establishment,
            &Charter {
                text: text.clone(),
                version,
                updated_at: Some(now),
                updated_by: actor.person,
            },
        )?;
        audit::record(
            tx,
            AuditEvent {
                at: now,
                action: AuditAction::CharterEdited {
                    establishment,
                    version,
                },
                person: actor.person,
                login: String::new(),
                ip: client.ip.clone(),
                user_agent: client.user_agent.clone(),
            },
        )?;
        Ok(version)
    })
}

impl Charter {
    /// The default charter.
    pub fn default_text() -> Charter {
        Charter {
            text: DEFAULT_TEXT.trim().to_owned(),
            version: 0,
            updated_at: None,
            updated_by: None,
        }
    }

    /// The text cut into paragraphs (blank lines separate them).
    pub fn paragraphs(&self) -> Vec<String> {
        self.text
            .replace("\r\n", "\n")
            .split("\n\n")
            .map(|p| p.trim().replace('\n', " "))
            .filter(|p| !p.is_empty())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_charter_has_paragraphs() {
        let c = Charter::default_text();
        assert_eq!(c.version, 0);
        assert!(c.paragraphs().len() >= 4);
        assert!(c.paragraphs()[0].starts_with("Charte"));
    }
}
