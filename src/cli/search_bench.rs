//! `cartable debug search-bench`: the query half of `scripts/bench search`. Opens the store and
//! its index (caught up first), then runs the same `queries` French queries (one or two words
//! of the seeding's word list, half typed without accents) as each given login, twice each and
//! interleaved: through the real search (ACL filter inside Tantivy, every hit re-checked
//! against the store, snippets) and through the same search without the ACL filter and the
//! re-check. Prints p50/p99 of both per login, then `search p99 with ACL / without: R` over all.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Args;
use rand::{RngExt as _, SeedableRng as _};

use crate::blobs::BlobStore;
use crate::clock::SharedClock;
use crate::config::Config;
use crate::domain::directory::queries::{find_by_login, load_actor};
use crate::search::query::{self, Request};
use crate::search::{Search, SearchConfig};

/// Arguments of `debug search-bench`.
#[derive(Debug, Args)]
pub struct SearchBench {
    /// Queries per login.
    #[arg(long, default_value_t = 200)]
    pub queries: usize,
    /// The logins to search as, comma-separated (e.g. a pupil, a teacher, an administrator).
    #[arg(long, value_delimiter = ',')]
    pub logins: Vec<String>,
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

/// The benchmark's queries: deterministic, like what pupils and teachers type.
fn queries(n: usize) -> Vec<String> {
    let words = super::seed_documents::WORDS;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(42);
    (0..n)
        .map(|i| {
            let mut q = words[rng.random_range(0..words.len())].to_owned();
            if i % 3 == 0 {
                q.push(' ');
                q.push_str(words[rng.random_range(0..words.len())]);
            }
            if i % 2 == 0 {
                deunicode::deunicode(&q).to_lowercase()
            } else {
                q
            }
        })
        .collect()
}

/// Runs it.
// A benchmark measures real elapsed time, not the domain's clock.
#[allow(clippy::disallowed_methods)]
pub fn run(config: &Config, clock: SharedClock, args: &SearchBench) -> Result<()> {
    let store = super::open_store(&config.data_dir, clock.clone())?;
    let search = Search::new(
        &config.data_dir,
        BlobStore::new(&config.data_dir, clock),
        SearchConfig::default(),
    );
    let started = Instant::now();
    search
        .catch_up_all(&store)
        .context("cannot open the search index")?;
    println!(
        "index open and caught up in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let texts = queries(args.queries);
    let (mut all_with, mut all_without) = (Vec::new(), Vec::new());
    for login in &args.logins {
        let actor = {
            let read = store.read()?;
            let (id, _) = find_by_login(&read, login)?.with_context(|| format!("no {login}"))?;
            load_actor(&read, id)?.with_context(|| format!("no person for {login}"))?
        };
        let (mut with, mut without) = (Vec::new(), Vec::new());
        let (mut hits_with, mut hits_without) = (0usize, 0usize);
        // A warm-up pass (page cache, reader), not counted.
        for text in texts.iter().take(20) {
            let request = Request {
                text: text.clone(),
                page: 1,
                ..Request::default()
            };
            query::search(&store, &search, &actor, &request)?;
            query::search_without_acl(&store, &search, &request)?;
        }
        for text in &texts {
            let request = Request {
                text: text.clone(),
                page: 1,
                ..Request::default()
            };
            let t = Instant::now();
            hits_with += query::search(&store, &search, &actor, &request)?.hits.len();
            with.push(t.elapsed());
            let t = Instant::now();
            hits_without += query::search_without_acl(&store, &search, &request)?
                .hits
                .len();
            without.push(t.elapsed());
        }
        with.sort();
        without.sort();
        let n = texts.len().max(1) as f64;
        println!(
            "{login}: with ACL p50 {:.2} ms p99 {:.2} ms ({:.1} hits/page); without ACL p50 {:.2} ms p99 {:.2} ms ({:.1} hits/page)",
            percentile(&with, 0.5),
            percentile(&with, 0.99),
            hits_with as f64 / n,
            percentile(&without, 0.5),
            percentile(&without, 0.99),
            hits_without as f64 / n,
        );
        all_with.extend(with);
        all_without.extend(without);
    }
    all_with.sort();
    all_without.sort();
    let (p99_with, p99_without) = (percentile(&all_with, 0.99), percentile(&all_without, 0.99));
    println!(
        "all: with ACL p50 {:.2} ms p99 {p99_with:.2} ms; without ACL p50 {:.2} ms p99 {p99_without:.2} ms",
        percentile(&all_with, 0.5),
        percentile(&all_without, 0.5),
    );
    println!(
        "search p99 with ACL / without: {:.2} (target <= 2)",
        p99_with / p99_without.max(1e-9)
    );
    Ok(())
}
