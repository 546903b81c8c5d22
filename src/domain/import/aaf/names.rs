//! AAF file names (`<préfixe>_{Complet|Delta}_<AAAAMMJJ>_<Catégorie>_<NNNN>.xml`) and the
//! choice and order of the files of an export directory.

use std::cmp::Ordering;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::AafError;

/// Whether a file holds the whole export or the changes since the previous one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExportKind {
    /// `Complet`: every record, as `addRequest`s.
    Complet,
    /// `Delta`: add, modify and delete requests since the previous export.
    Delta,
}

/// What a file holds, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// `EtabEducNat`: establishments, with their classes and groups.
    EtabEducNat,
    /// `MatiereEducNat`: subjects.
    MatiereEducNat,
    /// `Eleve`: students.
    Eleve,
    /// `PersRelEleve`: students' relatives.
    PersRelEleve,
    /// `PersEducNat`: teachers and other staff.
    PersEducNat,
}

impl Category {
    /// Every category, in import order (see [`Category::import_rank`]).
    pub const IN_IMPORT_ORDER: [Category; 5] = [
        Category::EtabEducNat,
        Category::MatiereEducNat,
        Category::PersEducNat,
        Category::PersRelEleve,
        Category::Eleve,
    ];

    /// The name as it appears in file names.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::EtabEducNat => "EtabEducNat",
            Category::MatiereEducNat => "MatiereEducNat",
            Category::Eleve => "Eleve",
            Category::PersRelEleve => "PersRelEleve",
            Category::PersEducNat => "PersEducNat",
        }
    }

    /// Position within one export: establishments, subjects, staff, relatives, then
    /// students. Structures and subjects come before the people who refer to them, and
    /// relatives before the students whose `ENTElevePersRelEleve` links to them.
    pub fn import_rank(self) -> u8 {
        match self {
            Category::EtabEducNat => 0,
            Category::MatiereEducNat => 1,
            Category::PersEducNat => 2,
            Category::PersRelEleve => 3,
            Category::Eleve => 4,
        }
    }

    fn from_name(s: &str) -> Option<Category> {
        Category::IN_IMPORT_ORDER
            .into_iter()
            .find(|c| c.as_str() == s)
    }
}

/// The parts of an AAF file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AafFileName {
    /// What comes before `_Complet`/`_Delta`, e.g. `ENT2D_0639999Z`.
    pub prefix: String,
    /// Complete export or delta.
    pub kind: ExportKind,
    /// The export's date.
    pub date: Date,
    /// What the file holds.
    pub category: Category,
    /// The file's number within its category (`_0000`, `_0001`… for split exports).
    pub sequence: u16,
}

impl AafFileName {
    /// Reads a file name. `Ok(None)` when the name does not match
    /// `_(Complet|Delta)_[0-9]{8}_(EtabEducNat|MatiereEducNat|Eleve|PersRelEleve|PersEducNat)_[0-9]{4}\.xml$`;
    /// an error when it matches but its date does not exist (`20250231`).
    pub fn parse(name: &str) -> Result<Option<AafFileName>, AafError> {
        let Some(stem) = name.strip_suffix(".xml") else {
            return Ok(None);
        };
        let mut parts = stem.rsplitn(5, '_');
        let (Some(seq), Some(cat), Some(date), Some(kind), Some(prefix)) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Ok(None);
        };
        let all_digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(seq, 4) || !all_digits(date, 8) {
            return Ok(None);
        }
        let Some(category) = Category::from_name(cat) else {
            return Ok(None);
        };
        let kind = match kind {
            "Complet" => ExportKind::Complet,
            "Delta" => ExportKind::Delta,
            _ => return Ok(None),
        };
        // Digits only, checked above: these parse, and a bad month or day fails in `Date::new`.
        let year = date[0..4].parse::<i16>().unwrap_or(0);
        let month = date[4..6].parse::<i8>().unwrap_or(0);
        let day = date[6..8].parse::<i8>().unwrap_or(0);
        let date = Date::new(year, month, day).map_err(|_| AafError::FileName {
            file: name.to_owned(),
            reason: format!("la date {date} n'existe pas"),
        })?;
        Ok(Some(AafFileName {
            prefix: prefix.to_owned(),
            kind,
            date,
            category,
            sequence: seq.parse().unwrap_or(0),
        }))
    }

    /// Import order: a Complet before the Deltas, Deltas by date, then by category (see
    /// [`Category::import_rank`]) and number.
    pub fn import_cmp(&self, other: &AafFileName) -> Ordering {
        (
            self.kind,
            self.date,
            self.category.import_rank(),
            self.sequence,
        )
            .cmp(&(
                other.kind,
                other.date,
                other.category.import_rank(),
                other.sequence,
            ))
    }
}

/// One file chosen for import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectedFile {
    /// Where it is.
    pub path: PathBuf,
    /// What its name says.
    pub name: AafFileName,
}

/// The files of an export directory: those to import, in order, and the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AafSelection {
    /// The AAF files, in import order.
    pub files: Vec<SelectedFile>,
    /// The names of the other files directly in the directory, sorted (subdirectories are
    /// not read and not listed).
    pub ignored: Vec<String>,
}

/// Chooses the AAF files directly in `dir` (no recursion) and puts them in import order:
/// the Complet before the Deltas, Deltas by date, and within one export EtabEducNat,
/// MatiereEducNat, PersEducNat, PersRelEleve, then Eleve. Opens no file: it only lists the
/// directory and looks at the entries' types.
///
/// # Errors
/// [`AafError::Io`] if the directory cannot be listed, [`AafError::FileName`] for an AAF name
/// with an impossible date, [`AafError::NoFiles`] if no file has an AAF name.
pub fn select_files(dir: &Path) -> Result<AafSelection, AafError> {
    let io = |source| AafError::Io {
        path: dir.to_owned(),
        source,
    };
    let mut files = Vec::new();
    let mut ignored = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let path = entry.path();
        // Follows symbolic links, as opening the file would.
        let is_file = match std::fs::metadata(&path) {
            Ok(meta) => meta.is_file(),
            Err(source) => return Err(AafError::Io { path, source }),
        };
        if !is_file {
            continue;
        }
        let os_name = entry.file_name();
        let parsed = match os_name.to_str() {
            Some(name) => AafFileName::parse(name)?,
            None => None,
        };
        match parsed {
            Some(name) => files.push(SelectedFile { path, name }),
            None => ignored.push(os_name.to_string_lossy().into_owned()),
        }
    }
    if files.is_empty() {
        return Err(AafError::NoFiles {
            dir: dir.to_owned(),
        });
    }
    files.sort_by(|a, b| a.name.import_cmp(&b.name).then_with(|| a.path.cmp(&b.path)));
    ignored.sort();
    Ok(AafSelection { files, ignored })
}
