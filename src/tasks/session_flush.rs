//! Writes the sessions' recent activity to the store, off the request path.

use std::time::Duration;

use crate::state::AppState;

/// Writes recent session activity to the store every two minutes (never on the request path).
pub async fn run(state: AppState) -> std::io::Result<()> {
    let mut ticker = tokio::time::interval(Duration::from_secs(120));
    ticker.tick().await;
    loop {
        ticker.tick().await;
        let st = state.clone();
        match tokio::task::spawn_blocking(move || st.auth.touches.flush(&st.store)).await {
            Ok(Ok(n)) if n > 0 => tracing::debug!(sessions = n, "session activity written"),
            Ok(Err(e)) => tracing::warn!(error = %e, "could not write session activity"),
            _ => {}
        }
    }
}
