//! The background runners of `cartable serve`, each a `run()` started from [`start`]: they
//! follow the change log or a timer and call the domain, search, mail and blob services.
//! Nothing here answers a request; nothing in the domain starts a task.

pub mod blob_sweep;
pub mod mail_relay;
pub mod notifier;
pub mod search_indexer;
pub mod session_flush;
pub mod trash_purge;
pub mod watchdog;

use tokio::task::JoinSet;

use crate::state::AppState;

/// Starts every background runner into `tasks` (they stop when the set is dropped or aborted).
pub fn start(state: &AppState, tasks: &mut JoinSet<std::io::Result<()>>) {
    let config = &state.config;
    if let Some(interval) = sd_notify::watchdog_enabled() {
        tasks.spawn(watchdog::run(state.clone(), interval));
    }
    tasks.spawn(session_flush::run(state.clone()));
    tasks.spawn(notifier::run(state.clone()));
    tasks.spawn(mail_relay::run(
        state.store.clone(),
        state.clock.clone(),
        state.mail.clone(),
    ));
    tasks.spawn(blob_sweep::run(
        state.blobs.clone(),
        state.store.clone(),
        state.clock.clone(),
        config.blob_grace_period,
    ));
    tasks.spawn(trash_purge::run(
        state.store.clone(),
        state.clock.clone(),
        config.document_trash_retention,
    ));
    tasks.spawn(search_indexer::run(
        state.store.clone(),
        state.search.clone(),
    ));
    // `cartable reindex` asks a running server through this socket (the store is locked).
    match crate::search::control::bind(&config.data_dir) {
        Ok(listener) => {
            tasks.spawn(crate::search::control::serve(
                listener,
                state.store.clone(),
                state.search.clone(),
                state.clock.clone(),
            ));
        }
        Err(e) => {
            tracing::warn!(error = %e, "no control socket: `cartable reindex` cannot reach this server")
        }
    }
}
