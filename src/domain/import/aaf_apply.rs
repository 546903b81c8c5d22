//! Applying parsed AAF files ([`super::aaf`]) to the store: [`import_aaf`].
//!
//! # All or nothing
//! Every file of one import is applied in **one** write transaction. A problem with one
//! record (an unknown class, subject or structure, a person modified before being created…)
//! does not stop the reading: it is written into the report's [`ImportReport::errors`] with
//! its file and record id, and the remaining records are still applied so that the report
//! lists every problem at once. At the end, an import with at least one error is **refused as
//! a whole**: the transaction is aborted, nothing is written, and [`ImportError::Refused`]
//! carries the report, so the administrator fixes the files and runs the import again.
//!
//! A dry run runs exactly the same code in a write transaction that is then aborted (the
//! closure returns `Err` carrying the report), so it provably writes nothing.
//!
//! # Matching and idempotence
//! Persons are matched on their académie key, the national id `("aaf", id)` (pupils also get
//! `("ine", …)` when the file has it); establishments on the AAF structure id, kept in
//! [`AAF_STRUCTURES`] (then on the UAI); subjects on their code per establishment
//! ([`ESTABLISHMENT_SUBJECT_CODES`]); classes and groups on their code per establishment and
//! school year. Only what differs is written ([`Tx::insert`] skips identical bytes), so
//! importing the same files again changes nothing and the change log does not move. A record
//! counts as *updated* when applying it changed at least one row.
//!
//! # What is not done (yet)
//! - Deleting an establishment or a subject is reported as a warning and not applied.
//! - Teachings, profiles and head-teacher assignments that a later file no longer lists are
//!   not removed (only added); class and group memberships and parent links are synchronised.
//! - Accounts created here are `Pending`; activation codes are a later step.

use std::collections::BTreeSet;

use jiff::civil::Date;

use super::aaf::{
    AafFile, AafRecord, AafRecords, Change, Establishment as AafEstablishment, EstablishmentPatch,
    Identity, IdentityPatch, Relative, RelativeLink, RelativePatch, Staff, StaffPatch, Student,
    StudentPatch, Subject as AafSubject, SubjectPatch, TeachingRef,
};
use crate::domain::directory::DirectoryError;
use crate::domain::directory::service::{self, NewPerson};
use crate::model::directory::{
    AccountState, Audience, Class, ClassId, Establishment, EstablishmentId, Group, GroupId,
    ParentLink, PersonId, Profile, Role, SchoolYear, StaffFunction, Subject, SubjectId, Teaching,
};
use crate::store::tables::{
    AAF_STRUCTURES, CHILD_PARENTS, CLASSES, ESTABLISHMENT_SUBJECT_CODES, ESTABLISHMENTS,
    PARENT_CHILDREN, PEOPLE, STUDENT_CLASSES, STUDENT_GROUPS, SUBJECTS, UAI_TO_ESTABLISHMENT,
};
use crate::store::{Store, StoreError, Tx};

/// At most this many lines of what the import did are kept in [`ImportReport::lines`].
pub const MAX_LINES: usize = 200;

/// What happened to the records of one category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Records that created something new.
    pub created: usize,
    /// Records that changed existing rows.
    pub updated: usize,
    /// Records that changed nothing.
    pub unchanged: usize,
    /// Delete requests applied (the person left; the account is kept).
    pub left: usize,
}

impl Counts {
    fn english(&self) -> String {
        format!(
            "{} created, {} updated, {} unchanged, {} left",
            self.created, self.updated, self.unchanged, self.left
        )
    }
}

/// What an import did, or would do (dry run), or why it was refused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Whether this was a dry run (nothing written).
    pub dry_run: bool,
    /// The school year classes and groups were created in.
    pub year: Option<SchoolYear>,
    /// `EtabEducNat` records.
    pub establishments: Counts,
    /// `MatiereEducNat` records.
    pub subjects: Counts,
    /// `Eleve` records.
    pub students: Counts,
    /// `PersRelEleve` records.
    pub relatives: Counts,
    /// `PersEducNat` records.
    pub staff: Counts,
    /// Classes created.
    pub classes_created: usize,
    /// Groups created.
    pub groups_created: usize,
    /// Subjects created (one per code and establishment).
    pub subjects_created: usize,
    /// Teachings created.
    pub teachings_created: usize,
    /// Parent–child links created.
    pub links_created: usize,
    /// Head-teacher assignments set or changed.
    pub head_teachers_set: usize,
    /// What was done, in French, at most [`MAX_LINES`].
    pub lines: Vec<String>,
    /// How many further lines were left out.
    pub lines_omitted: usize,
    /// Things skipped that do not refuse the import (a link to an unknown relative…), French.
    pub warnings: Vec<String>,
    /// Problems that refuse the import, each naming the file and record, French.
    pub errors: Vec<String>,
}

impl ImportReport {
    /// Whether the import changed (or would change) nothing at all.
    pub fn changed_nothing(&self) -> bool {
        let quiet = |c: &Counts| c.created == 0 && c.updated == 0 && c.left == 0;
        [
            &self.establishments,
            &self.subjects,
            &self.students,
            &self.relatives,
            &self.staff,
        ]
        .into_iter()
        .all(quiet)
            && self.classes_created == 0
            && self.groups_created == 0
            && self.subjects_created == 0
            && self.teachings_created == 0
            && self.links_created == 0
            && self.head_teachers_set == 0
    }

    /// The summary counts, one line each, in English like the rest of the command line.
    pub fn summary(&self) -> Vec<String> {
        vec![
            format!("Establishments: {}", self.establishments.english()),
            format!("Subjects: {}", self.subjects.english()),
            format!("Students: {}", self.students.english()),
            format!("Relatives: {}", self.relatives.english()),
            format!("Staff: {}", self.staff.english()),
            format!(
                "Created: {} classes, {} groups, {} subjects, {} teachings, {} parent links; {} head teachers set",
                self.classes_created,
                self.groups_created,
                self.subjects_created,
                self.teachings_created,
                self.links_created,
                self.head_teachers_set
            ),
        ]
    }

    fn line(&mut self, line: String) {
        if self.lines.len() < MAX_LINES {
            self.lines.push(line);
        } else {
            self.lines_omitted += 1;
        }
    }
}

/// Why an import did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// At least one record is invalid: nothing was written; the report lists every error.
    #[error("the import was refused: {} error(s), nothing was written", .0.errors.len())]
    Refused(Box<ImportReport>),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How the transaction's closure ends when it must not commit.
enum Abort {
    DryRun(Box<ImportReport>),
    Fail(ImportError),
}

impl From<StoreError> for Abort {
    fn from(e: StoreError) -> Self {
        Abort::Fail(ImportError::Store(e))
    }
}

/// Applies `files` (parsed by [`super::aaf::parse_file`]) to the store in one transaction,
/// all or nothing; classes and groups belong to `year`. With `dry_run`, the same work is done
/// and then thrown away: the report says what would happen and nothing is written.
///
/// Files are applied in import order (Complet before Deltas, Deltas by date, establishments
/// and subjects before people, relatives before students), whatever the order given.
///
/// # Errors
/// [`ImportError::Refused`] (nothing written) if any record is invalid;
/// [`ImportError::Store`] if the store fails.
pub fn import_aaf(
    store: &Store,
    files: &[AafFile],
    year: SchoolYear,
    dry_run: bool,
) -> Result<ImportReport, ImportError> {
    import_aaf_with_progress(store, files, year, dry_run, &mut |_| {})
}

/// [`import_aaf`], calling `progress` with the number of records applied so far (every 256
/// records and at the end of each file) for a progress bar.
///
/// # Errors
/// As [`import_aaf`].
pub fn import_aaf_with_progress(
    store: &Store,
    files: &[AafFile],
    year: SchoolYear,
    dry_run: bool,
    progress: &mut dyn FnMut(usize),
) -> Result<ImportReport, ImportError> {
    let mut ordered: Vec<&AafFile> = files.iter().collect();
    ordered.sort_by_key(|f| (f.kind, f.date, f.category.import_rank()));
    let outcome = store.write(|tx| {
        let mut ctx = Ctx {
            year,
            date: Date::default(),
            file: String::new(),
            export_establishments: Vec::new(),
            report: ImportReport {
                dry_run,
                year: Some(year),
                ..ImportReport::default()
            },
            done: 0,
            progress: &mut *progress,
        };
        for file in &ordered {
            ctx.date = file.date;
            ctx.file = file.name.clone();
            apply_file(tx, &mut ctx, file)?;
            (ctx.progress)(ctx.done);
        }
        let report = ctx.report;
        if !report.errors.is_empty() {
            return Err(Abort::Fail(ImportError::Refused(Box::new(report))));
        }
        if dry_run {
            return Err(Abort::DryRun(Box::new(report)));
        }
        Ok(report)
    });
    match outcome {
        Ok(report) => Ok(report),
        Err(Abort::DryRun(report)) => Ok(*report),
        Err(Abort::Fail(e)) => Err(e),
    }
}

struct Ctx<'a> {
    year: SchoolYear,
    date: Date,
    file: String,
    export_establishments: Vec<EstablishmentId>,
    report: ImportReport,
    /// Records applied so far, for `progress`.
    done: usize,
    progress: &'a mut dyn FnMut(usize),
}

/// A record-level failure: invalid data (into the report) or a store failure (fatal).
enum RecordError {
    Invalid(String),
    Store(StoreError),
}

impl From<StoreError> for RecordError {
    fn from(e: StoreError) -> Self {
        RecordError::Store(e)
    }
}

impl From<DirectoryError> for RecordError {
    fn from(e: DirectoryError) -> Self {
        match e {
            DirectoryError::Store(e) => RecordError::Store(e),
            other => RecordError::Invalid(other.to_string()),
        }
    }
}

fn invalid<T>(message: String) -> Result<T, RecordError> {
    Err(RecordError::Invalid(message))
}

/// What applying one record did (before looking at whether rows changed).
enum Outcome {
    /// Something new was created.
    Created(String),
    /// An existing record: updated if rows changed, else unchanged.
    Existing(String),
    /// A delete request applied: left if rows changed, else unchanged.
    Left(String),
    /// Nothing to do (already reported as a warning).
    Skipped,
}

#[derive(Clone, Copy)]
enum Kind {
    Establishment,
    Subject,
    Student,
    Relative,
    Staff,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Establishment => "Établissement",
            Kind::Subject => "Matière",
            Kind::Student => "Élève",
            Kind::Relative => "Responsable",
            Kind::Staff => "Personnel",
        }
    }

    fn counts(self, report: &mut ImportReport) -> &mut Counts {
        match self {
            Kind::Establishment => &mut report.establishments,
            Kind::Subject => &mut report.subjects,
            Kind::Student => &mut report.students,
            Kind::Relative => &mut report.relatives,
            Kind::Staff => &mut report.staff,
        }
    }
}

fn apply_file(tx: &mut Tx, ctx: &mut Ctx, file: &AafFile) -> Result<(), Abort> {
    match &file.records {
        AafRecords::Establishments(records) => {
            each(tx, ctx, Kind::Establishment, records, apply_establishment)
        }
        AafRecords::Subjects(records) => each(tx, ctx, Kind::Subject, records, apply_subject),
        AafRecords::Students(records) => each(tx, ctx, Kind::Student, records, apply_student),
        AafRecords::Relatives(records) => each(tx, ctx, Kind::Relative, records, apply_relative),
        AafRecords::Staff(records) => each(tx, ctx, Kind::Staff, records, apply_staff),
    }
}

type Apply<T, P> = fn(&mut Tx, &mut Ctx, &str, &Change<T, P>) -> Result<Outcome, RecordError>;

fn each<T, P>(
    tx: &mut Tx,
    ctx: &mut Ctx,
    kind: Kind,
    records: &[AafRecord<T, P>],
    apply: Apply<T, P>,
) -> Result<(), Abort> {
    for record in records {
        ctx.done += 1;
        if ctx.done.is_multiple_of(256) {
            (ctx.progress)(ctx.done);
        }
        let before = tx.change_count();
        let outcome = match apply(tx, ctx, &record.id, &record.change) {
            Ok(outcome) => outcome,
            Err(RecordError::Store(e)) => return Err(e.into()),
            Err(RecordError::Invalid(message)) => {
                ctx.report.errors.push(format!(
                    "{}, enregistrement {} : {message}",
                    ctx.file, record.id
                ));
                continue;
            }
        };
        let changed = tx.change_count() > before;
        let noun = kind.noun();
        let id = &record.id;
        let (line, counts) = (
            match &outcome {
                Outcome::Created(label) => Some(format!("{noun} {id} {label} : création")),
                Outcome::Existing(label) if changed => {
                    Some(format!("{noun} {id} {label} : mise à jour"))
                }
                Outcome::Left(label) if changed => {
                    Some(format!("{noun} {id} {label} : départ le {}", ctx.date))
                }
                _ => None,
            },
            kind.counts(&mut ctx.report),
        );
        match outcome {
            Outcome::Created(_) => counts.created += 1,
            Outcome::Left(_) if changed => counts.left += 1,
            Outcome::Existing(_) if changed => counts.updated += 1,
            Outcome::Existing(_) | Outcome::Left(_) | Outcome::Skipped => counts.unchanged += 1,
        }
        if let Some(line) = line {
            ctx.report.line(line);
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Structures: establishments (with their classes and groups) and subjects.
// ---------------------------------------------------------------------------------------------

fn establishment_patch(e: &AafEstablishment) -> EstablishmentPatch {
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

fn apply_establishment(
    tx: &mut Tx,
    ctx: &mut Ctx,
    id: &str,
    change: &Change<AafEstablishment, EstablishmentPatch>,
) -> Result<Outcome, RecordError> {
    let (patch, add) = match change {
        Change::Add(e) => (establishment_patch(e), true),
        Change::Modify(p) => (p.clone(), false),
        Change::Delete => {
            ctx.report.warnings.push(format!(
                "{}, établissement {id} : suppression d'établissement non appliquée",
                ctx.file
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
                return invalid(format!(
                    "structure {id} inconnue : importez d'abord l'export complet"
                ));
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
                return invalid(format!("type d'établissement non reconnu : « {label} »"));
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
            ctx.report.line(format!("Groupe {} : création", group.code));
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

fn update_establishment(
    tx: &mut Tx,
    id: EstablishmentId,
    patch: &EstablishmentPatch,
) -> Result<(), RecordError> {
    let old = tx
        .get(&ESTABLISHMENTS, &id)?
        .ok_or(DirectoryError::NotFound)?;
    let mut new = old.clone();
    if let Some(name) = &patch.name {
        new.name.clone_from(name);
    }
    if let Some(Some(kind)) = patch.kind.as_ref().map(|k| k.as_ref().and_then(|t| t.kind)) {
        new.kind = kind;
    }
    if let Some(academie) = &patch.academie {
        new.academie = academie.clone().unwrap_or_default();
    }
    if let Some(town) = &patch.town {
        new.town = town.clone().unwrap_or_default();
    }
    if let Some(uai) = &patch.uai
        && *uai != old.uai
    {
        if !service::is_uai(uai) {
            return invalid(format!("UAI « {uai} » mal formée"));
        }
        if tx.get(&UAI_TO_ESTABLISHMENT, uai)?.is_some() {
            return invalid(format!(
                "UAI {uai} déjà utilisée par un autre établissement"
            ));
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
fn level_of(label: Option<&str>) -> String {
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

fn ensure_class(
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
    ctx.report
        .line(format!("Classe {code} ({level}) : création"));
    Ok(id)
}

/// The establishments subjects are created in: those of this import's `EtabEducNat` files,
/// or, for a delta without one, every establishment an AAF import ever created.
fn export_establishments(tx: &Tx, ctx: &Ctx) -> Result<Vec<EstablishmentId>, RecordError> {
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

fn apply_subject(
    tx: &mut Tx,
    ctx: &mut Ctx,
    code: &str,
    change: &Change<AafSubject, SubjectPatch>,
) -> Result<Outcome, RecordError> {
    let label = match change {
        Change::Add(s) => Some(s.label.clone()),
        Change::Modify(p) => p.label.clone(),
        Change::Delete => {
            ctx.report.warnings.push(format!(
                "{}, matière {code} : suppression de matière non appliquée",
                ctx.file
            ));
            return Ok(Outcome::Skipped);
        }
    };
    let establishments = export_establishments(tx, ctx)?;
    if establishments.is_empty() {
        return invalid(
            "aucun établissement connu pour y créer la matière : importez le fichier EtabEducNat"
                .to_owned(),
        );
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
                    return invalid(format!("matière {code} inconnue et sans libellé"));
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

// ---------------------------------------------------------------------------------------------
// People.
// ---------------------------------------------------------------------------------------------

fn identity_patch(i: &Identity) -> IdentityPatch {
    IdentityPatch {
        last_name: Some(i.last_name.clone()),
        first_name: Some(i.first_name.clone()),
        birth_name: Some(i.birth_name.clone()),
        birth_date: Some(i.birth_date),
    }
}

fn structure(tx: &Tx, structure_id: &str) -> Result<EstablishmentId, RecordError> {
    match tx.get(&AAF_STRUCTURES, &structure_id.to_owned())? {
        Some(e) => Ok(e),
        None => invalid(format!(
            "structure {structure_id} inconnue (ni dans le fichier EtabEducNat ni dans un import précédent)"
        )),
    }
}

fn person_by_aaf(tx: &Tx, id: &str) -> Result<Option<PersonId>, RecordError> {
    Ok(service::person_by_national_id(tx, "aaf", id)?)
}

fn display_name(tx: &Tx, person: PersonId) -> Result<String, RecordError> {
    Ok(tx
        .get(&PEOPLE, &person)?
        .map(|p| p.display_name())
        .unwrap_or_default())
}

/// Creates (add request) or updates the person with académie key `id`; returns it and whether
/// it was created. `email` and `ine` are `None` when the request does not touch them.
fn upsert_person(
    tx: &mut Tx,
    id: &str,
    add: bool,
    identity: &IdentityPatch,
    email: Option<Option<String>>,
    ine: Option<Option<String>>,
) -> Result<(PersonId, bool), RecordError> {
    let aaf = ("aaf".to_owned(), id.to_owned());
    let Some(person) = person_by_aaf(tx, id)? else {
        if !add {
            return invalid(
                "personne inconnue : la modification précède sa création (importez d'abord l'export complet)"
                    .to_owned(),
            );
        }
        let mut national_ids = vec![aaf];
        if let Some(Some(ine)) = &ine {
            national_ids.push(("ine".to_owned(), ine.clone()));
        }
        let last_name = identity.last_name.clone().unwrap_or_default();
        let id = service::create_person(
            tx,
            NewPerson {
                first_name: identity.first_name.clone().unwrap_or_default(),
                last_name: last_name.clone(),
                birth_date: identity.birth_date.flatten(),
                national_ids,
                email: email.flatten(),
            },
        )?;
        let birth_name = identity
            .birth_name
            .clone()
            .flatten()
            .filter(|b| b.trim() != last_name.trim());
        if birth_name.is_some()
            && let Some(mut p) = tx.get(&PEOPLE, &id)?
        {
            p.birth_name = birth_name;
            service::update_person(tx, id, &p)?;
        }
        return Ok((id, true));
    };
    let old = tx.get(&PEOPLE, &person)?.ok_or(DirectoryError::NotFound)?;
    let mut new = old.clone();
    if let Some(last) = &identity.last_name {
        new.last_name = last.trim().to_owned();
    }
    if let Some(first) = &identity.first_name {
        new.first_name = first.trim().to_owned();
    }
    if let Some(birth_name) = &identity.birth_name {
        new.birth_name = birth_name
            .clone()
            .filter(|b| b.trim() != new.last_name.trim());
    }
    if let Some(birth_date) = identity.birth_date {
        new.birth_date = birth_date;
    }
    if let Some(email) = email {
        new.email = email;
    }
    if let Some(ine) = ine {
        new.national_ids.retain(|(kind, _)| kind != "ine");
        if let Some(ine) = ine {
            new.national_ids.push(("ine".to_owned(), ine));
        }
    }
    if add && matches!(new.state, AccountState::Left(_)) {
        // Back in the académie's export: the account is usable again.
        new.state = if new.password_hash.is_some() {
            AccountState::Active
        } else {
            AccountState::Pending
        };
    }
    if new != old {
        service::update_person(tx, person, &new)?;
    }
    Ok((person, false))
}

fn profiles_of(tx: &Tx, person: PersonId) -> Result<Vec<Profile>, RecordError> {
    Ok(service::profiles_in(tx, person)?)
}

/// Marks a person as gone (delete request): state `Left(file date)` unless already left, and
/// the profiles `remove` picks are taken away. The account is kept.
fn mark_left(
    tx: &mut Tx,
    ctx: &Ctx,
    person: PersonId,
    remove: impl Fn(Role) -> bool,
) -> Result<(), RecordError> {
    let mut p = tx.get(&PEOPLE, &person)?.ok_or(DirectoryError::NotFound)?;
    if !matches!(p.state, AccountState::Left(_)) {
        p.state = AccountState::Left(ctx.date);
        service::update_person(tx, person, &p)?;
    }
    for profile in profiles_of(tx, person)? {
        if remove(profile.role) {
            service::remove_profile(tx, person, profile.establishment, profile.role)?;
        }
    }
    Ok(())
}

fn unknown_delete(ctx: &mut Ctx, id: &str) -> Outcome {
    ctx.report.warnings.push(format!(
        "{}, enregistrement {id} : suppression d'une personne inconnue, ignorée",
        ctx.file
    ));
    Outcome::Skipped
}

fn student_patch(s: &Student) -> StudentPatch {
    StudentPatch {
        identity: identity_patch(&s.identity),
        ine: Some(s.ine.clone()),
        structures: Some(s.structures.clone()),
        attachment_id: Some(s.attachment_id.clone()),
        classes: Some(s.classes.clone()),
        groups: Some(s.groups.clone()),
        mef: Some(s.mef.clone()),
        mef_label: Some(s.mef_label.clone()),
        level: Some(s.level.clone()),
        relatives: Some(s.relatives.clone()),
    }
}

fn apply_student(
    tx: &mut Tx,
    ctx: &mut Ctx,
    id: &str,
    change: &Change<Student, StudentPatch>,
) -> Result<Outcome, RecordError> {
    let (patch, add) = match change {
        Change::Add(s) => (student_patch(s), true),
        Change::Modify(p) => (p.clone(), false),
        Change::Delete => {
            let Some(person) = person_by_aaf(tx, id)? else {
                return Ok(unknown_delete(ctx, id));
            };
            for ((_, class), ()) in tx.range(
                &STUDENT_CLASSES,
                (person, ClassId(0))..=(person, ClassId(u64::MAX)),
            )? {
                service::leave_class(tx, person, class)?;
            }
            for ((_, group), ()) in tx.range(
                &STUDENT_GROUPS,
                (person, GroupId(0))..=(person, GroupId(u64::MAX)),
            )? {
                service::leave_group(tx, person, group)?;
            }
            mark_left(tx, ctx, person, |role| role == Role::Eleve)?;
            return Ok(Outcome::Left(display_name(tx, person)?));
        }
    };
    let (person, created) = upsert_person(tx, id, add, &patch.identity, None, patch.ine.clone())?;
    let mut establishments = BTreeSet::new();
    for s in patch.structures.iter().flatten() {
        establishments.insert(structure(tx, s)?);
    }
    for r in patch
        .classes
        .iter()
        .flatten()
        .chain(patch.groups.iter().flatten())
    {
        establishments.insert(structure(tx, &r.structure_id)?);
    }
    for establishment in &establishments {
        service::ensure_profile(tx, person, *establishment, Role::Eleve)?;
    }
    if let Some(classes) = &patch.classes {
        let mut wanted: Vec<(EstablishmentId, ClassId)> = Vec::new();
        for r in classes {
            let establishment = structure(tx, &r.structure_id)?;
            let Some(class) = service::class_by_name(tx, establishment, ctx.year, &r.code)? else {
                return invalid(format!(
                    "classe {} inconnue dans la structure {} pour l'année {}",
                    r.code, r.structure_id, ctx.year.0
                ));
            };
            if wanted
                .iter()
                .any(|(e, c)| *e == establishment && *c != class)
            {
                return invalid(format!(
                    "plusieurs classes dans la structure {} (une seule par année)",
                    r.structure_id
                ));
            }
            wanted.push((establishment, class));
        }
        let wanted: Vec<ClassId> = wanted.into_iter().map(|(_, c)| c).collect();
        for ((_, class), ()) in tx.range(
            &STUDENT_CLASSES,
            (person, ClassId(0))..=(person, ClassId(u64::MAX)),
        )? {
            let this_year = tx.get(&CLASSES, &class)?.is_none_or(|c| c.year == ctx.year);
            if this_year && !wanted.contains(&class) {
                service::leave_class(tx, person, class)?;
            }
        }
        for class in wanted {
            service::enrol_in_class(tx, person, class)?;
        }
    }
    if let Some(groups) = &patch.groups {
        let mut wanted: Vec<GroupId> = Vec::new();
        for r in groups {
            let establishment = structure(tx, &r.structure_id)?;
            let Some(group) = service::group_by_name(tx, establishment, ctx.year, &r.code)? else {
                return invalid(format!(
                    "groupe {} inconnu dans la structure {} pour l'année {}",
                    r.code, r.structure_id, ctx.year.0
                ));
            };
            wanted.push(group);
        }
        for ((_, group), ()) in tx.range(
            &STUDENT_GROUPS,
            (person, GroupId(0))..=(person, GroupId(u64::MAX)),
        )? {
            let this_year = tx
                .get(&crate::store::tables::GROUPS, &group)?
                .is_none_or(|g| g.year == ctx.year);
            if this_year && !wanted.contains(&group) {
                service::leave_group(tx, person, group)?;
            }
        }
        for group in wanted {
            service::enrol_in_group(tx, person, group)?;
        }
    }
    if let Some(links) = &patch.relatives {
        sync_relatives(tx, ctx, id, person, links)?;
    }
    let name = display_name(tx, person)?;
    Ok(if created {
        Outcome::Created(name)
    } else {
        Outcome::Existing(name)
    })
}

/// Makes the pupil's académie parent links exactly `links` (links an administrator made to
/// people without an académie key are kept), and gives each relative a `Parent` profile in
/// the pupil's establishments. A link to an unknown relative is a warning.
fn sync_relatives(
    tx: &mut Tx,
    ctx: &mut Ctx,
    student_id: &str,
    student: PersonId,
    links: &[RelativeLink],
) -> Result<(), RecordError> {
    let establishments: Vec<EstablishmentId> = profiles_of(tx, student)?
        .into_iter()
        .filter(|p| p.role == Role::Eleve)
        .map(|p| p.establishment)
        .collect();
    let mut wanted = Vec::new();
    for link in links {
        let Some(parent) = person_by_aaf(tx, &link.relative_id)? else {
            ctx.report.warnings.push(format!(
                "{}, enregistrement {student_id} : responsable {} inconnu, lien ignoré",
                ctx.file, link.relative_id
            ));
            continue;
        };
        let authority = link.is_legal_representative();
        let wanted_link = ParentLink {
            relation: link.relation,
            parental_authority: authority,
            receives_mail: authority,
        };
        let current = tx.get(&PARENT_CHILDREN, &(parent, student))?;
        if current.as_ref() != Some(&wanted_link) {
            if current.is_none() {
                ctx.report.links_created += 1;
            }
            service::link_parent(tx, parent, student, wanted_link)?;
        }
        for establishment in &establishments {
            service::ensure_profile(tx, parent, *establishment, Role::Parent)?;
        }
        wanted.push(parent);
    }
    for ((_, parent), ()) in tx.range(
        &CHILD_PARENTS,
        (student, PersonId(0))..=(student, PersonId(u64::MAX)),
    )? {
        let from_aaf = tx
            .get(&PEOPLE, &parent)?
            .is_some_and(|p| p.national_ids.iter().any(|(kind, _)| kind == "aaf"));
        if from_aaf && !wanted.contains(&parent) {
            service::unlink_parent(tx, parent, student)?;
        }
    }
    Ok(())
}

fn relative_patch(r: &Relative) -> RelativePatch {
    RelativePatch {
        identity: identity_patch(&r.identity),
        email: Some(r.email.clone()),
        home_phone: Some(r.home_phone.clone()),
        work_phone: Some(r.work_phone.clone()),
        mobile: Some(r.mobile.clone()),
        children: Some(r.children.clone()),
    }
}

fn apply_relative(
    tx: &mut Tx,
    ctx: &mut Ctx,
    id: &str,
    change: &Change<Relative, RelativePatch>,
) -> Result<Outcome, RecordError> {
    let (patch, add) = match change {
        Change::Add(r) => (relative_patch(r), true),
        Change::Modify(p) => (p.clone(), false),
        Change::Delete => {
            let Some(person) = person_by_aaf(tx, id)? else {
                return Ok(unknown_delete(ctx, id));
            };
            mark_left(tx, ctx, person, |role| role == Role::Parent)?;
            return Ok(Outcome::Left(display_name(tx, person)?));
        }
    };
    let (person, created) = upsert_person(tx, id, add, &patch.identity, patch.email, None)?;
    let name = display_name(tx, person)?;
    Ok(if created {
        Outcome::Created(name)
    } else {
        Outcome::Existing(name)
    })
}

fn staff_patch(s: &Staff) -> StaffPatch {
    StaffPatch {
        identity: identity_patch(&s.identity),
        email: Some(s.email.clone()),
        structures: Some(s.structures.clone()),
        in_front_of_pupils: Some(s.in_front_of_pupils),
        functions: Some(s.functions.clone()),
        teachings: Some(s.teachings.clone()),
        group_teachings: Some(s.group_teachings.clone()),
        head_teacher_of: Some(s.head_teacher_of.clone()),
    }
}

fn apply_staff(
    tx: &mut Tx,
    ctx: &mut Ctx,
    id: &str,
    change: &Change<Staff, StaffPatch>,
) -> Result<Outcome, RecordError> {
    let (patch, add) = match change {
        Change::Add(s) => (staff_patch(s), true),
        Change::Modify(p) => (p.clone(), false),
        Change::Delete => {
            let Some(person) = person_by_aaf(tx, id)? else {
                return Ok(unknown_delete(ctx, id));
            };
            mark_left(tx, ctx, person, |role| {
                matches!(role, Role::Enseignant | Role::Personnel(_))
            })?;
            return Ok(Outcome::Left(display_name(tx, person)?));
        }
    };
    let (person, created) = upsert_person(tx, id, add, &patch.identity, patch.email.clone(), None)?;
    if patch.structures.is_some() || patch.functions.is_some() || patch.in_front_of_pupils.is_some()
    {
        let functions = patch.functions.clone().unwrap_or_default();
        let teacher =
            patch.in_front_of_pupils.unwrap_or(false) || functions.iter().any(|f| f.is_teaching());
        let mut establishments = BTreeSet::new();
        for s in patch.structures.iter().flatten() {
            establishments.insert(structure(tx, s)?);
        }
        let mut staff_roles: Vec<(EstablishmentId, Role)> = Vec::new();
        for f in &functions {
            let establishment = structure(tx, &f.structure_id)?;
            establishments.insert(establishment);
            if matches!(f.role, Role::Personnel(_))
                && !staff_roles.iter().any(|(e, _)| *e == establishment)
            {
                staff_roles.push((establishment, f.role));
            }
        }
        for establishment in establishments {
            let staff_role = staff_roles
                .iter()
                .find(|(e, _)| *e == establishment)
                .map(|(_, r)| *r);
            if teacher {
                service::ensure_profile(tx, person, establishment, Role::Enseignant)?;
            }
            match staff_role {
                Some(role) => service::ensure_profile(tx, person, establishment, role)?,
                None if !teacher => service::ensure_profile(
                    tx,
                    person,
                    establishment,
                    Role::Personnel(StaffFunction::Autre),
                )?,
                None => {}
            }
        }
    }
    for t in patch.teachings.iter().flatten() {
        let (establishment, subject) = teaching_parts(tx, t)?;
        let Some(class) = service::class_by_name(tx, establishment, ctx.year, &t.audience)? else {
            return invalid(format!(
                "classe {} inconnue dans la structure {} (enseignement {})",
                t.audience, t.structure_id, t.subject_code
            ));
        };
        ensure_teaching(
            tx,
            ctx,
            person,
            establishment,
            Audience::Class(class),
            subject,
        )?;
    }
    for t in patch.group_teachings.iter().flatten() {
        let (establishment, subject) = teaching_parts(tx, t)?;
        let Some(group) = service::group_by_name(tx, establishment, ctx.year, &t.audience)? else {
            return invalid(format!(
                "groupe {} inconnu dans la structure {} (enseignement {})",
                t.audience, t.structure_id, t.subject_code
            ));
        };
        ensure_teaching(
            tx,
            ctx,
            person,
            establishment,
            Audience::Group(group),
            subject,
        )?;
    }
    for r in patch.head_teacher_of.iter().flatten() {
        let establishment = structure(tx, &r.structure_id)?;
        let Some(class) = service::class_by_name(tx, establishment, ctx.year, &r.code)? else {
            return invalid(format!(
                "classe {} inconnue dans la structure {} (professeur principal)",
                r.code, r.structure_id
            ));
        };
        if let Some(mut c) = tx.get(&CLASSES, &class)?
            && c.head_teacher != Some(person)
        {
            c.head_teacher = Some(person);
            tx.insert(&CLASSES, &class, &c)?;
            ctx.report.head_teachers_set += 1;
        }
    }
    let name = display_name(tx, person)?;
    Ok(if created {
        Outcome::Created(name)
    } else {
        Outcome::Existing(name)
    })
}

fn teaching_parts(tx: &Tx, t: &TeachingRef) -> Result<(EstablishmentId, SubjectId), RecordError> {
    let establishment = structure(tx, &t.structure_id)?;
    match tx.get(
        &ESTABLISHMENT_SUBJECT_CODES,
        &(establishment, t.subject_code.clone()),
    )? {
        Some(subject) => Ok((establishment, subject)),
        None => invalid(format!(
            "matière {} inconnue (absente du fichier MatiereEducNat)",
            t.subject_code
        )),
    }
}

fn ensure_teaching(
    tx: &mut Tx,
    ctx: &mut Ctx,
    teacher: PersonId,
    establishment: EstablishmentId,
    audience: Audience,
    subject: SubjectId,
) -> Result<(), RecordError> {
    let created = service::ensure_teaching(
        tx,
        Teaching {
            establishment,
            teacher,
            audience,
            subject,
        },
    )?;
    if created {
        ctx.report.teachings_created += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_school_years() {
        assert_eq!(level_of(Some("6EME")), "6e");
        assert_eq!(level_of(Some("5EME")), "5e");
        assert_eq!(level_of(Some("2NDE GENERALE")), "2nde");
        assert_eq!(level_of(Some("1ERE STMG")), "1re");
        assert_eq!(level_of(Some("TERMINALE")), "Tle");
        assert_eq!(level_of(None), "");
        assert_eq!(SchoolYear::of(Date::constant(2025, 9, 1)), SchoolYear(2025));
        assert_eq!(SchoolYear::of(Date::constant(2026, 3, 1)), SchoolYear(2025));
    }
}
