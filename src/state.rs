//! The state every handler receives.

use std::sync::Arc;

use crate::clock::SharedClock;
use crate::config::Config;
use crate::store::Store;

/// Shared application state (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    /// The store.
    pub store: Store,
    /// The clock.
    pub clock: SharedClock,
    /// The validated configuration.
    pub config: Arc<Config>,
}
