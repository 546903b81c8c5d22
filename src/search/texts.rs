//! The text of a file, for the index: extracted by the isolated child process
//! ([`super::extract::extract_isolated`]) once per blob, then kept, deflated, in the node-local
//! table `local_search_texts_v1` — a rename, a move, a share or a rebuild of the index does not
//! extract again, and identical content is extracted once whatever its number of copies.
//! A deleted blob's text goes with it (the indexer sees the `blobs_v1` row go).

use std::collections::HashMap;
use std::io::Read as _;

use super::Search;
use super::extract::{ExtractError, Format, extract_file, extract_isolated};
use crate::blobs::BlobId;
use crate::model::documents::FileVersion;
pub use crate::model::search::CachedText;
use crate::store::tables::SEARCH_TEXTS;
use crate::store::{ReadTx, Store, StoreError};

/// Inflated texts larger than this are not believed (the extraction caps at 1,000,000
/// characters, at most 4 MB).
const MAX_INFLATED: usize = 8 * 1024 * 1024;

/// How many bytes of a file decide its format.
const SNIFF: u64 = 1024;

/// Texts extracted and blobs gone since the last [`Pending::flush`]: written to the cache
/// table together, in one transaction (a transaction per file would cost a disk sync each).
#[derive(Default)]
pub(crate) struct Pending {
    texts: HashMap<BlobId, CachedText>,
    gone: Vec<BlobId>,
}

impl Pending {
    /// The blob was deleted: its cached text goes.
    pub(crate) fn forget(&mut self, blob: BlobId) {
        self.texts.remove(&blob);
        self.gone.push(blob);
    }

    /// How many texts wait to be written.
    pub(crate) fn len(&self) -> usize {
        self.texts.len() + self.gone.len()
    }

    /// Writes the waiting texts to the cache table (node-local: no change log entry).
    pub(crate) fn flush(&mut self, store: &Store) -> Result<(), StoreError> {
        if self.len() == 0 {
            return Ok(());
        }
        let texts = std::mem::take(&mut self.texts);
        let gone = std::mem::take(&mut self.gone);
        store.write(|tx| {
            for blob in &gone {
                tx.remove(&SEARCH_TEXTS, blob)?;
            }
            for (blob, text) in &texts {
                tx.insert(&SEARCH_TEXTS, blob, text)?;
            }
            Ok::<_, StoreError>(())
        })
    }
}

/// Runs a future to completion from synchronous code: on the runtime of the calling blocking
/// thread if there is one (the server's indexer runs in `spawn_blocking`), else on a small
/// runtime of its own (a command or a test without one).
fn block_on<F: std::future::Future>(future: F) -> Result<F::Output, std::io::Error> {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) => Ok(handle.block_on(future)),
        Err(_) => Ok(tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
            .block_on(future)),
    }
}

impl Search {
    /// The text of a file's version: from the cache, or extracted now (and cached through
    /// `pending`). A format that is not extracted, a missing blob, or a failed extraction give
    /// an empty text: the file is then found by its name only.
    pub(crate) fn file_text(
        &self,
        read: &ReadTx,
        pending: &mut Pending,
        name: &str,
        version: &FileVersion,
    ) -> Result<String, StoreError> {
        let blob = BlobId(version.blob);
        if let Some(cached) = pending.texts.get(&blob) {
            return Ok(cached.text().unwrap_or_default());
        }
        if let Some(cached) = read.get(&SEARCH_TEXTS, &blob)?
            && let Some(text) = cached.text()
        {
            return Ok(text);
        }
        let path = self.blobs.path_of(blob);
        let mut head = Vec::with_capacity(SNIFF as usize);
        let opened = std::fs::File::open(&path).and_then(|f| f.take(SNIFF).read_to_end(&mut head));
        if let Err(e) = opened {
            tracing::warn!(blob = %blob, error = %e, "search: the file of a document is unreadable");
            return Ok(String::new());
        }
        let Some(format) = Format::detect(name, &version.content_type, &head) else {
            return Ok(String::new());
        };
        let limits = &self.config.extract_limits;
        // Plain text is only decoded (a bounded read, linear, no parser to trick): done here,
        // without the cost of a process. Every format with a parser runs in the child.
        let outcome = if format == Format::Text {
            extract_file(&path, format, limits)
        } else {
            block_on(extract_isolated(
                &self.config.extract_program,
                &path,
                format,
                limits,
            ))
            .unwrap_or_else(|e| Err(ExtractError::Failed(e.to_string())))
        };
        let (text, keep) = match outcome {
            Ok(text) => (text, true),
            Err(
                e @ (ExtractError::TooLarge
                | ExtractError::Unsupported
                | ExtractError::Malformed(_)),
            ) => {
                tracing::info!(blob = %blob, format = format.name(), error = %e, "search: no text from a file");
                (String::new(), true)
            }
            // Perhaps the machine was busy, or the program could not start: tried again at
            // the next change or rebuild.
            Err(e) => {
                tracing::warn!(blob = %blob, format = format.name(), error = %e, "search: text extraction failed");
                (String::new(), false)
            }
        };
        if keep {
            pending.texts.insert(blob, CachedText::of(&text));
        }
        Ok(text)
    }
}

impl CachedText {
    fn of(text: &str) -> CachedText {
        use std::io::Write as _;
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(6));
        // Writing into a Vec cannot fail.
        let _ = encoder.write_all(text.as_bytes());
        CachedText {
            deflated: encoder.finish().unwrap_or_default(),
        }
    }

    /// The text, unless it inflates past [`MAX_INFLATED`] or is not UTF-8.
    fn text(&self) -> Option<String> {
        use std::io::Read as _;
        let limit = u64::try_from(MAX_INFLATED).unwrap_or(u64::MAX);
        let mut bytes = Vec::new();
        flate2::read::DeflateDecoder::new(self.deflated.as_slice())
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .ok()?;
        if bytes.len() > MAX_INFLATED {
            return None;
        }
        String::from_utf8(bytes).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::CachedText;

    #[test]
    fn cached_texts_round_trip() {
        let text = "Fiche d’exercices : les fractions, élève de 5e. ".repeat(100);
        let cached = CachedText::of(&text);
        assert!(cached.deflated.len() < text.len() / 4);
        assert_eq!(cached.text().as_deref(), Some(text.as_str()));
        assert_eq!(CachedText::of("").text().as_deref(), Some(""));
    }
}
