//! The hourly purge task: deletes for good what stayed in the documents' trash past its
//! retention, and forgets the forms' one-time keys older than a day (`domain::once`).

use std::time::Duration;

use crate::domain::documents::trash::purge_due;
use crate::store::Store;

/// The background purge: a minute after start, then once an hour.
pub async fn run(
    store: Store,
    clock: crate::clock::SharedClock,
    retention: Duration,
) -> std::io::Result<()> {
    tokio::time::sleep(Duration::from_secs(60)).await;
    let mut ticker = tokio::time::interval(Duration::from_secs(3600));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let (s, now) = (store.clone(), clock.now());
        match tokio::task::spawn_blocking(move || purge_due(&s, now, retention)).await {
            Ok(Ok(0)) => {}
            Ok(Ok(n)) => tracing::info!(purged = n, "documents trash purged"),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "documents trash purge failed; retrying later")
            }
            Err(e) => tracing::warn!(error = %e, "documents trash purge stopped unexpectedly"),
        }
        let (s, now) = (store.clone(), clock.now());
        match tokio::task::spawn_blocking(move || crate::domain::once::purge_expired(&s, now)).await
        {
            Ok(Ok(0)) => {}
            Ok(Ok(n)) => tracing::debug!(forgotten = n, "one-time form keys forgotten"),
            Ok(Err(e)) => tracing::warn!(error = %e, "forgetting form keys failed; retrying later"),
            Err(e) => tracing::warn!(error = %e, "forgetting form keys stopped unexpectedly"),
        }
    }
}
