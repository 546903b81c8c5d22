//! The command line: `cartable serve | demo | init | check | check-config | import | mail`.

mod reindex;
mod search_bench;
mod seed_documents;
mod seed_messages;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};

use crate::clock::{SharedClock, SystemClock};
use crate::config::{Config, DEFAULT_CONFIG_PATH, LogFormat};
use crate::state::AppState;
use crate::store::Store;

/// Cartable, the school digital workspace (ENT) of French collèges and lycées.
///
/// One program serves the whole web workspace over HTTPS from one data directory.
/// Settings come from /etc/cartable/cartable.toml (or --config) and CARTABLE_* environment
/// variables; see docs/configuration.md.
#[derive(Debug, Parser)]
#[command(name = "cartable", version, about, long_about, max_term_width = 100)]
pub struct Cli {
    /// Configuration file to read [default: /etc/cartable/cartable.toml if it exists]
    #[arg(long, global = true, env = "CARTABLE_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Data directory to use instead of the configured `data_dir`
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start Cartable: open (or create) the data directory and serve the web workspace.
    /// Stops cleanly on Ctrl-C or SIGTERM.
    Serve,
    /// Start Cartable with a demo school, to try it out. Uses a throw-away directory
    /// (deleted when it stops) unless --data-dir is given.
    Demo(DemoArgs),
    /// Prepare the data directory (store and self-signed certificate), then stop.
    Init,
    /// Check the data: the change log's hash chain, every table's checksum, and every stored
    /// file (present, right size, right SHA-256). Stop the service first (`systemctl stop cartable`). Exit code 1 if a problem is found.
    Check,
    /// Show the configuration Cartable would use, or what is wrong with it.
    CheckConfig,
    /// Import the académie's directory export (`--aaf DIR`, all or nothing), or spreadsheet
    /// files of pupils, parents and teachers (`--establishment UAI FILE…`, each file all or
    /// nothing). Exit code 1 if a file or record is refused (then nothing of it is written).
    Import(ImportArgs),
    /// Tools for tests and developers (not for production data).
    #[command(hide = true, subcommand)]
    Debug(DebugCommand),
    /// Outgoing mail: `cartable mail test ADDRESS` sends one test mail through the configured
    /// smarthost (or MX) right away, without the queue, and prints the server's answer.
    #[command(subcommand)]
    Mail(MailCommand),
    /// Rebuild the search index from the store, with a progress bar. If the server runs, it
    /// rebuilds its own index (asked through `<data_dir>/control.sock`) and keeps serving
    /// searches from the old one meanwhile; otherwise the index is rebuilt here. Exit code 1 on
    /// failure (the old index then stays in use).
    Reindex,
    /// The search indexer's text extraction child (issue 7): one file's text on stdout, under
    /// its own memory and CPU limits. See `search::extract`.
    #[command(hide = true)]
    ExtractText(crate::search::extract::ExtractTextArgs),
}

/// `cartable mail …`.
#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Send one test mail to ADDRESS now and print what the SMTP server answered. Works while
    /// the service runs (it does not open the store). Exit code 1 if the mail was not accepted.
    Test {
        /// Where to send it.
        address: String,
    },
}

/// Arguments of `debug queue-mails`.
#[derive(Debug, Args)]
pub struct QueueMails {
    /// How many mails to queue.
    #[arg(long, default_value_t = 100)]
    pub count: u64,
    /// The recipients' domain (`relais-<n>@DOMAIN`).
    #[arg(long, default_value = "example.test")]
    pub domain: String,
}

/// Hidden developer tools.
#[derive(Debug, Subcommand)]
pub enum DebugCommand {
    /// Commit test notes one transaction at a time, printing `committed <seq> <key>` after each
    /// commit returns (crash tests kill the process in the middle).
    WriteBurst(WriteBurst),
    /// Generate the demo school if the store has none, then print the logins of `count` demo
    /// pupils and parents, one per line (the load benchmark signs them in).
    DemoLogins(DemoLogins),
    /// Store random blobs of a few hundred KiB, each referenced by a committed note; every
    /// fourth round release an older note and sweep with no grace period. Prints a line before
    /// and after each step (`putting <round>`, `stored <blob>`, `committed <seq> <note> <blob>`,
    /// `released <seq> <note>`, `swept`), so crash tests can kill it inside any step.
    BlobBurst(BlobBurst),
    /// Queue test mails in the store (crash tests and the relay benchmark), 500 a transaction,
    /// then print `queued <count>`.
    QueueMails(QueueMails),
    /// Fill the demo store for `scripts/bench messages` and time a bulk send.
    SeedMessages(seed_messages::SeedMessages),
    /// Fill a (region) demo store with French documents for `scripts/bench search`.
    SeedDocuments(seed_documents::SeedDocuments),
    /// Time searches with and without the ACL filter (`scripts/bench search`).
    SearchBench(search_bench::SearchBench),
}

/// Arguments of `debug blob-burst`.
#[derive(Debug, Args)]
pub struct BlobBurst {
    /// How many blobs to store.
    #[arg(long, default_value_t = 1000)]
    pub count: u64,
}

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Directory holding the AAF export (`…_Complet_AAAAMMJJ_Eleve_0000.xml`, `…_Delta_…`);
    /// only the files directly in it are read
    #[arg(long, value_name = "DIR", conflicts_with_all = ["files", "establishment", "kind"])]
    pub aaf: Option<PathBuf>,
    /// Show what the import would do, and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// School year of the classes and groups (2025 = 2025-2026) [default: the school year of
    /// the newest AAF file's date; for spreadsheet files, today's school year]
    #[arg(long, value_name = "YYYY", value_parser = clap::value_parser!(u16).range(2000..=2100))]
    pub year: Option<u16>,
    /// UAI of the establishment the spreadsheet files are for (it and its classes must exist)
    #[arg(long, value_name = "UAI", requires = "files")]
    pub establishment: Option<String>,
    /// What the spreadsheet files hold [default: detected from each file's header]
    #[arg(long, value_enum, requires = "files")]
    pub kind: Option<CsvKindArg>,
    /// Spreadsheet files (`eleves.csv`, `enseignants.csv`, `parents.csv`), imported in that
    /// order whatever the order given, each in one transaction
    #[arg(value_name = "FILE", requires = "establishment")]
    pub files: Vec<PathBuf>,
}

/// The kinds of `import --kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CsvKindArg {
    /// Pupils: `Nom;Prénom;Date de naissance;Classe;Identifiant national`.
    Eleves,
    /// Parents: one parent–child link a line.
    Parents,
    /// Teachers: `Nom;Prénom;Courriel;Disciplines;Classes`.
    Enseignants,
}

impl From<CsvKindArg> for crate::domain::import::csv_apply::CsvKind {
    fn from(kind: CsvKindArg) -> Self {
        match kind {
            CsvKindArg::Eleves => Self::Students,
            CsvKindArg::Parents => Self::Parents,
            CsvKindArg::Enseignants => Self::Teachers,
        }
    }
}

/// Arguments of `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// school: one collège and one lycée (about 1,200 pupils); region: 48 establishments of
    /// Auvergne (about 40,000 pupils, 70,000 parents), the benchmarks' data
    #[arg(long, value_enum, default_value_t = DemoSizeArg::School)]
    pub size: DemoSizeArg,
    /// Generate the demo into --data-dir (required), print the summary and stop without
    /// serving
    #[arg(long)]
    pub no_serve: bool,
}

/// The sizes of `demo --size`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DemoSizeArg {
    /// One collège and one lycée.
    School,
    /// 48 establishments.
    Region,
}

impl From<DemoSizeArg> for crate::domain::demo::DemoSize {
    fn from(size: DemoSizeArg) -> Self {
        match size {
            DemoSizeArg::School => Self::School,
            DemoSizeArg::Region => Self::Region,
        }
    }
}

/// Arguments of `debug demo-logins`.
#[derive(Debug, Args)]
pub struct DemoLogins {
    /// How many logins to print.
    #[arg(long, default_value_t = 200)]
    pub count: usize,
    /// Which demo to generate if the store has none.
    #[arg(long, value_enum, default_value_t = DemoSizeArg::School)]
    pub size: DemoSizeArg,
}

/// Arguments of `debug write-burst`.
#[derive(Debug, Args)]
pub struct WriteBurst {
    /// How many transactions to commit.
    #[arg(long, default_value_t = 1000)]
    pub count: u64,
}

/// Runs the command line; the error is printed by `main`.
pub fn run(cli: Cli) -> Result<()> {
    // The extraction child reads no configuration and logs nothing: its stdout is the text.
    if let Command::ExtractText(args) = &cli.command {
        std::process::exit(crate::search::extract::run_child(args));
    }
    let config = load_config(&cli)?;
    init_tracing(&config);
    let clock: SharedClock = Arc::new(SystemClock);
    match cli.command {
        Command::Serve => serve(config, clock, None),
        Command::Demo(args) => demo(config, clock, cli.data_dir.is_some(), &args),
        Command::Init => init(&config, clock),
        Command::Check => check(&config, clock),
        Command::CheckConfig => {
            println!("{config:#?}");
            println!("The configuration is valid.");
            Ok(())
        }
        Command::Import(args) => import(&config, clock, &args),
        Command::Debug(DebugCommand::WriteBurst(args)) => write_burst(&config, clock, &args),
        Command::Debug(DebugCommand::DemoLogins(args)) => demo_logins(&config, clock, &args),
        Command::Debug(DebugCommand::BlobBurst(args)) => blob_burst(&config, clock, &args),
        Command::Debug(DebugCommand::QueueMails(args)) => queue_mails(&config, clock, &args),
        Command::Debug(DebugCommand::SeedMessages(args)) => {
            seed_messages::run(&config, clock, &args)
        }
        Command::Debug(DebugCommand::SeedDocuments(args)) => {
            seed_documents::run(&config, clock, &args)
        }
        Command::Debug(DebugCommand::SearchBench(args)) => search_bench::run(&config, clock, &args),
        Command::Mail(MailCommand::Test { address }) => mail_test(&config, clock, &address),
        Command::Reindex => reindex::run(&config, clock),
        Command::ExtractText(args) => std::process::exit(crate::search::extract::run_child(&args)),
    }
}

fn load_config(cli: &Cli) -> Result<Config> {
    let file = match &cli.config {
        Some(path) => Some(path.clone()),
        None => Some(PathBuf::from(DEFAULT_CONFIG_PATH)).filter(|p| p.exists()),
    };
    let mut config = Config::load(file.as_deref(), std::env::vars())?;
    if let Some(dir) = &cli.data_dir {
        config.data_dir = dir.clone();
    }
    Ok(config)
}

fn init_tracing(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log_level)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // No colour codes in the journal or in files.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let _ = match config.log_format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

fn open_store(data_dir: &Path, clock: SharedClock) -> Result<Store> {
    Store::open(data_dir, clock).map_err(anyhow::Error::from)
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// Resolves on SIGTERM or SIGINT (Ctrl-C).
async fn stop_signal() {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = term => {}
    }
}

fn install_crypto_provider() {
    // Installed once per process; a second call fails harmlessly.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

fn serve(config: Config, clock: SharedClock, banner: Option<&str>) -> Result<()> {
    install_crypto_provider();
    let store = open_store(&config.data_dir, clock.clone())?;
    if let Some(banner) = banner {
        println!("{banner}");
    }
    let state = AppState::new(store, clock, config)?;
    runtime()?.block_on(crate::http::serve(state, stop_signal()))?;
    tracing::info!("stopped; store closed");
    Ok(())
}

fn demo(mut config: Config, clock: SharedClock, named: bool, args: &DemoArgs) -> Result<()> {
    use crate::domain::demo::{self, DemoSize};
    if args.no_serve && !named {
        bail!("--no-serve needs --data-dir DIR: the directory to generate the demo into");
    }
    let size = DemoSize::from(args.size);
    let _throwaway = if named {
        None
    } else {
        let dir = tempfile::Builder::new()
            .prefix("cartable-demo-")
            .tempdir()
            .context("cannot create a temporary directory for the demo")?;
        config.data_dir = dir.path().to_owned();
        Some(dir)
    };
    let banner = if named {
        format!("Demo instance in {}", config.data_dir.display())
    } else {
        format!(
            "Demo instance in the throw-away directory {} (deleted when Cartable stops)",
            config.data_dir.display()
        )
    };
    {
        // Generate the demo first (the store is closed again before `serve` opens it).
        let store = open_store(&config.data_dir, clock.clone())?;
        let started = clock.now();
        let summary = match size {
            DemoSize::School => {
                demo::generate(&store, started).context("cannot create the demo school")?
            }
            _ => generate_with_progress(&store, started, size)?,
        };
        if !summary.already_present {
            let blobs = crate::blobs::BlobStore::new(&config.data_dir, clock.clone());
            demo::documents::seed(&store, &blobs, started)
                .context("cannot put the demo documents in place")?;
        }
        let seconds = clock.now().duration_since(started).as_secs_f64();
        let accounts_exist = if summary.already_present {
            if size == DemoSize::School {
                println!("The store already holds an establishment: no demo school generated.");
            } else {
                println!("The store already holds the whole demo: nothing generated.");
            }
            let read = store.read()?;
            crate::domain::directory::queries::find_by_login(&read, "admin")?.is_some()
        } else {
            let line = summary.ready_line(seconds);
            if size == DemoSize::School {
                println!("{line}");
            } else {
                println!("{}", line.replacen("Demo school", "Region demo", 1));
            }
            for account in &summary.accounts {
                println!(
                    "  {:<10} {}, {}",
                    account.login, account.name, account.description
                );
            }
            true
        };
        if args.no_serve {
            println!(
                "Demo data in {}: start it with `cartable serve --data-dir {}`",
                config.data_dir.display(),
                config.data_dir.display()
            );
            return Ok(());
        }
        if accounts_exist {
            let at = match config.listen_https {
                Some(addr) if addr.port() != 0 => {
                    format!("https://localhost:{}/connexion", addr.port())
                }
                _ => "/connexion on the HTTPS address below".to_owned(),
            };
            let (last, first) = demo::FIXED_LOGINS.split_last().unwrap_or((&"admin", &[]));
            println!(
                "Sign in at {at} as {} or {last} — password {}",
                first.join(", "),
                demo::PASSWORD
            );
        }
    }
    serve(config, clock, Some(&banner))
}

/// Generates a region-size demo with a progress bar on a terminal (stderr), or one log line per
/// establishment otherwise.
fn generate_with_progress(
    store: &Store,
    now: jiff::Timestamp,
    size: crate::domain::demo::DemoSize,
) -> Result<crate::domain::demo::DemoSummary> {
    use crate::domain::demo;
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    let total = demo::establishment_count(size);
    let bar = ProgressBar::with_draw_target(
        Some(u64::try_from(total).unwrap_or(u64::MAX)),
        ProgressDrawTarget::stderr(),
    );
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} establishments, {elapsed} {wide_msg}")
    {
        bar.set_style(style);
    }
    let plain = bar.is_hidden();
    let summary = demo::generate_sized(store, now, size, &mut |p| {
        bar.set_position(u64::try_from(p.done).unwrap_or(u64::MAX));
        bar.set_message(p.name.clone());
        if plain {
            if p.skipped {
                tracing::info!(
                    "demo: {}/{} {} ({}) already in the store, skipped",
                    p.done,
                    p.total,
                    p.name,
                    p.uai
                );
            } else {
                tracing::info!(
                    "demo: {}/{} {} ({}) written, {} pupils",
                    p.done,
                    p.total,
                    p.name,
                    p.uai,
                    p.pupils
                );
            }
        }
    });
    bar.finish_and_clear();
    summary.context("cannot create the demo")
}

fn init(config: &Config, clock: SharedClock) -> Result<()> {
    install_crypto_provider();
    let store = open_store(&config.data_dir, clock)?;
    println!(
        "Store ready: {} (change log at entry {})",
        store.path().display(),
        store.head().seq
    );
    if config.listen_https.is_some() {
        let (_, source) = crate::http::tls::server_config(config)?;
        match source {
            crate::http::tls::CertSource::SelfSigned { cert, created } => println!(
                "Self-signed certificate {}: {}",
                if created { "created" } else { "kept" },
                cert.display()
            ),
            crate::http::tls::CertSource::Configured => {
                println!("Certificate: the configured tls_cert and tls_key are usable")
            }
        }
    }
    Ok(())
}

fn check(config: &Config, clock: SharedClock) -> Result<()> {
    let file = config.data_dir.join(crate::store::STORE_FILE);
    if !file.exists() {
        bail!(
            "there is no store at {} (is data_dir right? `cartable init` creates one)",
            file.display()
        );
    }
    let store = open_store(&config.data_dir, clock.clone())?;
    let report = store.check()?;
    println!(
        "Store {}: {} change log entries checked (head at entry {})",
        store.path().display(),
        report.entries,
        report.head_seq
    );
    for (table, rows) in &report.tables {
        println!("  table {table}: {rows} rows");
    }
    let blobs = crate::blobs::BlobStore::new(&config.data_dir, clock);
    let blob_report = blobs.check(&store)?;
    println!(
        "Blobs {}: {} files checked ({} referenced), {} bytes re-hashed",
        blobs.root().display(),
        blob_report.blobs,
        blob_report.referenced,
        blob_report.bytes
    );
    if blob_report.files_without_row > 0 {
        println!(
            "  {} files no row refers to (left by an interrupted upload; the sweep deletes them after blob_grace_period)",
            blob_report.files_without_row
        );
    }
    reindex::report_index(&config.data_dir, &store)?;
    let problems: Vec<&String> = report
        .problems
        .iter()
        .chain(&blob_report.problems)
        .collect();
    if problems.is_empty() {
        println!("All checks passed.");
        Ok(())
    } else {
        for problem in &problems {
            println!("PROBLEM: {problem}");
        }
        bail!("{} problem(s) found in the store", problems.len())
    }
}

fn import(config: &Config, clock: SharedClock, args: &ImportArgs) -> Result<()> {
    use crate::domain::import::aaf;
    use crate::domain::import::aaf_apply::{self, ImportError, ImportReport};
    use crate::model::directory::SchoolYear;

    fn print_report(report: &ImportReport) {
        for line in report.summary() {
            println!("{line}");
        }
        for line in &report.lines {
            println!("  {line}");
        }
        if report.lines_omitted > 0 {
            println!("  … and {} more", report.lines_omitted);
        }
        for warning in &report.warnings {
            println!("WARNING: {warning}");
        }
        for error in &report.errors {
            println!("ERROR: {error}");
        }
    }

    let Some(aaf_dir) = &args.aaf else {
        return import_csv_files(config, clock, args);
    };
    let selection = aaf::select_files(aaf_dir)?;
    for name in &selection.ignored {
        println!("Ignored (not an AAF file name): {name}");
    }
    let mut files = Vec::with_capacity(selection.files.len());
    for selected in &selection.files {
        let file = aaf::parse_file(&selected.path)?;
        println!("Read {}: {} records", file.name, file.records.len());
        files.push(file);
    }
    let year = match args.year {
        Some(year) => SchoolYear(year),
        None => files
            .iter()
            .map(|f| f.date)
            .max()
            .map(SchoolYear::of)
            .context("no AAF file to import")?,
    };
    println!("School year {}-{}", year.0, year.0 + 1);
    let store = open_store(&config.data_dir, clock)?;
    let total: usize = files.iter().map(|f| f.records.len()).sum();
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(u64::try_from(total).unwrap_or(u64::MAX)),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} records, {elapsed}")
    {
        bar.set_style(style);
    }
    let result =
        aaf_apply::import_aaf_with_progress(&store, &files, year, args.dry_run, &mut |n| {
            bar.set_position(u64::try_from(n).unwrap_or(u64::MAX));
        });
    bar.finish_and_clear();
    match result {
        Ok(report) => {
            print_report(&report);
            if report.changed_nothing() {
                println!("Nothing to change: the store already matches these files.");
            }
            if args.dry_run {
                println!("Dry run: nothing was written.");
            } else {
                println!("Import done (change log at entry {}).", store.head().seq);
            }
            Ok(())
        }
        Err(ImportError::Refused(report)) => {
            print_report(&report);
            bail!(
                "the import was refused: {} error(s); nothing was written. Fix the files and run it again.",
                report.errors.len()
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// The largest spreadsheet file read (a school's pupils fit in well under 1 MB).
const CSV_MAX_BYTES: u64 = 20 * 1024 * 1024;

/// `import --establishment UAI FILE…`: spreadsheet files, each in one transaction, pupils
/// before teachers before parents. A dry run previews them all together and writes nothing;
/// a real import stops at the first refused file.
fn import_csv_files(config: &Config, clock: SharedClock, args: &ImportArgs) -> Result<()> {
    use crate::domain::import::aaf_apply::{ImportError, ImportReport};
    use crate::domain::import::csv_apply::{self, CsvKind};
    use crate::model::directory::SchoolYear;
    use crate::store::tables::UAI_TO_ESTABLISHMENT;
    use std::io::Read as _;

    fn print_report(kind: CsvKind, report: &ImportReport) {
        for line in csv_apply::summary(kind, report) {
            println!("{line}");
        }
        for line in &report.lines {
            println!("  {line}");
        }
        if report.lines_omitted > 0 {
            println!("  … and {} more", report.lines_omitted);
        }
        for warning in &report.warnings {
            println!("WARNING: {warning}");
        }
        for error in &report.errors {
            println!("ERROR: {error}");
        }
    }

    if args.files.is_empty() {
        bail!("nothing to import: give --aaf DIR, or --establishment UAI and spreadsheet files");
    }
    let uai = args
        .establishment
        .as_deref()
        .context("--establishment UAI is required with spreadsheet files")?
        .trim()
        .to_uppercase();
    let mut files = Vec::with_capacity(args.files.len());
    for path in &args.files {
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let mut bytes = Vec::new();
        file.take(CSV_MAX_BYTES + 1)
            .read_to_end(&mut bytes)
            .with_context(|| format!("cannot read {}", path.display()))?;
        if bytes.len() as u64 > CSV_MAX_BYTES {
            bail!(
                "{} is larger than {} MB: not a spreadsheet of one school",
                path.display(),
                CSV_MAX_BYTES / 1024 / 1024
            );
        }
        let kind = match args.kind {
            Some(kind) => CsvKind::from(kind),
            None => CsvKind::detect(&bytes).with_context(|| {
                format!(
                    "{}: cannot tell from its header whether it lists pupils, parents or \
                     teachers; give --kind eleves|parents|enseignants",
                    path.display()
                )
            })?,
        };
        files.push((path.display().to_string(), kind, bytes));
    }
    files.sort_by_key(|(_, kind, _)| *kind);
    let today = crate::clock::paris_date(clock.now());
    let year = args.year.map_or_else(|| SchoolYear::of(today), SchoolYear);
    let store = open_store(&config.data_dir, clock)?;
    let establishment = store
        .read()?
        .get(&UAI_TO_ESTABLISHMENT, &uai)?
        .with_context(|| format!("no establishment with UAI {uai}: create it first"))?;
    println!("Establishment {uai}, school year {}-{}", year.0, year.0 + 1);

    if args.dry_run {
        let inputs: Vec<(CsvKind, &[u8])> = files
            .iter()
            .map(|(_, kind, bytes)| (*kind, bytes.as_slice()))
            .collect();
        let reports = csv_apply::preview_csv(
            &store,
            &crate::model::Actor::system(),
            establishment,
            year,
            &inputs,
            today,
        )?;
        let mut refused = 0;
        for ((name, kind, _), report) in files.iter().zip(&reports) {
            println!("File {name} ({}):", kind.label());
            print_report(*kind, report);
            if !report.errors.is_empty() {
                refused += 1;
                println!(
                    "This file would be refused: {} bad line(s).",
                    report.errors.len()
                );
            } else if report.changed_nothing() {
                println!("Nothing to change: the store already matches this file.");
            }
        }
        println!("Dry run: nothing was written.");
        if refused > 0 {
            bail!("{refused} file(s) would be refused; fix them and run the import again");
        }
        return Ok(());
    }

    for (i, (name, kind, bytes)) in files.iter().enumerate() {
        println!("File {name} ({}):", kind.label());
        match csv_apply::import_csv(
            &store,
            &crate::model::Actor::system(),
            establishment,
            year,
            *kind,
            bytes,
            today,
            false,
        ) {
            Ok(report) => {
                print_report(*kind, &report);
                if report.changed_nothing() {
                    println!("Nothing to change: the store already matches this file.");
                } else {
                    println!("Import done (change log at entry {}).", store.head().seq);
                }
            }
            Err(ImportError::Refused(report)) => {
                print_report(*kind, &report);
                for (later, _, _) in &files[i + 1..] {
                    println!("Not imported (an earlier file was refused): {later}");
                }
                bail!(
                    "{name} was refused: {} bad line(s); nothing of it was written. Fix the file and run the import again.",
                    report.errors.len()
                )
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

fn write_burst(config: &Config, clock: SharedClock, args: &WriteBurst) -> Result<()> {
    use crate::model::events::Event;
    use crate::store::tables::{DEBUG_NOTES, DebugNote};
    use std::io::Write as _;

    #[derive(Clone, Copy)]
    struct NoteId(u64);
    impl crate::store::IdKind for NoteId {
        const KIND: &'static str = "debug_note";
        fn from_raw(raw: u64) -> Self {
            NoteId(raw)
        }
        fn raw(self) -> u64 {
            self.0
        }
    }

    let store = open_store(&config.data_dir, clock)?;
    let mut out = std::io::stdout().lock();
    for i in 0..args.count {
        let key = store.write(|tx| {
            let id: NoteId = tx.next_id()?;
            tx.insert(
                &DEBUG_NOTES,
                &id.0,
                &DebugNote {
                    text: format!("note {i}"),
                },
            )?;
            tx.emit(Event::DebugWrite { key: id.0 });
            Ok::<_, crate::store::StoreError>(id.0)
        })?;
        writeln!(out, "committed {} {key}", store.head().seq)?;
        out.flush()?;
    }
    Ok(())
}

fn demo_logins(config: &Config, clock: SharedClock, args: &DemoLogins) -> Result<()> {
    use crate::model::directory::Role;
    use crate::store::tables::{ESTABLISHMENT_PEOPLE, ESTABLISHMENTS, PEOPLE};
    let store = open_store(&config.data_dir, clock.clone())?;
    let size = crate::domain::demo::DemoSize::from(args.size);
    crate::domain::demo::generate_sized(&store, clock.now(), size, &mut |_| {})
        .context("cannot create the demo")?;
    let read = store.read()?;
    let mut logins = Vec::new();
    // Pupils and parents of each establishment, in turn, as the portal's heaviest users.
    for row in read.range(&ESTABLISHMENTS, ..)? {
        let (establishment, _) = row?;
        for role in [Role::Eleve, Role::Parent] {
            for row in read.scan_prefix(&ESTABLISHMENT_PEOPLE, &(establishment, role.code()))? {
                let ((_, _, person), ()) = row?;
                if let Some(p) = read.get(&PEOPLE, &person)? {
                    logins.push(p.login);
                }
            }
        }
    }
    logins.sort();
    logins.dedup();
    let mut out = std::io::stdout().lock();
    use std::io::Write as _;
    // Spread over the whole school rather than the first names of the alphabet.
    let step = (logins.len() / args.count.max(1)).max(1);
    for login in logins.iter().step_by(step).take(args.count) {
        writeln!(out, "{login}")?;
    }
    Ok(())
}

/// `debug blob-burst`: put a random blob, then commit a note referring to it (one transaction:
/// the note, the reference count, the blob listed in the change log entry); every fourth round,
/// drop an older note's reference and sweep with no grace period. Crash tests kill it anywhere.
fn blob_burst(config: &Config, clock: SharedClock, args: &BlobBurst) -> Result<()> {
    use crate::blobs::{BlobError, BlobId, BlobStore, decref_in, incref_in};
    use crate::store::tables::{DEBUG_NOTES, DebugNote};
    use rand::{Rng as _, RngExt as _, SeedableRng as _};
    use std::io::Write as _;

    #[derive(Clone, Copy)]
    struct NoteId(u64);
    impl crate::store::IdKind for NoteId {
        const KIND: &'static str = "debug_note";
        fn from_raw(raw: u64) -> Self {
            NoteId(raw)
        }
        fn raw(self) -> u64 {
            self.0
        }
    }

    let store = open_store(&config.data_dir, clock.clone())?;
    let blobs = BlobStore::new(&config.data_dir, clock.clone());
    let mut seed = [0u8; 8];
    getrandom::fill(&mut seed).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(u64::from_le_bytes(seed));
    let mut out = std::io::stdout().lock();
    let mut notes: Vec<(u64, BlobId)> = Vec::new();
    let mut previous: Vec<u8> = Vec::new();
    for round in 0..args.count {
        // One blob in five repeats the previous content (stored once, two references).
        let bytes = if round % 5 == 4 && !previous.is_empty() {
            previous.clone()
        } else {
            let mut bytes = vec![0u8; rng.random_range(64 * 1024..512 * 1024)];
            rng.fill_bytes(&mut bytes);
            bytes
        };
        writeln!(out, "putting {round}")?;
        out.flush()?;
        let (id, size) = blobs.put_bytes(&bytes)?;
        writeln!(out, "stored {id}")?;
        out.flush()?;
        let now = clock.now();
        let note = store.write(|tx| {
            let note: NoteId = tx.next_id()?;
            tx.insert(
                &DEBUG_NOTES,
                &note.0,
                &DebugNote {
                    text: format!("blob {id}"),
                },
            )?;
            incref_in(tx, id, size, now)?;
            Ok::<_, BlobError>(note.0)
        })?;
        writeln!(out, "committed {} {note} {id}", store.head().seq)?;
        out.flush()?;
        notes.push((note, id));
        previous = bytes;
        if round % 4 == 3 && notes.len() > 2 {
            let (old, old_id) = notes.remove(rng.random_range(0..notes.len() - 2));
            store.write(|tx| {
                tx.remove(&DEBUG_NOTES, &old)?;
                decref_in(tx, old_id, now)?;
                Ok::<_, BlobError>(())
            })?;
            writeln!(out, "released {} {old}", store.head().seq)?;
            out.flush()?;
            blobs.sweep(&store, clock.now(), std::time::Duration::ZERO)?;
            writeln!(out, "swept")?;
            out.flush()?;
        }
    }
    Ok(())
}

/// `debug queue-mails`: test mails in the queue, as if something had caused them.
fn queue_mails(config: &Config, clock: SharedClock, args: &QueueMails) -> Result<()> {
    use crate::mail::templates::{self, Template};
    use crate::mail::{MailKind, NewMail};
    let store = open_store(&config.data_dir, clock.clone())?;
    let url = config.instance_url();
    let text = templates::render(Template::Test, crate::i18n::Lang::Fr, &[("instance", &url)]);
    let mut queued = 0;
    while queued < args.count {
        let n = (args.count - queued).min(500);
        let now = clock.now();
        store.write(|tx| {
            for i in queued..queued + n {
                crate::mail::enqueue(
                    tx,
                    now,
                    NewMail {
                        kind: MailKind::Test,
                        person: None,
                        sender: None,
                        to: format!("relais-{i}@{}", args.domain),
                        subject: text.subject.clone(),
                        body: text.body.clone(),
                    },
                )?;
            }
            Ok::<_, crate::store::StoreError>(())
        })?;
        queued += n;
    }
    println!("queued {queued}");
    Ok(())
}

/// What to look at when a test mail was not accepted.
fn mail_hint(error: &str) -> &'static str {
    let e = error.to_ascii_lowercase();
    if e.contains("connection refused") {
        "nothing listens there: check mail_smarthost's host and port, and that the mail server runs"
    } else if e.contains("timed out") || e.contains("timeout") {
        "no answer in time: check the host and port, and that a firewall lets this machine reach the mail server"
    } else if e.contains("tls") || e.contains("certificate") || e.contains("starttls") {
        "the TLS connection failed: check the scheme (smtp+starttls:// for port 587, smtps:// for port 465), that the host name matches the server's certificate, or trust its authority with mail_tls_ca"
    } else if ["(530)", "(534)", "(535)", "(538)"]
        .iter()
        .any(|code| e.contains(code))
    {
        "the server refused the authentication: check the user and password in mail_smarthost (percent-encode : @ and % in them)"
    } else if e.contains("(55") {
        "the server refused this mail: check the recipient address, and that the server accepts mail from mail_from"
    } else if e.contains("dns") || e.contains("resolve") || e.contains("lookup") {
        "the host name does not resolve: check mail_smarthost's host and /etc/resolv.conf"
    } else {
        "see docs/mail.md for each setting"
    }
}

/// `mail test ADDRESS`: one mail through the configured transport, the outcome on stdout.
fn mail_test(config: &Config, clock: SharedClock, address: &str) -> Result<()> {
    use crate::mail::templates::{self, Template};
    use crate::mail::transport::{Route, Settings, Transport};
    use crate::mail::{Attempt, MailId, MailKind, MailState, OutgoingMail};
    install_crypto_provider();
    let settings = std::sync::Arc::new(
        Settings::from_keys(&config.mail_keys())
            .map_err(|e| anyhow::anyhow!("mail settings: {e}"))?,
    );
    if settings.route == Route::None {
        bail!(
            "no mail_smarthost configured (and mail_direct_mx is off): set mail_smarthost, e.g. CARTABLE_MAIL_SMARTHOST=smtp+starttls://user:password@smtp.example.fr:587 (see docs/mail.md)"
        );
    }
    let url = config.instance_url();
    let text = templates::render(Template::Test, crate::i18n::Lang::Fr, &[("instance", &url)]);
    let now = clock.now();
    let mut key = [0u8; 8];
    getrandom::fill(&mut key).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let mail = OutgoingMail {
        queued_at: now,
        kind: MailKind::Test,
        person: None,
        sender: None,
        to: address.trim().to_owned(),
        subject: text.subject,
        body: text.body,
        message_key: format!("test-{}", u64::from_be_bytes(key)),
        not_before: None,
        expires_at: now,
        state: MailState::Queued,
    };
    let message = crate::mail::message::build(&settings, MailId(0), &mail, now)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "Sending a test mail from {} to {} through {}",
        settings.from, mail.to, settings.route
    );
    let outcome = runtime()?.block_on(async {
        let transport = Transport::new(&settings).map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok::<_, anyhow::Error>(transport.send(&message).await)
    })?;
    match outcome {
        Attempt::Accepted(reply) => {
            println!("Accepted by the server: {reply}");
            println!(
                "The mail left Cartable; if it does not arrive, look at the mail server's log and the recipient's spam folder."
            );
            Ok(())
        }
        Attempt::Transient(error) => {
            println!("NOT SENT (temporary failure; the relay would retry): {error}");
            println!("Check: {}", mail_hint(&error));
            bail!("the test mail was not accepted")
        }
        Attempt::Permanent(error) => {
            println!("NOT SENT (refused for good): {error}");
            println!("Check: {}", mail_hint(&error));
            bail!("the test mail was refused")
        }
    }
}
