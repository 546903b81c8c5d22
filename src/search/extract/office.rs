//! DOCX and ODT: zips of XML parts, read with `zip` and `quick-xml`, bounded against zip
//! bombs: an entry whose declared size is over the budget is refused unread, and every entry
//! is read through a counter that stops at the budget whatever its header says.

use std::fs::File;
use std::io::{BufReader, Read};

use quick_xml::events::Event;
use zip::ZipArchive;
use zip::result::ZipError;

use super::sink::TextSink;
use super::{ExtractError, ExtractLimits};

/// DOCX parts read, in order; the first is required.
const DOCX_PARTS: [&str; 3] = [
    "word/document.xml",
    "word/footnotes.xml",
    "word/endnotes.xml",
];

/// Appends the text of a DOCX document to `sink`.
pub(super) fn docx(
    file: File,
    limits: &ExtractLimits,
    sink: &mut TextSink,
) -> Result<(), ExtractError> {
    read_parts(file, &DOCX_PARTS, Dialect::Docx, limits, sink)
}

/// Appends the text of an ODT document to `sink`.
pub(super) fn odt(
    file: File,
    limits: &ExtractLimits,
    sink: &mut TextSink,
) -> Result<(), ExtractError> {
    read_parts(file, &["content.xml"], Dialect::Odt, limits, sink)
}

/// Which vocabulary the XML speaks (elements are matched on their local names).
#[derive(Clone, Copy)]
enum Dialect {
    /// WordprocessingML: text only in `w:t` (and DrawingML's `a:t`, math's `m:t`).
    Docx,
    /// OpenDocument: text in `text:p` and `text:h`.
    Odt,
}

/// What an element does.
enum Effect {
    /// Its character content is text.
    Text,
    Space,
    Line,
    Paragraph,
    Nothing,
}

impl Dialect {
    fn effect(self, local_name: &str) -> Effect {
        match (self, local_name) {
            (Dialect::Docx, "t") | (Dialect::Odt, "p" | "h") => Effect::Text,
            (Dialect::Docx, "tab" | "tc") | (Dialect::Odt, "s" | "tab" | "table-cell") => {
                Effect::Space
            }
            (Dialect::Docx, "br" | "cr" | "tr") | (Dialect::Odt, "line-break" | "table-row") => {
                Effect::Line
            }
            (Dialect::Docx, "p") => Effect::Paragraph,
            _ => Effect::Nothing,
        }
    }
}

fn read_parts(
    file: File,
    parts: &[&str],
    dialect: Dialect,
    limits: &ExtractLimits,
    sink: &mut TextSink,
) -> Result<(), ExtractError> {
    let mut zip = ZipArchive::new(file).map_err(zip_error)?;
    // One budget for all the entries read.
    let mut budget = limits.max_unpacked_bytes;
    for (i, part) in parts.iter().enumerate() {
        if sink.is_full() {
            break;
        }
        let mut entry = match zip.by_name(part) {
            Ok(entry) => entry,
            Err(ZipError::FileNotFound) if i > 0 => continue,
            Err(ZipError::FileNotFound) => {
                return Err(ExtractError::Malformed(format!("no {part} in the zip")));
            }
            Err(e) => return Err(zip_error(e)),
        };
        if entry.size() > budget {
            return Err(ExtractError::TooLarge);
        }
        let mut capped = Capped {
            inner: &mut entry,
            left: budget,
            exceeded: false,
        };
        let result = read_xml(&mut capped, dialect, sink);
        if capped.exceeded {
            return Err(ExtractError::TooLarge);
        }
        result.map_err(|e| ExtractError::Malformed(format!("{part}: {e}")))?;
        budget = capped.left;
        sink.paragraph();
    }
    Ok(())
}

/// The text of one XML part. Stops early once the sink is full.
fn read_xml<R: Read>(input: R, dialect: Dialect, sink: &mut TextSink) -> quick_xml::Result<()> {
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(input));
    // Office files from many producers: be lenient about end tags.
    reader.config_mut().check_end_names = false;
    let mut buf = Vec::new();
    // Depth of the elements whose content is text.
    let mut in_text = 0u32;
    while !sink.is_full() {
        match reader.read_event_into(&mut buf)? {
            Event::Start(start) => match dialect.effect(start.local_name().as_ref()) {
                Effect::Text => in_text += 1,
                Effect::Space => sink.space(),
                Effect::Line => sink.line(),
                Effect::Paragraph | Effect::Nothing => {}
            },
            Event::Empty(empty) => match dialect.effect(empty.local_name().as_ref()) {
                Effect::Space => sink.space(),
                Effect::Line => sink.line(),
                // `<text:p/>`, `<w:p/>`: an empty paragraph.
                Effect::Text if matches!(dialect, Dialect::Odt) => sink.paragraph(),
                Effect::Paragraph => sink.paragraph(),
                Effect::Text | Effect::Nothing => {}
            },
            Event::End(end) => match dialect.effect(end.local_name().as_ref()) {
                Effect::Text => {
                    in_text = in_text.saturating_sub(1);
                    if matches!(dialect, Dialect::Odt) {
                        sink.paragraph();
                    }
                }
                Effect::Paragraph => sink.paragraph(),
                Effect::Space | Effect::Line | Effect::Nothing => {}
            },
            Event::Text(text) if in_text > 0 => {
                sink.push_inline(&text.xml10_content());
            }
            Event::CData(data) if in_text > 0 => {
                sink.push_inline(&data.xml10_content());
            }
            Event::GeneralRef(reference) if in_text > 0 => {
                if let Some(text) = resolve(&reference) {
                    sink.push_inline(&text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

/// `&#233;`, `&#xE9;` and the five predefined entities; anything else (undeclared in office
/// files) is dropped.
fn resolve(reference: &quick_xml::events::BytesRef<'_>) -> Option<String> {
    if reference.is_char_ref() {
        return reference
            .resolve_char_ref()
            .ok()
            .flatten()
            .map(String::from);
    }
    let name: &str = reference;
    let text = match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        _ => return None,
    };
    Some(text.to_owned())
}

fn zip_error(error: ZipError) -> ExtractError {
    match error {
        ZipError::UnsupportedArchive(_)
        | ZipError::CompressionMethodNotSupported(_)
        | ZipError::InvalidPassword => ExtractError::Unsupported,
        other => ExtractError::Malformed(format!("zip: {other}")),
    }
}

/// Reads at most `left` bytes from `inner`; one more byte available is an error, flagged in
/// `exceeded` (a header that lies about the unpacked size still stops here).
struct Capped<R> {
    inner: R,
    left: u64,
    exceeded: bool,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => {
                    self.exceeded = true;
                    Err(std::io::Error::other("unpacked size limit reached"))
                }
            };
        }
        let max = usize::try_from(self.left)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        let n = self.inner.read(&mut buf[..max])?;
        self.left -= n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use super::{Capped, Dialect, read_xml};
    use crate::search::extract::sink::TextSink;

    /// Whatever the entry's header said, no more than the budget is read.
    #[test]
    fn capped_reader_stops_at_the_budget() {
        let mut endless = std::io::repeat(b' ');
        let mut capped = Capped {
            inner: &mut endless,
            left: 1000,
            exceeded: false,
        };
        let mut sink = TextSink::new(100);
        assert!(read_xml(&mut capped, Dialect::Docx, &mut sink).is_err());
        assert!(capped.exceeded);
        assert_eq!(capped.left, 0);

        let mut exact = Capped {
            inner: std::io::Cursor::new(vec![b'x'; 10]),
            left: 10,
            exceeded: false,
        };
        let mut all = Vec::new();
        exact.read_to_end(&mut all).unwrap();
        assert_eq!(all.len(), 10);
        assert!(!exact.exceeded);
    }
}
