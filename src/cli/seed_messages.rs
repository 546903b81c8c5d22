//! `cartable debug seed-messages`: fills a demo store for `scripts/bench messages` — `count`
//! messages from the demo teacher to the demo pupil (the reader of the message list page), and
//! one message from the principal to `bulk` people of the collège, timed (a durable send to
//! many recipients).

use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;

use crate::clock::SharedClock;
use crate::config::Config;
use crate::domain::directory::queries::{find_by_login, load_actor};
use crate::domain::messaging::compose::{self, Compose, SendContext};
use crate::domain::messaging::limits::{SendLimiter, SendLimits};
use crate::model::Actor;
use crate::model::directory::Role;
use crate::store::Store;
use crate::store::tables::ESTABLISHMENT_PEOPLE;

/// Arguments of `debug seed-messages`.
#[derive(Debug, Args)]
pub struct SeedMessages {
    /// Messages to put in the reader's inbox.
    #[arg(long, default_value_t = 500)]
    pub count: usize,
    /// Recipients of the one bulk message timed.
    #[arg(long, default_value_t = 1000)]
    pub bulk: usize,
    /// The reader (a demo login).
    #[arg(long, default_value = "eleve")]
    pub reader: String,
    /// The sender of the reader's messages (a demo login allowed to write to the reader).
    #[arg(long, default_value = "prof")]
    pub sender: String,
}

fn actor(store: &Store, login: &str) -> Result<Actor> {
    let read = store.read()?;
    let (id, _) = find_by_login(&read, login)?.with_context(|| format!("no login {login}"))?;
    load_actor(&read, id)?.with_context(|| format!("no person for {login}"))
}

/// Runs it.
// A benchmark measures real elapsed time, not the domain's clock.
#[allow(clippy::disallowed_methods)]
pub fn run(config: &Config, clock: SharedClock, args: &SeedMessages) -> Result<()> {
    let store = super::open_store(config, clock.clone())?;
    crate::demo::generate_sized(
        &store,
        clock.now(),
        crate::demo::DemoSize::School,
        &mut |_| {},
    )
    .context("cannot create the demo")?;
    let limiter = SendLimiter::default();
    let limits = SendLimits {
        pupil: u32::MAX,
        parent: u32::MAX,
        staff: u32::MAX,
    };
    let sender = actor(&store, &args.sender)?;
    let reader = actor(&store, &args.reader)?;
    let reader_id = reader.person.context("reader")?;
    let started = Instant::now();
    for i in 0..args.count {
        compose::send(
            &store,
            &sender,
            None,
            Compose {
                recipients: vec![reader_id],
                subject: format!("Message de test n°{i}"),
                body: "Bonjour,\n\nCeci est un message de test du banc d’essai.".into(),
                ..Compose::default()
            },
            &SendContext {
                limiter: &limiter,
                limits,
                now: clock.now(),
            },
        )
        .map_err(|e| anyhow::anyhow!("send: {e}"))?;
    }
    let per_message = started.elapsed().as_secs_f64() * 1000.0 / args.count.max(1) as f64;
    println!(
        "seeded {} messages for {} ({per_message:.2} ms each)",
        args.count, args.reader
    );

    // One message from the principal to `bulk` people of the first establishment.
    let principal = actor(&store, "principal")?;
    let establishment = principal
        .profiles
        .first()
        .map(|p| p.establishment)
        .context("principal without profile")?;
    let read = store.read()?;
    let mut recipients = Vec::new();
    for role in [Role::Parent, Role::Eleve] {
        for row in read.scan_prefix(&ESTABLISHMENT_PEOPLE, &(establishment, role.code()))? {
            let ((_, _, person), ()) = row?;
            if recipients.len() < args.bulk {
                recipients.push(person);
            }
        }
    }
    drop(read);
    let n = recipients.len();
    let started = Instant::now();
    compose::send(
        &store,
        &principal,
        None,
        Compose {
            recipients,
            subject: "Information aux familles".into(),
            body: "Madame, Monsieur,\n\nLe collège sera fermé vendredi.".into(),
            ..Compose::default()
        },
        &SendContext {
            limiter: &limiter,
            limits,
            now: clock.now(),
        },
    )
    .map_err(|e| anyhow::anyhow!("bulk send: {e}"))?;
    println!(
        "bulk send: 1 message to {n} recipients in {:.1} ms (one durable transaction)",
        started.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}
