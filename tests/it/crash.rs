//! Crash safety: the real binary is killed with SIGKILL in the middle of a burst of writes,
//! twenty times over the same data directory; every write it reported as committed must be
//! there, the change log gapless, and `cartable check` happy.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::Stdio;

use cartable::store::Store;
use cartable::store::tables::DEBUG_NOTES;

use crate::common::{cartable, clock};

/// A tiny deterministic generator: how many commits to wait for before each kill.
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// `cartable debug write-burst` on `dir`, its stdout piped.
fn spawn_write_burst(dir: &std::path::Path) -> std::process::Child {
    cartable()
        .args(["--data-dir"])
        .arg(dir)
        .args(["debug", "write-burst", "--count", "100000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn kill_9_during_a_write_burst_loses_no_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let mut acknowledged: BTreeSet<u64> = BTreeSet::new();
    let mut last_seq = 0;
    let mut rng = 0x5eed_cafe_u64;
    for round in 0..20 {
        let mut child = spawn_write_burst(dir.path());
        // Round 0 kills as early as possible (possibly while the store is being created).
        let wait_for = if round == 0 {
            0
        } else {
            1 + xorshift(&mut rng) % 40
        };
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut seen = 0;
        let mut record = |line: &str| {
            let mut words = line.split_whitespace();
            assert_eq!(words.next(), Some("committed"));
            let seq: u64 = words.next().unwrap().parse().unwrap();
            let key: u64 = words.next().unwrap().parse().unwrap();
            assert!(seq > last_seq, "sequence numbers only grow");
            last_seq = seq;
            acknowledged.insert(key);
        };
        while seen < wait_for {
            match lines.next() {
                Some(line) => {
                    record(&line.unwrap());
                    seen += 1;
                }
                None => break,
            }
        }
        child.kill().unwrap(); // SIGKILL
        // Lines already written before the kill were acknowledged too.
        for line in lines {
            match line {
                Ok(line)
                    if line.starts_with("committed ") && line.split_whitespace().count() == 3 =>
                {
                    record(&line)
                }
                _ => break,
            }
        }
        child.wait().unwrap();

        let store = Store::open(dir.path(), clock()).unwrap();
        let read = store.read().unwrap();
        for key in &acknowledged {
            assert!(
                read.get(&DEBUG_NOTES, key).unwrap().is_some(),
                "round {round}: acknowledged note {key} is missing"
            );
        }
        let report = store.check().unwrap();
        assert!(report.is_ok(), "round {round}: {:?}", report.problems);
        assert!(report.head_seq >= last_seq);
        assert_eq!(report.entries, report.head_seq, "gapless from entry 1");
        drop(read);
        drop(store);
    }
    assert!(acknowledged.len() >= 20, "the bursts committed something");

    let out = cartable()
        .args(["--data-dir"])
        .arg(dir.path())
        .arg("check")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("All checks passed."), "{stdout}");
}

#[test]
fn kill_9_while_the_store_is_being_created_leaves_it_openable() {
    for round in 0..10u64 {
        let dir = tempfile::tempdir().unwrap();
        let mut child = spawn_write_burst(dir.path());
        if round % 2 == 1 {
            // Let it get a little further: until the first commit is acknowledged.
            let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
            let _ = lines.next();
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let store = Store::open(dir.path(), clock()).unwrap();
        let report = store.check().unwrap();
        assert!(report.is_ok(), "round {round}: {:?}", report.problems);
        assert!(
            report.head_seq >= 1,
            "a usable store starts with its first entry"
        );
    }
}
