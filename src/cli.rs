//! The command line: `cartable serve | demo | init | check | check-config | import`.

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
    Demo,
    /// Prepare the data directory (store and self-signed certificate), then stop.
    Init,
    /// Check the data: the change log's hash chain and every table's checksum.
    /// Stop the service first (`systemctl stop cartable`). Exit code 1 if a problem is found.
    Check,
    /// Show the configuration Cartable would use, or what is wrong with it.
    CheckConfig,
    /// Import the académie's directory export (AAF files) into the store, all or nothing.
    /// Exit code 1 if a file or record is refused (then nothing is written).
    Import(ImportArgs),
    /// Tools for tests and developers (not for production data).
    #[command(hide = true, subcommand)]
    Debug(DebugCommand),
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
}

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Directory holding the AAF export (`…_Complet_AAAAMMJJ_Eleve_0000.xml`, `…_Delta_…`);
    /// only the files directly in it are read
    #[arg(long, value_name = "DIR")]
    pub aaf: PathBuf,
    /// Show what the import would do, and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// School year of the classes and groups (2025 = 2025-2026) [default: the school year of
    /// the newest file's date]
    #[arg(long, value_name = "YYYY", value_parser = clap::value_parser!(u16).range(2000..=2100))]
    pub year: Option<u16>,
}

/// Arguments of `debug demo-logins`.
#[derive(Debug, Args)]
pub struct DemoLogins {
    /// How many logins to print.
    #[arg(long, default_value_t = 200)]
    pub count: usize,
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
    let config = load_config(&cli)?;
    init_tracing(&config);
    let clock: SharedClock = Arc::new(SystemClock);
    match cli.command {
        Command::Serve => serve(config, clock, None),
        Command::Demo => demo(config, clock, cli.data_dir.is_some()),
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

fn demo(mut config: Config, clock: SharedClock, named: bool) -> Result<()> {
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
        // Generate the demo school first (the store is closed again before `serve` opens it).
        use crate::domain::demo;
        let store = open_store(&config.data_dir, clock.clone())?;
        let started = clock.now();
        let summary = demo::generate(&store, started).context("cannot create the demo school")?;
        let seconds = clock.now().duration_since(started).as_secs_f64();
        let accounts_exist = if summary.already_present {
            println!("The store already holds an establishment: no demo school generated.");
            let read = store.read()?;
            crate::domain::directory::queries::find_by_login(&read, "admin")?.is_some()
        } else {
            println!("{}", summary.ready_line(seconds));
            for account in &summary.accounts {
                println!(
                    "  {:<10} {}, {}",
                    account.login, account.name, account.description
                );
            }
            true
        };
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
    let store = open_store(&config.data_dir, clock)?;
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
    if report.is_ok() {
        println!("All checks passed.");
        Ok(())
    } else {
        for problem in &report.problems {
            println!("PROBLEM: {problem}");
        }
        bail!("{} problem(s) found in the store", report.problems.len())
    }
}

fn import(config: &Config, clock: SharedClock, args: &ImportArgs) -> Result<()> {
    use crate::domain::directory::model::SchoolYear;
    use crate::domain::import::aaf;
    use crate::domain::import::aaf_apply::{self, ImportError, ImportReport};

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

    let selection = aaf::select_files(&args.aaf)?;
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
            .map(aaf_apply::school_year_of)
            .context("no AAF file to import")?,
    };
    println!("School year {}-{}", year.0, year.0 + 1);
    let store = open_store(&config.data_dir, clock)?;
    match aaf_apply::import_aaf(&store, &files, year, args.dry_run) {
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

fn write_burst(config: &Config, clock: SharedClock, args: &WriteBurst) -> Result<()> {
    use crate::domain::events::Event;
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
    use crate::domain::directory::model::Role;
    use crate::store::tables::{ESTABLISHMENT_PEOPLE, ESTABLISHMENTS, PEOPLE};
    let store = open_store(&config.data_dir, clock.clone())?;
    crate::domain::demo::generate(&store, clock.now()).context("cannot create the demo school")?;
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
