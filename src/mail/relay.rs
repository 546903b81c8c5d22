//! The relay: one background task (started by `http::start`) that sends the due mails of the
//! queue. It wakes when the store's head moves (a mail may have been queued), when the next
//! retry falls due, and at least every [`TICK`] of real time; each pass calls
//! [`MailRuntime::deliver_due`] with the injected clock's "now", which tests call directly.
//!
//! **At least once.** A pass reads the due mails, hands each to the SMTP server, and only then
//! records the outcomes in one transaction. A crash (or `kill -9`) after the server accepted a
//! mail and before that commit leaves the mail due, so it is sent again after the restart —
//! with the same `Message-ID`. A mail is never marked sent before a server accepted it, and
//! never dropped: the queue is in the store.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use jiff::Timestamp;

use super::message;
use super::queue::{self, Attempt, MailId, MailState, OutgoingMail};
use super::transport::{MailKeys, Route, Settings, Transport};
use crate::store::{Store, StoreError};

/// The relay looks at the queue at least this often (real time).
pub const TICK: Duration = Duration::from_secs(5);

/// Mails read and recorded together (one transaction for their outcomes).
const BATCH: usize = 64;

/// Mails handed to the server at the same time (one pooled connection each).
const CONCURRENCY: usize = super::transport::POOL_SIZE as usize;

/// Batches in one pass before the task looks at its wake-ups again.
const BATCHES_PER_PASS: usize = 16;

/// What a pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PassReport {
    /// Mails the server accepted.
    pub sent: usize,
    /// Mails to be retried later.
    pub deferred: usize,
    /// Mails given up.
    pub failed: usize,
    /// Whether due mails were left for the next pass.
    pub more: bool,
}

/// Whether and how mail leaves, for the administrators' page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RelayStatus {
    /// No smarthost and no direct delivery: mails wait in the queue.
    NotConfigured,
    /// Through this smarthost (password hidden).
    Smarthost(String),
    /// Straight to the recipients' MX servers.
    DirectMx,
    /// The mail settings cannot be used (why); mails wait in the queue.
    Broken(String),
}

/// The relay's shared state (in `AppState::mail`).
pub struct MailRuntime {
    settings: Result<Arc<Settings>, String>,
    transport: OnceLock<Result<Arc<Transport>, String>>,
    pass: tokio::sync::Mutex<()>,
    wake: tokio::sync::Notify,
}

impl std::fmt::Debug for MailRuntime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailRuntime")
            .field("status", &self.status())
            .finish_non_exhaustive()
    }
}

impl MailRuntime {
    /// Checks the mail keys (a problem is reported by [`MailRuntime::status`] and in the log;
    /// the rest of Cartable works without mail).
    pub fn new(keys: &MailKeys) -> MailRuntime {
        MailRuntime {
            settings: Settings::from_keys(keys).map(Arc::new),
            transport: OnceLock::new(),
            pass: tokio::sync::Mutex::new(()),
            wake: tokio::sync::Notify::new(),
        }
    }

    /// The checked settings, or what is wrong with them.
    pub fn settings(&self) -> Result<&Arc<Settings>, &str> {
        self.settings.as_ref().map_err(String::as_str)
    }

    /// Whether mail leaves and how.
    pub fn status(&self) -> RelayStatus {
        match &self.settings {
            Err(e) => RelayStatus::Broken(e.clone()),
            Ok(s) => match (&s.route, self.transport.get()) {
                (_, Some(Err(e))) => RelayStatus::Broken(e.clone()),
                (Route::None, _) => RelayStatus::NotConfigured,
                (Route::Smarthost(h), _) => RelayStatus::Smarthost(h.to_string()),
                (Route::DirectMx, _) => RelayStatus::DirectMx,
            },
        }
    }

    /// The transport, built on first use (inside the runtime). `None` when mail cannot leave.
    fn transport(&self) -> Option<Arc<Transport>> {
        let settings = self.settings.as_ref().ok()?;
        if settings.route == Route::None {
            return None;
        }
        self.transport
            .get_or_init(|| Transport::new(settings).map(Arc::new))
            .as_ref()
            .ok()
            .cloned()
    }

    /// Asks the relay task for a pass now (after an administrator's "retry now").
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Waits until [`MailRuntime::wake`] is called (the relay task's wake-up).
    pub async fn woken(&self) {
        self.wake.notified().await;
    }

    /// Sends every mail due at `now`, in batches, recording each outcome after the server
    /// answered. Passes never overlap (the background task and a test may both call this).
    pub async fn deliver_due(
        &self,
        store: &Store,
        now: Timestamp,
    ) -> Result<PassReport, StoreError> {
        let _one_at_a_time = self.pass.lock().await;
        let mut report = PassReport::default();
        let Some(transport) = self.transport() else {
            return Ok(report);
        };
        let Ok(settings) = self.settings.as_ref() else {
            return Ok(report);
        };
        for _ in 0..BATCHES_PER_PASS {
            let st = store.clone();
            let due = blocking(move || queue::due(&st.read()?, now, BATCH)).await?;
            let full = due.len() == BATCH;
            if due.is_empty() {
                return Ok(report);
            }
            let outcomes = send_all(&transport, settings, due, now).await;
            let st = store.clone();
            let states = blocking(move || {
                st.write(|tx| {
                    let mut states = Vec::with_capacity(outcomes.len());
                    for (id, attempt) in &outcomes {
                        states.push((*id, queue::record_attempt(tx, *id, now, attempt)?));
                    }
                    Ok::<_, StoreError>(states)
                })
            })
            .await?;
            let (sent, deferred, failed) = (report.sent, report.deferred, report.failed);
            for (id, state) in states {
                match state {
                    Some(MailState::Sent { .. }) => report.sent += 1,
                    Some(MailState::Retrying {
                        attempts,
                        next_at,
                        last_error,
                    }) => {
                        report.deferred += 1;
                        tracing::info!(mail = %id, attempts, %next_at, error = %last_error, "mail deferred");
                    }
                    Some(MailState::Failed {
                        attempts, reason, ..
                    }) => {
                        report.failed += 1;
                        tracing::warn!(mail = %id, attempts, %reason, "mail failed");
                    }
                    _ => {}
                }
            }
            tracing::info!(
                sent = report.sent - sent,
                deferred = report.deferred - deferred,
                failed = report.failed - failed,
                "mail relay batch"
            );
            if !full {
                return Ok(report);
            }
        }
        report.more = true;
        Ok(report)
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StoreError::Diverged(format!("mail relay task: {e}")))?
}

/// Hands every mail of a batch to the server, [`CONCURRENCY`] at a time.
async fn send_all(
    transport: &Arc<Transport>,
    settings: &Arc<Settings>,
    due: Vec<(MailId, OutgoingMail)>,
    now: Timestamp,
) -> Vec<(MailId, Attempt)> {
    let mut outcomes = Vec::with_capacity(due.len());
    let mut running = tokio::task::JoinSet::new();
    let mut pending = due.into_iter();
    loop {
        while running.len() < CONCURRENCY {
            let Some((id, mail)) = pending.next() else {
                break;
            };
            let transport = transport.clone();
            let settings = settings.clone();
            running.spawn(async move {
                let attempt = match message::build(&settings, id, &mail, now) {
                    Ok(m) => transport.send(&m).await,
                    Err(reason) => Attempt::Permanent(reason),
                };
                (id, attempt)
            });
        }
        match running.join_next().await {
            Some(Ok(outcome)) => outcomes.push(outcome),
            Some(Err(e)) => tracing::error!(error = %e, "a mail send task failed"),
            None => break,
        }
    }
    outcomes
}
