//! A pure parser for the académie's AAF export (*Annuaire Académique Fédérateur*,
//! `ficAlimMENESR` XML files): it reads files and returns typed records, and never touches
//! the store. The contract is `shared/fixtures/README.md`, section 1.
//!
//! # API
//! - [`select_files`]`(dir)` → [`AafSelection`]: the AAF files directly in `dir`, in
//!   import order, and the names of the other files. Order: the Complet before the Deltas,
//!   Deltas by date; within one export EtabEducNat, MatiereEducNat, PersEducNat,
//!   PersRelEleve, then Eleve (structures and subjects before the people who refer to them,
//!   relatives before the students who link to them).
//! - [`parse_file`]`(path)` / [`parse_bytes`]`(name, bytes)` → [`AafFile`]: kind
//!   ([`ExportKind`]), date and [`Category`] from the file name, and the [`AafRecords`] of
//!   that category. Each [`AafRecord`] has its académie id (`<identifier><id>`) and a
//!   [`Change`]: `Add(record)`, `Modify(patch)` with only the replaced attributes, or
//!   `Delete`.
//! - Record types: [`Establishment`], [`Subject`], [`Student`], [`Relative`], [`Staff`], each
//!   with its `…Patch`; their parts [`Identity`], [`StructRef`], [`AafClass`], [`AafGroup`],
//!   [`RelativeLink`], [`AafFunction`], [`TeachingRef`].
//! - Errors: [`AafError`], in French, naming the file and, where known, record and attribute.
//!
//! # Reading rules
//! Values are trimmed; `<value/>` is empty; multi-valued attributes repeat `<value>`;
//! attribute names compare without case; unknown attributes are ignored; dates are
//! `JJ/MM/AAAA`; the first field of a `$` composite is the structure id (`63999`), not the UAI.
//! The encoding comes from the XML declaration (UTF-8, ISO-8859-15…).
//!
//! # Safety
//! The standard `<!DOCTYPE ficAlimMENESR SYSTEM "ficAlimMENESR.dtd">` is accepted and the DTD
//! never read. A DOCTYPE with an internal subset or an `<!ENTITY`, and any reference to an
//! entity other than the five predefined ones and character references, is refused with
//! [`AafError::Forbidden`]; the DOCTYPE is checked before the root element, so before any
//! record and even before the file name. No other file is opened, nothing is fetched, the
//! XML is streamed and sizes are capped ([`MAX_VALUE_BYTES`], [`MAX_EVENT_BYTES`]). No input
//! makes the parser panic.

mod error;
mod fields;
mod names;
mod persons;
mod records;
mod xml;

#[cfg(test)]
mod tests;

use std::io::Read;
use std::path::Path;

use jiff::civil::Date;

pub use error::AafError;
pub use names::{AafFileName, AafSelection, Category, ExportKind, SelectedFile, select_files};
pub use persons::{
    AafFunction, Identity, IdentityPatch, Relative, RelativeLink, RelativePatch, Staff, StaffPatch,
    Student, StudentPatch, TeachingRef,
};
pub use records::{
    AafClass, AafGroup, Establishment, EstablishmentPatch, EstablishmentType, StructRef, Subject,
    SubjectPatch,
};
pub use xml::{MAX_EVENT_BYTES, MAX_VALUE_BYTES, Operation};

use fields::Fields;
use records::Typed;
use xml::{Document, RawRequest};

/// One parsed AAF file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AafFile {
    /// The file name.
    pub name: String,
    /// Complet or Delta.
    pub kind: ExportKind,
    /// The export's date, from the file name.
    pub date: Date,
    /// What the file holds, from the file name.
    pub category: Category,
    /// The records, in file order.
    pub records: AafRecords,
}

/// The records of one file: one list, of the file's category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AafRecords {
    /// `EtabEducNat`; ids are structure ids.
    Establishments(Vec<AafRecord<Establishment, EstablishmentPatch>>),
    /// `MatiereEducNat`; ids are subject codes.
    Subjects(Vec<AafRecord<Subject, SubjectPatch>>),
    /// `Eleve`; ids are person keys.
    Students(Vec<AafRecord<Student, StudentPatch>>),
    /// `PersRelEleve`; ids are person keys.
    Relatives(Vec<AafRecord<Relative, RelativePatch>>),
    /// `PersEducNat`; ids are person keys.
    Staff(Vec<AafRecord<Staff, StaffPatch>>),
}

impl AafRecords {
    fn new(category: Category) -> AafRecords {
        match category {
            Category::EtabEducNat => AafRecords::Establishments(Vec::new()),
            Category::MatiereEducNat => AafRecords::Subjects(Vec::new()),
            Category::Eleve => AafRecords::Students(Vec::new()),
            Category::PersRelEleve => AafRecords::Relatives(Vec::new()),
            Category::PersEducNat => AafRecords::Staff(Vec::new()),
        }
    }

    /// How many records.
    pub fn len(&self) -> usize {
        match self {
            AafRecords::Establishments(r) => r.len(),
            AafRecords::Subjects(r) => r.len(),
            AafRecords::Students(r) => r.len(),
            AafRecords::Relatives(r) => r.len(),
            AafRecords::Staff(r) => r.len(),
        }
    }

    /// Whether there is no record.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn push(&mut self, file: &str, raw: RawRequest) -> Result<(), AafError> {
        match self {
            AafRecords::Establishments(r) => r.push(typed(file, raw, None)?),
            AafRecords::Subjects(r) => r.push(typed(file, raw, None)?),
            AafRecords::Students(r) => r.push(typed(file, raw, Some("Eleve"))?),
            AafRecords::Relatives(r) => r.push(typed(file, raw, Some("PersRelEleve"))?),
            AafRecords::Staff(r) => r.push(typed(file, raw, Some("PersEducNat"))?),
        }
        Ok(())
    }
}

/// One request of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AafRecord<T, P> {
    /// `<identifier><id>`: the académie's stable key (`ENTPersonJointure` for persons,
    /// structure id, subject code), which re-imports and deltas match on.
    pub id: String,
    /// What the request does.
    pub change: Change<T, P>,
}

impl<T, P> AafRecord<T, P> {
    /// `Add`, `Modify` or `Delete`.
    pub fn operation(&self) -> Operation {
        match self.change {
            Change::Add(_) => Operation::Add,
            Change::Modify(_) => Operation::Modify,
            Change::Delete => Operation::Delete,
        }
    }

    /// The record of an add request.
    pub fn added(&self) -> Option<&T> {
        match &self.change {
            Change::Add(record) => Some(record),
            _ => None,
        }
    }
}

/// What a request does to the record with its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change<T, P> {
    /// `addRequest`: the whole record.
    Add(T),
    /// `modifyRequest`: the attributes replaced (`operation="replace"`, the default), as a
    /// patch.
    Modify(P),
    /// `deleteRequest`: the record leaves.
    Delete,
}

/// Reads one AAF file. Opens only `path`, and streams it.
///
/// # Errors
/// [`AafError::Forbidden`] for a DOCTYPE with an internal subset or an entity declaration,
/// or a non-predefined entity reference; [`AafError::FileName`] if the name is not an AAF
/// name; any other [`AafError`] for unreadable, malformed or invalid content.
pub fn parse_file(path: &Path) -> Result<AafFile, AafError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let file = std::fs::File::open(path).map_err(|source| AafError::Io {
        path: path.to_owned(),
        source,
    })?;
    parse_reader(&name, file)
}

/// Reads one AAF file from memory; `name` is its file name (it gives kind, date and
/// category). Same rules and errors as [`parse_file`].
pub fn parse_bytes(name: &str, bytes: &[u8]) -> Result<AafFile, AafError> {
    parse_reader(name, bytes)
}

fn parse_reader<R: Read>(name: &str, input: R) -> Result<AafFile, AafError> {
    // The name is checked after the prolog, so that a hostile file is reported as such
    // whatever its name.
    let file_name = AafFileName::parse(name);
    let mut document = Document::open(name, input)?;
    document.read_prolog()?;
    let file_name = file_name?.ok_or_else(|| AafError::FileName {
        file: name.to_owned(),
        reason: "le nom doit finir par _Complet|Delta_AAAAMMJJ_Catégorie_NNNN.xml".to_owned(),
    })?;
    let mut records = AafRecords::new(file_name.category);
    while let Some(raw) = document.next_request()? {
        records.push(name, raw)?;
    }
    Ok(AafFile {
        name: name.to_owned(),
        kind: file_name.kind,
        date: file_name.date,
        category: file_name.category,
        records,
    })
}

/// Types one raw request. `person_category` is the `categoriePersonne` expected, if any.
fn typed<T: Typed>(
    file: &str,
    raw: RawRequest,
    person_category: Option<&str>,
) -> Result<AafRecord<T, T::Patch>, AafError> {
    let Some(id) = raw.id.filter(|id| !id.is_empty()) else {
        return Err(AafError::Invalid {
            file: file.to_owned(),
            record: None,
            attribute: None,
            message: "requête sans identifiant <identifier><id>".to_owned(),
        });
    };
    if let Some(expected) = person_category {
        let operational = Fields::new(file, &id, &raw.operational);
        if let Some(Some(found)) = operational.text("categoriePersonne")
            && found != expected
        {
            return Err(operational.error(
                "categoriePersonne",
                format!("personne de catégorie {found} dans un fichier {expected}"),
            ));
        }
    }
    let change = match raw.operation {
        Operation::Add => {
            let fields = Fields::new(file, &id, &raw.attributes);
            Change::Add(T::complete(T::patch(&fields)?, &fields)?)
        }
        Operation::Modify => {
            let fields = Fields::new(file, &id, &raw.modifications);
            if let Some(other) = raw.modifications.iter().find(|m| {
                !m.operation
                    .as_deref()
                    .is_none_or(|op| op.eq_ignore_ascii_case("replace"))
            }) {
                return Err(fields.error(
                    &other.name,
                    format!(
                        "opération de modification « {} » non prise en charge (seul « replace » l'est)",
                        other.operation.as_deref().unwrap_or_default()
                    ),
                ));
            }
            Change::Modify(T::patch(&fields)?)
        }
        Operation::Delete => Change::Delete,
    };
    Ok(AafRecord { id, change })
}
