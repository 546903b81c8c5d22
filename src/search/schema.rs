//! The index's fields. Changing one changes [`build`]; an index whose schema differs is rebuilt
//! at start (the index is derived data).

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use super::SearchError;
use super::analyzer::FRENCH;

/// The fields of the index.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    /// `doc:12`, `msg:34`, `person:56`: the item (deleting by it makes updates idempotent).
    pub id: Field,
    /// The item as a number ([`Key::packed`](super::items::Key::packed)), a fast field: a
    /// page's hits are named and re-checked without reading their stored documents.
    pub key: Field,
    /// `doc`, `message` or `person` (the type filter).
    pub kind: Field,
    /// A file's name, a message's subject, a person's name (boosted ×3 in queries).
    pub title: Field,
    /// A file's extracted text, a message's body, a person's establishments and classes.
    pub body: Field,
    /// The start of the body, stored for the snippets (not indexed).
    pub excerpt: Field,
    /// The principals who may read the item (`u:42`, `class:7`, `est:3:staff`…).
    pub acl: Field,
    /// The owner: who uploaded the file, who sent the message.
    pub owner: Field,
    /// When: a file's last change, a message's sending, µs since the Unix epoch (UTC).
    pub date: Field,
}

/// The schema of a new index.
pub(crate) fn build() -> Schema {
    let mut builder = Schema::builder();
    let words = |stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(FRENCH)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let options = TextOptions::default().set_indexing_options(indexing);
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    builder.add_text_field("id", STRING | STORED);
    builder.add_u64_field("key", FAST);
    builder.add_text_field("kind", STRING | STORED);
    builder.add_text_field("title", words(true));
    builder.add_text_field("body", words(false));
    builder.add_text_field("excerpt", TextOptions::default().set_stored());
    builder.add_text_field("acl", STRING);
    builder.add_u64_field("owner", INDEXED | FAST);
    builder.add_i64_field("date", INDEXED | FAST | STORED);
    builder.build()
}

/// The fields of `schema`, if it is exactly the schema [`build`] makes.
pub(crate) fn fields(schema: &Schema) -> Result<Option<Fields>, SearchError> {
    let same = serde_json::to_value(schema).map_err(std::io::Error::other)?
        == serde_json::to_value(build()).map_err(std::io::Error::other)?;
    if !same {
        return Ok(None);
    }
    let field = |name: &str| schema.get_field(name);
    let fields = (|| {
        Ok::<_, tantivy::TantivyError>(Fields {
            id: field("id")?,
            key: field("key")?,
            kind: field("kind")?,
            title: field("title")?,
            body: field("body")?,
            excerpt: field("excerpt")?,
            acl: field("acl")?,
            owner: field("owner")?,
            date: field("date")?,
        })
    })();
    Ok(fields.ok())
}
