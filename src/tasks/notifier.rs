//! The notifier task: timelines, notification mails and digests from the change log.

use std::time::Duration;

use crate::state::AppState;

/// How often, at most, the notifier saves its position once caught up.
const SAVE_IDLE_POSITION_EVERY: jiff::SignedDuration = jiff::SignedDuration::from_secs(30);

/// The notifier (`domain::notifications`): follows the change log, writes timelines and
/// notification mails, and sends the daily digests. Wakes on every commit and every 30 s.
pub async fn run(state: AppState) -> std::io::Result<()> {
    use crate::domain::notifications;
    let mut tailer = loop {
        let store = state.store.clone();
        match tokio::task::spawn_blocking(move || {
            crate::store::Tailer::open(&store, notifications::TAILER)
        })
        .await
        {
            Ok(Ok(t)) => break t,
            Ok(Err(e)) => tracing::error!(error = %e, "notifier: cannot open its position"),
            Err(e) => tracing::error!(error = %e, "notifier: task failed"),
        }
        tokio::time::sleep(Duration::from_secs(30)).await;
    };
    let base_url = state.config.instance_url();
    loop {
        let st = state.clone();
        let url = base_url.clone();
        let result = tokio::task::spawn_blocking(move || {
            let now = st.clock.now();
            let work = (|| {
                // One entry at a time: an entry may hold a whole import (hundreds of MB once
                // decoded), and what is decoded at once is what the allocator keeps.
                while notifications::catch_up(&st.store, &mut tailer, &url, now, 1)? == 1 {}
                // Caught up: save how far it got, at most twice a minute, so that a restart
                // does not decode the passed entries again.
                tailer.save_when_idle(now, SAVE_IDLE_POSITION_EVERY)?;
                notifications::send_due_digests(&st.store, now)
            })();
            (tailer, work)
        })
        .await;
        match result {
            Ok((t, work)) => {
                tailer = t;
                if let Err(e) = work {
                    tracing::error!(error = %e, "notifier failed; retrying in 30 s");
                    tokio::time::sleep(Duration::from_secs(30)).await;
                    continue;
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "notifier task failed");
                return Ok(());
            }
        }
        tokio::select! {
            () = tailer.wait() => {}
            () = tokio::time::sleep(Duration::from_secs(30)) => {}
        }
    }
}
