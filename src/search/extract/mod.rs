//! Text extraction for the search index (issue 7 §3): the words of a PDF, DOCX, ODT, plain
//! text, Markdown or HTML file, as normalised UTF-8 text, within hard caps.
//!
//! A file handed to the index is hostile until proven otherwise: a PDF parser can loop or
//! allocate without bound, a 100 KB zip can unpack to gigabytes. So every reader here is bounded
//! (input size, unpacked size, output characters), and the indexer does not call
//! [`extract_file`] itself: [`extract_isolated`] runs it in a child process
//! (`cartable extract-text`) that caps its own address space and CPU time and is killed when
//! the wall-clock timeout passes. A thread cannot be killed; a process can.
//!
//! Formats: PDF with `lopdf`, DOCX (`word/document.xml`, footnotes, endnotes) and ODT
//! (`content.xml`) with `zip` and `quick-xml`, plain text (UTF-8, else Windows-1252), Markdown
//! with `pulldown-cmark`, HTML with `html5ever`'s tokenizer. See `docs/search.md`,
//! "Extraction du texte".

mod child;
mod html;
mod office;
mod pdf;
mod plain;
mod sink;
#[cfg(test)]
mod tests;

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::time::Duration;

pub use child::{ExtractTextArgs, extract_isolated, run_child};

use sink::TextSink;

/// The caps of one extraction. The defaults suit the index; tests shrink them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractLimits {
    /// A larger file is refused before anything is parsed ([`ExtractError::TooLarge`]).
    pub max_input_bytes: u64,
    /// The text is cut there (whole characters); reading stops once it is reached.
    pub max_output_chars: usize,
    /// What a compressed part may unpack to: each zip entry read (DOCX, ODT, all entries
    /// together) and each PDF stream. Over it: [`ExtractError::TooLarge`].
    pub max_unpacked_bytes: u64,
    /// Wall-clock time of [`extract_isolated`] (the child is killed then), and the child's CPU
    /// time limit (one second more). [`extract_file`] cannot enforce it by itself.
    pub timeout: Duration,
}

impl Default for ExtractLimits {
    /// 50 MiB in, 1,000,000 characters out, 100 MiB unpacked, 20 s.
    fn default() -> Self {
        ExtractLimits {
            max_input_bytes: 50 * 1024 * 1024,
            max_output_chars: 1_000_000,
            max_unpacked_bytes: 100 * 1024 * 1024,
            timeout: Duration::from_secs(20),
        }
    }
}

/// The formats whose text is extracted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// PDF (`%PDF-`).
    Pdf,
    /// Word 2007+ document (a zip with `word/document.xml`).
    Docx,
    /// OpenDocument text (a zip with `content.xml`).
    Odt,
    /// Plain text: UTF-8, or Windows-1252 when it is not valid UTF-8 (UTF-16 with a BOM too).
    Text,
    /// Markdown (CommonMark), decoded as [`Format::Text`].
    Markdown,
    /// HTML, decoded as [`Format::Text`]; scripts and style sheets are skipped.
    Html,
}

/// The DOCX content type.
const DOCX_TYPE: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
/// The ODT content type, also stored uncompressed in the `mimetype` entry of an ODT zip.
const ODT_TYPE: &str = "application/vnd.oasis.opendocument.text";

impl Format {
    /// Every format, in a fixed order.
    pub const ALL: [Format; 6] = [
        Format::Pdf,
        Format::Docx,
        Format::Odt,
        Format::Text,
        Format::Markdown,
        Format::Html,
    ];

    /// The format of a file, from its first bytes (pass the first 1,024, or the whole file if
    /// it is shorter), its name's extension, then its declared content type (parameters
    /// ignored). `None`: not a format whose text is extracted (images, spreadsheets,
    /// binaries…).
    ///
    /// The bytes win: a file starting with `%PDF-` is a PDF whatever its name (a file with
    /// `%PDF-` further in its first 1,024 bytes, as readers allow, is one unless its name or
    /// type says text); a zip is a DOCX or ODT only if its bytes (ODT's `mimetype` entry), name
    /// or type says so; a file named `.pdf` or `.docx` whose bytes say otherwise is not
    /// extracted, nor is a file named `.txt` holding a NUL byte. With no bytes at all, the name
    /// and type decide.
    pub fn detect(file_name: &str, content_type: &str, first_bytes: &[u8]) -> Option<Format> {
        if first_bytes.starts_with(b"%PDF-") {
            return Some(Format::Pdf);
        }
        let head = &first_bytes[..first_bytes.len().min(1024)];
        let pdf_inside = head.windows(5).any(|w| w == b"%PDF-");
        let extension = file_name
            .rsplit_once('.')
            .map(|(_, ext)| ext.to_ascii_lowercase())
            .unwrap_or_default();
        let mime = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if first_bytes.starts_with(b"PK\x03\x04") {
            return if odt_marker(first_bytes) || extension == "odt" || mime == ODT_TYPE {
                Some(Format::Odt)
            } else if extension == "docx" || mime == DOCX_TYPE {
                Some(Format::Docx)
            } else {
                None
            };
        }
        let by_name = match extension.as_str() {
            "pdf" => Some(Format::Pdf),
            "docx" => Some(Format::Docx),
            "odt" => Some(Format::Odt),
            "txt" | "text" | "csv" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            _ => None,
        };
        let declared = by_name.or(match mime.as_str() {
            "application/pdf" => Some(Format::Pdf),
            DOCX_TYPE => Some(Format::Docx),
            ODT_TYPE => Some(Format::Odt),
            "text/plain" | "text/csv" => Some(Format::Text),
            "text/markdown" | "text/x-markdown" => Some(Format::Markdown),
            "text/html" | "application/xhtml+xml" => Some(Format::Html),
            _ => None,
        });
        let unknown_bytes = first_bytes.is_empty();
        match declared {
            None => pdf_inside.then_some(Format::Pdf),
            // Office files are zips and PDFs hold `%PDF-`: anything else is mislabelled.
            Some(Format::Pdf) => (unknown_bytes || pdf_inside).then_some(Format::Pdf),
            Some(office @ (Format::Docx | Format::Odt)) => unknown_bytes.then_some(office),
            Some(text @ (Format::Text | Format::Markdown | Format::Html)) => {
                // NUL bytes: a binary file, or UTF-16 without a BOM; neither is indexed.
                let utf16_bom = head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]);
                (!head.contains(&0) || utf16_bom).then_some(text)
            }
        }
    }

    /// The name used on the `extract-text` command line (`pdf`, `docx`…).
    pub fn name(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Odt => "odt",
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
        }
    }

    /// The format named `name` by [`Format::name`].
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// The first entry of an ODT zip is `mimetype`, stored, holding the ODT content type.
fn odt_marker(first_bytes: &[u8]) -> bool {
    let u16_at = |at: usize| {
        first_bytes
            .get(at..at + 2)
            .map(|b| usize::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let (Some(name_len), Some(extra_len)) = (u16_at(26), u16_at(28)) else {
        return false;
    };
    let data = 30 + name_len + extra_len;
    first_bytes.get(30..30 + name_len) == Some(b"mimetype")
        && first_bytes.get(data..data + ODT_TYPE.len()) == Some(ODT_TYPE.as_bytes())
}

/// Why a file gave no text. The messages are for the logs (English); the indexer then indexes
/// the file's name only.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    /// The file, a zip entry or a PDF stream is over its cap.
    #[error("the file or what it unpacks to is over the extraction limits")]
    TooLarge,
    /// A format or a feature of it that is not read (encrypted zip, unknown compression…).
    #[error("this file's format, or a feature it uses, is not supported")]
    Unsupported,
    /// The file is not what its format says (broken zip, broken PDF, missing part…).
    #[error("malformed file: {0}")]
    Malformed(String),
    /// The child process ran out of time (wall clock or CPU) and was killed.
    #[error("the extraction took longer than its time limit")]
    TimedOut,
    /// Anything else: the file could not be read, the child could not start or crashed.
    #[error("the extraction failed: {0}")]
    Failed(String),
}

/// In-process extraction of one file (used by the child process below and by unit tests).
///
/// The file's size is checked before anything is read; every reader is bounded by `limits`
/// except the time, which only [`extract_isolated`] enforces.
pub fn extract_file(
    path: &Path,
    format: Format,
    limits: &ExtractLimits,
) -> Result<String, ExtractError> {
    let file =
        File::open(path).map_err(|e| ExtractError::Failed(format!("cannot open the file: {e}")))?;
    let size = file
        .metadata()
        .map_err(|e| ExtractError::Failed(format!("cannot read the file's size: {e}")))?
        .len();
    if size > limits.max_input_bytes {
        return Err(ExtractError::TooLarge);
    }
    let mut sink = TextSink::new(limits.max_output_chars);
    match format {
        Format::Pdf => pdf::extract(&read_bounded(file, size, limits)?, limits, &mut sink)?,
        Format::Docx => office::docx(file, limits, &mut sink)?,
        Format::Odt => office::odt(file, limits, &mut sink)?,
        Format::Text => sink.push_lines(&plain::decode(&read_bounded(file, size, limits)?)),
        Format::Markdown => {
            plain::markdown(
                &plain::decode(&read_bounded(file, size, limits)?),
                &mut sink,
            );
        }
        Format::Html => html::extract(
            &plain::decode(&read_bounded(file, size, limits)?),
            &mut sink,
        ),
    }
    Ok(sink.finish())
}

/// The whole file, refused past `max_input_bytes` even if it grew after its size was read
/// (or is not a regular file and had no size).
fn read_bounded(file: File, size: u64, limits: &ExtractLimits) -> Result<Vec<u8>, ExtractError> {
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limits.max_input_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ExtractError::Failed(format!("cannot read the file: {e}")))?;
    if bytes.len() as u64 > limits.max_input_bytes {
        return Err(ExtractError::TooLarge);
    }
    Ok(bytes)
}
