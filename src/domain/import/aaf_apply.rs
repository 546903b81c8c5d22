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

use jiff::civil::Date;

use super::aaf::{AafFile, AafRecord, AafRecords, Change};
use crate::domain::directory::DirectoryError;
use crate::i18n::{Arg, Text};
use crate::model::directory::{EstablishmentId, SchoolYear};
use crate::store::{Store, StoreError, Tx};

mod people;
mod structures;

use people::*;
use structures::*;

/// At most this many lines of what the import did are kept in [`ImportReport::lines`].
pub const MAX_LINES: usize = 200;

/// What happened to the records of one category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
    /// What was done, at most [`MAX_LINES`], said in the reader's language.
    pub lines: Vec<Text>,
    /// How many further lines were left out.
    pub lines_omitted: usize,
    /// Things skipped that do not refuse the import (a link to an unknown relative…).
    pub warnings: Vec<Text>,
    /// Problems that refuse the import, each naming the file and record.
    pub errors: Vec<Text>,
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

    fn line(&mut self, line: Text) {
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
    Invalid(Text),
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
            other => {
                RecordError::Invalid(Text::new("import-texte").str("texte", other.to_string()))
            }
        }
    }
}

fn invalid<T>(message: Text) -> Result<T, RecordError> {
    Err(RecordError::Invalid(message))
}

/// A text of the report: the Fluent message `key` (`assets/i18n/<lang>/import-aaf.ftl`) with
/// `args`, said later in the reader's language (the page's, or French on the command line).
fn fr(key: &'static str, args: &[(&'static str, Arg)]) -> Text {
    args.iter()
        .cloned()
        .fold(Text::new(key), |text, (name, value)| text.arg(name, value))
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
    /// The noun starting the report's lines (`aaf-sorte`).
    fn noun(self) -> Text {
        let sorte = match self {
            Kind::Establishment => "etablissement",
            Kind::Subject => "matiere",
            Kind::Student => "eleve",
            Kind::Relative => "responsable",
            Kind::Staff => "personnel",
        };
        fr("aaf-sorte", &[("sorte", sorte.into())])
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
                ctx.report.errors.push(fr(
                    "aaf-erreur",
                    &[
                        ("fichier", ctx.file.as_str().into()),
                        ("id", record.id.as_str().into()),
                        ("message", message.into()),
                    ],
                ));
                continue;
            }
        };
        let changed = tx.change_count() > before;
        let line = |key: &'static str, label: &str| {
            fr(
                key,
                &[
                    ("quoi", kind.noun().into()),
                    ("id", record.id.as_str().into()),
                    ("libelle", label.into()),
                    ("date", ctx.date.to_string().into()),
                ],
            )
        };
        let line = match &outcome {
            Outcome::Created(label) => Some(line("aaf-ligne-creation", label)),
            Outcome::Existing(label) if changed => Some(line("aaf-ligne-mise-a-jour", label)),
            Outcome::Left(label) if changed => Some(line("aaf-ligne-depart", label)),
            _ => None,
        };
        let counts = kind.counts(&mut ctx.report);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

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

    #[test]
    fn report_texts_come_from_fluent_in_french() {
        let fr = |text: Text| text.render(Lang::Fr);
        assert_eq!(fr(Kind::Student.noun()), "Élève");
        assert_eq!(fr(Kind::Establishment.noun()), "Établissement");
        assert_eq!(fr(Kind::Staff.noun()), "Personnel");
        assert_eq!(
            fr(super::fr(
                "aaf-ligne-depart",
                &[
                    ("quoi", Kind::Relative.noun().into()),
                    ("id", "42".into()),
                    ("libelle", "Nathalie DURAND".into()),
                    ("date", Date::constant(2026, 1, 5).to_string().into()),
                ],
            )),
            "Responsable 42 Nathalie DURAND : départ le 2026-01-05"
        );
        let error = super::fr(
            "aaf-erreur",
            &[
                ("fichier", "ENTX_Eleve_0000.xml".into()),
                ("id", "7".into()),
                (
                    "message",
                    super::fr(
                        "aaf-classe-inconnue",
                        &[
                            ("code", "4Z".into()),
                            ("structure", "3100001".into()),
                            ("annee", SchoolYear(2025).0.to_string().into()),
                        ],
                    )
                    .into(),
                ),
            ],
        );
        assert_eq!(
            fr(error.clone()),
            "ENTX_Eleve_0000.xml, enregistrement 7 : classe 4Z inconnue dans la structure \
             3100001 pour l'année 2025"
        );
        let english = error.render(Lang::En);
        assert!(
            english.contains("4Z") && !english.contains("inconnue"),
            "{english}"
        );
    }
}
