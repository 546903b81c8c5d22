//! The one source of "now". Everything that needs the time takes a [`Clock`]; tests inject a
//! [`FakeClock`] (STYLE.md §5). Reading the system clock anywhere else is banned by clippy.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use jiff::Timestamp;

/// The time zone of the schools' days, Europe/Paris: the day of a date typed in a form, the
/// school year's rollover, quiet hours, printed dates. The time zone database is bundled in
/// the binary, so UTC is only a fallback that does not happen.
pub fn paris() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC)
}

/// The day in Paris at `now`.
pub fn paris_date(now: Timestamp) -> jiff::civil::Date {
    now.to_zoned(paris()).date()
}

/// The first instant of a day in Paris (a filter's "from"), `None` past jiff's range.
pub fn paris_day_start(date: jiff::civil::Date) -> Option<Timestamp> {
    date.to_zoned(paris()).ok().map(|z| z.timestamp())
}

/// The last instant (µs) of a day in Paris (a filter's "to", included).
pub fn paris_day_end(date: jiff::civil::Date) -> Option<Timestamp> {
    let next = paris_day_start(date.tomorrow().ok()?)?;
    next.checked_sub(jiff::SignedDuration::from_micros(1)).ok()
}

/// A source of the current UTC instant.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current instant.
    fn now(&self) -> Timestamp;
}

/// A shared clock.
pub type SharedClock = Arc<dyn Clock>;

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)]
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that only moves when told to, for tests.
#[derive(Debug)]
pub struct FakeClock {
    micros: AtomicI64,
}

impl FakeClock {
    /// A fake clock set to `start`.
    pub fn new(start: Timestamp) -> Arc<FakeClock> {
        Arc::new(FakeClock {
            micros: AtomicI64::new(start.as_microsecond()),
        })
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: std::time::Duration) {
        let us = i64::try_from(by.as_micros()).unwrap_or(i64::MAX);
        self.micros.fetch_add(us, Ordering::SeqCst);
    }
}

impl Clock for FakeClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_microsecond(self.micros.load(Ordering::SeqCst))
            .unwrap_or(Timestamp::UNIX_EPOCH)
    }
}
