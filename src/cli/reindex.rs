//! `cartable reindex`: rebuilds the search index — by the running server, asked through its
//! control socket (the store is locked by it, and it keeps serving searches from the old index
//! meanwhile), or here when no server runs. And the index's lines of `cartable check`.

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::Path;

use anyhow::{Context as _, Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::clock::SharedClock;
use crate::config::Config;
use crate::search::control::{self, Answer};
use crate::search::index::{self, IndexState};
use crate::search::{Search, SearchConfig};
use crate::store::{Store, StoreError};

/// A bar on a terminal (stderr); otherwise a log line every tenth.
struct Progress {
    bar: ProgressBar,
    plain: bool,
    last_tenth: u64,
}

impl Progress {
    fn new() -> Progress {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} items, {elapsed}") {
            bar.set_style(style);
        }
        let plain = bar.is_hidden();
        Progress {
            bar,
            plain,
            last_tenth: 0,
        }
    }

    fn update(&mut self, done: u64, total: u64) {
        self.bar.set_length(total);
        self.bar.set_position(done);
        let tenth = (done * 10).checked_div(total).unwrap_or(10);
        if self.plain && tenth > self.last_tenth {
            self.last_tenth = tenth;
            tracing::info!("reindex: {done}/{total} items");
        }
    }
}

/// `cartable reindex`.
pub(super) fn run(config: &Config, clock: SharedClock) -> Result<()> {
    let mut progress = Progress::new();
    if let Some(stream) = control::connect(&config.data_dir) {
        println!(
            "A Cartable server runs on {}: it rebuilds its search index and keeps serving.",
            config.data_dir.display()
        );
        return remote(stream, &mut progress);
    }
    let file = config.data_dir.join(crate::store::STORE_FILE);
    if !file.exists() {
        bail!(
            "there is no store at {} (is data_dir right? `cartable init` creates one)",
            file.display()
        );
    }
    let store = match Store::open_with_cache(
        &config.data_dir,
        clock.clone(),
        config.store_cache_mib,
    ) {
        Err(StoreError::Locked { path }) => bail!(
            "the store {} is used by a running Cartable whose control socket ({}) does not answer; restart it, or stop it and run `cartable reindex` again",
            path.display(),
            config.data_dir.join(control::SOCKET).display()
        ),
        other => other?,
    };
    let blobs = crate::blobs::BlobStore::new(&config.data_dir, clock.clone());
    let search = Search::new(&config.data_dir, blobs, SearchConfig::default());
    let started = clock.now();
    let bar = progress.bar.clone();
    let items = super::runtime()?.block_on(async move {
        tokio::task::spawn_blocking(move || {
            search.rebuild(&store, &mut |done, total| progress.update(done, total))
        })
        .await
    })??;
    bar.finish_and_clear();
    let seconds = clock.now().duration_since(started).as_secs_f64();
    println!("Search index rebuilt: {items} items in {seconds:.1} s.");
    Ok(())
}

/// Asks the server through its socket and shows what it streams back.
fn remote(stream: std::os::unix::net::UnixStream, progress: &mut Progress) -> Result<()> {
    let mut writer = stream.try_clone().context("control socket")?;
    writer
        .write_all(b"reindex\n")
        .context("cannot ask the server (control socket)")?;
    for line in BufReader::new(stream).lines() {
        let line = line.context("the server's answer was cut")?;
        match Answer::parse(&line) {
            Some(Answer::Progress { done, total }) => progress.update(done, total),
            Some(Answer::Done { items, seconds }) => {
                progress.bar.finish_and_clear();
                println!(
                    "Search index rebuilt by the server: {items} items in {seconds:.1} s (it kept serving meanwhile)."
                );
                return Ok(());
            }
            Some(Answer::Error(e)) if e == "busy" => {
                progress.bar.finish_and_clear();
                bail!("the server is already rebuilding its search index; wait for it to finish")
            }
            Some(Answer::Error(e)) => {
                progress.bar.finish_and_clear();
                bail!(
                    "the server could not rebuild its search index: {e} (the old index stays in use)"
                )
            }
            None => {}
        }
    }
    progress.bar.finish_and_clear();
    bail!("the server closed the control socket before saying the rebuild was done; see its log")
}

/// The search index's lines of `cartable check` (never a problem: the index is derived data,
/// the server rebuilds it when it is not in step).
pub(super) fn report_index(data_dir: &Path, store: &Store) -> Result<()> {
    let read = store.read()?;
    let head = read.head()?.seq;
    let dir = data_dir.join(index::INDEX_DIR);
    match index::inspect(data_dir, &read) {
        Ok(IndexState::Missing) => println!(
            "Search index {}: none yet (the server builds it when it starts)",
            dir.display()
        ),
        Ok(IndexState::Outdated) => println!(
            "Search index {}: made by another version of Cartable (the server rebuilds it when it starts)",
            dir.display()
        ),
        Ok(IndexState::Foreign(p)) => println!(
            "Search index {}: at entry {} of another store or of a rewound log (the server rebuilds it when it starts)",
            dir.display(),
            p.seq
        ),
        Ok(IndexState::At {
            position,
            documents,
        }) => {
            let behind = head.saturating_sub(position.seq);
            let note = if behind == 0 {
                String::new()
            } else {
                format!(" ({behind} entries behind; the server catches up when it starts)")
            };
            println!(
                "Search index {}: {documents} items, at change log entry {} of {head}{note}",
                dir.display(),
                position.seq
            );
        }
        Err(e) => println!(
            "Search index {}: unreadable ({e}); the server rebuilds it when it starts, or run `cartable reindex`",
            dir.display()
        ),
    }
    Ok(())
}
