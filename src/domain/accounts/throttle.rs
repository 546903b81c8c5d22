//! Throttling of failed sign-ins, per account and per source address, in memory (node-local).
//!
//! - Per account: 5 failures are free; then each failure makes the next attempt wait
//!   30 s × 2ⁿ, at most 15 minutes — an attacker cannot lock a real user out for longer, and a
//!   success resets it.
//! - Per address: 100 failures in 10 minutes block the address for the rest of those 10
//!   minutes (generous, because a whole school may sign in from one address).

use std::collections::HashMap;
use std::sync::Mutex;

use jiff::{SignedDuration, Timestamp};

const FREE_FAILURES: u32 = 5;
const FIRST_DELAY_SECS: i64 = 30;
const MAX_DELAY_SECS: i64 = 15 * 60;
const IP_WINDOW_SECS: i64 = 10 * 60;
const IP_MAX_FAILURES: u32 = 100;
/// Entries are pruned when a map grows past this.
const PRUNE_AT: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    first: Timestamp,
    last: Timestamp,
}

/// The throttle state.
#[derive(Debug, Default)]
pub struct Throttle {
    accounts: Mutex<HashMap<String, Failures>>,
    addresses: Mutex<HashMap<String, Failures>>,
}

fn secs(n: i64) -> SignedDuration {
    SignedDuration::from_secs(n)
}

fn account_wait(f: &Failures, now: Timestamp) -> Option<i64> {
    if f.count < FREE_FAILURES {
        return None;
    }
    let exponent = (f.count - FREE_FAILURES).min(10);
    let delay = (FIRST_DELAY_SECS << exponent).min(MAX_DELAY_SECS);
    let until = f.last.checked_add(secs(delay)).ok()?;
    (now < until).then(|| (until.as_second() - now.as_second()).max(1))
}

fn address_wait(f: &Failures, now: Timestamp) -> Option<i64> {
    let until = f.first.checked_add(secs(IP_WINDOW_SECS)).ok()?;
    (f.count >= IP_MAX_FAILURES && now < until)
        .then(|| (until.as_second() - now.as_second()).max(1))
}

fn record(map: &Mutex<HashMap<String, Failures>>, key: &str, now: Timestamp, window: i64) {
    let Ok(mut map) = map.lock() else { return };
    if map.len() > PRUNE_AT {
        map.retain(|_, f| f.last.checked_add(secs(window)).is_ok_and(|t| t > now));
    }
    let entry = map.entry(key.to_owned()).or_insert(Failures {
        count: 0,
        first: now,
        last: now,
    });
    // A quiet window forgets earlier failures.
    if entry.last.checked_add(secs(window)).is_ok_and(|t| t <= now) {
        *entry = Failures {
            count: 0,
            first: now,
            last: now,
        };
    }
    entry.count += 1;
    entry.last = now;
}

impl Throttle {
    /// `Err(seconds)` if an attempt for `login` from `ip` must wait.
    pub fn check(&self, login: &str, ip: &str, now: Timestamp) -> Result<(), u64> {
        let account = self.accounts.lock().ok().and_then(|m| {
            m.get(&login.to_lowercase())
                .and_then(|f| account_wait(f, now))
        });
        let address = self
            .addresses
            .lock()
            .ok()
            .and_then(|m| m.get(ip).and_then(|f| address_wait(f, now)));
        match account.max(address) {
            Some(wait) => Err(u64::try_from(wait).unwrap_or(1)),
            None => Ok(()),
        }
    }

    /// Records a failure.
    pub fn failed(&self, login: &str, ip: &str, now: Timestamp) {
        record(&self.accounts, &login.to_lowercase(), now, MAX_DELAY_SECS);
        record(&self.addresses, ip, now, IP_WINDOW_SECS);
    }

    /// Records a success: the account's failures are forgotten.
    pub fn succeeded(&self, login: &str) {
        if let Ok(mut m) = self.accounts.lock() {
            m.remove(&login.to_lowercase());
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
    fn five_free_failures_then_growing_waits_capped_at_15_minutes() {
        let t = Throttle::default();
        for i in 0..5 {
            assert_eq!(t.check("lea", "1.2.3.4", at(i)), Ok(()));
            t.failed("lea", "1.2.3.4", at(i));
        }
        assert_eq!(t.check("lea", "1.2.3.4", at(5)), Err(29));
        assert_eq!(
            t.check("LEA", "5.6.7.8", at(5)),
            Err(29),
            "per account, any address"
        );
        assert_eq!(t.check("lea", "1.2.3.4", at(34)), Ok(()));
        t.failed("lea", "1.2.3.4", at(34));
        assert_eq!(t.check("lea", "1.2.3.4", at(35)), Err(59));
        for i in 0..20 {
            t.failed("lea", "1.2.3.4", at(100 + i));
        }
        assert_eq!(t.check("lea", "1.2.3.4", at(120)), Err(15 * 60 - 1));
        // After 15 minutes the real user can try again.
        assert_eq!(t.check("lea", "1.2.3.4", at(119 + 15 * 60)), Ok(()));
        t.succeeded("lea");
        assert_eq!(t.check("lea", "1.2.3.4", at(2000)), Ok(()));
    }

    #[test]
    fn an_address_is_blocked_after_many_failures_on_many_accounts() {
        let t = Throttle::default();
        for i in 0..100 {
            t.failed(&format!("user{i}"), "9.9.9.9", at(i));
        }
        assert!(t.check("someone", "9.9.9.9", at(101)).is_err());
        assert_eq!(t.check("someone", "8.8.8.8", at(101)), Ok(()));
        assert_eq!(t.check("someone", "9.9.9.9", at(601)), Ok(()));
    }
}
