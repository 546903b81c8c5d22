//! The documents pages (`/documents`, issue 7 §2) and their JSON API (`/api/v1/documents…`):
//! spaces, folders, files with versions, shares, the trash, uploads (several files at once,
//! streamed into the blob store; drag and drop by `assets/public/documents.js`), downloads with
//! ranges and a preview only for safe types.
//!
//! Handlers extract, call `domain::documents` (which decides every permission: what the actor
//! may not read is "not found", whatever its id) and render. A refusal the user can act on (a
//! name taken, a file too large, a full quota, a grantee the rules forbid) is said in French
//! beside the form, with status 422, and nothing is written.

pub mod actions;
pub mod api;
pub mod download;
pub mod manage;
pub mod pages;
pub mod upload;

use super::extract::Tr;
use crate::domain::documents::DocumentError;
use crate::domain::documents::views::{NodeView, SpaceName};
use crate::error::Error;
use crate::http::frame::{OrPage, PageError};
use crate::http::path_ids::{Segment, parse_id};
use crate::model::directory::{ClassId, GroupId, PersonId};
use crate::model::documents::{Grantee, NodeId, Space};

/// Runs a domain call on the blocking pool; the domain's refusal is kept for the caller to
/// show (only a failed task becomes a page error).
pub(crate) async fn call<T: Send + 'static>(
    t: &Tr,
    f: impl FnOnce() -> Result<T, DocumentError> + Send + 'static,
) -> Result<Result<T, DocumentError>, PageError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| PageError(Error::Io(std::io::Error::other(e)), t.clone()))
}

/// Runs a domain call; any refusal becomes the error page (404, 403, …).
pub(crate) async fn run<T: Send + 'static>(
    t: &Tr,
    f: impl FnOnce() -> Result<T, DocumentError> + Send + 'static,
) -> Result<T, PageError> {
    call(t, f).await?.or_page(t)
}

/// A refusal that is not said beside a form: the error page with its status.
pub(crate) fn page_error(t: &Tr, e: DocumentError) -> PageError {
    PageError(e.into(), t.clone())
}

/// The space of a slug (`perso-12`, `classe-7`…) whose number is an id by the path ids' rule.
pub fn parse_space(slug: &str) -> Option<Space> {
    let (_, id) = slug.split_once('-')?;
    parse_id(id)?;
    Space::from_slug(slug)
}

/// A space in the path (`/documents/{space}`): anything else is "not found".
impl Segment for Space {
    fn from_segment(text: &str) -> Option<Space> {
        parse_space(text)
    }
}

/// The space of a form field; anything else is "not found".
pub(crate) fn space_of(slug: &str, t: &Tr) -> Result<Space, PageError> {
    parse_space(slug).ok_or_else(|| PageError(Error::NotFound, t.clone()))
}

/// A folder's id from a form field or a query (blank: none); anything else is "not found".
pub(crate) fn folder_field(text: &str) -> Result<Option<NodeId>, DocumentError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    parse_id(text.trim())
        .map(|n| Some(NodeId(n)))
        .ok_or(DocumentError::NotFound)
}

/// The page of a space's root or of one of its folders.
pub fn listing_href(space: Space, folder: Option<NodeId>) -> String {
    match folder {
        None => format!("/documents/{}", space.slug()),
        Some(f) => format!("/documents/{}/dossier/{}", space.slug(), f.0),
    }
}

/// The page of a file.
pub fn file_href(id: NodeId) -> String {
    format!("/documents/fichier/{}", id.0)
}

/// Where to go back to after acting on a node: the folder it is in when the actor may open it,
/// else the documents home.
pub(crate) fn parent_href(view: &NodeView) -> String {
    match view.node.parent {
        Some(p) if view.path.last().map(|(id, _)| *id) == Some(p) => {
            listing_href(view.node.space, Some(p))
        }
        None if view.space_open => listing_href(view.node.space, None),
        _ => "/documents".to_owned(),
    }
}

/// The name of a space in the visitor's language.
pub(crate) fn space_title(t: &Tr, name: &SpaceName) -> String {
    match name {
        SpaceName::Mine => t.msg("documents-mes-documents"),
        SpaceName::Of(person) => t.msg1("documents-de", "nom", person),
        SpaceName::Named(n) => n.clone(),
    }
}

/// A grantee's code in forms and the API: `personne-12`, `classe-7`, `groupe-9`.
pub fn grantee_code(g: Grantee) -> String {
    match g {
        Grantee::Person(p) => format!("personne-{}", p.0),
        Grantee::Class(c) => format!("classe-{}", c.0),
        Grantee::Group(g) => format!("groupe-{}", g.0),
    }
}

/// Parses [`grantee_code`].
pub fn parse_grantee(code: &str) -> Option<Grantee> {
    let (kind, id) = code.trim().split_once('-')?;
    let id = parse_id(id)?;
    Some(match kind {
        "personne" => Grantee::Person(PersonId(id)),
        "classe" => Grantee::Class(ClassId(id)),
        "groupe" => Grantee::Group(GroupId(id)),
        _ => return None,
    })
}

/// A destination's code in the move and copy forms: `classe-7` (the root) or `classe-7:45`
/// (a folder of it).
pub fn destination_code(space: Space, folder: Option<NodeId>) -> String {
    match folder {
        None => space.slug(),
        Some(f) => format!("{}:{}", space.slug(), f.0),
    }
}

/// Parses [`destination_code`].
pub fn parse_destination(code: &str) -> Option<(Space, Option<NodeId>)> {
    match code.trim().split_once(':') {
        None => Some((parse_space(code.trim())?, None)),
        Some((slug, folder)) => Some((parse_space(slug)?, Some(NodeId(parse_id(folder.trim())?)))),
    }
}

/// A size as people read it, French style: "532 octets", "12 Ko", "12,3 Mo", "5 Go".
pub fn size_text(t: &Tr, bytes: u64) -> String {
    Sizes::new(t).text(bytes)
}

/// Size texts for the rows of a listing: each unit's pattern is translated once, not once a
/// row (a translation costs more than the rest of a row).
pub struct Sizes<'a> {
    t: &'a Tr,
    /// "{n} Ko", "{n} Mo", "{n} Go" with [`Sizes::HOLE`] for the number.
    units: [String; 3],
}

impl<'a> Sizes<'a> {
    const HOLE: &'static str = "\u{1}";

    /// The unit patterns in the page's language.
    pub fn new(t: &'a Tr) -> Sizes<'a> {
        Sizes {
            t,
            units: [
                t.msg1("documents-taille-ko", "n", Self::HOLE),
                t.msg1("documents-taille-mo", "n", Self::HOLE),
                t.msg1("documents-taille-go", "n", Self::HOLE),
            ],
        }
    }

    /// "532 octets", "12 Ko", "12,2 Mo" (French decimal comma), "5 Go".
    pub fn text(&self, bytes: u64) -> String {
        const KIB: u64 = 1024;
        const MIB: u64 = 1024 * 1024;
        const GIB: u64 = 1024 * 1024 * 1024;
        let t = self.t;
        let tenths = |unit: u64| -> String {
            let tenths = u128::from(bytes) * 10 / u128::from(unit);
            let (whole, tenth) = (tenths / 10, tenths % 10);
            if tenth == 0 {
                whole.to_string()
            } else if t.code() == "fr" {
                format!("{whole},{tenth}")
            } else {
                format!("{whole}.{tenth}")
            }
        };
        let (unit, pattern) = if bytes < KIB {
            return t.count("documents-taille-octets", "n", bytes);
        } else if bytes < MIB {
            (KIB, &self.units[0])
        } else if bytes < GIB {
            (MIB, &self.units[1])
        } else {
            (GIB, &self.units[2])
        };
        pattern.replace(Self::HOLE, &tenths(unit))
    }
}

/// The translation key of a kind of file, from its content type (the listing's "Type", the
/// file page's): a kind in words (« Document PDF », « Image PNG », « Document Word »), never the
/// raw content type (issue 14 §8).
pub(crate) fn kind_key(content_type: &str) -> &'static str {
    let base = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match base.as_str() {
        "application/pdf" => "documents-type-pdf",
        "image/png" => "documents-type-image-png",
        "image/jpeg" => "documents-type-image-jpeg",
        "image/gif" => "documents-type-image-gif",
        "image/webp" => "documents-type-image-webp",
        "image/svg+xml" => "documents-type-image-svg",
        "text/plain" => "documents-type-texte",
        "text/markdown" => "documents-type-markdown",
        "text/csv" => "documents-type-csv",
        "text/html" => "documents-type-html",
        "application/msword"
        | "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
            "documents-type-word"
        }
        "application/vnd.oasis.opendocument.text" => "documents-type-traitement-texte",
        "application/vnd.ms-excel"
        | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => {
            "documents-type-excel"
        }
        "application/vnd.oasis.opendocument.spreadsheet" => "documents-type-tableur",
        "application/vnd.ms-powerpoint"
        | "application/vnd.openxmlformats-officedocument.presentationml.presentation" => {
            "documents-type-powerpoint"
        }
        "application/vnd.oasis.opendocument.presentation" => "documents-type-presentation",
        "audio/mpeg" => "documents-type-audio",
        "video/mp4" => "documents-type-video",
        "application/zip" => "documents-type-archive",
        other if other.starts_with("image/") => "documents-type-image",
        other if other.starts_with("audio/") => "documents-type-audio",
        other if other.starts_with("video/") => "documents-type-video",
        other if other.starts_with("text/") => "documents-type-texte",
        _ => "documents-type-fichier",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tr(lang: crate::i18n::Lang) -> Tr {
        Tr::new(
            lang,
            std::sync::Arc::new(crate::i18n::Catalog::load().unwrap()),
        )
    }

    #[test]
    fn sizes_read_the_french_way() {
        let t = tr(crate::i18n::Lang::Fr);
        assert_eq!(size_text(&t, 1), "1 octet");
        assert_eq!(size_text(&t, 532), "532 octets");
        assert_eq!(size_text(&t, 12 * 1024), "12 Ko");
        assert_eq!(size_text(&t, 12 * 1024 * 1024 + 300 * 1024), "12,2 Mo");
        assert_eq!(size_text(&t, 500 * 1024 * 1024), "500 Mo");
        assert_eq!(size_text(&t, 5 * 1024 * 1024 * 1024), "5 Go");
        let en = tr(crate::i18n::Lang::En);
        assert_eq!(size_text(&en, 3 * 1024 * 1024 / 2), "1.5 MB");
    }

    #[test]
    fn kinds_are_words_never_content_types() {
        let t = tr(crate::i18n::Lang::Fr);
        for (content_type, kind) in [
            ("text/plain; charset=utf-8", "Texte"),
            ("application/pdf", "Document PDF"),
            ("image/png", "Image PNG"),
            (
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "Document Word",
            ),
            (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "Classeur Excel",
            ),
            ("application/vnd.oasis.opendocument.spreadsheet", "Classeur"),
            ("image/x-icon", "Image"),
            ("application/x-unknown", "Fichier"),
        ] {
            assert_eq!(t.msg(kind_key(content_type)), kind, "{content_type}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for g in [
            Grantee::Person(PersonId(12)),
            Grantee::Class(ClassId(7)),
            Grantee::Group(GroupId(9)),
        ] {
            assert_eq!(parse_grantee(&grantee_code(g)), Some(g));
        }
        assert_eq!(parse_grantee("personne-0"), None);
        assert_eq!(parse_grantee("eleve-3"), None);
        let space = Space::Class(ClassId(7));
        assert_eq!(
            parse_destination(&destination_code(space, None)),
            Some((space, None))
        );
        assert_eq!(
            parse_destination(&destination_code(space, Some(NodeId(45)))),
            Some((space, Some(NodeId(45))))
        );
        assert_eq!(parse_destination("classe-7:x"), None);
        assert_eq!(parse_destination("dossier-7"), None);
    }
}
