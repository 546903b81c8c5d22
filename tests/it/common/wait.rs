//! Waiting for background work without sleeping: on the event itself (a commit published on the
//! store's `watch` channel, the search index's position), always with a deadline and a panic
//! that says what did not happen.

use std::time::Duration;

use cartable::store::Store;

use super::app::TestApp;

/// How long a background task of the app may take: generous, for a loaded machine.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// Waits until `done()` holds, checking it now and again after each commit to `store` (the
/// store publishes its head on a `watch` channel after every commit); panics, naming `what`,
/// if it does not hold within [`DEADLINE`]. For the work of a tailer that commits (the
/// notifier writes its rows and its position in one logged transaction).
pub async fn until_committed(store: &Store, what: &str, mut done: impl FnMut() -> bool) {
    let mut head = store.subscribe();
    let deadline = tokio::time::Instant::now() + DEADLINE;
    loop {
        // Marked seen before the check: a commit after it wakes the wait below.
        head.borrow_and_update();
        if done() {
            return;
        }
        match tokio::time::timeout_at(deadline, head.changed()).await {
            Ok(Ok(())) => {}
            Ok(Err(_)) => panic!("{what}: the store was closed first"),
            Err(_) => panic!("{what}: not within {DEADLINE:?}"),
        }
    }
}

/// Waits until the app's search index has every change log entry up to the store's head (the
/// index publishes its position on a `watch` channel); panics after [`DEADLINE`].
pub async fn search_caught_up(app: &TestApp) {
    let head = app.state.store.head().seq;
    if tokio::time::timeout(DEADLINE, app.state.search.wait_for(head))
        .await
        .is_err()
    {
        panic!(
            "the search index did not reach entry {head} within {DEADLINE:?} (at {:?})",
            app.state.search.status().map(|p| p.seq)
        );
    }
}

/// Polls `probe` until it gives a value; panics, naming `what`, after `deadline`. Only for
/// what another process does (the real binary's indexer): its progress is seen through its
/// `/healthz` and by nothing that could wake the test, so this is the one wait that asks
/// again after `every`.
pub async fn polling<T>(
    what: &str,
    deadline: Duration,
    every: Duration,
    mut probe: impl AsyncFnMut() -> Option<T>,
) -> T {
    let until = tokio::time::Instant::now() + deadline;
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        if tokio::time::Instant::now() >= until {
            panic!("{what}: not within {deadline:?}");
        }
        tokio::time::sleep(every).await;
    }
}
