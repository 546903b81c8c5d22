//! File and folder names, and the content type a file is served with.

use super::DocumentError;
use crate::domain::text;

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

/// The look-alike a slash typed in a name is kept as: U+2215 DIVISION SLASH (« ∕ »), so
/// « Devoirs 2025/2026 » stays whole and no name is ever a path.
pub const SLASH_LOOK_ALIKE: char = '\u{2215}';
/// The look-alike of a backslash: U+29F5 REVERSE SOLIDUS OPERATOR (« ⧵ »).
pub const BACKSLASH_LOOK_ALIKE: char = '\u{29f5}';

/// Longest file or folder name, in characters.
pub const NAME_MAX: usize = 200;

/// A name a person typed (a folder created, a file or folder renamed), as stored: the text
/// hygiene of one line ([`text::single_line`]: NFC, one space at a time, trimmed), no control
/// character and no invisible formatting ([`is_invisible_format`]: bidirectional marks and
/// overrides, zero-width characters…), slashes kept as look-alikes ([`SLASH_LOOK_ALIKE`],
/// [`BACKSLASH_LOOK_ALIKE`]), no leading dots, at most [`NAME_MAX`] characters. Empty after
/// cleaning: refused. The whole name is kept: nothing before a slash is lost.
pub fn clean_name(raw: &str) -> Result<String, DocumentError> {
    let visible: String = raw
        .chars()
        .filter(|c| !c.is_control() && !is_invisible_format(*c))
        .map(|c| match c {
            '/' => SLASH_LOOK_ALIKE,
            '\\' => BACKSLASH_LOOK_ALIKE,
            c => c,
        })
        .collect();
    let line = text::single_line(&visible);
    let cut: String = line
        .trim_start_matches(|c: char| c == '.' || c.is_whitespace())
        .chars()
        .take(NAME_MAX)
        .collect();
    let cleaned = cut.trim_end();
    if cleaned.is_empty() {
        return Err(DocumentError::Invalid("documents-error-name"));
    }
    Ok(cleaned.to_owned())
}

/// The name of an uploaded file (documents and messaging attachments), as stored. A browser
/// sends the file's name; some send a path instead: the old Windows ones the whole path
/// (`C:\\Users\\léa\\devoir.pdf`, or `C:\\fakepath\\devoir.pdf`), a folder upload a relative
/// path (`Devoirs/devoir.pdf`). Such a path is reduced to its last part ([`path_of`] says
/// which names are paths); any other name is kept whole, then cleaned as a typed name
/// ([`clean_name`]: a slash in it becomes « ∕ »).
pub fn upload_name(raw: &str) -> Result<String, DocumentError> {
    let name = if path_of(raw) {
        raw.rsplit(['/', '\\']).next().unwrap_or("")
    } else {
        raw
    };
    clean_name(name)
}

/// Whether a file name sent by a browser is a path: it has a backslash or starts with a drive
/// (`C:/`: a Windows path; no Windows name can hold a backslash), starts with `/` (an
/// absolute path), or each part before its
/// last `/` could be a folder on any system (not empty, none of `< > : " | ? *`, no control
/// character: what a folder upload sends). « <script>…</script>.txt » is not a path (its first
/// part has `<`) and is kept whole; « Devoirs/devoir.pdf » is one.
pub fn path_of(raw: &str) -> bool {
    let drive = raw.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
        && raw.get(1..3).is_some_and(|s| s == ":/" || s == ":\\");
    if drive || raw.contains('\\') || raw.starts_with('/') {
        return true;
    }
    let mut parts: Vec<&str> = raw.split('/').collect();
    parts.pop();
    !parts.is_empty()
        && parts.iter().all(|p| {
            !p.is_empty()
                && !p.contains(['<', '>', ':', '"', '|', '?', '*'])
                && !p.chars().any(char::is_control)
        })
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
