//! `cartable demo`: a generated demo school served at once; `debug demo-logins`.

use anyhow::{Context, Result, bail};

use crate::clock::SharedClock;
use crate::config::Config;
use crate::store::Store;

use super::*;

pub(super) fn demo(
    mut config: Config,
    clock: SharedClock,
    named: bool,
    args: &DemoArgs,
) -> Result<()> {
    use crate::demo::{self, DemoSize};
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
        let store = open_store(&config, clock.clone())?;
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
    super::serve::serve(config, clock, Some(&banner))
}

/// Generates a region-size demo with a progress bar on a terminal (stderr), or one log line per
/// establishment otherwise.
pub(super) fn generate_with_progress(
    store: &Store,
    now: jiff::Timestamp,
    size: crate::demo::DemoSize,
) -> Result<crate::demo::DemoSummary> {
    use crate::demo;
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

pub(super) fn demo_logins(config: &Config, clock: SharedClock, args: &DemoLogins) -> Result<()> {
    use crate::model::directory::Role;
    use crate::store::tables::{ESTABLISHMENT_PEOPLE, ESTABLISHMENTS, PEOPLE};
    let store = open_store(config, clock.clone())?;
    let size = crate::demo::DemoSize::from(args.size);
    crate::demo::generate_sized(&store, clock.now(), size, &mut |_| {})
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
