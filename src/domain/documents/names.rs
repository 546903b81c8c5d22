//! File and folder names, and the content type a file is served with.

use super::DocumentError;

/// Whether a character is invisible formatting: Unicode's general category Cf (bidirectional
/// marks, embeddings, overrides and isolates — U+200E, U+200F, U+061C, U+202A–U+202E,
/// U+2066–U+2069 —, zero-width spaces and joiners U+200B–U+200D, the byte-order mark U+FEFF,
/// the soft hyphen, invisible operators, tags…) and the line and paragraph separators. In a
/// file name they only serve to make it read other than it is ("fdp\u{202e}fdp.exe").
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061c}'
            | '\u{06dd}'
            | '\u{070f}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08e2}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{110bd}'
            | '\u{110cd}'
            | '\u{13430}'..='\u{1343f}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0001}'
            | '\u{e0020}'..='\u{e007f}'
    )
}

/// A name as stored: the last path component, no control characters and no invisible
/// formatting ([`is_invisible_format`]: bidirectional marks and overrides, zero-width
/// characters…), no leading dots, at most 200 characters. Empty after cleaning: refused.
/// Documents and messaging attachments both clean names here.
pub fn clean_name(raw: &str) -> Result<String, DocumentError> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !is_invisible_format(*c))
        .take(200)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_owned();
    if cleaned.is_empty() {
        return Err(DocumentError::Invalid("documents-error-name"));
    }
    Ok(cleaned)
}

/// The content type a file is served with, from its name (the declared type is not trusted):
/// `mime_guess`'s table, with `charset=utf-8` on text (files are stored as uploaded; UTF-8 is
/// what French schools' tools write).
pub fn content_type_of(name: &str) -> String {
    let mime = mime_guess::from_path(name).first_or_octet_stream();
    if mime.type_() == mime_guess::mime::TEXT {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_owned()
    }
}

/// Whether a content type may be shown inline (in the browser's own viewer): images that
/// cannot carry script, and PDF. Never HTML, SVG or anything else a user uploaded.
pub fn is_safe_inline(content_type: &str) -> bool {
    matches!(
        content_type,
        "application/pdf" | "image/png" | "image/jpeg" | "image/gif" | "image/webp"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_of_the_usual_school_files() {
        for (name, expected) in [
            ("cours.pdf", "application/pdf"),
            ("photo.PNG", "image/png"),
            ("sortie.jpg", "image/jpeg"),
            ("sortie.jpeg", "image/jpeg"),
            ("anim.gif", "image/gif"),
            ("img.webp", "image/webp"),
            ("notes.txt", "text/plain; charset=utf-8"),
            ("liste.csv", "text/csv; charset=utf-8"),
            ("page.html", "text/html; charset=utf-8"),
            ("schema.svg", "image/svg+xml"),
            (
                "devoir.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            (
                "notes.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                "diapo.pptx",
                "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            ),
            ("devoir.odt", "application/vnd.oasis.opendocument.text"),
            (
                "notes.ods",
                "application/vnd.oasis.opendocument.spreadsheet",
            ),
            (
                "diapo.odp",
                "application/vnd.oasis.opendocument.presentation",
            ),
            ("chanson.mp3", "audio/mpeg"),
            ("film.mp4", "video/mp4"),
            ("archive.zip", "application/zip"),
            ("sans-extension", "application/octet-stream"),
            ("donnees.bin", "application/octet-stream"),
        ] {
            assert_eq!(content_type_of(name), expected, "{name}");
        }
        assert!(content_type_of("lisez-moi.md").starts_with("text/"));
    }
}
