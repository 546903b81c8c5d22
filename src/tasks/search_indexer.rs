//! The search indexer task: follows the change log into the Tantivy index (`search::indexer`).

use std::sync::Arc;
use std::time::Duration;

use crate::search::{Search, SearchError};
use crate::store::Store;

/// The indexer task, started with the server: catches up after every commit of the store (and
/// every 30 s), rebuilds the index when it is not in step with the store.
pub async fn run(store: Store, search: Arc<Search>) -> std::io::Result<()> {
    let mut head = store.subscribe();
    loop {
        let (st, s) = (store.clone(), search.clone());
        let outcome = tokio::task::spawn_blocking(move || s.catch_up_all(&st)).await;
        let retry = match outcome {
            Ok(Ok(())) => None,
            // `cartable reindex` is rebuilding the index: it installs it when done.
            Ok(Err(SearchError::Busy)) => Some(Duration::from_secs(1)),
            Ok(Err(SearchError::Stopping)) => return Ok(()),
            Ok(Err(SearchError::Diverged(why))) => {
                tracing::warn!(%why, "search: rebuilding the index");
                let (st, s) = (store.clone(), search.clone());
                match tokio::task::spawn_blocking(move || s.rebuild(&st, &mut |_, _| {})).await {
                    Ok(Ok(_)) => None,
                    Ok(Err(SearchError::Busy)) => Some(Duration::from_secs(1)),
                    Ok(Err(e)) => {
                        tracing::error!(error = %e, "search: the rebuild failed; retrying in 30 s");
                        Some(Duration::from_secs(30))
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "search: the rebuild task failed");
                        return Ok(());
                    }
                }
            }
            Ok(Err(e)) => {
                tracing::error!(error = %e, "search: indexing failed; retrying in 30 s");
                Some(Duration::from_secs(30))
            }
            Err(e) => {
                tracing::error!(error = %e, "search: the indexer task failed");
                return Ok(());
            }
        };
        if let Some(delay) = retry {
            tokio::time::sleep(delay).await;
            continue;
        }
        let indexed = search.status().map_or(0, |p| p.seq);
        tokio::select! {
            changed = head.wait_for(|h| h.seq > indexed) => {
                if changed.is_err() {
                    return Ok(());
                }
            }
            () = tokio::time::sleep(Duration::from_secs(30)) => {}
        }
    }
}
