//! Domain events: what happened, recorded in the change log entry of the write that did it, for
//! tailers (search indexer, notifier, replication) to react to. A replica never re-executes them.
//!
//! Postcard encodes the variant by its index: add new variants **at the end** only.

use serde::{Deserialize, Serialize};

/// Something that happened in a committed write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// The store was created (first entry of every store).
    StoreCreated {
        /// Schema version the store was created with.
        schema_version: u32,
    },
    /// Test data written by `cartable debug write-burst` or a benchmark.
    DebugWrite {
        /// Key of the note written.
        key: u64,
    },
    /// A message was sent (its recipients are in the message).
    MessageSent {
        /// Which.
        message: crate::model::messaging::MessageId,
    },
    /// A message was reported: its establishment's administrators must review it.
    MessageReported {
        /// The report.
        report: crate::model::messaging::ReportId,
    },
    /// A file or folder was created, changed, moved, shared, trashed, restored or purged: the
    /// search index re-reads it (and, for a folder, what it holds).
    DocumentChanged {
        /// Which.
        node: crate::model::documents::NodeId,
    },
    /// The store was migrated to a newer schema at start (`store::migrations`): its rows were
    /// rewritten into new tables, saying the same thing (tailers have nothing to redo).
    SchemaMigrated {
        /// The version before.
        from: u32,
        /// The version after.
        to: u32,
    },
}
