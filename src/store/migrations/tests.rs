//! The migration to version 2 on a store laid out by version 1 (its nodes written with the old
//! value type, text timestamps and all): every node and its timestamps survive, the share
//! counts are right, a second start does nothing, and a migration that fails half-way leaves
//! the old data and version as they were.

use std::path::Path;

use super::v2::{DOCUMENT_NODES_V1, NodeV1, TrashedV1};
use super::*;
use crate::clock::{FakeClock, SharedClock};
use crate::model::directory::{ClassId, PersonId};
use crate::model::documents::{Grantee, Node, NodeId, NodeKind, Share, ShareRight, Space};
use crate::store::tables::{DOCUMENT_CHILDREN, DOCUMENT_NODES, DOCUMENT_SHARES};
use crate::store::{LoggedEntry, encode_value};

fn clock() -> SharedClock {
    FakeClock::new("2026-09-01T06:00:00Z".parse().unwrap())
}

fn at(text: &str) -> jiff::Timestamp {
    text.parse().unwrap()
}

/// Three nodes as version 1 stored them: a folder, a shared file in it, a trashed file.
fn old_nodes() -> Vec<(NodeId, NodeV1)> {
    let space = Space::Class(ClassId(7));
    vec![
        (
            NodeId(1),
            NodeV1 {
                space,
                parent: None,
                name: "Devoirs".into(),
                kind: NodeKind::Folder,
                created_by: PersonId(3),
                created_at: at("2025-09-02T07:15:00.123456789Z"),
                updated_at: at("2025-09-03T16:00:00Z"),
                trashed: None,
            },
        ),
        (
            NodeId(2),
            NodeV1 {
                space,
                parent: Some(NodeId(1)),
                name: "Fiche élève.pdf".into(),
                kind: NodeKind::File {
                    current: 2,
                    size: 12_345,
                    content_type: "application/pdf".into(),
                },
                created_by: PersonId(3),
                created_at: at("2025-10-01T08:00:00.000001Z"),
                updated_at: at("2026-01-05T09:30:15.5Z"),
                trashed: None,
            },
        ),
        (
            NodeId(3),
            NodeV1 {
                space: Space::Personal(PersonId(3)),
                parent: None,
                name: "brouillon.txt".into(),
                kind: NodeKind::File {
                    current: 1,
                    size: 4,
                    content_type: "text/plain".into(),
                },
                created_by: PersonId(3),
                created_at: at("2024-12-31T23:59:59.999999999Z"),
                updated_at: at("2024-12-31T23:59:59.999999999Z"),
                trashed: Some(TrashedV1 {
                    at: at("2026-08-30T12:00:00Z"),
                    by: PersonId(3),
                }),
            },
        ),
    ]
}

fn share(by: u64) -> Share {
    Share {
        right: ShareRight::Read,
        by: PersonId(by),
        at: at("2026-02-01T10:00:00Z"),
    }
}

/// A store as a binary of schema version 1 left it: its nodes in `document_nodes_v1` (with
/// their index rows and shares), the version recorded as 1. Returned still open, before any
/// migration.
fn old_store(dir: &Path) -> Store {
    let store = Store::open(dir, clock()).unwrap();
    store
        .write(|tx| {
            for (id, node) in old_nodes() {
                tx.insert(&DOCUMENT_NODES_V1, &id, &node)?;
                let parent = node.parent.map_or(0, |p| p.0);
                tx.insert(&DOCUMENT_CHILDREN, &(node.space, parent, id), &())?;
            }
            tx.insert(
                &DOCUMENT_SHARES,
                &(NodeId(2), Grantee::Class(ClassId(7))),
                &share(3),
            )?;
            tx.insert(
                &DOCUMENT_SHARES,
                &(NodeId(2), Grantee::Person(PersonId(9))),
                &share(3),
            )?;
            tx.insert(
                &DOCUMENT_SHARES,
                &(NodeId(3), Grantee::Person(PersonId(9))),
                &share(3),
            )?;
            tx.put_meta(meta_keys::SCHEMA_VERSION, &1u32)?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    store
}

fn expected_nodes() -> Vec<(NodeId, Node)> {
    let counts = [0, 2, 1];
    old_nodes()
        .into_iter()
        .zip(counts)
        .map(|((id, old), n)| (id, old.upgrade(n)))
        .collect()
}

fn nodes(store: &Store) -> Vec<(NodeId, Node)> {
    let read = store.read().unwrap();
    read.range(&DOCUMENT_NODES, ..)
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn old_rows(store: &Store) -> Vec<(NodeId, NodeV1)> {
    let read = store.read().unwrap();
    read.range(&DOCUMENT_NODES_V1, ..)
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn last_entry(store: &Store) -> LoggedEntry {
    let read = store.read().unwrap();
    let head = read.head().unwrap();
    read.entry(head.seq).unwrap().unwrap()
}

#[test]
fn a_version_1_store_is_migrated_once_and_keeps_every_node() {
    let dir = tempfile::tempdir().unwrap();
    drop(old_store(dir.path()));

    let store = Store::open(dir.path(), clock()).unwrap();
    let read = store.read().unwrap();
    assert_eq!(read.schema_version().unwrap(), Some(SCHEMA_VERSION));
    assert_eq!(nodes(&store), expected_nodes());
    let migrated = nodes(&store);
    assert_eq!(
        migrated[0].1.created_at,
        at("2025-09-02T07:15:00.123456789Z")
    );
    assert_eq!(
        migrated[2].1.trashed.as_ref().map(|t| t.at),
        Some(at("2026-08-30T12:00:00Z"))
    );
    let names = read.table_names().unwrap();
    assert!(
        !names.iter().any(|n| n == DOCUMENT_NODES_V1.name()),
        "{names:?}"
    );
    let entry = last_entry(&store);
    assert_eq!(
        entry.body.events,
        vec![Event::SchemaMigrated { from: 1, to: 2 }]
    );
    assert_eq!(entry.body.schema_version, SCHEMA_VERSION);
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    let head = store.head();
    drop(read);
    drop(store);

    // A second start finds version 2 and writes nothing.
    let store = Store::open(dir.path(), clock()).unwrap();
    assert_eq!(store.head(), head);
    assert_eq!(nodes(&store), expected_nodes());
}

fn fail(_: &mut Tx) -> Result<(), StoreError> {
    Err(StoreError::Diverged(
        "simulated failure after the rewrite".into(),
    ))
}

fn crash(_: &mut Tx) -> Result<(), StoreError> {
    panic!("simulated crash after the rewrite")
}

#[test]
fn an_interrupted_migration_leaves_the_old_data_intact() {
    let dir = tempfile::tempdir().unwrap();
    let store = old_store(dir.path());
    let head = store.head();
    let steps = [
        Step {
            to: 2,
            run: v2::run,
        },
        Step { to: 3, run: fail },
    ];
    assert!(run_steps(&store, 1, &steps, 3).is_err());
    let steps = [
        Step {
            to: 2,
            run: v2::run,
        },
        Step { to: 3, run: crash },
    ];
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run_steps(&store, 1, &steps, 3)
    }));
    assert!(panicked.is_err());
    assert_eq!(store.read().unwrap().schema_version().unwrap(), Some(1));
    assert_eq!(store.head(), head);
    assert_eq!(old_rows(&store), old_nodes());
    assert!(nodes(&store).is_empty());
    assert!(store.check().unwrap().is_ok());
    drop(store);

    // The next start runs the whole migration again.
    let store = Store::open(dir.path(), clock()).unwrap();
    assert_eq!(nodes(&store), expected_nodes());
    assert!(old_rows(&store).is_empty());
}

#[test]
fn a_version_1_store_without_documents_only_records_the_version() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), clock()).unwrap();
    store
        .write(|tx| tx.put_meta(meta_keys::SCHEMA_VERSION, &1u32))
        .unwrap();
    drop(store);
    let store = Store::open(dir.path(), clock()).unwrap();
    let read = store.read().unwrap();
    assert_eq!(read.schema_version().unwrap(), Some(2));
    let names = read.table_names().unwrap();
    assert!(
        !names.iter().any(|n| n.starts_with("document_nodes")),
        "{names:?}"
    );
}

/// The layouts themselves: version 1 wrote the timestamps as text, version 2 as integers
/// (golden bytes: changing `Node` needs a new table version and a migration).
#[test]
fn golden_bytes_of_a_node_in_both_versions() {
    let (_, old) = old_nodes().remove(0);
    let v1 = encode_value(&old).unwrap();
    assert!(
        v1.windows(30)
            .any(|w| w == b"2025-09-02T07:15:00.123456789Z"),
        "version 1 stores RFC 3339 text"
    );
    let new = old.upgrade(2);
    let v2 = encode_value(&new).unwrap();
    let hex: String = v2.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, GOLDEN_NODE_V2_HEX);
    assert!(v2.len() < v1.len(), "{} vs {} bytes", v2.len(), v1.len());
    assert_eq!(crate::store::decode_value::<Node>(&v2).unwrap(), new);
}

const GOLDEN_NODE_V2_HEX: &str =
    "010700074465766f6972730003aad4ca83c5f5b2e1308080e0c79bc4e8e1300002";
