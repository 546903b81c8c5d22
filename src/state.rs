//! The state every handler receives.

use std::sync::Arc;

use crate::clock::SharedClock;
use crate::config::Config;
use crate::domain::accounts::password::HashLimiter;
use crate::domain::accounts::session::{Lifetimes, Touches};
use crate::domain::accounts::throttle::Throttle;
use crate::i18n::{Catalog, I18nError};
use crate::store::Store;

/// Sign-in machinery shared by all requests (all node-local, in memory).
#[derive(Debug)]
pub struct AuthRuntime {
    /// Failed sign-in counters.
    pub throttle: Throttle,
    /// Password recovery requests (each one counts).
    pub recovery_throttle: Throttle,
    /// Bounds concurrent password hashes.
    pub limiter: HashLimiter,
    /// Recent session activity, flushed to the store in the background.
    pub touches: Touches,
    /// Session lifetimes from the config.
    pub lifetimes: Lifetimes,
}

/// Shared application state (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    /// The store.
    pub store: Store,
    /// The clock.
    pub clock: SharedClock,
    /// The validated configuration.
    pub config: Arc<Config>,
    /// Translations.
    pub i18n: Arc<Catalog>,
    /// Sessions, throttling, hashing.
    pub auth: Arc<AuthRuntime>,
    /// The uploaded files (`<data_dir>/blobs`), content-addressed.
    pub blobs: crate::blobs::BlobStore,
    /// Recent sends per account (messaging limits), node-local.
    pub send_limiter: Arc<crate::domain::messaging::limits::SendLimiter>,
    /// The outgoing mail relay (settings, SMTP connections).
    pub mail: Arc<crate::mail::MailRuntime>,
    /// The search index (`<data_dir>/index`), opened by the indexer task.
    pub search: Arc<crate::search::Search>,
}

impl AppState {
    /// Assembles the state; loading the translations is the only thing that can fail.
    pub fn new(store: Store, clock: SharedClock, config: Config) -> Result<AppState, I18nError> {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let blobs = crate::blobs::BlobStore::new(&config.data_dir, clock.clone());
        Ok(AppState {
            auth: Arc::new(AuthRuntime {
                throttle: Throttle::default(),
                recovery_throttle: Throttle::default(),
                limiter: HashLimiter::new(cores),
                touches: Touches::default(),
                lifetimes: Lifetimes {
                    idle: config.session_idle_timeout,
                    absolute: config.session_absolute_timeout,
                },
            }),
            search: Arc::new(crate::search::Search::new(
                &config.data_dir,
                blobs.clone(),
                crate::search::SearchConfig::default(),
            )),
            blobs,
            send_limiter: Arc::default(),
            mail: Arc::new(crate::mail::MailRuntime::new(&config.mail_keys())),
            store,
            clock,
            config: Arc::new(config),
            i18n: Arc::new(Catalog::load()?),
        })
    }
}
