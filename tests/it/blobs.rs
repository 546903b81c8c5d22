//! The blob store (issue 7 §1): content-addressed files, reference counts, the sweep and its
//! grace period, `cartable check`, and `kill -9` in the middle of uploads.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use cartable::blobs::{BlobError, BlobId, BlobStore, decref_in, incref_in, meta};
use cartable::clock::{Clock, FakeClock};
use cartable::store::Store;
use cartable::store::tables::{BLOBS, BLOBS_UNREFERENCED, DEBUG_NOTES};
use proptest::prelude::*;
use test_case::test_case;

use crate::common::cartable;

const DAY: Duration = Duration::from_secs(24 * 3600);
const HOUR: Duration = Duration::from_secs(3600);

struct Fixture {
    dir: tempfile::TempDir,
    store: Store,
    blobs: BlobStore,
    clock: Arc<FakeClock>,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let clock = FakeClock::new("2026-09-01T06:00:00Z".parse().unwrap());
    let store = Store::open(dir.path(), clock.clone()).unwrap();
    let blobs = BlobStore::new(dir.path(), clock.clone());
    Fixture {
        dir,
        store,
        blobs,
        clock,
    }
}

impl Fixture {
    fn incref(&self, id: BlobId, size: u64) {
        let now = self.clock.now();
        self.store.write(|tx| incref_in(tx, id, size, now)).unwrap();
    }

    fn decref(&self, id: BlobId) {
        let now = self.clock.now();
        self.store.write(|tx| decref_in(tx, id, now)).unwrap();
    }

    fn sweep(&self) -> cartable::blobs::SweepReport {
        self.blobs
            .sweep(&self.store, self.clock.now(), DAY)
            .unwrap()
    }

    fn refs(&self, id: BlobId) -> Option<u64> {
        meta(&self.store.read().unwrap(), id)
            .unwrap()
            .map(|m| m.refs)
    }
}

/// Every file under `blobs/` except temp files, as paths relative to it.
fn blob_files(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path.file_name().unwrap() != "tmp" {
                    stack.push(path);
                }
            } else {
                out.push(
                    path.strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    out.sort();
    out
}

fn tmp_files(blobs: &BlobStore) -> usize {
    std::fs::read_dir(blobs.tmp_dir()).map_or(0, |d| d.count())
}

fn pseudo_random(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_puts_of_the_same_content_store_one_file() {
    let f = fixture();
    let data = Arc::new(pseudo_random(700 * 1024, 7));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let blobs = f.blobs.clone();
        let data = data.clone();
        tasks.spawn(async move { blobs.put(&data[..], 1 << 20).await.unwrap() });
    }
    let mut ids = BTreeSet::new();
    while let Some(result) = tasks.join_next().await {
        let (id, size) = result.unwrap();
        assert_eq!(size, data.len() as u64);
        ids.insert(id);
    }
    assert_eq!(ids.len(), 1, "every put returns the same id");
    let id = *ids.first().unwrap();
    assert_eq!(id, BlobId::of(&data));
    let hex = id.to_hex();
    assert_eq!(
        blob_files(f.blobs.root()),
        vec![format!("{}/{}/{hex}", &hex[0..2], &hex[2..4])],
        "one file, named by its SHA-256"
    );
    assert_eq!(tmp_files(&f.blobs), 0, "no temp file left");
    assert_eq!(f.blobs.read_all(id).unwrap(), *data);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_put_over_the_limit_fails_and_leaves_nothing() {
    let f = fixture();
    let data = pseudo_random(2 << 20, 3);
    let err = f.blobs.put(&data[..], 1 << 20).await.unwrap_err();
    assert!(
        matches!(err, BlobError::TooLarge { limit } if limit == 1 << 20),
        "{err:?}"
    );
    assert_eq!(tmp_files(&f.blobs), 0, "the temp file is removed");
    assert!(blob_files(f.blobs.root()).is_empty());
    let err = f.blobs.put_sync(&data[..], 1 << 20).unwrap_err();
    assert!(matches!(err, BlobError::TooLarge { .. }), "{err:?}");
    assert_eq!(tmp_files(&f.blobs), 0);
    assert!(
        f.store
            .read()
            .unwrap()
            .range(&BLOBS, ..)
            .unwrap()
            .next()
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_whole_and_by_range() {
    use tokio::io::AsyncReadExt as _;
    let f = fixture();
    let data = pseudo_random(300_000, 11);
    let (id, size) = f.blobs.put(&data[..], u64::MAX).await.unwrap();
    let (mut file, len) = f.blobs.open(id).await.unwrap();
    assert_eq!(len, size);
    let mut all = Vec::new();
    file.read_to_end(&mut all).await.unwrap();
    assert_eq!(all, data);
    let mut part = Vec::new();
    f.blobs
        .open_range(id, 1000, 5000)
        .await
        .unwrap()
        .read_to_end(&mut part)
        .await
        .unwrap();
    assert_eq!(part, &data[1000..6000]);
    assert!(matches!(
        f.blobs.open_range(id, size - 10, 11).await,
        Err(BlobError::BadRange { .. })
    ));
    assert!(matches!(
        f.blobs.open(BlobId::of(b"absent")).await,
        Err(BlobError::NotFound(_))
    ));
}

#[test]
fn a_blob_goes_only_after_its_last_reference_and_the_grace_period() {
    let f = fixture();
    let (id, size) = f.blobs.put_bytes(b"fiche d'exercices").unwrap();
    f.incref(id, size);
    // The change log entry of the referring write lists the blob.
    let head = f.store.head().seq;
    let entry = f.store.read().unwrap().entry(head).unwrap().unwrap();
    assert_eq!(entry.body.blobs, vec![id.0]);
    f.incref(id, size);
    assert_eq!(f.refs(id), Some(2));
    // A wrong size is a caller's mistake, refused; nothing changes.
    let now = f.clock.now();
    assert!(matches!(
        f.store.write(|tx| incref_in(tx, id, size + 1, now)),
        Err(BlobError::SizeMismatch { .. })
    ));
    assert_eq!(f.refs(id), Some(2));

    f.decref(id);
    assert_eq!(f.refs(id), Some(1));
    f.clock.advance(3 * DAY);
    assert_eq!(f.sweep().unreferenced_deleted, 0);
    assert!(f.blobs.path_of(id).exists(), "still referenced once");

    f.decref(id);
    let m = meta(&f.store.read().unwrap(), id).unwrap().unwrap();
    assert_eq!(m.refs, 0);
    assert_eq!(m.unreferenced_since, Some(f.clock.now()));
    assert_eq!(f.sweep().unreferenced_deleted, 0);
    f.clock.advance(23 * HOUR);
    assert_eq!(f.sweep().unreferenced_deleted, 0);
    assert!(f.blobs.path_of(id).exists(), "within the grace period");

    f.clock.advance(2 * HOUR);
    let report = f.sweep();
    assert_eq!(report.unreferenced_deleted, 1, "{report:?}");
    assert_eq!(report.bytes_freed, size);
    assert!(!f.blobs.path_of(id).exists());
    assert_eq!(f.refs(id), None);
    let read = f.store.read().unwrap();
    assert!(
        read.range(&BLOBS_UNREFERENCED, ..)
            .unwrap()
            .next()
            .is_none()
    );
    drop(read);
    assert!(f.store.check().unwrap().is_ok());
    assert!(f.blobs.check(&f.store).unwrap().is_ok());
}

#[test]
fn a_blob_referenced_again_within_the_grace_period_stays() {
    let f = fixture();
    let (id, size) = f.blobs.put_bytes(b"cours de 5B").unwrap();
    f.incref(id, size);
    f.decref(id);
    f.clock.advance(HOUR);
    f.incref(id, size);
    let m = meta(&f.store.read().unwrap(), id).unwrap().unwrap();
    assert_eq!((m.refs, m.unreferenced_since), (1, None));
    f.clock.advance(10 * DAY);
    let report = f.sweep();
    assert_eq!(report, Default::default());
    assert!(f.blobs.path_of(id).exists());
    assert!(f.blobs.check(&f.store).unwrap().is_ok());
}

#[test]
fn the_same_content_stored_again_while_the_sweep_runs_is_kept() {
    let f = fixture();
    let (id, size) = f.blobs.put_bytes(b"devoir maison").unwrap();
    f.incref(id, size);
    f.decref(id);
    f.clock.advance(2 * DAY);
    // Someone uploads the same content: `put` finds the file; its reference is not committed
    // yet when the sweep removes the old row.
    let (again, _) = f.blobs.put_bytes(b"devoir maison").unwrap();
    assert_eq!(again, id);
    let report = f.sweep();
    assert_eq!(report.kept_fresh, 1, "{report:?}");
    assert_eq!(report.unreferenced_deleted, 0);
    assert!(f.blobs.path_of(id).exists());
    f.incref(id, size);
    assert_eq!(f.refs(id), Some(1));
    assert!(f.blobs.check(&f.store).unwrap().is_ok());
    f.clock.advance(5 * DAY);
    f.sweep();
    assert!(f.blobs.path_of(id).exists(), "referenced: never swept");
}

#[test]
fn files_without_a_row_and_stale_temp_files_go_after_the_grace_period() {
    let f = fixture();
    // A put whose referring commit never came.
    let (orphan, _) = f.blobs.put_bytes(b"upload interrupted").unwrap();
    // A file left by a crash (no process remembers it), and a temp file of a killed write.
    let leftover = BlobId::of(b"left by a crash");
    let leftover_path = f.blobs.path_of(leftover);
    std::fs::create_dir_all(leftover_path.parent().unwrap()).unwrap();
    std::fs::write(&leftover_path, b"left by a crash").unwrap();
    std::fs::write(f.blobs.tmp_dir().join("0123.part"), b"half a fi").unwrap();
    // Names that are not blobs are left alone.
    let stranger = leftover_path.parent().unwrap().join("LISEZMOI");
    std::fs::write(&stranger, b"?").unwrap();
    // A referenced blob is never a stray.
    let (kept, size) = f.blobs.put_bytes(b"referenced").unwrap();
    f.incref(kept, size);

    let report = f.sweep();
    assert_eq!(report.strays_waiting, 3, "{report:?}");
    assert!(!report.deleted_anything());
    f.clock.advance(23 * HOUR);
    assert!(!f.sweep().deleted_anything());
    assert!(f.blobs.path_of(orphan).exists() && leftover_path.exists());
    let report = f.blobs.check(&f.store).unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(report.files_without_row, 2);

    f.clock.advance(2 * HOUR);
    let report = f.sweep();
    assert_eq!(report.orphans_deleted, 2, "{report:?}");
    assert_eq!(report.temps_deleted, 1, "{report:?}");
    assert_eq!(report.strays_waiting, 0);
    assert!(!f.blobs.path_of(orphan).exists());
    assert!(!leftover_path.exists());
    assert_eq!(tmp_files(&f.blobs), 0);
    assert!(stranger.exists());
    assert!(f.blobs.path_of(kept).exists());
    assert!(f.blobs.check(&f.store).unwrap().is_ok());
    assert!(f.store.check().unwrap().is_ok());
}

fn check_binary(dir: &Path) -> (i32, String) {
    let out = cartable()
        .args(["--data-dir"])
        .arg(dir)
        .arg("check")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn cartable_check_reports_corrupted_and_missing_blobs() {
    let f = fixture();
    let (damaged, damaged_size) = f.blobs.put_bytes(&pseudo_random(50_000, 5)).unwrap();
    let (lost, lost_size) = f.blobs.put_bytes(b"bulletin").unwrap();
    let (sound, sound_size) = f.blobs.put_bytes(b"intact").unwrap();
    f.incref(damaged, damaged_size);
    f.incref(lost, lost_size);
    f.incref(sound, sound_size);
    let Fixture {
        dir, store, blobs, ..
    } = f;
    drop(store);

    let (code, stdout) = check_binary(dir.path());
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("3 files checked (3 referenced)"),
        "{stdout}"
    );
    assert!(stdout.contains("All checks passed."), "{stdout}");

    let path = blobs.path_of(damaged);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[12_345] ^= 0x01;
    std::fs::write(&path, bytes).unwrap();
    std::fs::remove_file(blobs.path_of(lost)).unwrap();

    let (code, stdout) = check_binary(dir.path());
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains(&format!(
            "PROBLEM: blob {damaged} is corrupted: the SHA-256 of {}",
            path.display()
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("PROBLEM: blob {lost} is missing")),
        "{stdout}"
    );
    assert!(!stdout.contains(&format!("blob {sound}")), "{stdout}");
    assert!(!stdout.contains("All checks passed."));
}

/// `cartable debug blob-burst` on `dir`, its stdout piped.
fn spawn_blob_burst(dir: &Path) -> std::process::Child {
    cartable()
        .args(["--data-dir"])
        .arg(dir)
        .args(["debug", "blob-burst", "--count", "100000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn kill_9_during_uploads_leaves_no_referenced_but_missing_blob() {
    let dir = tempfile::tempdir().unwrap();
    // Acknowledged notes still referenced (note → blob).
    let mut live: BTreeMap<u64, BlobId> = BTreeMap::new();
    let mut rng = 0xb10b_5eed_u64;
    let mut committed = 0;
    for round in 0..12 {
        let mut child = spawn_blob_burst(dir.path());
        // The burst prints a line before and after each step (put, commit, release, sweep):
        // killing right after a random line lands inside a random step.
        let wait_for = 1 + xorshift(&mut rng) % 40;
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut record = |line: &str| {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                ["committed", _, note, blob] => {
                    live.insert(note.parse().unwrap(), BlobId::from_hex(blob).unwrap());
                    true
                }
                ["released", _, note] => {
                    live.remove(&note.parse().unwrap());
                    true
                }
                ["putting", _] | ["stored", _] | ["swept"] => true,
                _ => false,
            }
        };
        let mut seen = 0;
        while seen < wait_for {
            match lines.next() {
                Some(Ok(line)) => {
                    assert!(record(&line), "{line}");
                    seen += 1;
                    if line.starts_with("committed") {
                        committed += 1;
                    }
                }
                _ => break,
            }
        }
        child.kill().unwrap(); // SIGKILL, in the middle of a put, a commit or a sweep
        for line in lines {
            match line {
                Ok(line) if record(&line) => {}
                _ => break,
            }
        }
        child.wait().unwrap();

        let (code, stdout) = check_binary(dir.path());
        assert_eq!(code, 0, "round {round}: {stdout}");
        assert!(stdout.contains("All checks passed."), "round {round}");

        let clock = FakeClock::new("2026-09-01T06:00:00Z".parse().unwrap());
        let store = Store::open(dir.path(), clock.clone()).unwrap();
        let blobs = BlobStore::new(dir.path(), clock);
        let read = store.read().unwrap();
        // Acknowledged notes are there, except one whose release committed just before the
        // kill, unacknowledged (its removal and its decref are one transaction).
        let before = live.len();
        live.retain(|note, _| read.get(&DEBUG_NOTES, note).unwrap().is_some());
        assert!(before - live.len() <= 1, "round {round}: notes lost");
        // Every note in the store refers to a present, sound blob, counted exactly.
        let mut counted: BTreeMap<BlobId, u64> = BTreeMap::new();
        for row in read.range(&DEBUG_NOTES, ..).unwrap() {
            let (_, note) = row.unwrap();
            let hex = note.text.strip_prefix("blob ").unwrap();
            *counted.entry(BlobId::from_hex(hex).unwrap()).or_default() += 1;
        }
        for (id, refs) in &counted {
            let m = read.get(&BLOBS, id).unwrap().unwrap();
            assert_eq!(m.refs, *refs, "round {round}: {id}");
            assert_eq!(BlobId::of(&blobs.read_all(*id).unwrap()), *id);
        }
        for row in read.range(&BLOBS, ..).unwrap() {
            let (id, m) = row.unwrap();
            assert!(
                m.refs == 0 || counted.contains_key(&id),
                "round {round}: {id}"
            );
        }
    }
    assert!(
        committed >= 8,
        "the bursts committed something: {committed}"
    );

    // Whatever the kills left without a row goes after the grace period; nothing referenced does.
    // (The bursts' own sweeps recorded strays with the system clock: start well after it.)
    let clock = FakeClock::new("2100-01-01T00:00:00Z".parse().unwrap());
    let store = Store::open(dir.path(), clock.clone()).unwrap();
    let blobs = BlobStore::new(dir.path(), clock.clone());
    blobs.sweep(&store, clock.now(), DAY).unwrap();
    clock.advance(2 * DAY);
    blobs.sweep(&store, clock.now(), DAY).unwrap();
    let report = blobs.check(&store).unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(report.files_without_row, 0);
    assert_eq!(tmp_files(&blobs), 0);
    let read = store.read().unwrap();
    for id in live.values() {
        assert!(read.get(&BLOBS, id).unwrap().is_some());
        assert!(blobs.path_of(*id).exists());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn put_then_read_gives_the_same_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..20_000)) {
        let dir = tempfile::tempdir().unwrap();
        let clock = FakeClock::new("2026-09-01T06:00:00Z".parse().unwrap());
        let blobs = BlobStore::new(dir.path(), clock);
        let (id, size) = blobs.put_bytes(&bytes).unwrap();
        prop_assert_eq!(size, bytes.len() as u64);
        prop_assert_eq!(id, BlobId::of(&bytes));
        prop_assert_eq!(BlobId::from_hex(&id.to_hex()), Some(id));
        prop_assert_eq!(blobs.read_all(id).unwrap(), bytes);
    }
}

#[test]
fn the_grace_period_is_a_day_unless_configured() {
    let config = cartable::config::Config::load(None, Vec::new()).unwrap();
    assert_eq!(config.blob_grace_period, DAY);
}

/// `CARTABLE_BLOB_GRACE_PERIOD` → the grace period, or `None` for a refused value.
#[test_case("7days" => Some(7 * DAY) ; "seven days")]
#[test_case("30m" => None ; "under the lower bound")]
#[test_case("400days" => None ; "over the upper bound")]
#[test_case("bientôt" => None ; "not a duration")]
fn the_grace_period_is_configured_and_bounded(value: &str) -> Option<Duration> {
    use cartable::config::{Config, ConfigError};
    let env = vec![("CARTABLE_BLOB_GRACE_PERIOD".to_owned(), value.to_owned())];
    match Config::load(None, env) {
        Ok(config) => Some(config.blob_grace_period),
        Err(ConfigError::BadValue { .. }) => None,
        Err(e) => panic!("{value}: {e:?}"),
    }
}
