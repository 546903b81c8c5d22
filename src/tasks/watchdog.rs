//! systemd's watchdog and readiness notifications.

use std::time::Duration;

use crate::state::AppState;

/// Tells systemd about the service's state (ignored when not run by systemd).
pub fn notify_systemd(state: &[sd_notify::NotifyState]) {
    if let Err(e) = sd_notify::notify(state) {
        tracing::debug!(error = %e, "sd_notify failed");
    }
}

/// Pings systemd's watchdog while the store answers.
pub async fn run(state: AppState, interval: Duration) -> std::io::Result<()> {
    let mut ticker = tokio::time::interval(interval / 2);
    loop {
        ticker.tick().await;
        let store = state.store.clone();
        let healthy = tokio::task::spawn_blocking(move || store.read().is_ok())
            .await
            .unwrap_or(false);
        if healthy {
            notify_systemd(&[sd_notify::NotifyState::Watchdog]);
        } else {
            tracing::error!("store unreadable: withholding the watchdog ping");
        }
    }
}
