//! Applying Cartable's spreadsheet files ([`super::csv`]) to **one** establishment for a school
//! year: [`import_csv`], and [`preview_csv`] for a dry run of several files together.
//!
//! # All or nothing, per file
//! Each file is applied in **one** write transaction. Every bad line is collected, the parser's
//! (wrong columns, invalid date, repeat…) and the store's (`classe inconnue`, a child who is
//! not a pupil of the establishment…): the report lists them all as `ligne N : …`
//! ([`crate::i18n::Text`]s, said in the reader's language).
//! A file with at least one bad line is **refused as a whole**: the transaction is aborted,
//! nothing is written and [`ImportError::Refused`] carries the report. A dry run runs the same
//! code in a write transaction that is then aborted, so it provably writes nothing.
//!
//! # Matching and idempotence
//! - Pupils: on the national id `("ine", …)` when the row has one; else (or when that id is
//!   not known yet) on nom + prénom + birth date, case, accents and spaces ignored, among the
//!   establishment's pupils (a scan of [`ESTABLISHMENT_PEOPLE`], fine for one school; a pupil
//!   found by name while the row has another national id than theirs is not matched). Two
//!   pupils with the same name and date are an error on the line: add the national id. A
//!   pupil moving class leaves their other class of that school year. Classes are never
//!   created: a class the establishment does not have for the year is `classe inconnue`.
//! - Parents: the child is matched like a pupil without national id (unknown child = error).
//!   The parent is matched on the e-mail among the establishment's parents, else on nom +
//!   prénom among the child's parents, else on the same nom + prénom (and e-mail, or none)
//!   on an earlier line of the same file. Each link gets the relation, parental authority and
//!   mail. The phone number is checked by the parser but not stored (no field for it yet).
//! - Teachers: on the e-mail among the establishment's teachers, else on nom + prénom.
//!   Subjects are matched by name (case and accents ignored) and created if absent; one
//!   teaching per (class, subject) listed.
//!
//! Only what differs is written ([`Tx::insert`] skips identical bytes), so importing the same
//! file again changes nothing and the change log does not move. A person counts as *updated*
//! when applying their lines changed at least one row. Accounts created are `Pending`.

mod rows;

use jiff::civil::Date;

use super::aaf_apply::{ImportError, ImportReport, MAX_LINES};
use super::csv::{self, LineError, Parsed};
use crate::domain::text::fold;
use crate::i18n::Text;
use crate::model::Actor;
use crate::model::directory::{ClassId, EstablishmentId, Relation, SchoolYear};
use crate::store::tables::{CLASSES, ESTABLISHMENT_CLASSES, ESTABLISHMENTS};
use crate::store::{Store, StoreError, Tx};

/// Which of the three spreadsheet files. The order is the import order: pupils first (parents
/// name them), then teachers, then parents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CsvKind {
    /// `eleves.csv`: `Nom;Prénom;Date de naissance;Classe;Identifiant national`.
    Students,
    /// `enseignants.csv`: `Nom;Prénom;Courriel;Disciplines;Classes`.
    Teachers,
    /// `parents.csv`: one parent–child link a line.
    Parents,
}

impl CsvKind {
    /// The kind a file's header line says (`Disciplines` → teachers, a child's column or
    /// `Lien` → parents, `Classe` → pupils), or `None`.
    pub fn detect(bytes: &[u8]) -> Option<Self> {
        let decoded = csv::decode(bytes);
        let header = decoded.text.lines().next().unwrap_or_default();
        let sep = if header.matches(';').count() >= header.matches(',').count() {
            ';'
        } else {
            ','
        };
        let columns: Vec<String> = header
            .split(sep)
            .map(|c| key(c.trim_matches('"')))
            .collect();
        let has = |name: &str| columns.iter().any(|c| c == name);
        if has("disciplines") {
            Some(Self::Teachers)
        } else if has("lien") || columns.iter().any(|c| c.contains("enfant")) {
            Some(Self::Parents)
        } else if has("classe") {
            Some(Self::Students)
        } else {
            None
        }
    }

    /// The kind named `eleves`, `parents` or `enseignants` (accents and case ignored).
    pub fn from_name(name: &str) -> Option<Self> {
        match key(name).as_str() {
            "eleves" | "eleve" => Some(Self::Students),
            "parents" | "parent" => Some(Self::Parents),
            "enseignants" | "enseignant" => Some(Self::Teachers),
            _ => None,
        }
    }

    /// The French name of the file's contents: `élèves`, `parents`, `enseignants`.
    pub fn label(self) -> &'static str {
        match self {
            Self::Students => "élèves",
            Self::Parents => "parents",
            Self::Teachers => "enseignants",
        }
    }
}

/// The summary counts of a CSV import, one line each, in English like the rest of the command
/// line.
pub fn summary(kind: CsvKind, report: &ImportReport) -> Vec<String> {
    let counts = |noun: &str, c: &super::aaf_apply::Counts| {
        format!(
            "{noun}: {} created, {} updated, {} unchanged",
            c.created, c.updated, c.unchanged
        )
    };
    match kind {
        CsvKind::Students => vec![counts("Students", &report.students)],
        CsvKind::Parents => vec![
            counts("Parents", &report.relatives),
            format!("Created: {} parent links", report.links_created),
        ],
        CsvKind::Teachers => vec![
            counts("Teachers", &report.staff),
            format!(
                "Created: {} subjects, {} teachings",
                report.subjects_created, report.teachings_created
            ),
        ],
    }
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

/// Applies one spreadsheet file of `kind` to `establishment` for `year` in one transaction,
/// all or nothing. `today` is the caller's date (a birth date after it is an error). With
/// `dry_run`, the same work is done and thrown away: the report says what would happen.
///
/// # Errors
/// [`ImportError::Refused`] (nothing written) if any line is bad, or the establishment does
/// not exist; [`ImportError::Store`] if the store fails.
#[allow(clippy::too_many_arguments)]
pub fn import_csv(
    store: &Store,
    actor: &Actor,
    establishment: EstablishmentId,
    year: SchoolYear,
    kind: CsvKind,
    bytes: &[u8],
    today: Date,
    dry_run: bool,
) -> Result<ImportReport, ImportError> {
    let outcome = store.write(|tx| {
        let mut report = apply_csv(tx, actor, establishment, year, kind, bytes, today)?;
        report.dry_run = dry_run;
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

/// A dry run of several files together, applied in the order given in one write transaction
/// that is then aborted, so that a parents file sees the pupils of the pupils file before it.
/// One report per file (`dry_run` set); a report with errors means that file would be refused
/// (later files then see its valid lines, which a real import would not write).
///
/// # Errors
/// [`StoreError`] if the store fails.
pub fn preview_csv(
    store: &Store,
    actor: &Actor,
    establishment: EstablishmentId,
    year: SchoolYear,
    files: &[(CsvKind, &[u8])],
    today: Date,
) -> Result<Vec<ImportReport>, StoreError> {
    enum Preview {
        Done(Vec<ImportReport>),
        Store(StoreError),
    }
    impl From<StoreError> for Preview {
        fn from(e: StoreError) -> Self {
            Preview::Store(e)
        }
    }
    let outcome: Result<(), Preview> = store.write(|tx| {
        let mut reports = Vec::with_capacity(files.len());
        for (kind, bytes) in files {
            let mut report = apply_csv(tx, actor, establishment, year, *kind, bytes, today)?;
            report.dry_run = true;
            reports.push(report);
        }
        Err(Preview::Done(reports))
    });
    match outcome {
        Err(Preview::Done(reports)) => Ok(reports),
        Err(Preview::Store(e)) => Err(e),
        Ok(()) => Ok(Vec::new()),
    }
}

/// Applies one file in the caller's transaction and returns its report; bad lines are in
/// [`ImportReport::errors`] (the caller must then abort). Only a store failure is an `Err`.
/// The `actor` bounds whom a line may match: a pupil found by INE must already be someone the
/// actor administers (issue 12 §1: an import never brings another school's person into this
/// one); the command line imports as [`Actor::system`], which reaches everyone.
///
/// # Errors
/// [`StoreError`] if the store fails.
pub fn apply_csv(
    tx: &mut Tx,
    actor: &Actor,
    establishment: EstablishmentId,
    year: SchoolYear,
    kind: CsvKind,
    bytes: &[u8],
    today: Date,
) -> Result<ImportReport, StoreError> {
    let mut ctx = Ctx {
        actor: actor.clone(),
        establishment,
        year,
        report: ImportReport {
            year: Some(year),
            ..ImportReport::default()
        },
        bad: Vec::new(),
    };
    if tx.get(&ESTABLISHMENTS, &establishment)?.is_none() {
        ctx.report
            .errors
            .push(Text::new("import-csv-etablissement-inconnu"));
        return Ok(ctx.report);
    }
    let classes = classes_of(tx, establishment, year)?;
    let names: Vec<&str> = classes.iter().map(|(n, _)| n.as_str()).collect();
    match kind {
        CsvKind::Students => {
            let mut parsed = csv::parse_students(bytes, today);
            let unknown = csv::check_students(&parsed.rows, &names);
            parsed.reject(unknown);
            ctx.describe(&parsed);
            rows::apply_students(tx, &mut ctx, &parsed.rows, &classes)?;
            ctx.finish(parsed.errors, parsed.warnings);
        }
        CsvKind::Parents => {
            let parsed = csv::parse_parents(bytes, today);
            ctx.describe(&parsed);
            rows::apply_parents(tx, &mut ctx, &parsed.rows)?;
            ctx.finish(parsed.errors, parsed.warnings);
        }
        CsvKind::Teachers => {
            let mut parsed = csv::parse_teachers(bytes);
            let unknown = csv::check_teachers(&parsed.rows, &names);
            parsed.reject(unknown);
            ctx.describe(&parsed);
            rows::apply_teachers(tx, &mut ctx, &parsed.rows, &classes)?;
            ctx.finish(parsed.errors, parsed.warnings);
        }
    }
    Ok(ctx.report)
}

/// The state of one file's import.
struct Ctx {
    /// Who imports: bounds whom a line may match.
    actor: Actor,
    establishment: EstablishmentId,
    year: SchoolYear,
    report: ImportReport,
    /// Store-level bad lines: (line, message).
    bad: Vec<(usize, Text)>,
}

impl Ctx {
    fn line(&mut self, line: Text) {
        if self.report.lines.len() < MAX_LINES {
            self.report.lines.push(line);
        } else {
            self.report.lines_omitted += 1;
        }
    }

    fn describe<T>(&mut self, parsed: &Parsed<T>) {
        self.line(
            Text::new("import-csv-fichier-lu")
                .str("encodage", parsed.encoding.to_string())
                .str("separateur", parsed.separator.to_string())
                .num("nombre", parsed.rows.len()),
        );
    }

    /// Puts the parser's errors and warnings with the store's into the report, by line.
    fn finish(&mut self, errors: Vec<LineError>, warnings: Vec<LineError>) {
        let mut all: Vec<(usize, Text)> = errors
            .into_iter()
            .map(|e| (e.line, e.text()))
            .chain(
                std::mem::take(&mut self.bad)
                    .into_iter()
                    .map(|(line, message)| {
                        let text = Text::new("import-csv-ligne")
                            .num("ligne", line)
                            .text("message", message);
                        (line, text)
                    }),
            )
            .collect();
        all.sort_by_key(|(line, _)| *line);
        self.report.errors.extend(all.into_iter().map(|(_, m)| m));
        self.report
            .warnings
            .extend(warnings.into_iter().map(|w| w.text()));
    }
}

/// The establishment's classes of `year`: (name, id).
fn classes_of(
    tx: &Tx,
    establishment: EstablishmentId,
    year: SchoolYear,
) -> Result<Vec<(String, ClassId)>, StoreError> {
    let mut out = Vec::new();
    for ((_, id), ()) in tx.range(
        &ESTABLISHMENT_CLASSES,
        (establishment, ClassId(0))..=(establishment, ClassId(u64::MAX)),
    )? {
        if let Some(class) = tx.get(&CLASSES, &id)?
            && class.year == year
        {
            out.push((class.name, id));
        }
    }
    Ok(out)
}

/// A key for comparing names: spaces collapsed, case and accents folded.
fn key(s: &str) -> String {
    fold(&s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// `JJ/MM/AAAA`.
fn french_date(d: Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

/// `mère`, `père`, `tuteur`, `autre`.
fn relation_label(r: Relation) -> Text {
    Text::new(match r {
        Relation::Mere => "import-csv-relation-mere",
        Relation::Pere => "import-csv-relation-pere",
        Relation::Tuteur => "import-csv-relation-tuteur",
        Relation::Autre => "import-csv-relation-autre",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_detected_from_the_header() {
        assert_eq!(
            CsvKind::detect("\u{feff}Nom;Prénom;Date de naissance;Classe\r\n".as_bytes()),
            Some(CsvKind::Students)
        );
        assert_eq!(
            CsvKind::detect(b"Nom,Prenom,Courriel,Disciplines,Classes\n"),
            Some(CsvKind::Teachers)
        );
        assert_eq!(
            CsvKind::detect("Nom;Prénom;Nom de l'enfant;Lien\n".as_bytes()),
            Some(CsvKind::Parents)
        );
        assert_eq!(CsvKind::detect(b"a;b;c\n"), None);
        assert_eq!(CsvKind::from_name("Élèves"), Some(CsvKind::Students));
        assert_eq!(french_date(Date::constant(2014, 2, 3)), "03/02/2014");
    }

    /// Every report key the appliers use exists in French and English, and the report's
    /// texts come out whole in both (no `{ $argument }` left over).
    #[test]
    fn report_keys_render_in_both_languages() {
        use crate::i18n::{Lang, embedded};
        let sources = [
            include_str!("csv_apply.rs"),
            include_str!("csv_apply/rows.rs"),
            include_str!("aaf_apply.rs"),
            include_str!("aaf_apply/people.rs"),
            include_str!("aaf_apply/structures.rs"),
        ];
        let mut keys = Vec::new();
        for source in sources {
            for (i, _) in source
                .match_indices("\"aaf-")
                .chain(source.match_indices("\"import-"))
            {
                let rest = &source[i + 1..];
                let end = rest.find('"').unwrap_or(rest.len());
                let key = &rest[..end];
                if !key.ends_with('-') && key.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
                    keys.push(key.to_owned());
                }
            }
        }
        assert!(keys.len() > 30, "{keys:?}");
        for key in &keys {
            for lang in [Lang::Fr, Lang::En] {
                assert!(embedded().has(lang, key), "{key} missing in {lang:?}");
            }
        }
        let child = Text::new("import-csv-enfant-introuvable")
            .str("prenom", "Léa")
            .str("nom", "MARTIN")
            .str("date", "03/02/2014");
        let texts = [
            Text::new("import-csv-fichier-lu")
                .str("encodage", "UTF-8")
                .str("separateur", ";")
                .num("nombre", 1),
            Text::new("import-csv-fichier-lu")
                .str("encodage", "UTF-8")
                .str("separateur", ";")
                .num("nombre", 12),
            Text::new("import-csv-etablissement-inconnu"),
            Text::new("import-csv-ligne")
                .num("ligne", 5)
                .text("message", child),
            Text::new("import-csv-classe-inconnue").str("classe", "6Z"),
            Text::new("import-csv-eleves-homonymes").num("nombre", 2),
            Text::new("import-csv-ine-autre-etablissement"),
            Text::new("import-csv-eleve-autre-etablissement"),
            Text::new("import-csv-enseignants-homonymes"),
            Text::new("import-csv-eleve-creation")
                .str("nom", "Léa MARTIN")
                .str("classe", "6A"),
            Text::new("import-csv-eleve-mise-a-jour")
                .str("nom", "Léa MARTIN")
                .str("classe", "6A"),
            Text::new("import-csv-parent-creation").str("nom", "Anne MARTIN"),
            Text::new("import-csv-lien")
                .str("parent", "Anne MARTIN")
                .str("enfant", "Léa MARTIN")
                .text("lien", relation_label(Relation::Mere)),
            relation_label(Relation::Pere),
            relation_label(Relation::Tuteur),
            relation_label(Relation::Autre),
            Text::new("import-csv-enseignant-creation").str("nom", "Paul DURAND"),
            Text::new("import-csv-enseignant-mise-a-jour").str("nom", "Paul DURAND"),
            Text::new("import-csv-matiere-creation").str("matiere", "Latin"),
            Text::new("import-texte").str("texte", "not found"),
        ];
        for text in &texts {
            for lang in [Lang::Fr, Lang::En] {
                let said = text.render(lang);
                assert!(!said.contains('{') && said != text.key, "{said} ({lang:?})");
            }
        }
        assert_eq!(
            texts[3].render(Lang::Fr),
            "ligne 5 : enfant Léa MARTIN né(e) le 03/02/2014 introuvable parmi les élèves de \
             l'établissement ; importez d'abord le fichier des élèves, ou corrigez le nom, le \
             prénom ou la date"
        );
        assert_eq!(
            texts[1].render(Lang::En),
            "File read: encoding UTF-8, separator “;”, 12 valid lines"
        );
        assert_eq!(
            texts[12].render(Lang::En),
            "Link Anne MARTIN → Léa MARTIN (mother): created or updated"
        );
    }
}
