//! PDF typesetting with `pdf-writer` (objects only, no layout engine): the compiled-in DejaVu
//! fonts embedded as subsets holding only the glyphs a document uses ([`fonts`]), and a small
//! layout of wrapped, shrinking text on A4 pages ([`layout`]). Documents (credential letters,
//! later report cards) say what goes on their pages; this module knows no school rule.

pub mod fonts;
pub mod layout;

use std::io::Write as _;

/// What can go wrong while typesetting: never the user's input, always a broken build.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// A compiled-in font could not be read or subset.
    #[error("font {font}: {reason}")]
    Font {
        /// The font file.
        font: &'static str,
        /// What went wrong.
        reason: String,
    },
}

/// zlib-compressed bytes, for a `/FlateDecode` stream. Level 6 (zlib's default): pages of
/// repeated text shrink about sixfold, and higher levels gain little for their time.
pub fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(bytes.len() / 4),
        flate2::Compression::new(6),
    );
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}
