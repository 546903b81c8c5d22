//! `cartable serve`: the web server with its background tasks.

use anyhow::Result;

use crate::clock::SharedClock;
use crate::config::Config;
use crate::state::AppState;

use super::*;

pub(super) fn serve(config: Config, clock: SharedClock, banner: Option<&str>) -> Result<()> {
    install_crypto_provider();
    let store = open_store(&config, clock.clone())?;
    if let Some(banner) = banner {
        println!("{banner}");
    }
    let state = AppState::new(store, clock, config)?;
    runtime()?.block_on(crate::http::serve(state, stop_signal()))?;
    tracing::info!("stopped; store closed");
    Ok(())
}
