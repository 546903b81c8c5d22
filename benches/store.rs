//! Store benchmarks (issue 3): commit latency, concurrent write throughput, rows per
//! transaction, and references measured in the same run (bare `fsync`/`fdatasync` of a file in
//! the same directory, a one-row read). Results go to `docs/PERFORMANCE.md`.
//!
//! Run with `cargo bench --bench store`. The store lives in a temporary directory under
//! `target/tmp` (a real disk, not tmpfs: the point is the cost of a durable commit); set
//! `BENCH_STORE_DIR` to put it elsewhere. Figures from a shared machine are noisy: compare
//! them with the references of the same run, never use them in pass/fail tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]
// Benchmarks measure wall-clock time.
#![allow(clippy::disallowed_methods)]

use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use cartable::clock::SystemClock;
use cartable::model::events::Event;
use cartable::store::tables::{DEBUG_NOTES, DebugNote};
use cartable::store::{IdKind, Store, StoreError};
use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};

/// Id sequence of the benchmark's notes (same kind as `cartable debug write-burst`).
#[derive(Clone, Copy)]
struct NoteId(u64);

impl IdKind for NoteId {
    const KIND: &'static str = "debug_note";
    fn from_raw(raw: u64) -> Self {
        NoteId(raw)
    }
    fn raw(self) -> u64 {
        self.0
    }
}

/// Thread counts of the concurrent-writes benchmark.
const THREADS: [usize; 3] = [1, 4, 16];
/// Rows per transaction in the batching benchmark (what group commit could give).
const ROWS_PER_TX: [u64; 2] = [16, 128];
/// Size of the file the fsync references write into (1 MiB, allocated and synced first).
const PROBE_FILE_LEN: usize = 1 << 20;

fn bench_dir() -> tempfile::TempDir {
    let base = std::env::var_os("BENCH_STORE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_TARGET_TMPDIR")));
    std::fs::create_dir_all(&base).unwrap();
    let dir = tempfile::tempdir_in(&base).unwrap();
    eprintln!("store benchmark directory: {}", dir.path().display());
    dir
}

/// Inserts one small logged row and emits its event; returns the row's key.
fn insert_note(tx: &mut cartable::store::Tx) -> Result<u64, StoreError> {
    let id: NoteId = tx.next_id()?;
    tx.insert(
        &DEBUG_NOTES,
        &id.0,
        &DebugNote {
            text: "a short benchmark note".to_owned(),
        },
    )?;
    tx.emit(Event::DebugWrite { key: id.0 });
    Ok(id.0)
}

/// One small logged row plus its event, in its own transaction; returns the row's key.
fn write_one(store: &Store) -> u64 {
    store.write(insert_note).unwrap()
}

/// `rows` small logged rows (and their events) in one transaction.
fn write_batch(store: &Store, rows: u64) {
    store
        .write(|tx| (0..rows).try_for_each(|_| insert_note(tx).map(|_| ())))
        .unwrap();
}

/// `iters` single-row writes shared among `threads` threads; returns the wall time from the
/// moment all threads are ready until the last write is committed.
fn concurrent_writes(store: &Store, threads: usize, iters: u64) -> Duration {
    let threads_u64 = threads as u64;
    let barrier = Arc::new(Barrier::new(threads + 1));
    let start = std::thread::scope(|s| {
        for t in 0..threads_u64 {
            let count = iters / threads_u64 + u64::from(t < iters % threads_u64);
            let barrier = Arc::clone(&barrier);
            s.spawn(move || {
                barrier.wait();
                for _ in 0..count {
                    write_one(store);
                }
            });
        }
        barrier.wait();
        Instant::now()
        // Leaving the scope joins every thread.
    });
    start.elapsed()
}

fn store_benches(c: &mut Criterion) {
    let dir = bench_dir();
    let store = Store::open(dir.path(), Arc::new(SystemClock)).unwrap();

    // References: what the disk and the read path cost in this run.
    {
        let mut group = c.benchmark_group("reference");
        group.sampling_mode(SamplingMode::Flat);
        let path = dir.path().join("fsync-probe");
        let mut file = OpenOptions::new()
            .create(true)
            .truncate(true)
            .read(true)
            .write(true)
            .open(&path)
            .unwrap();
        file.write_all(&vec![0u8; PROBE_FILE_LEN]).unwrap();
        file.sync_all().unwrap();
        let small = [7u8; 64];
        let page = [7u8; 4096];
        // 64 bytes rewritten at the start of the file, then `fsync` / `fdatasync`.
        group.bench_function("write_64B_fsync", |b| {
            b.iter(|| rewrite_and_sync(&mut file, &small, &[0], File::sync_all));
        });
        group.bench_function("write_64B_fdatasync", |b| {
            b.iter(|| rewrite_and_sync(&mut file, &small, &[0], File::sync_data));
        });
        // What a redb commit does here: about 12 page writes, then one `fdatasync` (counted with
        // `strace -c` on `commit/single_write`: 22917 pwrite64, 1930 fdatasync).
        let offsets: Vec<u64> = (0..12).map(|i| i * 16 * 4096).collect();
        group.bench_function("write_12x4KiB_fdatasync", |b| {
            b.iter(|| rewrite_and_sync(&mut file, &page, &offsets, File::sync_data));
        });
        drop(file);

        let key = write_one(&store);
        group.sampling_mode(SamplingMode::Auto);
        group.bench_function("read_one_row", |b| {
            b.iter(|| {
                let note = store.read().unwrap().get(&DEBUG_NOTES, &key).unwrap();
                assert!(note.is_some());
                note
            });
        });
        group.finish();
    }

    // 1. Commit latency of one small write (Immediate durability).
    {
        let mut group = c.benchmark_group("commit");
        group.sampling_mode(SamplingMode::Flat);
        group.throughput(Throughput::Elements(1));
        group.bench_function("single_write", |b| b.iter(|| write_one(&store)));
        group.finish();
    }

    // 2a. Many concurrent single-row writes: one fsync'd commit each, writers serialised.
    {
        let mut group = c.benchmark_group("concurrent_writes");
        group.sampling_mode(SamplingMode::Flat);
        group.throughput(Throughput::Elements(1));
        for threads in THREADS {
            group.bench_with_input(BenchmarkId::new("threads", threads), &threads, |b, &n| {
                b.iter_custom(|iters| concurrent_writes(&store, n, iters));
            });
        }
        group.finish();
    }

    // 2b. Several rows in one transaction: the ceiling group commit could reach.
    {
        let mut group = c.benchmark_group("rows_per_tx");
        group.sampling_mode(SamplingMode::Flat);
        for rows in ROWS_PER_TX {
            group.throughput(Throughput::Elements(rows));
            group.bench_with_input(BenchmarkId::new("rows", rows), &rows, |b, &k| {
                b.iter(|| write_batch(&store, k));
            });
        }
        group.finish();
    }

    drop(store);
    drop(dir);
}

/// Writes `block` at each of `offsets`, then makes it durable with `sync`.
fn rewrite_and_sync(
    file: &mut File,
    block: &[u8],
    offsets: &[u64],
    sync: fn(&File) -> std::io::Result<()>,
) {
    for &offset in offsets {
        file.seek(SeekFrom::Start(offset)).unwrap();
        file.write_all(block).unwrap();
    }
    sync(file).unwrap();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(4))
        .without_plots()
}

criterion_group! {
    name = benches;
    config = config();
    targets = store_benches
}
criterion_main!(benches);
