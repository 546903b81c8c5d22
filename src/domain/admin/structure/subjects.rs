//! Subjects: the establishment's list, a subject's page, creating, renaming, deleting.

use super::*;

/// A subject as its establishment's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubjectRow {
    /// The subject.
    pub id: SubjectId,
    /// Its name.
    pub name: String,
    /// Its national code, if known.
    pub code: Option<String>,
    /// How many teachings use it.
    pub teachings: usize,
}

/// The subjects of an establishment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubjectList {
    /// The establishment.
    pub establishment: EstablishmentItem,
    /// Its subjects, by name.
    pub subjects: Vec<SubjectRow>,
}

/// Every teaching of an establishment, through its classes' and groups' indexes (bounded by
/// the establishment).
fn teachings_in(
    read: &ReadTx,
    establishment: EstablishmentId,
) -> Result<Vec<(TeachingId, Teaching)>, StoreError> {
    let mut ids = Vec::new();
    for row in read.scan_prefix(&ESTABLISHMENT_CLASSES, &(establishment,))? {
        let ((_, class), ()) = row?;
        for row in read.scan_prefix(&CLASS_TEACHINGS, &(class,))? {
            ids.push(row?.0.1);
        }
    }
    for row in read.scan_prefix(&ESTABLISHMENT_GROUPS, &(establishment,))? {
        let ((_, group), ()) = row?;
        for row in read.scan_prefix(&GROUP_TEACHINGS, &(group,))? {
            ids.push(row?.0.1);
        }
    }
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(t) = read.get(&TEACHINGS, &id)? {
            out.push((id, t));
        }
    }
    Ok(out)
}

/// The subjects of `establishment` with how many teachings use each, for an administrator.
pub fn subjects(
    store: &Store,
    actor: &Actor,
    establishment: EstablishmentId,
) -> Result<SubjectList, AdminError> {
    let read = store.read()?;
    let item = administered_establishment(&read, actor, establishment)?;
    let teachings = teachings_in(&read, establishment)?;
    let mut subjects = Vec::new();
    for row in read.scan_prefix(&ESTABLISHMENT_SUBJECTS, &(establishment,))? {
        let ((_, id), ()) = row?;
        if let Some(s) = read.get(&SUBJECTS, &id)? {
            subjects.push(SubjectRow {
                id,
                name: s.name,
                code: s.code,
                teachings: teachings.iter().filter(|(_, t)| t.subject == id).count(),
            });
        }
    }
    subjects.sort_by_key(|s| french_key(&s.name));
    Ok(SubjectList {
        establishment: item,
        subjects,
    })
}

/// A subject as its administration page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubjectView {
    /// The subject.
    pub id: SubjectId,
    /// Its establishment.
    pub establishment: EstablishmentItem,
    /// Its name.
    pub name: String,
    /// Its national code.
    pub code: Option<String>,
    /// The teachings that use it.
    pub teachings: Vec<TeachingRow>,
}

/// The subject if the actor administers its establishment; "not found" otherwise.
fn administered_subject(
    rows: &impl Rows,
    actor: &Actor,
    id: SubjectId,
) -> Result<crate::model::directory::Subject, AdminError> {
    rows.row(&SUBJECTS, &id)?
        .filter(|s| actor.administers(s.establishment))
        .ok_or(AdminError::NotFound)
}

/// The subject `id` with the teachings using it, for an administrator of its establishment.
pub fn subject(store: &Store, actor: &Actor, id: SubjectId) -> Result<SubjectView, AdminError> {
    let read = store.read()?;
    let s = administered_subject(&read, actor, id)?;
    let establishment = administered_establishment(&read, actor, s.establishment)?;
    let mut teachings = Vec::new();
    for (tid, t) in teachings_in(&read, s.establishment)? {
        if t.subject == id {
            teachings.push(teaching_row(&read, tid, &t)?);
        }
    }
    sort_teachings(&mut teachings);
    Ok(SubjectView {
        id,
        establishment,
        name: s.name,
        code: s.code,
        teachings,
    })
}

/// What the subject form gives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubjectInput {
    /// The usual name ("Mathématiques").
    pub name: String,
    /// The national code, optional ("061300").
    pub code: String,
}

/// Another subject of `establishment` with the same name (accents and case folded).
fn subject_named(
    tx: &Tx,
    establishment: EstablishmentId,
    name: &str,
    except: Option<SubjectId>,
) -> Result<bool, StoreError> {
    let wanted = fold(name);
    for ((_, id), ()) in tx.range(
        &ESTABLISHMENT_SUBJECTS,
        (establishment, SubjectId(0))..=(establishment, SubjectId(u64::MAX)),
    )? {
        if Some(id) != except
            && tx
                .get(&SUBJECTS, &id)?
                .is_some_and(|s| fold(s.name.trim()) == wanted)
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Creates a subject of `establishment`: a name free there (accents and case ignored) and an
/// optional national code (letters and digits), free there too.
pub fn create_subject(
    store: &Store,
    actor: &Actor,
    establishment: EstablishmentId,
    input: &SubjectInput,
    stamp: Stamp<'_>,
) -> Result<SubjectId, AdminError> {
    store.write(|tx| {
        administered_establishment(tx, actor, establishment)?;
        let name = checked_name(&input.name, SUBJECT_NAME_MAX, "structure-matiere-nom-long")?;
        let code = input.code.trim().to_uppercase();
        if code.chars().count() > SUBJECT_CODE_MAX
            || !code.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return invalid("code", "structure-code-invalide");
        }
        if subject_named(tx, establishment, &name, None)? {
            return invalid("nom", "structure-matiere-existe");
        }
        let code = Some(code).filter(|c| !c.is_empty());
        if let Some(code) = &code
            && tx
                .get(&ESTABLISHMENT_SUBJECT_CODES, &(establishment, code.clone()))?
                .is_some()
        {
            return invalid("code", "structure-code-existe");
        }
        let subject = service::create_subject(
            tx,
            Subject {
                establishment,
                code: code.clone(),
                name,
            },
        )?;
        if let Some(code) = code {
            // Imports find the subject by its code (`aaf_apply`).
            tx.insert(
                &ESTABLISHMENT_SUBJECT_CODES,
                &(establishment, code),
                &subject,
            )?;
        }
        record(
            tx,
            actor,
            stamp,
            establishment,
            StructureChange::SubjectCreated { subject },
        )?;
        Ok(subject)
    })
}

/// Renames a subject; the name must be free in its establishment.
pub fn rename_subject(
    store: &Store,
    actor: &Actor,
    subject: SubjectId,
    name: &str,
    stamp: Stamp<'_>,
) -> Result<(), AdminError> {
    store.write(|tx| {
        let s = administered_subject(tx, actor, subject)?;
        let name = checked_name(name, SUBJECT_NAME_MAX, "structure-matiere-nom-long")?;
        if name == s.name {
            return Ok(());
        }
        if subject_named(tx, s.establishment, &name, Some(subject))? {
            return invalid("nom", "structure-matiere-existe");
        }
        service::rename_subject(tx, subject, &name)?;
        record(
            tx,
            actor,
            stamp,
            s.establishment,
            StructureChange::SubjectEdited { subject },
        )?;
        Ok(())
    })
}

/// Deletes a subject no teaching uses; returns its establishment.
pub fn delete_subject(
    store: &Store,
    actor: &Actor,
    subject: SubjectId,
    stamp: Stamp<'_>,
) -> Result<EstablishmentId, AdminError> {
    store.write(|tx| {
        let s = administered_subject(tx, actor, subject)?;
        if service::establishment_teachings(tx, s.establishment)?
            .iter()
            .any(|(_, t)| t.subject == subject)
        {
            return invalid("supprimer", "structure-matiere-utilisee");
        }
        let deleted = service::delete_subject(tx, subject)?;
        record(
            tx,
            actor,
            stamp,
            s.establishment,
            StructureChange::SubjectDeleted { name: deleted.name },
        )?;
        Ok(s.establishment)
    })
}
