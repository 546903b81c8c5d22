//! Blob store benchmarks (issue 7 §1): `put` throughput for 1 MiB and 20 MiB blobs (temp file,
//! SHA-256 while writing, fsync, rename, directory fsync), against a plain `write` + `fsync` of
//! the same bytes in the same directory, measured in the same run; the SHA-256 alone, and reading
//! a blob back against `std::fs::read`. Results go to `docs/PERFORMANCE.md`.
//!
//! Run with `cargo bench --bench blobs`. The data directory is a temporary directory under
//! `target/tmp` (a real disk); set `BENCH_STORE_DIR` to put it elsewhere. Every put stores new
//! content (a counter in the first bytes), and each file is deleted outside the timed part.
#![allow(clippy::unwrap_used, clippy::expect_used)]
// Benchmarks measure wall-clock time.
#![allow(clippy::disallowed_methods)]

use std::io::{Read as _, Write as _};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cartable::blobs::{BlobId, BlobStore};
use cartable::clock::SystemClock;
use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};

const SIZES: [(usize, &str); 2] = [(1 << 20, "1MiB"), (20 << 20, "20MiB")];

fn bench_dir() -> tempfile::TempDir {
    let base = std::env::var_os("BENCH_STORE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_TARGET_TMPDIR")));
    std::fs::create_dir_all(&base).unwrap();
    let dir = tempfile::tempdir_in(&base).unwrap();
    eprintln!("blob benchmark directory: {}", dir.path().display());
    dir
}

/// Bytes that do not compress or repeat, with room for a counter at the start.
fn content(len: usize) -> Vec<u8> {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

/// Makes the content new for iteration `i`.
fn stamp(data: &mut [u8], i: u64) {
    data[..8].copy_from_slice(&i.to_le_bytes());
}

fn blob_benches(c: &mut Criterion) {
    let dir = bench_dir();
    let blobs = BlobStore::new(dir.path(), Arc::new(SystemClock));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let plain_dir = dir.path().join("plain");
    std::fs::create_dir_all(&plain_dir).unwrap();
    let mut counter = 0u64;

    let mut group = c.benchmark_group("blob_put");
    group.sampling_mode(SamplingMode::Flat);
    for (len, name) in SIZES {
        let mut data = content(len);
        group.throughput(Throughput::Bytes(len as u64));

        // `BlobStore::put_sync`: what the CLI and blocking callers use.
        group.bench_function(BenchmarkId::new("put_sync", name), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    counter += 1;
                    stamp(&mut data, counter);
                    let start = Instant::now();
                    let (id, _) = blobs.put_sync(&data[..], u64::MAX).unwrap();
                    total += start.elapsed();
                    std::fs::remove_file(blobs.path_of(id)).unwrap();
                }
                total
            });
        });

        // `BlobStore::put`: what an HTTP upload uses (async reader, blocking pool).
        group.bench_function(BenchmarkId::new("put_async", name), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    counter += 1;
                    stamp(&mut data, counter);
                    let start = Instant::now();
                    let (id, _) = runtime.block_on(blobs.put(&data[..], u64::MAX)).unwrap();
                    total += start.elapsed();
                    std::fs::remove_file(blobs.path_of(id)).unwrap();
                }
                total
            });
        });

        // Reference: the same bytes written to a new file and fsynced, nothing else.
        group.bench_function(BenchmarkId::new("reference_write_fsync", name), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    counter += 1;
                    stamp(&mut data, counter);
                    let path = plain_dir.join(counter.to_string());
                    let start = Instant::now();
                    let mut file = std::fs::File::create(&path).unwrap();
                    file.write_all(&data).unwrap();
                    file.sync_all().unwrap();
                    drop(file);
                    total += start.elapsed();
                    std::fs::remove_file(&path).unwrap();
                }
                total
            });
        });

        // Reference: the SHA-256 alone, in memory.
        group.bench_function(BenchmarkId::new("reference_sha256", name), |b| {
            b.iter(|| BlobId::of(&data));
        });
    }
    group.finish();

    let mut group = c.benchmark_group("blob_read");
    for (len, name) in SIZES {
        let data = content(len);
        group.throughput(Throughput::Bytes(len as u64));
        let (id, _) = blobs.put_bytes(&data).unwrap();
        let plain = plain_dir.join(format!("read-{name}"));
        std::fs::write(&plain, &data).unwrap();
        let mut buf = Vec::with_capacity(len);
        group.bench_function(BenchmarkId::new("open_sync_read", name), |b| {
            b.iter(|| {
                buf.clear();
                let (mut file, _) = blobs.open_sync(id).unwrap();
                file.read_to_end(&mut buf).unwrap();
                buf.len()
            });
        });
        group.bench_function(BenchmarkId::new("reference_fs_read", name), |b| {
            b.iter(|| std::fs::read(&plain).unwrap().len());
        });
    }
    group.finish();
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
    targets = blob_benches
}
criterion_main!(benches);
