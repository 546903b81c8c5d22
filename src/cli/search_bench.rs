//! `cartable debug search-bench`: the query half of `scripts/bench search`. Opens the store and
//! its index (caught up first), then runs the same `queries` French queries (one or two words
//! of the seeding's word list, half typed without accents) as each given login, interleaved:
//! through the real search (ACL filter inside Tantivy, every hit re-checked against the store,
//! snippets), through the same search without the ACL filter and the re-check, and through
//! Tantivy alone with its own snippets ([`query::raw_reference`], the reference of issue 14
//! §15); page 1, and page 10 of the real search and of the reference. Prints p50/p99 of each
//! per login, then over all `search p99 with ACL / without: R` and `first page p99 / raw
//! Tantivy with snippets: R`.

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

/// The deep page measured.
const DEEP_PAGE: u32 = 10;

/// Times of one login's queries, or of all.
#[derive(Default)]
struct Timings {
    with: Vec<Duration>,
    without: Vec<Duration>,
    raw: Vec<Duration>,
    deep: Vec<Duration>,
    deep_raw: Vec<Duration>,
    hits_with: usize,
    hits_without: usize,
    hits_raw: usize,
}

impl Timings {
    fn sort(&mut self) {
        for v in [
            &mut self.with,
            &mut self.without,
            &mut self.raw,
            &mut self.deep,
            &mut self.deep_raw,
        ] {
            v.sort();
        }
    }

    fn extend(&mut self, other: Timings) {
        self.with.extend(other.with);
        self.without.extend(other.without);
        self.raw.extend(other.raw);
        self.deep.extend(other.deep);
        self.deep_raw.extend(other.deep_raw);
    }
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
    let store = super::open_store(config, clock.clone())?;
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
    let mut all = Timings::default();
    for login in &args.logins {
        let actor = {
            let read = store.read()?;
            let (id, _) = find_by_login(&read, login)?.with_context(|| format!("no {login}"))?;
            load_actor(&read, id)?.with_context(|| format!("no person for {login}"))?
        };
        let request = |text: &str, page: u32| Request {
            text: text.to_owned(),
            page,
            ..Request::default()
        };
        // A warm-up pass (page cache, reader), not counted.
        for text in texts.iter().take(20) {
            query::search(&store, &search, &actor, &request(text, 1))?;
            query::search_without_acl(&store, &search, &request(text, 1))?;
            query::raw_reference(&search, text, 1)?;
        }
        let mut mine = Timings::default();
        for text in &texts {
            // Interleaved, so that the machine's noise falls on all of them alike.
            let t = Instant::now();
            mine.hits_with += query::search(&store, &search, &actor, &request(text, 1))?
                .hits
                .len();
            mine.with.push(t.elapsed());
            let t = Instant::now();
            mine.hits_without += query::search_without_acl(&store, &search, &request(text, 1))?
                .hits
                .len();
            mine.without.push(t.elapsed());
            let t = Instant::now();
            mine.hits_raw += query::raw_reference(&search, text, 1)?;
            mine.raw.push(t.elapsed());
            let t = Instant::now();
            query::search(&store, &search, &actor, &request(text, DEEP_PAGE))?;
            mine.deep.push(t.elapsed());
            let t = Instant::now();
            query::raw_reference(&search, text, DEEP_PAGE)?;
            mine.deep_raw.push(t.elapsed());
        }
        let n = texts.len().max(1) as f64;
        mine.sort();
        println!(
            "{login}: page 1 with ACL p50 {:.2} ms p99 {:.2} ms ({:.1} hits/page); without ACL p50 {:.2} ms p99 {:.2} ms ({:.1} hits/page); raw Tantivy p50 {:.2} ms p99 {:.2} ms ({:.1} hits/page); page {DEEP_PAGE} p50 {:.2} ms p99 {:.2} ms (raw {:.2} / {:.2} ms)",
            percentile(&mine.with, 0.5),
            percentile(&mine.with, 0.99),
            mine.hits_with as f64 / n,
            percentile(&mine.without, 0.5),
            percentile(&mine.without, 0.99),
            mine.hits_without as f64 / n,
            percentile(&mine.raw, 0.5),
            percentile(&mine.raw, 0.99),
            mine.hits_raw as f64 / n,
            percentile(&mine.deep, 0.5),
            percentile(&mine.deep, 0.99),
            percentile(&mine.deep_raw, 0.5),
            percentile(&mine.deep_raw, 0.99),
        );
        all.extend(mine);
    }
    all.sort();
    let p99 = |v: &[Duration]| percentile(v, 0.99);
    println!(
        "all: page 1 with ACL p50 {:.2} ms p99 {:.2} ms; without ACL p50 {:.2} ms p99 {:.2} ms; raw Tantivy p50 {:.2} ms p99 {:.2} ms; page {DEEP_PAGE} p50 {:.2} ms p99 {:.2} ms (raw p50 {:.2} ms p99 {:.2} ms)",
        percentile(&all.with, 0.5),
        p99(&all.with),
        percentile(&all.without, 0.5),
        p99(&all.without),
        percentile(&all.raw, 0.5),
        p99(&all.raw),
        percentile(&all.deep, 0.5),
        p99(&all.deep),
        percentile(&all.deep_raw, 0.5),
        p99(&all.deep_raw),
    );
    println!(
        "search p99 with ACL / without: {:.2} (target <= 2)",
        p99(&all.with) / p99(&all.without).max(1e-9)
    );
    println!(
        "first page p99 / raw Tantivy with snippets: {:.2} (target <= 2, and p99 {:.2} ms < 10 ms)",
        p99(&all.with) / p99(&all.raw).max(1e-9),
        p99(&all.with),
    );
    Ok(())
}
