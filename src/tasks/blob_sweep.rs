//! The blob sweep task: removes unreferenced blobs after their grace period (`blobs::sweep`).

use std::time::Duration;

use crate::blobs::BlobStore;
use crate::clock::SharedClock;
use crate::store::Store;

/// The background sweep of `cartable serve`: every quarter of the grace period (between one
/// minute and one hour), starting a minute after the start.
pub async fn run(
    blobs: BlobStore,
    store: Store,
    clock: SharedClock,
    grace: Duration,
) -> std::io::Result<()> {
    let period = (grace / 4).clamp(Duration::from_secs(60), Duration::from_secs(3600));
    tokio::time::sleep(Duration::from_secs(60)).await;
    let mut ticker = tokio::time::interval(period);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let (b, s, now) = (blobs.clone(), store.clone(), clock.now());
        match tokio::task::spawn_blocking(move || b.sweep(&s, now, grace)).await {
            Ok(Ok(report)) if report.deleted_anything() => tracing::info!(
                unreferenced = report.unreferenced_deleted,
                orphans = report.orphans_deleted,
                temps = report.temps_deleted,
                bytes = report.bytes_freed,
                "blob sweep deleted files"
            ),
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "blob sweep failed; retrying later"),
            Err(e) => tracing::warn!(error = %e, "blob sweep stopped unexpectedly"),
        }
    }
}
