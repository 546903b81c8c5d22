//! Parent links: a pupil's parents, linking one by login, editing and removing a link.

use super::*;

/// The establishments the actor administers where `child` is a pupil, in id order; "not found"
/// if none.
/// [`policy::pupil_establishments`], "not found" when there is none.
fn pupil_establishments(
    profiles: Vec<(EstablishmentId, Role)>,
    actor: &Actor,
) -> Result<Vec<EstablishmentId>, AdminError> {
    let out = crate::domain::admin::policy::pupil_establishments(profiles, actor);
    if out.is_empty() {
        return Err(AdminError::NotFound);
    }
    Ok(out)
}

fn profiles_read(
    read: &ReadTx,
    person: PersonId,
) -> Result<Vec<(EstablishmentId, Role)>, StoreError> {
    read.scan_prefix(&PERSON_PROFILES, &(person,))?
        .map(|r| r.map(|(_, p)| (p.establishment, p.role)))
        .collect()
}

fn profiles_tx(tx: &Tx, person: PersonId) -> Result<Vec<(EstablishmentId, Role)>, StoreError> {
    Ok(crate::domain::directory::service::profiles_in(tx, person)?
        .into_iter()
        .map(|p| (p.establishment, p.role))
        .collect())
}

/// A parent of a pupil, with their link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParentRow {
    /// Who.
    pub person: PersonSummary,
    /// Their login.
    pub login: String,
    /// How they are linked.
    pub link: ParentLink,
    /// Whether the actor administers them (their admin page can be linked).
    pub administered: bool,
}

/// A pupil's parents, for an administrator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParentsView {
    /// The pupil.
    pub child: PersonSummary,
    /// Their login.
    pub login: String,
    /// The (first) administered establishment where they are a pupil.
    pub establishment: EstablishmentItem,
    /// Their parents, by name.
    pub parents: Vec<ParentRow>,
}

/// The parents of `child`, for an administrator of an establishment where they are a pupil.
pub fn parents(store: &Store, actor: &Actor, child: PersonId) -> Result<ParentsView, AdminError> {
    let read = store.read()?;
    let establishments = pupil_establishments(profiles_read(&read, child)?, actor)?;
    let p = read.get(&PEOPLE, &child)?.ok_or(AdminError::NotFound)?;
    let establishment = administered_establishment(&read, actor, establishments[0])?;
    let mut parents = Vec::new();
    for row in read.scan_prefix(&CHILD_PARENTS, &(child,))? {
        let ((_, parent), ()) = row?;
        let Some(link) = read.get(&PARENT_CHILDREN, &(parent, child))? else {
            continue;
        };
        let Some(person) = read.get(&PEOPLE, &parent)? else {
            continue;
        };
        let administered = policy::admin_reach(&read, actor, parent)?.sees();
        parents.push(ParentRow {
            person: PersonSummary {
                id: parent,
                first_name: person.first_name,
                last_name: person.last_name,
            },
            login: person.login,
            link,
            administered,
        });
    }
    parents.sort_by(|a, b| by_name(&a.person, &b.person));
    Ok(ParentsView {
        child: PersonSummary {
            id: child,
            first_name: p.first_name,
            last_name: p.last_name,
        },
        login: p.login,
        establishment,
        parents,
    })
}

/// Links the person with `login` to the pupil `child` as a parent. They get a parent profile
/// in the administered establishments where the child is a pupil if they had none. Refused:
/// the child themselves, a pupil of that establishment, a parent already linked.
pub fn link_parent(
    store: &Store,
    actor: &Actor,
    child: PersonId,
    login: &str,
    link: ParentLink,
    stamp: Stamp<'_>,
) -> Result<PersonId, AdminError> {
    store.write(|tx| {
        let establishments = pupil_establishments(profiles_tx(tx, child)?, actor)?;
        let login = login.trim().to_lowercase();
        if login.is_empty() {
            return invalid("identifiant", "structure-identifiant-obligatoire");
        }
        // Only someone the actor already administers may be linked (and so get a profile
        // here): a login from elsewhere is answered exactly as an unknown one (issue 12 §1).
        let parent = match tx.get(&LOGIN_TO_PERSON, &login)? {
            Some(p) if policy::admin_reach(tx, actor, p)?.sees() => p,
            _ => return invalid("identifiant", "structure-compte-inconnu"),
        };
        if parent == child {
            return invalid("identifiant", "structure-parent-soi-meme");
        }
        for e in &establishments {
            if has_role(tx, parent, *e, Role::Eleve)? {
                return invalid("identifiant", "structure-parent-est-eleve");
            }
        }
        if tx.get(&PARENT_CHILDREN, &(parent, child))?.is_some() {
            return invalid("identifiant", "structure-parent-deja-lie");
        }
        for e in &establishments {
            service::ensure_profile(tx, parent, *e, Role::Parent)?;
        }
        service::link_parent(tx, parent, child, link)?;
        record(
            tx,
            actor,
            stamp,
            establishments[0],
            StructureChange::ParentLinked { parent, child },
        )?;
        Ok(parent)
    })
}

/// Changes the relation and flags of `parent`'s link to `child`; "not found" without a link.
pub fn edit_parent_link(
    store: &Store,
    actor: &Actor,
    child: PersonId,
    parent: PersonId,
    link: ParentLink,
    stamp: Stamp<'_>,
) -> Result<(), AdminError> {
    store.write(|tx| {
        let establishments = pupil_establishments(profiles_tx(tx, child)?, actor)?;
        let current = tx
            .get(&PARENT_CHILDREN, &(parent, child))?
            .ok_or(AdminError::NotFound)?;
        if current == link {
            return Ok(());
        }
        service::link_parent(tx, parent, child, link)?;
        record(
            tx,
            actor,
            stamp,
            establishments[0],
            StructureChange::ParentLinkEdited { parent, child },
        )?;
        Ok(())
    })
}

/// Removes `parent`'s link to `child` (their accounts and profiles stay); "not found" without
/// a link.
pub fn unlink_parent(
    store: &Store,
    actor: &Actor,
    child: PersonId,
    parent: PersonId,
    stamp: Stamp<'_>,
) -> Result<(), AdminError> {
    store.write(|tx| {
        let establishments = pupil_establishments(profiles_tx(tx, child)?, actor)?;
        tx.get(&PARENT_CHILDREN, &(parent, child))?
            .ok_or(AdminError::NotFound)?;
        service::unlink_parent(tx, parent, child)?;
        record(
            tx,
            actor,
            stamp,
            establishments[0],
            StructureChange::ParentUnlinked { parent, child },
        )?;
        Ok(())
    })
}
