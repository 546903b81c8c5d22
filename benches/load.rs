//! HTTP load tool of `scripts/bench surge` and `scripts/bench search` (issue 5). Not a
//! criterion benchmark (`harness = false`): a small client that loads a running `cartable
//! serve` over HTTPS and prints latency percentiles. Figures go into `docs/PERFORMANCE.md` by
//! hand, never into tests.
//!
//! ```text
//! cargo bench --bench load -- surge --base URL --logins FILE --cookies FILE \
//!     [--signins-per-sec 36] [--views-per-sec 700] [--seconds 60]
//! cargo bench --bench load -- search --base URL [--queries 2000] [--concurrency 8]
//! ```
//!
//! - `surge` ("the lockdown morning") is **open loop**: sign-ins and portal views are sent on a
//!   fixed timetable (request *i* of a stream leaves at `start + i / rate`) whatever the answers,
//!   so a slow server shows as latency rather than as fewer requests (wrk, closed loop, cannot
//!   do this). Each sign-in (`POST /api/v1/auth/login`) uses the next login of `--logins` and a
//!   client of its own, hence a new connection and a full TLS handshake (no session
//!   resumption), like a family's browser; portal views (`GET /`) share one client whose
//!   keep-alive connections are reused, and carry the session cookies of `--cookies` in turn.
//!   Latency is measured from the **scheduled** start, so it includes any delay of this tool
//!   (reported separately as the generator's lag).
//! - `search` signs in the platform administrator, reads the establishments from `/admin`,
//!   takes the one with the most classes (or `--establishment`), signs in its local
//!   administrator (from `/admin/etablissements/{id}/administrateurs`) and runs the same
//!   `--queries` searches (`GET /admin/etablissements/{id}/personnes?q=…`, closed loop,
//!   `--concurrency` at a time) as each of them. Queries are drawn deterministically from the
//!   demo's name lists (`src/demo/names.rs`, compiled in): prefixes of 2 to 5 letters,
//!   accent-less prefixes of accented names, and two-word "prénom nom" prefixes.
//!
//! The server's certificate is self-signed (the bench's temporary data directory), so
//! certificate checks are off: this tool only ever talks to the server the script started.
// A load tool measures wall-clock time.
#![allow(clippy::disallowed_methods)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use tokio::task::JoinSet;
use tokio::time::Instant;

/// The demo's name lists, shared with the generator so that queries find people.
#[path = "../src/demo/names.rs"]
#[allow(dead_code)]
mod names;

/// Every request gives up after this long (counted as a timeout).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The goal of the surge, for both streams.
const GOAL_P99: Duration = Duration::from_millis(100);

#[derive(Debug, Parser)]
#[command(about = "Open-loop HTTP load tool of scripts/bench (issue 5)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Sign-ins of distinct accounts and portal views at fixed rates, at the same time.
    Surge(SurgeArgs),
    /// Admin person search as a local and as the platform administrator.
    Search(SearchArgs),
}

#[derive(Debug, Args)]
struct SurgeArgs {
    /// The server, e.g. `https://127.0.0.1:8443`.
    #[arg(long)]
    base: String,
    /// Logins to sign in, one per line; each is used once.
    #[arg(long)]
    logins: PathBuf,
    /// Session cookies (`__Host-cartable=…`) of signed-in users, one per line.
    #[arg(long)]
    cookies: PathBuf,
    /// The password of every login.
    #[arg(long, default_value = "demo-cartable-2026")]
    password: String,
    /// Sign-ins per second.
    #[arg(long, default_value_t = 36.0)]
    signins_per_sec: f64,
    /// Portal views per second.
    #[arg(long, default_value_t = 700.0)]
    views_per_sec: f64,
    /// Length of the load.
    #[arg(long, default_value_t = 60.0)]
    seconds: f64,
    /// The page viewed.
    #[arg(long, default_value = "/")]
    path: String,
}

#[derive(Debug, Args)]
struct SearchArgs {
    /// The server, e.g. `https://127.0.0.1:8443`.
    #[arg(long)]
    base: String,
    /// The platform administrator's login.
    #[arg(long, default_value = "admin")]
    platform_login: String,
    /// The password of the administrators.
    #[arg(long, default_value = "demo-cartable-2026")]
    password: String,
    /// Searches per actor.
    #[arg(long, default_value_t = 2000)]
    queries: usize,
    /// Searches in flight at a time.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// The establishment searched (default: the one with the most classes).
    #[arg(long)]
    establishment: Option<u64>,
}

fn main() -> Result<()> {
    // `cargo bench` appends `--bench` to the arguments of a `harness = false` target.
    let args = std::env::args().filter(|a| a != "--bench");
    let cli = Cli::parse_from(args);
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        match cli.command {
            Command::Surge(args) => surge(args).await,
            Command::Search(args) => search(args).await,
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Shared: clients, outcomes, percentiles.

/// A client for the bench server: rustls, self-signed certificate accepted, no redirects.
fn client() -> Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .danger_accept_invalid_certs(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(REQUEST_TIMEOUT)
        .connect_timeout(REQUEST_TIMEOUT)
        .user_agent("cartable-bench-load")
        .build()?)
}

/// How one request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// A 2xx or 3xx answer.
    Ok(u16),
    /// Any other status.
    Status(u16),
    /// The connection (TCP or TLS) could not be made.
    Connect,
    /// No answer within [`REQUEST_TIMEOUT`].
    Timeout,
    /// Another transport error (reset, body cut short…).
    Other,
}

impl Outcome {
    fn of_error(e: &reqwest::Error) -> Outcome {
        if e.is_timeout() {
            Outcome::Timeout
        } else if e.is_connect() {
            Outcome::Connect
        } else {
            Outcome::Other
        }
    }

    fn of_status(status: reqwest::StatusCode) -> Outcome {
        if status.is_success() || status.is_redirection() {
            Outcome::Ok(status.as_u16())
        } else {
            Outcome::Status(status.as_u16())
        }
    }
}

/// One request's result.
#[derive(Debug, Clone, Copy)]
struct Sample {
    /// From the scheduled start (surge) or the send (search) to the end of the body.
    latency: Duration,
    /// How late the request left, after its scheduled time.
    lag: Duration,
    outcome: Outcome,
}

/// The `p`-th percentile (nearest rank) of sorted durations.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// What a list of samples says.
struct Summary {
    count: usize,
    ok: usize,
    redirects: usize,
    status_4xx: usize,
    status_5xx: usize,
    connect: usize,
    timeout: usize,
    other: usize,
    p50: Duration,
    p99: Duration,
    max: Duration,
    lag_p99: Duration,
    lag_max: Duration,
}

impl Summary {
    fn of(samples: &[Sample]) -> Summary {
        let mut latencies: Vec<Duration> = samples.iter().map(|s| s.latency).collect();
        latencies.sort_unstable();
        let mut lags: Vec<Duration> = samples.iter().map(|s| s.lag).collect();
        lags.sort_unstable();
        let count_of =
            |f: &dyn Fn(Outcome) -> bool| samples.iter().filter(|s| f(s.outcome)).count();
        Summary {
            count: samples.len(),
            ok: count_of(&|o| matches!(o, Outcome::Ok(_))),
            redirects: count_of(&|o| matches!(o, Outcome::Ok(300..=399))),
            status_4xx: count_of(&|o| matches!(o, Outcome::Status(400..=499))),
            status_5xx: count_of(&|o| matches!(o, Outcome::Status(s) if !(400..=499).contains(&s))),
            connect: count_of(&|o| o == Outcome::Connect),
            timeout: count_of(&|o| o == Outcome::Timeout),
            other: count_of(&|o| o == Outcome::Other),
            p50: percentile(&latencies, 50.0),
            p99: percentile(&latencies, 99.0),
            max: latencies.last().copied().unwrap_or_default(),
            lag_p99: percentile(&lags, 99.0),
            lag_max: lags.last().copied().unwrap_or_default(),
        }
    }

    fn errors(&self) -> usize {
        self.count - self.ok
    }

    fn error_detail(&self) -> String {
        format!(
            "errors {} (4xx {}, 5xx {}, connect {}, timeout {}, other {})",
            self.errors(),
            self.status_4xx,
            self.status_5xx,
            self.connect,
            self.timeout,
            self.other
        )
    }
}

/// This process's CPU time so far, user and system, in seconds (`/proc/self/stat`, Linux;
/// clock ticks of 1/100 s, the `USER_HZ` of every mainstream kernel).
fn own_cpu() -> Option<(f64, f64)> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    let ticks = |i: usize| fields.get(i)?.parse::<f64>().ok();
    Some((ticks(11)? / 100.0, ticks(12)? / 100.0))
}

/// "load tool CPU: user 1.2 s, system 0.3 s" (or nothing off Linux).
fn print_own_cpu() {
    if let Some((user, system)) = own_cpu() {
        println!("load tool CPU: user {user:.1} s, system {system:.1} s");
    }
}

/// The non-empty lines of a file.
fn read_lines(path: &Path) -> Result<Vec<String>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

/// Signs `login` in through the JSON API with `client`; returns the `__Host-cartable=…` pair.
async fn sign_in(
    client: &reqwest::Client,
    base: &str,
    login: &str,
    password: &str,
) -> Result<String> {
    let response = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({ "login": login, "password": password }))
        .send()
        .await?;
    let status = response.status();
    let cookie = response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|v| v.starts_with("__Host-cartable="))
        .map(str::to_owned);
    match cookie {
        Some(cookie) if status.is_success() => Ok(cookie),
        _ => bail!("signing in {login} failed: {status}"),
    }
}

// ---------------------------------------------------------------------------------------------
// surge

async fn surge(args: SurgeArgs) -> Result<()> {
    if args.signins_per_sec <= 0.0 || args.views_per_sec <= 0.0 || args.seconds <= 0.0 {
        bail!("rates and duration must be positive");
    }
    let logins = read_lines(&args.logins)?;
    let cookies = Arc::new(read_lines(&args.cookies)?);
    if cookies.is_empty() {
        bail!("no cookie in {}", args.cookies.display());
    }
    let signins = (args.signins_per_sec * args.seconds).round() as usize;
    let views = (args.views_per_sec * args.seconds).round() as usize;
    if logins.len() < signins {
        bail!(
            "{} logins in {}, {signins} distinct ones needed",
            logins.len(),
            args.logins.display()
        );
    }
    let base: Arc<str> = Arc::from(args.base.trim_end_matches('/'));
    let password: Arc<str> = Arc::from(args.password.as_str());
    let view_url: Arc<str> = Arc::from(format!("{base}{}", args.path).as_str());
    let views_client = client()?;

    // Warm-up (not measured): checks the cookies and opens a few keep-alive connections.
    let mut warm = JoinSet::new();
    for i in 0..cookies.len().min(32) {
        let (client, url, cookie) = (views_client.clone(), view_url.clone(), cookies[i].clone());
        warm.spawn(async move {
            let r = client
                .get(&*url)
                .header(reqwest::header::COOKIE, cookie)
                .send()
                .await?;
            let status = r.status();
            r.bytes().await?;
            Ok::<_, reqwest::Error>(status)
        });
    }
    while let Some(r) = warm.join_next().await {
        let status = r??;
        if !status.is_success() {
            bail!(
                "warm-up: GET {} answered {status}: are the cookies valid?",
                args.path
            );
        }
    }

    println!(
        "== surge: {} sign-ins/s (distinct accounts, new TLS connection each) + {} portal views/s \
         ({} users' cookies, keep-alive) for {} s, open loop, {}",
        args.signins_per_sec,
        args.views_per_sec,
        cookies.len(),
        args.seconds,
        base
    );
    let start = Instant::now() + Duration::from_millis(100);

    // Sign-ins: a client (hence a connection and a TLS handshake) each, built before its slot.
    let signin_schedule = {
        let base = base.clone();
        let password = password.clone();
        let rate = args.signins_per_sec;
        let logins: Vec<String> = logins.into_iter().take(signins).collect();
        tokio::spawn(async move {
            let mut set = JoinSet::new();
            for (i, login) in logins.into_iter().enumerate() {
                let at = start + Duration::from_secs_f64(i as f64 / rate);
                let client = client();
                tokio::time::sleep_until(at).await;
                let (base, password) = (base.clone(), password.clone());
                set.spawn(async move {
                    let sent = Instant::now();
                    let outcome = match client {
                        Ok(client) => signin_once(&client, &base, &login, &password).await,
                        Err(_) => Outcome::Other,
                    };
                    Sample {
                        latency: sent.elapsed() + (sent - at),
                        lag: sent - at,
                        outcome,
                    }
                });
            }
            collect(set).await
        })
    };
    let view_schedule = {
        let rate = args.views_per_sec;
        tokio::spawn(async move {
            let mut set = JoinSet::new();
            for i in 0..views {
                let at = start + Duration::from_secs_f64(i as f64 / rate);
                tokio::time::sleep_until(at).await;
                let (client, url) = (views_client.clone(), view_url.clone());
                let cookie = cookies[i % cookies.len()].clone();
                set.spawn(async move {
                    let sent = Instant::now();
                    let outcome = view_once(&client, &url, cookie).await;
                    Sample {
                        latency: sent.elapsed() + (sent - at),
                        lag: sent - at,
                        outcome,
                    }
                });
            }
            collect(set).await
        })
    };
    let signins = signin_schedule.await?;
    let views = view_schedule.await?;
    let wall = start.elapsed().as_secs_f64();

    let mut met = true;
    for (name, samples, rate) in [
        ("sign-ins", &signins, args.signins_per_sec),
        ("portal views", &views, args.views_per_sec),
    ] {
        let s = Summary::of(samples);
        println!(
            "{name}: {} sent (target {rate}/s), achieved {:.1} answered/s ({:.1} ok/s); \
             p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; {}{}",
            s.count,
            s.count as f64 / args.seconds,
            s.ok as f64 / args.seconds,
            ms(s.p50),
            ms(s.p99),
            ms(s.max),
            s.error_detail(),
            if s.redirects > 0 {
                format!(", {} redirects", s.redirects)
            } else {
                String::new()
            }
        );
        println!(
            "RESULT stream={} target_per_sec={rate} achieved_per_sec={:.1} ok_per_sec={:.1} \
             p50_ms={:.2} p99_ms={:.2} max_ms={:.2} errors={} lag_p99_ms={:.2}",
            name.replace(' ', "_"),
            s.count as f64 / args.seconds,
            s.ok as f64 / args.seconds,
            ms(s.p50),
            ms(s.p99),
            ms(s.max),
            s.errors(),
            ms(s.lag_p99)
        );
        println!(
            "  generator lag (sent − scheduled, included in the latency): p99 {:.1} ms, max {:.1} ms",
            ms(s.lag_p99),
            ms(s.lag_max)
        );
        met &= s.p99 < GOAL_P99 && s.errors() == 0;
    }
    println!(
        "wall time {wall:.1} s (the last requests' answers included)\n\
         goal: p99 < {} ms and 0 errors for both streams: {}",
        GOAL_P99.as_millis(),
        if met { "MET" } else { "MISSED" }
    );
    print_own_cpu();
    Ok(())
}

async fn collect(mut set: JoinSet<Sample>) -> Vec<Sample> {
    let mut out = Vec::with_capacity(set.len());
    while let Some(r) = set.join_next().await {
        out.push(r.unwrap_or(Sample {
            latency: Duration::ZERO,
            lag: Duration::ZERO,
            outcome: Outcome::Other,
        }));
    }
    out
}

async fn signin_once(client: &reqwest::Client, base: &str, login: &str, password: &str) -> Outcome {
    let sent = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({ "login": login, "password": password }))
        .send()
        .await;
    let response = match sent {
        Ok(r) => r,
        Err(e) => return Outcome::of_error(&e),
    };
    let outcome = Outcome::of_status(response.status());
    let has_cookie = response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .any(|v| v.as_bytes().starts_with(b"__Host-cartable="));
    match response.bytes().await {
        Err(e) => Outcome::of_error(&e),
        // A 200 without a session is no sign-in.
        Ok(_) if matches!(outcome, Outcome::Ok(_)) && !has_cookie => Outcome::Other,
        Ok(_) => outcome,
    }
}

async fn view_once(client: &reqwest::Client, url: &str, cookie: String) -> Outcome {
    let sent = client
        .get(url)
        .header(reqwest::header::COOKIE, cookie)
        .send()
        .await;
    match sent {
        Err(e) => Outcome::of_error(&e),
        Ok(response) => {
            let outcome = Outcome::of_status(response.status());
            match response.bytes().await {
                Ok(_) => outcome,
                Err(e) => Outcome::of_error(&e),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// search

/// A signed-in browser: a client and its session cookie.
struct Session {
    client: reqwest::Client,
    cookie: String,
}

impl Session {
    async fn open(base: &str, login: &str, password: &str) -> Result<Session> {
        let client = client()?;
        let cookie = sign_in(&client, base, login, password).await?;
        Ok(Session { client, cookie })
    }

    async fn get(&self, url: &str) -> Result<(reqwest::StatusCode, String)> {
        let response = self
            .client
            .get(url)
            .header(reqwest::header::COOKIE, &self.cookie)
            .send()
            .await?;
        let status = response.status();
        Ok((status, response.text().await?))
    }

    async fn page(&self, url: &str) -> Result<String> {
        let (status, body) = self.get(url).await?;
        if !status.is_success() {
            bail!("GET {url} answered {status}");
        }
        Ok(body)
    }
}

/// The numbers `n` of every `{before}{n}{after}` in `html`, in order, without repeats.
fn ids_between(html: &str, before: &str, after: &str) -> Vec<u64> {
    let mut out = Vec::new();
    for (i, _) in html.match_indices(before) {
        let rest = &html[i + before.len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty()
            && rest[digits.len()..].starts_with(after)
            && let Ok(n) = digits.parse::<u64>()
            && !out.contains(&n)
        {
            out.push(n);
        }
    }
    out
}

/// The text of the first `<h1>` (tags dropped, the usual entities decoded).
fn heading(html: &str) -> String {
    let Some(start) = html.find("<h1") else {
        return String::new();
    };
    let rest = &html[start..];
    let end = rest.find("</h1>").unwrap_or(rest.len());
    let mut text = String::new();
    let mut in_tag = false;
    for c in rest[..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The establishment's name in the `<h1>` of one of its admin pages ("Classes — Name").
fn establishment_name(html: &str) -> String {
    let h = heading(html);
    match h.split_once(" — ") {
        Some((_, name)) => name.to_owned(),
        None => h,
    }
}

/// The logins in the administrators' table: the first `<td>` after each person link.
fn admin_logins(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in html.match_indices("<th scope=\"row\"><a href=\"/admin/personnes/") {
        let rest = &html[i..];
        if let Some(td) = rest.find("<td>") {
            let cell = &rest[td + 4..];
            if let Some(end) = cell.find("</td>") {
                out.push(cell[..end].trim().to_owned());
            }
        }
    }
    out
}

async fn search(args: SearchArgs) -> Result<()> {
    let base = args.base.trim_end_matches('/').to_owned();
    let platform = Session::open(&base, &args.platform_login, &args.password).await?;
    let home = platform.page(&format!("{base}/admin")).await?;
    let establishments = ids_between(&home, "/admin/etablissements/", "/personnes\"");
    if establishments.is_empty() {
        bail!("no establishment on /admin for {}", args.platform_login);
    }
    // The largest establishment, by its number of classes.
    let (id, name, classes) = match args.establishment {
        Some(id) => {
            let page = platform
                .page(&format!("{base}/admin/etablissements/{id}/classes"))
                .await?;
            let n = page.matches("href=\"/admin/classes/").count();
            (id, establishment_name(&page), n)
        }
        None => {
            let mut best = (0, String::new(), 0);
            for &id in &establishments {
                let page = platform
                    .page(&format!("{base}/admin/etablissements/{id}/classes"))
                    .await?;
                let n = page.matches("href=\"/admin/classes/").count();
                if n > best.2 {
                    best = (id, establishment_name(&page), n);
                }
            }
            best
        }
    };
    let admins_page = platform
        .page(&format!("{base}/admin/etablissements/{id}/administrateurs"))
        .await?;
    let Some(local_login) = admin_logins(&admins_page)
        .into_iter()
        .find(|l| *l != args.platform_login)
    else {
        bail!(
            "establishment {id} has no local administrator besides {}",
            args.platform_login
        );
    };
    let local = Session::open(&base, &local_login, &args.password).await?;
    let queries = Arc::new(queries(args.queries));
    println!(
        "== admin search: {} establishments on /admin; searching establishment {id} \"{name}\" \
         ({classes} classes), {} queries per actor, {} concurrent, {base}",
        establishments.len(),
        queries.len(),
        args.concurrency
    );
    println!(
        "queries (first 12 of a deterministic list): {}",
        queries
            .iter()
            .take(12)
            .map(|q| format!("{q:?}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let url = format!("{base}/admin/etablissements/{id}/personnes");
    for (actor, session) in [
        (format!("local administrator ({local_login})"), local),
        (
            format!("platform administrator ({})", args.platform_login),
            platform,
        ),
    ] {
        // Warm-up (not measured): opens `concurrency` keep-alive connections.
        let mut warm = JoinSet::new();
        for q in queries.iter().take(args.concurrency.max(1)) {
            let request = session
                .client
                .get(&url)
                .query(&[("q", q)])
                .header(reqwest::header::COOKIE, &session.cookie);
            warm.spawn(async move { request.send().await?.bytes().await });
        }
        while let Some(r) = warm.join_next().await {
            r??;
        }
        let session = Arc::new(session);
        let next = Arc::new(AtomicUsize::new(0));
        let started = Instant::now();
        let mut set = JoinSet::new();
        for _ in 0..args.concurrency.max(1) {
            let (session, next, queries, url) =
                (session.clone(), next.clone(), queries.clone(), url.clone());
            set.spawn(async move {
                let mut out = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(q) = queries.get(i) else { break };
                    let sent = Instant::now();
                    let answer = session
                        .client
                        .get(&url)
                        .query(&[("q", q)])
                        .header(reqwest::header::COOKIE, &session.cookie)
                        .send()
                        .await;
                    let (outcome, hits) = match answer {
                        Err(e) => (Outcome::of_error(&e), 0),
                        Ok(r) => {
                            let outcome = Outcome::of_status(r.status());
                            match r.text().await {
                                Ok(body) => {
                                    (outcome, body.matches("href=\"/admin/personnes/").count())
                                }
                                Err(e) => (Outcome::of_error(&e), 0),
                            }
                        }
                    };
                    out.push((
                        Sample {
                            latency: sent.elapsed(),
                            lag: Duration::ZERO,
                            outcome,
                        },
                        hits,
                    ));
                }
                out
            });
        }
        let mut samples = Vec::new();
        let mut hits = Vec::new();
        while let Some(r) = set.join_next().await {
            for (s, h) in r? {
                samples.push(s);
                hits.push(h);
            }
        }
        let seconds = started.elapsed().as_secs_f64();
        let s = Summary::of(&samples);
        let empty = hits.iter().filter(|&&h| h == 0).count();
        let mean_hits = hits.iter().sum::<usize>() as f64 / hits.len().max(1) as f64;
        println!(
            "{actor}: {} searches in {seconds:.2} s = {:.0} req/s; p50 {:.1} ms, p99 {:.1} ms, \
             max {:.1} ms; {:.1} hits per search on average, {empty} with none; {}",
            s.count,
            s.count as f64 / seconds,
            ms(s.p50),
            ms(s.p99),
            ms(s.max),
            mean_hits,
            s.error_detail()
        );
        println!(
            "RESULT actor={} req_per_sec={:.1} p50_ms={:.2} p99_ms={:.2} max_ms={:.2} errors={}",
            if actor.starts_with("local") {
                "local"
            } else {
                "platform"
            },
            s.count as f64 / seconds,
            ms(s.p50),
            ms(s.p99),
            ms(s.max),
            s.errors()
        );
    }
    print_own_cpu();
    Ok(())
}

/// A deterministic generator (SplitMix64): the same queries on every run and machine.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }
}

/// The first `n` characters of `s`, lowercased half of the time (as people type).
fn prefix(rng: &mut SplitMix, s: &str, n: usize) -> String {
    let p: String = s.chars().take(n).collect();
    if rng.below(2) == 0 {
        p.to_lowercase()
    } else {
        p
    }
}

/// `n` search queries drawn from the demo's name lists:
/// - 35 % a surname prefix of 2 to 5 letters ("Ber", "chast"),
/// - 20 % a first-name prefix of 2 to 5 letters,
/// - 20 % an accented name's prefix typed without its accents ("helo" for Héloïse), long
///   enough to cover the first accent,
/// - 25 % "prénom nom": a whole first name and a surname prefix of 2 to 5 letters ("léa ber").
fn queries(n: usize) -> Vec<String> {
    let mut rng = SplitMix(2026);
    let first: Vec<&str> = [names::GIRLS, names::BOYS, names::WOMEN, names::MEN].concat();
    let all: Vec<&str> = first.iter().chain(names::SURNAMES).copied().collect();
    let accented: Vec<&str> = all.iter().copied().filter(|s| !s.is_ascii()).collect();
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let kind = rng.below(100);
        let len = 2 + rng.below(4);
        let q = if kind < 35 {
            let s = rng.pick(names::SURNAMES);
            prefix(&mut rng, s, len)
        } else if kind < 55 {
            let s = rng.pick(&first);
            prefix(&mut rng, s, len)
        } else if kind < 75 {
            let s = rng.pick(&accented);
            let accent = s.chars().position(|c| !c.is_ascii()).unwrap_or(0);
            let plain = deunicode::deunicode(s);
            prefix(&mut rng, &plain, len.max(accent + 1))
        } else {
            let f = rng.pick(&first);
            let s = rng.pick(names::SURNAMES);
            let f = prefix(&mut rng, f, usize::MAX);
            format!("{f} {}", prefix(&mut rng, s, len))
        };
        out.push(q);
    }
    out
}
