//! The store: one change log entry per committed write, nothing from aborted ones, the watch
//! channel, tailers, replay and undo (property test), `check`, and schema refusal.

use jiff::SignedDuration;
use std::collections::BTreeMap;

use cartable::model::events::Event;
use cartable::store::migrations::SCHEMA_VERSION;
use cartable::store::tables::{DEBUG_NOTES, DebugNote, TABLE_CHECKSUMS};
use cartable::store::{LoggedEntry, Store, StoreError, Table, Tailer, decode_value, encode_value};
use proptest::prelude::*;

use crate::common::{clock, temp_store};

const A: Table<u64, String> = Table::logged("test_a_v1");
const B: Table<(u32, String), Vec<u8>> = Table::logged("test_b_v1");
const LOCAL: Table<u64, u64> = Table::node_local("local_test_v1");

fn all_entries(store: &Store) -> Vec<LoggedEntry> {
    store.read().unwrap().entries_after(0, usize::MAX).unwrap()
}

type Snapshot = BTreeMap<String, Vec<(Vec<u8>, Vec<u8>)>>;

/// Every logged table's rows and the checksums, as raw bytes.
fn snapshot(store: &Store) -> Snapshot {
    let read = store.read().unwrap();
    [A.name(), B.name(), "id_counters_v1", TABLE_CHECKSUMS.name()]
        .into_iter()
        .map(|t| {
            (
                t.to_owned(),
                read.raw_rows(t).unwrap().map(Result::unwrap).collect(),
            )
        })
        .collect()
}

#[test]
fn a_new_store_starts_with_one_entry() {
    let (_dir, store) = temp_store();
    let entries = all_entries(&store);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].body.seq, 1);
    assert_eq!(
        entries[0].body.events,
        vec![Event::StoreCreated {
            schema_version: SCHEMA_VERSION
        }]
    );
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn every_committed_write_yields_exactly_one_entry_with_the_next_seq() {
    let (_dir, store) = temp_store();
    for round in 0..5u64 {
        let before = store.head();
        store
            .write(|tx| {
                tx.insert(&A, &round, &format!("row {round}"))?;
                tx.insert(&B, &(7, "é".into()), &vec![round as u8])?;
                if round > 0 {
                    tx.remove(&A, &(round - 1))?;
                }
                tx.emit(Event::DebugWrite { key: round });
                Ok::<_, StoreError>(())
            })
            .unwrap();
        let entries = store
            .read()
            .unwrap()
            .entries_after(before.seq, usize::MAX)
            .unwrap();
        assert_eq!(entries.len(), 1, "one entry per committed write");
        let entry = &entries[0];
        assert_eq!(entry.body.seq, before.seq + 1);
        assert_eq!(entry.prev_hash, before.hash);
        assert_eq!(store.head(), entry.position());
        assert_eq!(entry.body.events, vec![Event::DebugWrite { key: round }]);
        let tables: Vec<&str> = entry.body.ops.iter().map(|o| o.table.as_str()).collect();
        if round == 0 {
            assert_eq!(tables, ["test_a_v1", "test_b_v1"]);
        } else {
            assert_eq!(tables, ["test_a_v1", "test_b_v1", "test_a_v1"]);
            // The remove records the old value and no new one.
            let removal = &entry.body.ops[2];
            assert_eq!(
                decode_value::<String>(removal.old.as_deref().unwrap()).unwrap(),
                format!("row {}", round - 1)
            );
            assert_eq!(removal.new, None);
        }
    }
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn node_local_writes_and_no_op_writes_leave_no_entry() {
    let (_dir, store) = temp_store();
    store
        .write(|tx| tx.insert(&A, &1, &"same".to_owned()).map(|_| ()))
        .unwrap();
    let head = store.head();
    store
        .write(|tx| {
            tx.insert(&LOCAL, &1, &42)?;
            tx.insert(&A, &1, &"same".to_owned())?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    assert_eq!(store.head(), head);
    assert_eq!(store.read().unwrap().get(&LOCAL, &1).unwrap(), Some(42));
    assert_eq!(all_entries(&store).len() as u64, head.seq);
    assert!(
        store.check().unwrap().is_ok(),
        "node-local rows are not checksummed"
    );
}

#[test]
fn ids_come_from_a_logged_counter() {
    cartable::typed_id!(
        /// A test id.
        ThingId,
        "thing"
    );
    let (_dir, store) = temp_store();
    let ids: Vec<ThingId> = (0..3)
        .map(|_| store.write(|tx| tx.next_id::<ThingId>()).unwrap())
        .collect();
    assert_eq!(ids, [ThingId(1), ThingId(2), ThingId(3)]);
    let last = all_entries(&store).pop().unwrap();
    assert_eq!(last.body.ops[0].table, "id_counters_v1");
}

#[test]
fn a_failed_write_leaves_tables_and_log_untouched() {
    let (_dir, store) = temp_store();
    store
        .write(|tx| tx.insert(&A, &1, &"kept".to_owned()).map(|_| ()))
        .unwrap();
    let before = snapshot(&store);
    let head = store.head();

    let result: Result<(), StoreError> = store.write(|tx| {
        tx.insert(&A, &1, &"changed".to_owned())?;
        tx.insert(&A, &2, &"new".to_owned())?;
        tx.insert(&LOCAL, &9, &9)?;
        tx.emit(Event::DebugWrite { key: 2 });
        Err(StoreError::Diverged("the closure refused".into()))
    });
    assert!(result.is_err());
    assert_eq!(snapshot(&store), before);
    assert_eq!(store.head(), head);
    assert_eq!(store.read().unwrap().get(&LOCAL, &9).unwrap(), None);
    assert_eq!(all_entries(&store).len() as u64, head.seq);
}

#[test]
fn a_panicking_write_leaves_tables_and_log_untouched_and_the_store_usable() {
    let (_dir, store) = temp_store();
    let before = snapshot(&store);
    let head = store.head();
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        store
            .write(|tx| {
                tx.insert(&A, &1, &"half".to_owned())?;
                if tx.get(&A, &1)?.is_some() {
                    panic!("boom in the middle of a write");
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }));
    assert!(panicked.is_err());
    assert_eq!(snapshot(&store), before);
    assert_eq!(store.head(), head);
    // The next write works and gets the next sequence number: no gap.
    store
        .write(|tx| tx.insert(&A, &1, &"after".to_owned()).map(|_| ()))
        .unwrap();
    assert_eq!(store.head().seq, head.seq + 1);
    assert!(store.check().unwrap().is_ok());
}

#[tokio::test]
async fn the_watch_channel_publishes_each_commit() {
    let (_dir, store) = temp_store();
    let mut rx = store.subscribe();
    let start = rx.borrow_and_update().seq;
    let writer = store.clone();
    tokio::task::spawn_blocking(move || {
        writer
            .write(|tx| tx.insert(&A, &1, &"x".to_owned()).map(|_| ()))
            .unwrap()
    })
    .await
    .unwrap();
    rx.changed().await.unwrap();
    assert_eq!(rx.borrow().seq, start + 1);
    assert_eq!(*rx.borrow(), store.head());
}

#[tokio::test]
async fn a_tailer_waits_for_new_entries() {
    let (_dir, store) = temp_store();
    let mut tailer = Tailer::open(&store, "test").unwrap();
    let batch = tailer.next_batch(100).unwrap();
    tailer.advance(batch.last().unwrap()).unwrap();
    let writer = store.clone();
    let waiting = tokio::spawn(async move {
        tailer.wait().await;
        tailer
    });
    tokio::task::spawn_blocking(move || {
        writer
            .write(|tx| tx.insert(&A, &5, &"y".to_owned()).map(|_| ()))
            .unwrap()
    })
    .await
    .unwrap();
    let tailer = waiting.await.unwrap();
    assert_eq!(tailer.next_batch(100).unwrap().len(), 1);
}

#[test]
fn a_tailer_resumes_from_its_saved_position_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let saved = {
        let store = Store::open(dir.path(), clock()).unwrap();
        for i in 0..5u64 {
            store
                .write(|tx| tx.insert(&A, &i, &i.to_string()).map(|_| ()))
                .unwrap();
        }
        let mut tailer = Tailer::open(&store, "indexer").unwrap();
        let batch = tailer.next_batch(3).unwrap();
        assert_eq!(
            batch.iter().map(|e| e.body.seq).collect::<Vec<_>>(),
            [1, 2, 3]
        );
        tailer.advance(&batch[2]).unwrap();
        // Saving the position writes no change log entry.
        assert_eq!(store.head().seq, 6);
        tailer.position()
    };
    let store = Store::open(dir.path(), clock()).unwrap();
    let tailer = Tailer::open(&store, "indexer").unwrap();
    assert_eq!(tailer.position(), saved);
    let rest = tailer.next_batch(100).unwrap();
    assert_eq!(
        rest.iter().map(|e| e.body.seq).collect::<Vec<_>>(),
        [4, 5, 6]
    );
    assert_eq!(rest[0].prev_hash, saved.hash);
    // Another tailer is independent and starts at the beginning.
    let other = Tailer::open(&store, "notifier").unwrap();
    assert_eq!(other.next_batch(100).unwrap().len(), 6);
}

#[test]
fn a_caught_up_tailer_saves_the_entries_it_passed_so_a_restart_does_not_read_them_again() {
    let dir = tempfile::tempdir().unwrap();
    let passed = {
        let store = Store::open(dir.path(), clock()).unwrap();
        for i in 0..4u64 {
            store
                .write(|tx| tx.insert(&A, &i, &i.to_string()).map(|_| ()))
                .unwrap();
        }
        let mut tailer = Tailer::open(&store, "notifier").unwrap();
        let t0 = jiff::Timestamp::from_second(1_800_000_000).unwrap();
        let every = SignedDuration::from_secs(30);
        // Nothing passed yet: nothing to save.
        assert!(!tailer.save_when_idle(t0, every).unwrap());
        for entry in tailer.next_batch(100).unwrap() {
            tailer.skip(&entry);
        }
        // The first call starts the count; until `every` has passed, nothing is saved (at
        // most one save per interval, not one per commit).
        assert!(!tailer.save_when_idle(t0, every).unwrap());
        assert!(
            !tailer
                .save_when_idle(t0 + SignedDuration::from_secs(29), every)
                .unwrap()
        );
        assert!(tailer.save_when_idle(t0 + every, every).unwrap());
        // Saved; a later call has nothing new to save.
        assert!(!tailer.save_when_idle(t0 + every * 3, every).unwrap());
        // Saving writes no change log entry.
        assert_eq!(store.head(), tailer.position());
        tailer.position()
    };
    let store = Store::open(dir.path(), clock()).unwrap();
    let tailer = Tailer::open(&store, "notifier").unwrap();
    assert_eq!(tailer.position(), passed);
    assert!(tailer.next_batch(100).unwrap().is_empty());
}

#[test]
fn a_replica_refuses_an_entry_that_does_not_follow() {
    let (_dir, primary) = temp_store();
    primary
        .write(|tx| tx.insert(&A, &1, &"a".to_owned()).map(|_| ()))
        .unwrap();
    let entries = all_entries(&primary);
    let replica_dir = tempfile::tempdir().unwrap();
    let replica = Store::open_replica(replica_dir.path(), clock()).unwrap();
    // Skipping entry 1 is refused.
    assert!(matches!(
        replica.apply_entry(&entries[1]),
        Err(StoreError::Diverged(_))
    ));
    // A tampered entry is refused.
    let mut forged = entries[0].clone();
    forged.body.committed_at_us += 1;
    assert!(matches!(
        replica.apply_entry(&forged),
        Err(StoreError::Diverged(_))
    ));
    replica.apply_entry(&entries[0]).unwrap();
    replica.apply_entry(&entries[1]).unwrap();
    assert_eq!(replica.head(), primary.head());
}

/// One operation of the property test.
#[derive(Debug, Clone)]
enum Step {
    PutA(u64, String),
    DelA(u64),
    PutB(u32, String, Vec<u8>),
    DelB(u32, String),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..6u64, "[a-zé]{0,4}").prop_map(|(k, v)| Step::PutA(k, v)),
        (0..6u64).prop_map(Step::DelA),
        (
            0..3u32,
            "[xy]{0,2}",
            proptest::collection::vec(any::<u8>(), 0..4)
        )
            .prop_map(|(a, b, v)| Step::PutB(a, b, v)),
        (0..3u32, "[xy]{0,2}").prop_map(|(a, b)| Step::DelB(a, b)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Replaying the change log onto an empty store gives identical tables and checksums, and
    /// undoing entries in reverse with their old values gives back each earlier state.
    #[test]
    fn replay_reproduces_and_undo_restores(
        transactions in proptest::collection::vec(
            (proptest::collection::vec(step(), 1..5), any::<bool>()), 1..12)
    ) {
        let (_dir, primary) = temp_store();
        // The state after each change log entry, by sequence number.
        let mut states = vec![(primary.head().seq, snapshot(&primary))];
        for (steps, commit) in &transactions {
            let result: Result<(), StoreError> = primary.write(|tx| {
                for s in steps {
                    match s {
                        Step::PutA(k, v) => { tx.insert(&A, k, v)?; }
                        Step::DelA(k) => { tx.remove(&A, k)?; }
                        Step::PutB(a, b, v) => { tx.insert(&B, &(*a, b.clone()), v)?; }
                        Step::DelB(a, b) => { tx.remove(&B, &(*a, b.clone()))?; }
                    }
                }
                if *commit { Ok(()) } else { Err(StoreError::Diverged("abort".into())) }
            });
            prop_assert_eq!(result.is_ok(), *commit);
            let head = primary.head().seq;
            if head != states.last().map_or(0, |s| s.0) {
                states.push((head, snapshot(&primary)));
            } else {
                prop_assert_eq!(&snapshot(&primary), &states.last().unwrap().1);
            }
        }
        let report = primary.check().unwrap();
        prop_assert!(report.is_ok(), "{:?}", report.problems);

        let replica_dir = tempfile::tempdir().unwrap();
        let replica = Store::open_replica(replica_dir.path(), clock()).unwrap();
        for entry in all_entries(&primary) {
            replica.apply_entry(&entry).unwrap();
        }
        prop_assert_eq!(snapshot(&replica), snapshot(&primary));
        prop_assert_eq!(replica.head(), primary.head());
        prop_assert_eq!(all_entries(&replica), all_entries(&primary));
        prop_assert!(replica.check().unwrap().is_ok());

        // Undo, newest first: the state after each earlier entry comes back, in reverse.
        for (seq, state) in states.iter().rev() {
            prop_assert_eq!(replica.head().seq, *seq);
            prop_assert_eq!(&snapshot(&replica), state);
            prop_assert!(replica.rewind_last().unwrap().is_some());
        }
        prop_assert_eq!(replica.head().seq, 0);
        prop_assert_eq!(replica.rewind_last().unwrap(), None);
        // Entry 1 (`StoreCreated`) changed no table: the empty store is the first state.
        prop_assert_eq!(&snapshot(&replica), &states[0].1);
        prop_assert!(replica.check().unwrap().is_ok());
    }
}

/// Opens the raw redb file behind a closed store, to break it behind the store's back.
fn tamper(dir: &std::path::Path, table: &str, change: impl FnOnce(Vec<u8>) -> Vec<u8>, key: &[u8]) {
    use redb::ReadableTable;
    let db = redb::Database::create(dir.join("cartable.redb")).unwrap();
    let wtx = db.begin_write().unwrap();
    {
        let def: redb::TableDefinition<&[u8], &[u8]> = redb::TableDefinition::new(table);
        let mut t = wtx.open_table(def).unwrap();
        let old = t.get(key).unwrap().unwrap().value().to_vec();
        t.insert(key, change(old).as_slice()).unwrap();
    }
    wtx.commit().unwrap();
}

fn store_with_notes(dir: &std::path::Path) {
    let store = Store::open(dir, clock()).unwrap();
    for i in 1..=4u64 {
        store
            .write(|tx| {
                tx.insert(
                    &DEBUG_NOTES,
                    &i,
                    &DebugNote {
                        text: format!("note {i}"),
                    },
                )?;
                tx.emit(Event::DebugWrite { key: i });
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }
    assert!(store.check().unwrap().is_ok());
}

/// A store whose change log entry 3 was altered after it was written.
pub fn make_tampered_store(dir: &std::path::Path) {
    store_with_notes(dir);
    use cartable::store::KeyCodec;
    tamper(
        dir,
        "changelog_v1",
        |bytes| {
            let mut entry: LoggedEntry = decode_value(&bytes).unwrap();
            entry.body.committed_at_us -= 1_000_000;
            encode_value(&entry).unwrap()
        },
        &3u64.to_key_bytes(),
    );
}

#[test]
fn check_detects_a_broken_hash_chain() {
    let dir = tempfile::tempdir().unwrap();
    make_tampered_store(dir.path());
    let store = Store::open(dir.path(), clock()).unwrap();
    let report = store.check().unwrap();
    assert!(!report.is_ok());
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains("broken hash chain") && p.contains("entry 3")),
        "{:?}",
        report.problems
    );
}

#[test]
fn check_detects_a_row_changed_behind_the_log() {
    let dir = tempfile::tempdir().unwrap();
    store_with_notes(dir.path());
    use cartable::store::KeyCodec;
    tamper(
        dir.path(),
        DEBUG_NOTES.name(),
        |_| {
            encode_value(&DebugNote {
                text: "forged".into(),
            })
            .unwrap()
        },
        &2u64.to_key_bytes(),
    );
    let store = Store::open(dir.path(), clock()).unwrap();
    let report = store.check().unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains("debug_notes_v1") && p.contains("changed behind the change log")),
        "{:?}",
        report.problems
    );
}

/// A store whose recorded schema version is newer than this binary's.
pub fn make_newer_store(dir: &std::path::Path) {
    drop(Store::open(dir, clock()).unwrap());
    use cartable::store::KeyCodec;
    tamper(
        dir,
        "meta_v1",
        |_| encode_value(&(SCHEMA_VERSION + 1)).unwrap(),
        &"schema_version".to_owned().to_key_bytes(),
    );
}

#[test]
fn a_store_from_a_newer_version_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    make_newer_store(dir.path());
    let file = dir.path().join("cartable.redb");
    let before = std::fs::read(&file).unwrap();
    let err = Store::open(dir.path(), clock()).unwrap_err();
    assert!(
        matches!(err, StoreError::NewerSchema { found, known, .. } if found == SCHEMA_VERSION + 1 && known == SCHEMA_VERSION)
    );
    let message = err.to_string();
    assert!(
        message.contains("was written by a newer version of Cartable"),
        "{message}"
    );
    assert!(message.contains("The store was not modified"), "{message}");
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "the file must not change"
    );
}

#[test]
fn a_second_open_of_the_same_store_is_refused_clearly() {
    let (dir, _store) = temp_store();
    let err = Store::open(dir.path(), clock()).unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }), "{err:?}");
    assert!(err.to_string().contains("already in use"));
}

/// The change log format is a contract with replicas and old stores: these bytes and this hash
/// must never change. A change to `LoggedEntry`, `EntryBody`, `Op`, `Event` or the hashing needs
/// a new `changelog_vN` table and a migration, not an edit of this test.
#[test]
fn golden_bytes_of_a_change_log_entry() {
    use cartable::store::{EntryBody, Epoch, Hash128, Op};
    let body = EntryBody {
        seq: 7,
        epoch: Epoch {
            term: 2,
            node: 0x0102_0304_0506_0708,
        },
        schema_version: 1,
        committed_at_us: 1_788_242_400_000_000,
        ops: vec![Op {
            table: "test_a_v1".into(),
            key: vec![0, 0, 0, 0, 0, 0, 0, 1],
            old: None,
            new: Some(encode_value(&"élève".to_owned()).unwrap()),
        }],
        events: vec![Event::DebugWrite { key: 1 }],
        blobs: vec![[0xab; 32]],
        origin: Some("req-1".into()),
        checksum: Hash128([0x11; 16]),
    };
    let entry = LoggedEntry::seal(Hash128([0x22; 16]), body).unwrap();
    let bytes = encode_value(&entry).unwrap();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, GOLDEN_ENTRY_HEX);
    assert_eq!(entry.hash.to_string(), GOLDEN_ENTRY_HASH);
    assert_eq!(decode_value::<LoggedEntry>(&bytes).unwrap(), entry);
}

const GOLDEN_ENTRY_HEX: &str = "22222222222222222222222222222222f9f434331c24f19f196e7cc6bbfb1b540702888e98a8c0e08081010180e0b190b499ad060109746573745f615f763108000000000000000100010807c3a96cc3a8766501010101abababababababababababababababababababababababababababababababab01057265712d3111111111111111111111111111111111";
const GOLDEN_ENTRY_HASH: &str = "f9f434331c24f19f196e7cc6bbfb1b54";
