//! What can go wrong while selecting or reading AAF files. Messages are French: the
//! administrator running the import reads them as they are.

use std::path::PathBuf;

/// What can go wrong while selecting or reading an AAF export. Every variant names the
/// directory or file; record-level variants also name the record (`<identifier><id>`) and the
/// attribute when they are known.
#[derive(Debug, thiserror::Error)]
pub enum AafError {
    /// The directory holds no file with an AAF name.
    #[error(
        "{} : aucun fichier AAF dans ce dossier (noms attendus : …_Complet_AAAAMMJJ_Catégorie_NNNN.xml ou …_Delta_…)",
        dir.display()
    )]
    NoFiles {
        /// The directory.
        dir: PathBuf,
    },
    /// The directory or a file could not be read.
    #[error("{} : lecture impossible : {source}", path.display())]
    Io {
        /// The directory or file.
        path: PathBuf,
        /// The system's error.
        #[source]
        source: std::io::Error,
    },
    /// The file's name is not an AAF name, or the date in it does not exist.
    #[error("{file} : nom de fichier AAF non reconnu : {reason}")]
    FileName {
        /// The file name.
        file: String,
        /// Why.
        reason: String,
    },
    /// The file is refused for safety: a DTD internal subset, an entity declaration or a
    /// reference to an entity that is neither predefined nor a character reference.
    #[error("{file} : fichier refusé : {reason}")]
    Forbidden {
        /// The file name.
        file: String,
        /// The cause, e.g. "déclaration DTD interne ou d'entité interdite".
        reason: String,
    },
    /// The declared encoding is not supported, or the bytes are not valid in it.
    #[error("{file} : {message}")]
    Encoding {
        /// The file name.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// The file is not well-formed XML.
    #[error("{file} : XML mal formé vers l'octet {position} : {message}")]
    Xml {
        /// The file name.
        file: String,
        /// Byte offset (in the decoded text) where the parser stopped.
        position: u64,
        /// The parser's description.
        message: String,
    },
    /// A value or an XML construct is larger than the parser accepts.
    #[error(
        "{file}{} : {what} dépasse la taille maximale acceptée ({limit} octets)",
        location(record.as_deref(), attribute.as_deref())
    )]
    TooLarge {
        /// The file name.
        file: String,
        /// The record, if known.
        record: Option<String>,
        /// The attribute, if known.
        attribute: Option<String>,
        /// What is too large ("une valeur", "un élément XML").
        what: &'static str,
        /// The limit in bytes.
        limit: usize,
    },
    /// Well-formed XML that is not valid AAF content: missing identifier or attribute, a
    /// date that is not `JJ/MM/AAAA`, a `$` value with too few fields…
    #[error("{file}{} : {message}", location(record.as_deref(), attribute.as_deref()))]
    Invalid {
        /// The file name.
        file: String,
        /// The record, if known.
        record: Option<String>,
        /// The attribute, if known.
        attribute: Option<String>,
        /// What is wrong, in French.
        message: String,
    },
}

/// " (enregistrement 3100001, attribut sn)", or the part of it that is known.
fn location(record: Option<&str>, attribute: Option<&str>) -> String {
    match (record, attribute) {
        (Some(r), Some(a)) => format!(" (enregistrement {r}, attribut {a})"),
        (Some(r), None) => format!(" (enregistrement {r})"),
        (None, Some(a)) => format!(" (attribut {a})"),
        (None, None) => String::new(),
    }
}
