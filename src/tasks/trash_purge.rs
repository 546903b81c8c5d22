//! The documents' trash purge task: deletes for good what stayed in a trash past its retention.

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
    }
}
