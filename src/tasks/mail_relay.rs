//! The mail relay task: delivers the durable queue (`mail::relay`) as mails fall due.

use std::sync::Arc;
use std::time::Duration;

use crate::mail::queue;
use crate::mail::relay::{MailRuntime, PassReport, RelayStatus, TICK};
use crate::store::Store;

/// The relay task: a pass whenever the store's head moves, the next retry falls due, an
/// administrator asks, or [`TICK`] passes. Runs until the server stops.
pub async fn run(
    store: Store,
    clock: crate::clock::SharedClock,
    mail: Arc<MailRuntime>,
) -> std::io::Result<()> {
    match mail.status() {
        RelayStatus::NotConfigured => {
            tracing::warn!("no mail_smarthost configured: mails stay queued (see docs/mail.md)");
        }
        RelayStatus::Broken(reason) => {
            tracing::error!(%reason, "mail settings unusable: mails stay queued");
        }
        RelayStatus::Smarthost(to) => tracing::info!(smarthost = %to, "mail relay started"),
        RelayStatus::DirectMx => tracing::info!("mail relay started: direct delivery to MX"),
    }
    let mut head = store.subscribe();
    loop {
        let now = clock.now();
        let report = match mail.deliver_due(&store, now).await {
            Ok(report) => report,
            Err(e) => {
                tracing::error!(error = %e, "mail relay pass failed");
                PassReport::default()
            }
        };
        if report.more {
            continue;
        }
        if let RelayStatus::Broken(_) = mail.status() {
            // Nothing can leave; the page says why. Mails stay queued until a restart.
            std::future::pending::<()>().await;
        }
        // Sleep until the next retry is due, but never longer than a tick (the clock may jump).
        let st = store.clone();
        let next = tokio::task::spawn_blocking(move || queue::next_due(&st.read()?))
            .await
            .ok()
            .and_then(Result::ok)
            .flatten();
        let wait = next
            .map(|at| at.duration_since(clock.now()))
            .and_then(|d| Duration::try_from(d).ok())
            .map_or(TICK, |d| d.min(TICK));
        tokio::select! {
            changed = head.changed() => {
                if changed.is_err() {
                    return Ok(());
                }
            }
            () = mail.woken() => {}
            () = tokio::time::sleep(wait) => {}
        }
    }
}
