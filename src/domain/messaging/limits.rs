//! Send limits per account (issue 6 §3): a sliding hour, stricter for pupils and parents, kept
//! in memory on the node like the sign-in throttle. Together with the recipient cap of pupils
//! and parents and bulk lists reserved to staff and teachers, a stolen account cannot send at
//! scale.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use jiff::{SignedDuration, Timestamp};

use crate::domain::directory::model::PersonId;

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

/// Recent sends per person.
#[derive(Debug, Default)]
pub struct SendLimiter {
    sends: Mutex<HashMap<PersonId, VecDeque<Timestamp>>>,
}

const WINDOW: SignedDuration = SignedDuration::from_hours(1);

impl SendLimiter {
    /// `Err(seconds to wait)` if `person` already sent `limit` messages in the last hour;
    /// otherwise records this send.
    pub fn check_and_record(
        &self,
        person: PersonId,
        limit: u32,
        now: Timestamp,
    ) -> Result<(), u64> {
        let Ok(mut map) = self.sends.lock() else {
            return Ok(());
        };
        if map.len() > 100_000 {
            map.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < WINDOW));
        }
        let queue = map.entry(person).or_default();
        while queue
            .front()
            .is_some_and(|t| now.duration_since(*t) >= WINDOW)
        {
            queue.pop_front();
        }
        if queue.len() >= limit as usize {
            let oldest = queue.front().copied().unwrap_or(now);
            let wait = WINDOW - now.duration_since(oldest);
            return Err(u64::try_from(wait.as_secs()).unwrap_or(1).max(1));
        }
        queue.push_back(now);
        Ok(())
    }

    /// Forgets the last send of `person` (the write that followed the check failed).
    pub fn undo(&self, person: PersonId) {
        if let Ok(mut map) = self.sends.lock()
            && let Some(q) = map.get_mut(&person)
        {
            q.pop_back();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + s).unwrap()
    }

    #[test]
    fn a_sliding_hour() {
        let l = SendLimiter::default();
        let p = PersonId(1);
        for i in 0..3 {
            assert_eq!(l.check_and_record(p, 3, at(i)), Ok(()));
        }
        assert_eq!(l.check_and_record(p, 3, at(10)), Err(3590));
        assert_eq!(l.check_and_record(PersonId(2), 3, at(10)), Ok(()));
        assert_eq!(l.check_and_record(p, 3, at(3600)), Ok(()));
    }
}
