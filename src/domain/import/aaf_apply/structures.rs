//! Structures of the AAF files: establishments (with their classes and groups) and subjects.

use crate::domain::directory::DirectoryError;
use crate::domain::directory::service::{self};
use crate::domain::import::aaf::{
    Change, Establishment as AafEstablishment, EstablishmentPatch, Subject as AafSubject,
    SubjectPatch,
};
use crate::model::directory::{Class, ClassId, Establishment, EstablishmentId, Group, Subject};
use crate::store::Tx;
use crate::store::tables::{
    AAF_STRUCTURES, CLASSES, ESTABLISHMENT_SUBJECT_CODES, ESTABLISHMENTS, SUBJECTS,
    UAI_TO_ESTABLISHMENT,
};

use super::*;

pub(super) fn establishment_patch(e: &AafEstablishment) -> EstablishmentPatch {
    EstablishmentPatch {
        uai: Some(e.uai.clone()),
        name: Some(e.name.clone()),
        kind: Some(e.kind.clone()),
        academie: Some(e.academie.clone()),
        street: Some(e.street.clone()),
        postal_code: Some(e.postal_code.clone()),
        town: Some(e.town.clone()),
        phone: Some(e.phone.clone()),
        classes: Some(e.classes.clone()),
        groups: Some(e.groups.clone()),
    }
}

pub(super) fn apply_establishment(
    tx: &mut Tx,
    ctx: &mut Ctx,
    id: &str,
    change: &Change<AafEstablishment, EstablishmentPatch>,
) -> Result<Outcome, RecordError> {
    let (patch, add) = match change {
        Change::Add(e) => (establishment_patch(e), true),
        Change::Modify(p) => (p.clone(), false),
        Change::Delete => {
            ctx.report.warnings.push(fr(
                "aaf-etablissement-suppression",
                &[("fichier", ctx.file.as_str().into()), ("id", id.into())],
            ));
            return Ok(Outcome::Skipped);
        }
    };
    let known = match tx.get(&AAF_STRUCTURES, &id.to_owned())? {
        Some(e) => Some(e),
        None => match &patch.uai {
            Some(uai) => tx.get(&UAI_TO_ESTABLISHMENT, uai)?,
            None => None,
        },
    };
    let (establishment, created) = match known {
        Some(est) => {
            update_establishment(tx, est, &patch)?;
            (est, false)
        }
        None => {
            if !add {
                return invalid(fr("aaf-structure-inconnue-delta", &[("id", id.into())]));
            }
            let Some(kind) = patch
                .kind
                .clone()
                .flatten()
                .and_then(|t| t.kind.ok_or(t.label).ok())
            else {
                let label = patch
                    .kind
                    .clone()
                    .flatten()
                    .map(|t| t.label)
                    .unwrap_or_default();
                return invalid(fr("aaf-type-inconnu", &[("type", label.as_str().into())]));
            };
            let est = service::create_establishment(
                tx,
                Establishment {
                    uai: patch.uai.clone().unwrap_or_default(),
                    name: patch.name.clone().unwrap_or_default(),
                    kind,
                    town: patch.town.clone().flatten().unwrap_or_default(),
                    academie: patch.academie.clone().flatten().unwrap_or_default(),
                },
            )?;
            (est, true)
        }
    };
    tx.insert(&AAF_STRUCTURES, &id.to_owned(), &establishment)?;
    if !ctx.export_establishments.contains(&establishment) {
        ctx.export_establishments.push(establishment);
    }
    for class in patch.classes.iter().flatten() {
        let level = level_of(class.label.as_deref());
        ensure_class(tx, ctx, establishment, &class.code, &level)?;
    }
    for group in patch.groups.iter().flatten() {
        if service::group_by_name(tx, establishment, ctx.year, &group.code)?.is_none() {
            service::create_group(
                tx,
                Group {
                    establishment,
                    year: ctx.year,
                    name: group.code.clone(),
                },
            )?;
            ctx.report.groups_created += 1;
            ctx.report.line(fr(
                "aaf-ligne-groupe",
                &[("code", group.code.as_str().into())],
            ));
        }
    }
    let name = tx
        .get(&ESTABLISHMENTS, &establishment)?
        .map(|e| format!("{} ({})", e.name, e.uai))
        .unwrap_or_default();
    Ok(if created {
        Outcome::Created(name)
    } else {
        Outcome::Existing(name)
    })
}

pub(super) fn update_establishment(
    tx: &mut Tx,
    id: EstablishmentId,
    patch: &EstablishmentPatch,
) -> Result<(), RecordError> {
    let old = tx
        .get(&ESTABLISHMENTS, &id)?
        .ok_or(DirectoryError::NotFound)?;
    let mut new = old.clone();
    if let Some(name) = &patch.name {
        new.name = crate::domain::text::single_line(name);
    }
    if let Some(Some(kind)) = patch.kind.as_ref().map(|k| k.as_ref().and_then(|t| t.kind)) {
        new.kind = kind;
    }
    if let Some(academie) = &patch.academie {
        new.academie = crate::domain::text::single_line(academie.as_deref().unwrap_or_default());
    }
    if let Some(town) = &patch.town {
        new.town = crate::domain::text::single_line(town.as_deref().unwrap_or_default());
    }
    if let Some(uai) = &patch.uai
        && *uai != old.uai
    {
        if !service::is_uai(uai) {
            return invalid(fr("aaf-uai-mal-formee", &[("uai", uai.as_str().into())]));
        }
        if tx.get(&UAI_TO_ESTABLISHMENT, uai)?.is_some() {
            return invalid(fr("aaf-uai-prise", &[("uai", uai.as_str().into())]));
        }
        tx.remove(&UAI_TO_ESTABLISHMENT, &old.uai)?;
        tx.insert(&UAI_TO_ESTABLISHMENT, uai, &id)?;
        new.uai.clone_from(uai);
    }
    if new != old {
        tx.insert(&ESTABLISHMENTS, &id, &new)?;
    }
    Ok(())
}

/// "6EME" → "6e", "2NDE" → "2nde", "1ERE" → "1re", "TERMINALE" → "Tle"; else as given.
pub(super) fn level_of(label: Option<&str>) -> String {
    let Some(label) = label.map(str::trim).filter(|l| !l.is_empty()) else {
        return String::new();
    };
    let folded = crate::domain::text::fold(label);
    let compact: String = folded.chars().filter(|c| c.is_alphanumeric()).collect();
    if compact.starts_with("2nd") || compact.starts_with("seconde") {
        "2nde".to_owned()
    } else if compact.starts_with("1er") || compact.starts_with("premiere") {
        "1re".to_owned()
    } else if compact.starts_with("term") || compact.starts_with("tle") {
        "Tle".to_owned()
    } else if let Some(d) = compact.chars().next().filter(|c| ('3'..='6').contains(c))
        && compact[1..].starts_with('e')
    {
        format!("{d}e")
    } else {
        label.to_owned()
    }
}

pub(super) fn ensure_class(
    tx: &mut Tx,
    ctx: &mut Ctx,
    establishment: EstablishmentId,
    code: &str,
    level: &str,
) -> Result<ClassId, RecordError> {
    if let Some(id) = service::class_by_name(tx, establishment, ctx.year, code)? {
        if let Some(mut class) = tx.get(&CLASSES, &id)?
            && !level.is_empty()
            && class.level != level
        {
            class.level = level.to_owned();
            tx.insert(&CLASSES, &id, &class)?;
        }
        return Ok(id);
    }
    let id = service::create_class(
        tx,
        Class {
            establishment,
            year: ctx.year,
            name: code.to_owned(),
            level: level.to_owned(),
            head_teacher: None,
        },
    )?;
    ctx.report.classes_created += 1;
    ctx.report.line(fr(
        "aaf-ligne-classe",
        &[("code", code.into()), ("niveau", level.into())],
    ));
    Ok(id)
}

/// The establishments subjects are created in: those of this import's `EtabEducNat` files,
/// or, for a delta without one, every establishment an AAF import ever created.
pub(super) fn export_establishments(
    tx: &Tx,
    ctx: &Ctx,
) -> Result<Vec<EstablishmentId>, RecordError> {
    if !ctx.export_establishments.is_empty() {
        return Ok(ctx.export_establishments.clone());
    }
    let mut all: Vec<EstablishmentId> = tx
        .range(&AAF_STRUCTURES, ..)?
        .into_iter()
        .map(|(_, e)| e)
        .collect();
    all.sort();
    all.dedup();
    Ok(all)
}

pub(super) fn apply_subject(
    tx: &mut Tx,
    ctx: &mut Ctx,
    code: &str,
    change: &Change<AafSubject, SubjectPatch>,
) -> Result<Outcome, RecordError> {
    let label = match change {
        Change::Add(s) => Some(s.label.clone()),
        Change::Modify(p) => p.label.clone(),
        Change::Delete => {
            ctx.report.warnings.push(fr(
                "aaf-matiere-suppression",
                &[("fichier", ctx.file.as_str().into()), ("code", code.into())],
            ));
            return Ok(Outcome::Skipped);
        }
    };
    let establishments = export_establishments(tx, ctx)?;
    if establishments.is_empty() {
        return invalid(fr("aaf-matiere-sans-etablissement", &[]));
    }
    let mut created = false;
    for establishment in establishments {
        let key = (establishment, code.to_owned());
        match tx.get(&ESTABLISHMENT_SUBJECT_CODES, &key)? {
            Some(id) => {
                if let Some(label) = &label
                    && let Some(mut subject) = tx.get(&SUBJECTS, &id)?
                    && subject.name != *label
                {
                    subject.name.clone_from(label);
                    tx.insert(&SUBJECTS, &id, &subject)?;
                }
            }
            None => {
                let Some(label) = &label else {
                    return invalid(fr("aaf-matiere-sans-libelle", &[("code", code.into())]));
                };
                let id = service::create_subject(
                    tx,
                    Subject {
                        establishment,
                        code: Some(code.to_owned()),
                        name: label.clone(),
                    },
                )?;
                tx.insert(&ESTABLISHMENT_SUBJECT_CODES, &key, &id)?;
                ctx.report.subjects_created += 1;
                created = true;
            }
        }
    }
    let label = label.unwrap_or_default();
    Ok(if created {
        Outcome::Created(label)
    } else {
        Outcome::Existing(label)
    })
}
