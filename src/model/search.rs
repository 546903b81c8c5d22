//! Texts extracted from files for the search index, cached by blob.

use serde::{Deserialize, Serialize};

/// A cached text (`local_search_texts_v1`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedText {
    /// The text (UTF-8), deflated. Empty for a file that gave no text (refused by the caps,
    /// unsupported, malformed): it is not tried again.
    pub deflated: Vec<u8>,
}
