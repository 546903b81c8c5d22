//! PDF: the text shown on each page, with `lopdf` (fonts' `/ToUnicode` maps and standard
//! encodings), every stream's unpacked size capped.

use lopdf::{DecompressError, Document, LoadOptions};

use super::sink::TextSink;
use super::{ExtractError, ExtractLimits};

/// Appends the text of a PDF, page by page, to `sink`. A page that cannot be read is skipped;
/// a document of which no page can be read is [`ExtractError::Malformed`].
pub(super) fn extract(
    bytes: &[u8],
    limits: &ExtractLimits,
    sink: &mut TextSink,
) -> Result<(), ExtractError> {
    // Object and cross-reference streams are unpacked while loading, page contents while
    // extracting: both are bounded by the same cap.
    let cap = usize::try_from(limits.max_unpacked_bytes).unwrap_or(usize::MAX);
    let options = LoadOptions {
        max_decompressed_size: Some(cap),
        ..LoadOptions::default()
    };
    let document = Document::load_mem_with_options(bytes, options).map_err(pdf_error)?;
    let mut any_page = false;
    let mut last_error = None;
    for page in document.get_pages().into_keys() {
        if sink.is_full() {
            break;
        }
        let mut page_read = false;
        for chunk in document.extract_text_chunks_with_limit(&[page], cap) {
            match chunk {
                Ok(text) => {
                    page_read = true;
                    sink.push_lines(&text);
                }
                Err(e) => match pdf_error(e) {
                    ExtractError::TooLarge => return Err(ExtractError::TooLarge),
                    other => last_error = Some(other),
                },
            }
        }
        any_page |= page_read;
        sink.paragraph();
    }
    match last_error {
        Some(error) if !any_page => Err(error),
        _ => Ok(()),
    }
}

fn pdf_error(error: lopdf::Error) -> ExtractError {
    match error {
        lopdf::Error::Decompress(
            DecompressError::MemoryLimitExceeded { .. } | DecompressError::TooManyFilters { .. },
        ) => ExtractError::TooLarge,
        lopdf::Error::Decryption(_)
        | lopdf::Error::InvalidPassword
        | lopdf::Error::UnsupportedSecurityHandler(_)
        | lopdf::Error::Unimplemented(_) => ExtractError::Unsupported,
        other => ExtractError::Malformed(format!("pdf: {other}")),
    }
}
