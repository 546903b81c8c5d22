//! The command line: `cartable serve | demo | init | check | check-config | import | mail`.

mod check;
mod debug;
mod demo;
mod import;
mod init;
mod mail;
mod reindex;
mod search_bench;
mod seed_documents;
mod seed_messages;
mod serve;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

use crate::clock::{SharedClock, SystemClock};
use crate::config::{Config, DEFAULT_CONFIG_PATH, LogFormat};
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

impl From<DemoSizeArg> for crate::demo::DemoSize {
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
        Command::Serve => serve::serve(config, clock, None),
        Command::Demo(args) => demo::demo(config, clock, cli.data_dir.is_some(), &args),
        Command::Init => init::init(&config, clock),
        Command::Check => check::check(&config, clock),
        Command::CheckConfig => {
            println!("{config:#?}");
            println!("The configuration is valid.");
            Ok(())
        }
        Command::Import(args) => import::import(&config, clock, &args),
        Command::Debug(DebugCommand::WriteBurst(args)) => debug::write_burst(&config, clock, &args),
        Command::Debug(DebugCommand::DemoLogins(args)) => demo::demo_logins(&config, clock, &args),
        Command::Debug(DebugCommand::BlobBurst(args)) => debug::blob_burst(&config, clock, &args),
        Command::Debug(DebugCommand::QueueMails(args)) => debug::queue_mails(&config, clock, &args),
        Command::Debug(DebugCommand::SeedMessages(args)) => {
            seed_messages::run(&config, clock, &args)
        }
        Command::Debug(DebugCommand::SeedDocuments(args)) => {
            seed_documents::run(&config, clock, &args)
        }
        Command::Debug(DebugCommand::SearchBench(args)) => search_bench::run(&config, clock, &args),
        Command::Mail(MailCommand::Test { address }) => mail::mail_test(&config, clock, &address),
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

fn open_store(config: &Config, clock: SharedClock) -> Result<Store> {
    Store::open_with_cache(&config.data_dir, clock, config.store_cache_mib)
        .map_err(anyhow::Error::from)
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

/// The largest spreadsheet file read (a school's pupils fit in well under 1 MB).
const CSV_MAX_BYTES: u64 = 20 * 1024 * 1024;
