//! Cartable's spreadsheet import: a pure parser and validator for `eleves.csv`, `parents.csv`
//! and `enseignants.csv` (fixtures README §2). No store access: the code that applies an import
//! checks what needs the store, with [`check_students`] and [`check_teachers`] for the classes.
//!
//! # API
//! - [`decode`] → [`Decoded`]: UTF-8 with or without BOM, else Windows-1252; never fails.
//! - [`parse_students`]`(bytes, today)`, [`parse_parents`]`(bytes, today)`,
//!   [`parse_teachers`]`(bytes)` → [`Parsed<T>`]: rows ([`StudentRow`], [`ParentRow`],
//!   [`TeacherRow`]) with their physical line, plus the [`LineError`]s (blocking, each with a
//!   [`Problem`]) and warnings (a blank line, an unknown column) of the file. `today` comes
//!   from the caller's clock: a birth date after it is an error.
//! - [`check_students`], [`check_teachers`]: `classe inconnue` against the establishment's
//!   classes; [`find_class`] is the matching rule (case, accents and extra spaces ignored).
//! - [`Parsed::reject`] adds such errors and drops the rows of those lines, so `rows` holds
//!   exactly the lines an admin may choose to import when the file has errors.
//!
//! # Format
//! - Separator `;` (Excel in French) or `,`, whichever the header line uses more. Fields may be
//!   quoted, with `""` for a quote inside, and a quoted field may span lines.
//! - Line numbers are physical and 1-based: the header is line 1, the BOM is not counted, CRLF
//!   is one line end, and a blank line (or `;;;;`) counts as a line, reported as a warning and
//!   skipped. A quote never closed (by the end of the file, or within 20 lines) is an error on
//!   its line, and reading resumes on the next line.
//! - Headers compare ignoring case, accents and extra spaces, in any order; an unknown column is
//!   a warning. Columns whose values are optional (national id, e-mail, phone) may be left out
//!   of the header; a missing required column is one error at line 1 that names it and gives
//!   the expected header. A row with fewer fields than the header's known columns, or with
//!   more non-empty ones, is an error.
//! - Values: names trimmed, spaces collapsed, accents and case kept; dates `JJ/MM/AAAA`, which
//!   must exist and, for a birth date, not be after `today`; e-mail lower-cased and checked;
//!   phone normalised to its ten digits (`+33 6 …` → `06…`); `Lien` is `mère`, `père` or
//!   `tuteur` in any case; classes kept as typed. Every field has a length limit, and a message
//!   never echoes more than 40 characters of a value.
//! - Repeats inside a file are errors on the later line (`doublon`): the same pupil (nom,
//!   prénom, date, or national id), the same parent–child link, a parent's e-mail on a row with
//!   another name or phone, the same teacher or teacher's e-mail.
//!
//! Messages are [`Text`]s (Fluent keys `import-csv-*`, `assets/i18n/*/import-tableur.ftl`) that say
//! what to fix, in the reader's language; [`LineError::text`] puts the line in front, and in
//! French it reads
//! `ligne 5 : date de naissance « 31/02/2012 » invalide : ce jour n'existe pas (attendu JJ/MM/AAAA)`.
//! Memory stays bounded by the input's size and no input makes a parser panic or loop.

mod reader;
mod rows;
mod values;

/// The address and national id rules, shared with the account forms of the administration.
pub use values::{normalize_email, normalize_national_id};

#[cfg(test)]
mod tests;

use jiff::civil::Date;

pub use rows::{
    ParentRow, StudentRow, TeacherRow, check_students, check_teachers, find_class, parse_parents,
    parse_students, parse_teachers,
};

use crate::i18n::{Lang, Text};
use reader::{Field, Item, Reader, Record, detect_separator};
use values::{DateError, excerpt};

/// [`Decoded::encoding`] of a UTF-8 file that starts with a byte order mark (Excel's "CSV UTF-8").
pub const UTF8_BOM: &str = "UTF-8 avec BOM";
/// [`Decoded::encoding`] of a UTF-8 file without BOM.
pub const UTF8: &str = "UTF-8";
/// [`Decoded::encoding`] of a file that is not UTF-8, read as Windows-1252 (Excel's "CSV").
pub const WINDOWS_1252: &str = "Windows-1252";

/// A file's text and the encoding it was read in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without BOM.
    pub text: String,
    /// [`UTF8_BOM`], [`UTF8`] or [`WINDOWS_1252`], to show the admin.
    pub encoding: &'static str,
}

/// Decodes a spreadsheet file. Never fails: a BOM means UTF-8 (bytes that do not decode become
/// U+FFFD, which the parsers refuse as unreadable); otherwise valid UTF-8 is UTF-8, and
/// anything else is Windows-1252, which gives every byte a meaning.
pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return Decoded {
            text: String::from_utf8_lossy(rest).into_owned(),
            encoding: UTF8_BOM,
        };
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Decoded {
            text: text.to_owned(),
            encoding: UTF8,
        },
        Err(_) => Decoded {
            text: encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
            encoding: WINDOWS_1252,
        },
    }
}

/// What is wrong with a line, for code and tests; the message says it to people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Problem {
    /// The file has no header line.
    EmptyFile,
    /// The header lacks a required column, or has one twice (always line 1).
    Header,
    /// A header column is not one of the file's (a warning).
    UnknownColumn,
    /// An empty line, skipped (a warning).
    BlankLine,
    /// A quoted field is never closed.
    UnclosedQuote,
    /// Fewer fields than the header.
    MissingColumns,
    /// More non-empty fields than the header.
    ExtraColumns,
    /// A field is longer than its column allows.
    FieldTooLong,
    /// A field holds a control character or bytes that could not be decoded.
    BadCharacter,
    /// A required field is empty.
    Required,
    /// A date is malformed or does not exist.
    InvalidDate,
    /// A birth date is after today.
    FutureDate,
    /// An e-mail address is malformed.
    InvalidEmail,
    /// A phone number is malformed.
    InvalidPhone,
    /// `Lien` is not `mère`, `père` or `tuteur`.
    InvalidRelation,
    /// A national id has characters other than letters and digits.
    InvalidNationalId,
    /// The line repeats an earlier line of the file.
    Duplicate,
    /// A class the establishment does not have (from the `check_*` functions).
    UnknownClass,
    /// A person's name has no letter (« 😀 », « 123 »).
    NoLetter,
}

/// A problem on one physical line of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// The physical line, 1-based, the header being line 1.
    pub line: usize,
    /// What kind of problem.
    pub problem: Problem,
    /// What is wrong and how to fix it, without the line number.
    pub message: Text,
}

impl LineError {
    /// An error on `line`, for the applier's own checks (a child not found, say).
    pub fn new(line: usize, problem: Problem, message: Text) -> Self {
        Self {
            line,
            problem,
            message,
        }
    }

    /// The message with its line in front: `ligne 5 : …`.
    pub fn text(&self) -> Text {
        Text::new("import-csv-ligne")
            .num("ligne", self.line)
            .text("message", self.message.clone())
    }
}

/// In French, as the command line and the logs say it.
impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text().render(Lang::Fr))
    }
}

impl std::error::Error for LineError {}

/// The result of parsing one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<T> {
    /// The valid rows with their physical line, in file order.
    pub rows: Vec<(usize, T)>,
    /// The errors, by line; a line with an error has no row. An import with errors writes
    /// nothing unless the admin chooses to import the valid lines.
    pub errors: Vec<LineError>,
    /// Warnings (a blank line, an unknown column): shown, and not blocking.
    pub warnings: Vec<LineError>,
    /// The file's encoding, as [`Decoded::encoding`].
    pub encoding: &'static str,
    /// The separator found in the header line.
    pub separator: char,
}

impl<T> Parsed<T> {
    /// Adds `errors` (from [`check_students`], [`check_teachers`] or the applier) and drops the
    /// rows of the lines they name. Errors stay sorted by line.
    pub fn reject(&mut self, errors: Vec<LineError>) {
        if errors.is_empty() {
            return;
        }
        let lines: std::collections::HashSet<usize> = errors.iter().map(|e| e.line).collect();
        self.rows.retain(|(line, _)| !lines.contains(line));
        self.errors.extend(errors);
        self.errors.sort_by_key(|e| e.line);
    }
}

/// A column of a file.
struct Column {
    /// The header as documented, e.g. `Date de naissance`.
    header: &'static str,
    /// Whether the header must have it (false for columns whose values are all optional).
    required: bool,
    /// The longest value accepted, in characters.
    max_chars: usize,
}

/// The longest name accepted.
const NAME_MAX: usize = 100;

/// The fields of one record, matched to the file's columns, with what was wrong so far.
struct Cells<'a> {
    line: usize,
    fields: &'a [Field],
    /// For each column, the field index, or `None` when the header does not have it.
    map: &'a [Option<usize>],
    columns: &'a [Column],
    errors: Vec<LineError>,
}

impl<'a> Cells<'a> {
    fn error(&mut self, problem: Problem, message: Text) {
        self.errors
            .push(LineError::new(self.line, problem, message));
    }

    /// The header of column `col`, as written in messages.
    fn header(&self, col: usize) -> &'static str {
        self.columns.get(col).map_or("?", |c| c.header)
    }

    /// The raw text of column `col` ("" when the header does not have it), or `None` (with an
    /// error) when it is too long or has a bad character.
    fn raw(&mut self, col: usize) -> Option<&'a str> {
        let Some(field) = self
            .map
            .get(col)
            .copied()
            .flatten()
            .and_then(|i| self.fields.get(i))
        else {
            return Some("");
        };
        let max = self.columns.get(col).map_or(0, |c| c.max_chars);
        if field.chars > max {
            let message = Text::new("import-csv-trop-long")
                .str("colonne", self.header(col))
                .grouped("longueur", field.chars)
                .grouped("max", max)
                .str("valeur", excerpt(&field.text));
            self.error(Problem::FieldTooLong, message);
            return None;
        }
        if values::has_bad_char(&field.text) {
            let message = Text::new("import-csv-caractere")
                .str("colonne", self.header(col))
                .str("valeur", excerpt(&field.text));
            self.error(Problem::BadCharacter, message);
            return None;
        }
        Some(field.text.as_str())
    }

    /// An optional text, collapsed: `Some(None)` when empty.
    fn optional(&mut self, col: usize) -> Option<Option<String>> {
        let text = values::collapse(self.raw(col)?);
        Some((!text.is_empty()).then_some(text))
    }

    /// A required text, collapsed (a name, a class).
    fn required(&mut self, col: usize) -> Option<String> {
        match self.optional(col)? {
            Some(text) => Some(text),
            None => {
                let message = Text::new("import-csv-obligatoire").str("colonne", self.header(col));
                self.error(Problem::Required, message);
                None
            }
        }
    }

    /// A required person's name, collapsed, with at least one letter (`text::has_letter`):
    /// « 😀 » or « 123 » is no name.
    fn name(&mut self, col: usize) -> Option<String> {
        let text = self.required(col)?;
        if crate::domain::text::has_letter(&text) {
            return Some(text);
        }
        let message = Text::new("import-csv-nom-sans-lettre")
            .str("colonne", self.header(col))
            .str("valeur", excerpt(&text));
        self.error(Problem::NoLetter, message);
        None
    }

    /// A required birth date, not after `today`.
    fn birth_date(&mut self, col: usize, today: Date) -> Option<Date> {
        let text = self.required(col)?;
        let said = |key| {
            Text::new(key)
                .str("colonne", self.header(col))
                .str("libelle", self.header(col).to_lowercase())
                .str("valeur", excerpt(&text))
        };
        let (problem, message) = match values::parse_date(&text) {
            Ok(date) if date <= today => return Some(date),
            Ok(_) => (Problem::FutureDate, said("import-csv-date-future")),
            Err(DateError::Format) => (Problem::InvalidDate, said("import-csv-date-format")),
            Err(DateError::NoSuchDay) => {
                (Problem::InvalidDate, said("import-csv-date-inexistante"))
            }
        };
        self.error(problem, message);
        None
    }

    /// An optional value checked by `normalize`; `Some(None)` when empty.
    fn optional_with(
        &mut self,
        col: usize,
        normalize: fn(&str) -> Option<String>,
        problem: Problem,
        expected: &'static str,
    ) -> Option<Option<String>> {
        let Some(text) = self.optional(col)? else {
            return Some(None);
        };
        match normalize(&text) {
            Some(value) => Some(Some(value)),
            None => {
                let message = Text::new("import-csv-valeur-invalide")
                    .str("colonne", self.header(col))
                    .str("libelle", self.header(col).to_lowercase())
                    .str("valeur", excerpt(&text))
                    .text("attendu", Text::new(expected));
                self.error(problem, message);
                None
            }
        }
    }
}

/// The expected header, for messages: `Nom;Prénom;…`.
fn expected_header(columns: &[Column], sep: char) -> String {
    columns
        .iter()
        .map(|c| c.header)
        .collect::<Vec<_>>()
        .join(&sep.to_string())
}

/// Maps the header's fields to `columns`: for each column, the field index. Errors are at
/// line 1; warnings name unknown columns.
fn map_header(
    header: &Record,
    columns: &[Column],
    sep: char,
    errors: &mut Vec<LineError>,
    warnings: &mut Vec<LineError>,
) -> Vec<Option<usize>> {
    let keys: Vec<String> = columns.iter().map(|c| values::key(c.header)).collect();
    let mut map = vec![None; columns.len()];
    for (i, field) in header.fields.iter().enumerate() {
        let k = values::key(&field.text);
        match keys.iter().position(|c| *c == k) {
            Some(col) if map[col].is_some() => errors.push(LineError::new(
                1,
                Problem::Header,
                Text::new("import-csv-colonne-double")
                    .str("colonne", columns[col].header)
                    .str("entete", expected_header(columns, sep)),
            )),
            Some(col) => map[col] = Some(i),
            None if k.is_empty() => {}
            None => warnings.push(LineError::new(
                1,
                Problem::UnknownColumn,
                Text::new("import-csv-colonne-inconnue").str("colonne", excerpt(&field.text)),
            )),
        }
    }
    let missing: Vec<&str> = columns
        .iter()
        .zip(&map)
        .filter(|(c, m)| c.required && m.is_none())
        .map(|(c, _)| c.header)
        .collect();
    if !missing.is_empty() {
        errors.push(LineError::new(
            1,
            Problem::Header,
            Text::new("import-csv-colonnes-absentes")
                .num("nombre", missing.len())
                .quoted(
                    "colonnes",
                    missing.iter().map(|m| (*m).to_owned()).collect(),
                )
                .str("entete", expected_header(columns, sep)),
        ));
    }
    map
}

/// Reads a file of `columns`, building each row with `build`. `build` returns `None` only
/// after recording an error in the cells.
fn parse_file<T>(
    bytes: &[u8],
    columns: &[Column],
    mut build: impl FnMut(&mut Cells<'_>) -> Option<T>,
) -> Parsed<T> {
    let decoded = decode(bytes);
    let sep = detect_separator(&decoded.text);
    let mut parsed = Parsed {
        rows: Vec::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
        encoding: decoded.encoding,
        separator: sep,
    };
    let mut reader = Reader::new(&decoded.text, sep);
    let header = match reader.next() {
        Some(Item::Record(header)) if !header.is_blank() => header,
        _ => {
            parsed.errors.push(LineError::new(
                1,
                Problem::EmptyFile,
                Text::new("import-csv-en-tete").str("entete", expected_header(columns, sep)),
            ));
            return parsed;
        }
    };
    let map = map_header(
        &header,
        columns,
        sep,
        &mut parsed.errors,
        &mut parsed.warnings,
    );
    if !parsed.errors.is_empty() {
        return parsed;
    }
    // A row needs a field for each known column of the header; trailing cells that are
    // empty or unknown in the header (Excel's `;` after the last column) may be left out.
    // Mapped header fields are not empty, so `needed <= width`.
    let needed = map.iter().flatten().max().map_or(0, |i| i + 1);
    let width = header
        .fields
        .iter()
        .rposition(|f| !f.text.trim().is_empty())
        .map_or(0, |i| i + 1);

    for item in reader {
        let record = match item {
            Item::UnclosedQuote { line, quote_line } => {
                let message = if quote_line == line {
                    Text::new("import-csv-guillemet")
                } else {
                    Text::new("import-csv-guillemet-ouvert").num("ouvert", quote_line)
                };
                parsed
                    .errors
                    .push(LineError::new(line, Problem::UnclosedQuote, message));
                continue;
            }
            Item::Record(record) => record,
        };
        let line = record.line;
        if record.is_blank() {
            parsed.warnings.push(LineError::new(
                line,
                Problem::BlankLine,
                Text::new("import-csv-ligne-vide"),
            ));
            continue;
        }
        if record.field_count < needed {
            let missing: Vec<&str> = columns
                .iter()
                .zip(&map)
                .filter(|(_, m)| m.is_some_and(|i| i >= record.field_count))
                .map(|(c, _)| c.header)
                .collect();
            parsed.errors.push(LineError::new(
                line,
                Problem::MissingColumns,
                Text::new("import-csv-champs-manquants")
                    .num("champs", record.field_count)
                    .num("largeur", width)
                    .num("nombre", missing.len())
                    .str("colonnes", missing.join(", "))
                    .str("separateur", sep),
            ));
            continue;
        }
        let extra_filled = record.field_count > record.fields.len()
            || record.fields[width.min(record.fields.len())..]
                .iter()
                .any(|f| !f.text.trim().is_empty());
        if extra_filled {
            parsed.errors.push(LineError::new(
                line,
                Problem::ExtraColumns,
                Text::new("import-csv-champs-en-trop")
                    .grouped("champs", record.field_count)
                    .num("largeur", width)
                    .str("separateur", sep),
            ));
            continue;
        }
        let mut cells = Cells {
            line,
            fields: &record.fields,
            map: &map,
            columns,
            errors: Vec::new(),
        };
        let row = build(&mut cells);
        match row {
            Some(row) if cells.errors.is_empty() => parsed.rows.push((line, row)),
            _ if cells.errors.is_empty() => parsed.errors.push(LineError::new(
                line,
                Problem::Required,
                Text::new("import-csv-illisible"),
            )),
            _ => parsed.errors.append(&mut cells.errors),
        }
    }
    parsed
}
