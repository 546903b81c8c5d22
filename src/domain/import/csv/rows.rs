//! The three files' columns and rows, the repeats inside a file, and the class checks that
//! need the establishment's classes.

use std::collections::HashMap;

use jiff::civil::Date;

use super::values::{self, excerpt, key};
use super::{Cells, Column, LineError, NAME_MAX, Parsed, Problem, parse_file};
use crate::i18n::{Arg, Text};
use crate::model::directory::Relation;

/// A row of `eleves.csv`: `Nom;Prénom;Date de naissance;Classe;Identifiant national`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudentRow {
    /// Nom, trimmed and collapsed, as written (`PONS-ROUVIÈRE`, `DA SILVA`).
    pub last_name: String,
    /// Prénom, trimmed and collapsed, as written (`Éloïse`).
    pub first_name: String,
    /// Date de naissance.
    pub birth_date: Date,
    /// Classe, as written (collapsed); see [`find_class`].
    pub class: String,
    /// Identifiant national (INE), upper case without spaces, when given. Re-imports match on
    /// it when present, else on nom + prénom + date.
    pub national_id: Option<String>,
}

/// A row of `parents.csv`, one parent–child link:
/// `Nom;Prénom;Courriel;Téléphone;Nom de l'enfant;Prénom de l'enfant;Date de naissance de l'enfant;Lien`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParentRow {
    /// The parent's nom.
    pub last_name: String,
    /// The parent's prénom.
    pub first_name: String,
    /// Courriel, lower case, when given.
    pub email: Option<String>,
    /// Téléphone: ten digits for a French number (`0639983104`), `+` and digits otherwise.
    pub phone: Option<String>,
    /// The child's nom, to match a pupil.
    pub child_last_name: String,
    /// The child's prénom.
    pub child_first_name: String,
    /// The child's date of birth.
    pub child_birth_date: Date,
    /// Lien.
    pub relation: Relation,
}

/// A row of `enseignants.csv`: `Nom;Prénom;Courriel;Disciplines;Classes`. The teacher teaches
/// every subject in every class listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeacherRow {
    /// Nom.
    pub last_name: String,
    /// Prénom.
    pub first_name: String,
    /// Courriel, lower case, when given.
    pub email: Option<String>,
    /// Disciplines, from the comma-separated cell, as written, without repeats.
    pub subjects: Vec<String>,
    /// Classes, from the comma-separated cell, as written, without repeats.
    pub classes: Vec<String>,
}

const fn column(header: &'static str, required: bool, max_chars: usize) -> Column {
    Column {
        header,
        required,
        max_chars,
    }
}

const STUDENT_COLUMNS: [Column; 5] = [
    column("Nom", true, NAME_MAX),
    column("Prénom", true, NAME_MAX),
    column("Date de naissance", true, 40),
    column("Classe", true, 30),
    column("Identifiant national", false, 30),
];

const PARENT_COLUMNS: [Column; 8] = [
    column("Nom", true, NAME_MAX),
    column("Prénom", true, NAME_MAX),
    column("Courriel", false, 254),
    column("Téléphone", false, 40),
    column("Nom de l'enfant", true, NAME_MAX),
    column("Prénom de l'enfant", true, NAME_MAX),
    column("Date de naissance de l'enfant", true, 40),
    column("Lien", true, 30),
];

const TEACHER_COLUMNS: [Column; 5] = [
    column("Nom", true, NAME_MAX),
    column("Prénom", true, NAME_MAX),
    column("Courriel", false, 254),
    column("Disciplines", true, 1_000),
    column("Classes", true, 1_000),
];

/// What an e-mail, a phone number, a national id look like (Fluent keys).
const EMAIL_HINT: &str = "import-csv-attendu-courriel";
const PHONE_HINT: &str = "import-csv-attendu-telephone";
const NATIONAL_ID_HINT: &str = "import-csv-attendu-identifiant";

/// Parses `eleves.csv`; a birth date after `today` is an error. Repeats are errors on the later
/// line: same nom, prénom and date, or same national id. Classes are checked by
/// [`check_students`].
pub fn parse_students(bytes: &[u8], today: Date) -> Parsed<StudentRow> {
    let mut parsed = parse_file(bytes, &STUDENT_COLUMNS, |c: &mut Cells<'_>| {
        let last_name = c.name(0);
        let first_name = c.name(1);
        let birth_date = c.birth_date(2, today);
        let class = c.required(3);
        let national_id = c.optional_with(
            4,
            values::normalize_national_id,
            Problem::InvalidNationalId,
            NATIONAL_ID_HINT,
        );
        Some(StudentRow {
            last_name: last_name?,
            first_name: first_name?,
            birth_date: birth_date?,
            class: class?,
            national_id: national_id?,
        })
    });
    let mut by_name = HashMap::new();
    let mut by_id = HashMap::new();
    let mut repeats = Vec::new();
    for (line, row) in &parsed.rows {
        let name = (key(&row.last_name), key(&row.first_name), row.birth_date);
        if let Some(first) = by_name.get(&name) {
            repeats.push(LineError::new(
                *line,
                Problem::Duplicate,
                Text::new("import-csv-eleve-double").num("premiere", *first),
            ));
            continue;
        }
        if let Some(id) = &row.national_id {
            if let Some(first) = by_id.get(id) {
                repeats.push(LineError::new(
                    *line,
                    Problem::Duplicate,
                    Text::new("import-csv-identifiant-double")
                        .str("identifiant", id.as_str())
                        .num("premiere", *first),
                ));
                continue;
            }
            by_id.insert(id.clone(), *line);
        }
        by_name.insert(name, *line);
    }
    parsed.reject(repeats);
    parsed
}

/// Parses `parents.csv`; a child's birth date after `today` is an error. Repeats are errors on
/// the later line: the same parent–child link twice, or an e-mail already given on a row with
/// another name or phone (a parent's rows repeat the same details; phones compare by digits).
pub fn parse_parents(bytes: &[u8], today: Date) -> Parsed<ParentRow> {
    let mut parsed = parse_file(bytes, &PARENT_COLUMNS, |c: &mut Cells<'_>| {
        let last_name = c.name(0);
        let first_name = c.name(1);
        let email = c.optional_with(
            2,
            values::normalize_email,
            Problem::InvalidEmail,
            EMAIL_HINT,
        );
        let phone = c.optional_with(
            3,
            values::normalize_phone,
            Problem::InvalidPhone,
            PHONE_HINT,
        );
        let child_last_name = c.name(4);
        let child_first_name = c.name(5);
        let child_birth_date = c.birth_date(6, today);
        let relation = c.required(7).and_then(|text| {
            let relation = values::parse_relation(&text);
            if relation.is_none() {
                c.error(
                    Problem::InvalidRelation,
                    Text::new("import-csv-lien-inconnu").str("valeur", excerpt(&text)),
                );
            }
            relation
        });
        Some(ParentRow {
            last_name: last_name?,
            first_name: first_name?,
            email: email?,
            phone: phone?,
            child_last_name: child_last_name?,
            child_first_name: child_first_name?,
            child_birth_date: child_birth_date?,
            relation: relation?,
        })
    });
    let mut links = HashMap::new();
    let mut emails: HashMap<&str, (usize, &ParentRow)> = HashMap::new();
    let mut repeats = Vec::new();
    for (line, row) in &parsed.rows {
        let parent = (key(&row.last_name), key(&row.first_name));
        let link = (
            parent.clone(),
            key(&row.child_last_name),
            key(&row.child_first_name),
            row.child_birth_date,
        );
        if let Some(first) = links.get(&link) {
            repeats.push(LineError::new(
                *line,
                Problem::Duplicate,
                Text::new("import-csv-lien-double").num("premiere", *first),
            ));
            continue;
        }
        if let Some(email) = &row.email {
            if let Some((first, other)) = emails.get(email.as_str()) {
                let same_name = (key(&other.last_name), key(&other.first_name)) == parent;
                let message = if !same_name {
                    Some(
                        Text::new("import-csv-courriel-parent-double")
                            .str("courriel", excerpt(email))
                            .num("premiere", *first)
                            .str("prenom", other.first_name.as_str())
                            .str("nom", other.last_name.as_str()),
                    )
                } else if other.phone != row.phone {
                    Some(Text::new("import-csv-telephone-different").num("premiere", *first))
                } else {
                    None
                };
                if let Some(message) = message {
                    repeats.push(LineError::new(*line, Problem::Duplicate, message));
                    continue;
                }
            } else {
                emails.insert(email, (*line, row));
            }
        }
        links.insert(link, *line);
    }
    parsed.reject(repeats);
    parsed
}

/// Parses `enseignants.csv`. Repeats are errors on the later line: the same nom and prénom, or
/// the same e-mail. Classes are checked by [`check_teachers`]; subjects are created if absent.
pub fn parse_teachers(bytes: &[u8]) -> Parsed<TeacherRow> {
    let mut parsed = parse_file(bytes, &TEACHER_COLUMNS, |c: &mut Cells<'_>| {
        let last_name = c.name(0);
        let first_name = c.name(1);
        let email = c.optional_with(
            2,
            values::normalize_email,
            Problem::InvalidEmail,
            EMAIL_HINT,
        );
        let subjects = c.raw(3).map(values::split_list);
        let classes = c.raw(4).map(values::split_list);
        Some(TeacherRow {
            last_name: last_name?,
            first_name: first_name?,
            email: email?,
            subjects: subjects?,
            classes: classes?,
        })
    });
    let mut by_name = HashMap::new();
    let mut by_email = HashMap::new();
    let mut repeats = Vec::new();
    for (line, row) in &parsed.rows {
        let name = (key(&row.last_name), key(&row.first_name));
        if let Some(first) = by_name.get(&name) {
            repeats.push(LineError::new(
                *line,
                Problem::Duplicate,
                Text::new("import-csv-enseignant-double").num("premiere", *first),
            ));
            continue;
        }
        if let Some(email) = &row.email {
            if let Some(first) = by_email.get(email) {
                repeats.push(LineError::new(
                    *line,
                    Problem::Duplicate,
                    Text::new("import-csv-courriel-enseignant-double")
                        .str("courriel", excerpt(email))
                        .num("premiere", *first),
                ));
                continue;
            }
            by_email.insert(email.clone(), *line);
        }
        by_name.insert(name, *line);
    }
    parsed.reject(repeats);
    parsed
}

/// The establishment's class that `given` names, ignoring case, accents and extra spaces
/// (`6a` is `6A`, `6 A` is not).
pub fn find_class<'k>(given: &str, known: &[&'k str]) -> Option<&'k str> {
    let given = key(given);
    known.iter().copied().find(|k| key(k) == given)
}

/// The classes, for a message ("none" when there are none).
fn class_list(known: &[&str]) -> Arg {
    const SHOWN: usize = 20;
    let mut list = known
        .iter()
        .take(SHOWN)
        .map(|k| excerpt(k))
        .collect::<Vec<_>>()
        .join(", ");
    if known.len() > SHOWN {
        list.push_str(", …");
    }
    if list.is_empty() {
        return Arg::Text(Box::new(Text::new("import-csv-aucune-classe")));
    }
    Arg::Str(list)
}

fn unknown_class(line: usize, classes: &[&str], known: &[&str]) -> LineError {
    LineError::new(
        line,
        Problem::UnknownClass,
        Text::new("import-csv-classes-inconnues")
            .num("nombre", classes.len())
            .quoted("classes", classes.iter().map(|c| excerpt(c)).collect())
            .arg("existantes", class_list(known)),
    )
}

/// `classe inconnue`: the rows whose class is not one of `known_classes` (the establishment's,
/// from the store). Pass the result to [`Parsed::reject`].
pub fn check_students(rows: &[(usize, StudentRow)], known_classes: &[&str]) -> Vec<LineError> {
    rows.iter()
        .filter(|(_, row)| find_class(&row.class, known_classes).is_none())
        .map(|(line, row)| unknown_class(*line, &[row.class.as_str()], known_classes))
        .collect()
}

/// `classe inconnue`: one error per row listing its classes that are not in `known_classes`.
/// Pass the result to [`Parsed::reject`].
pub fn check_teachers(rows: &[(usize, TeacherRow)], known_classes: &[&str]) -> Vec<LineError> {
    rows.iter()
        .filter_map(|(line, row)| {
            let unknown: Vec<&str> = row
                .classes
                .iter()
                .map(String::as_str)
                .filter(|c| find_class(c, known_classes).is_none())
                .collect();
            (!unknown.is_empty()).then(|| unknown_class(*line, &unknown, known_classes))
        })
        .collect()
}
