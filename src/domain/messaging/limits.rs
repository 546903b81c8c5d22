//! Brakes on sending and on drafts (issue 6 §3, issue 12): a sliding hour of sends per account,
//! stricter for pupils and parents; a sliding hour of draft saves; a cap on the attachments of
//! one message; and the sender's quota for attachments (the documents' quota, see
//! [`crate::domain::documents::quota_usage`]).
//!
//! The hourly counts are rows of the node-local table `local_message_rates_v1`, written in the
//! same transaction as the message or draft they count: a restart keeps them, a refused or
//! failed write counts nothing, and two requests at once cannot both pass the last place (the
//! store has one writer). Together with the recipient cap of pupils and parents and bulk lists
//! reserved to staff and teachers, a stolen account cannot send at scale.

use jiff::{SignedDuration, Timestamp};

use super::MessagingError;
use crate::model::directory::PersonId;
use crate::store::Tx;
use crate::store::tables::MESSAGE_RATES;

/// Messages per hour by kind of sender.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendLimits {
    /// Pupils.
    pub pupil: u32,
    /// Parents.
    pub parent: u32,
    /// Teachers and staff.
    pub staff: u32,
}

impl Default for SendLimits {
    fn default() -> Self {
        SendLimits {
            pupil: 20,
            parent: 30,
            staff: 300,
        }
    }
}

/// The most recipients a pupil or a parent may address at once.
pub const MAX_RECIPIENTS_PUPIL_PARENT: usize = 10;

/// The most recipients a message may have.
pub const MAX_RECIPIENTS: usize = 5_000;

/// Where sends are counted. The counts themselves live in the store (`local_message_rates_v1`,
/// see [`check_and_record`]), so this handle holds nothing: a restart, or a second handle,
/// does not reset them.
#[derive(Debug, Default)]
pub struct SendLimiter {
    _counts_in_the_store: (),
}

/// What a counted action is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rate {
    /// A message sent.
    Send,
    /// A draft created, or saved with new attachments.
    Draft,
}

impl Rate {
    fn key(self) -> u64 {
        match self {
            Rate::Send => 1,
            Rate::Draft => 2,
        }
    }
}

const WINDOW: SignedDuration = SignedDuration::from_hours(1);

/// Inside the write that does it: `RateLimited(seconds to wait)` if `person` already did
/// `limit` actions of this kind in the last hour; otherwise records this one (`id`: the message
/// or draft, which keeps two actions of the same microsecond apart). Rows older than the hour
/// are removed as it goes. A limit of `u32::MAX` counts nothing (benchmarks).
pub fn check_and_record(
    tx: &mut Tx,
    person: PersonId,
    rate: Rate,
    limit: u32,
    id: u64,
    now: Timestamp,
) -> Result<(), MessagingError> {
    if limit == u32::MAX {
        return Ok(());
    }
    let kind = rate.key();
    let now_us = now.as_microsecond();
    let start = now
        .checked_sub(WINDOW)
        .map_or(i64::MIN, |t| t.as_microsecond());
    // Forget what left the window.
    let old = tx.range(
        &MESSAGE_RATES,
        (person, kind, i64::MIN, 0u64)..(person, kind, start.saturating_add(1), 0u64),
    )?;
    for (key, ()) in old {
        tx.remove(&MESSAGE_RATES, &key)?;
    }
    let recent = tx.range(
        &MESSAGE_RATES,
        (person, kind, start.saturating_add(1), 0u64)..=(person, kind, i64::MAX, u64::MAX),
    )?;
    if recent.len() >= limit as usize {
        let oldest = recent
            .first()
            .and_then(|((_, _, at, _), ())| Timestamp::from_microsecond(*at).ok())
            .unwrap_or(now);
        let wait = WINDOW - now.duration_since(oldest);
        return Err(MessagingError::RateLimited(
            u64::try_from(wait.as_secs()).unwrap_or(1).max(1),
        ));
    }
    tx.insert(&MESSAGE_RATES, &(person, kind, now_us, id), &())?;
    Ok(())
}

/// The attachments' brakes (issue 12): the quota they count in, the most one draft or message
/// may carry, the draft saves per hour.
#[derive(Debug, Clone, Copy)]
pub struct AttachmentLimits {
    /// The documents' quotas (attachments count in them).
    pub quota: crate::domain::documents::service::Limits,
    /// The most bytes of attachments one draft or message may carry, in total.
    pub message_max_bytes: u64,
    /// Drafts created (or saved with new attachments) per hour.
    pub drafts_per_hour: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn at(s: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + s).unwrap()
    }

    fn check(store: &Store, p: PersonId, limit: u32, t: Timestamp, id: u64) -> Result<(), u64> {
        store
            .write(|tx| check_and_record(tx, p, Rate::Send, limit, id, t))
            .map_err(|e| match e {
                MessagingError::RateLimited(s) => s,
                other => panic!("{other:?}"),
            })
    }

    #[test]
    fn a_sliding_hour_kept_in_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let clock = crate::clock::FakeClock::new(at(0));
        let store = Store::open(dir.path(), clock.clone()).unwrap();
        let p = PersonId(1);
        for i in 0..3 {
            assert_eq!(check(&store, p, 3, at(i), i as u64 + 1), Ok(()));
        }
        assert_eq!(check(&store, p, 3, at(10), 9), Err(3590));
        assert_eq!(check(&store, PersonId(2), 3, at(10), 10), Ok(()));
        // Drafts are counted apart.
        store
            .write(|tx| check_and_record(tx, p, Rate::Draft, 3, 11, at(10)))
            .unwrap();
        drop(store);
        // Reopened: the counts are still there.
        let store = Store::open(dir.path(), clock).unwrap();
        assert_eq!(check(&store, p, 3, at(20), 12), Err(3580));
        assert_eq!(check(&store, p, 3, at(3600), 13), Ok(()));
    }
}
