//! Time as a seam: the core asks a `Clock`, so tests can pin "now" or make a day pass in
//! seconds. Depends on nothing else.

use std::time::{Duration, Instant};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;

    /// Now as stored in the database; see [`stamp_of`].
    fn stamp(&self) -> String {
        stamp_of(self.now())
    }

    /// How long a span of this clock's time lasts in real time: what to sleep to wait for it.
    fn real(&self, span: Duration) -> Duration {
        span
    }
}

/// The timestamp format stored in the database: RFC 3339 in UTC to the second, which sorts
/// as text.
pub fn stamp_of(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    t.replace_nanosecond(0)
        .unwrap_or(t)
        .format(&Rfc3339)
        .unwrap_or_default()
}

/// A time the user gave (RFC 3339, e.g. 2026-12-01T09:00:00+09:00).
pub fn parse_time(text: &str) -> crate::Result<OffsetDateTime> {
    OffsetDateTime::parse(text.trim(), &Rfc3339).map_err(|_| crate::Error::BadTime(text.into()))
}

/// A stored timestamp read back.
pub fn parse_stamp(stamp: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(stamp, &Rfc3339).ok()
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// A clock that always says the same instant.
pub struct FixedClock(pub OffsetDateTime);

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        self.0
    }
}

/// A clock that runs `factor` times faster than real time from the moment it is made, so a
/// test can watch per-minute or per-day limits at work in a second.
pub struct ScaledClock {
    start: OffsetDateTime,
    started: Instant,
    factor: u32,
}

impl ScaledClock {
    pub fn new(factor: u32) -> ScaledClock {
        ScaledClock {
            start: OffsetDateTime::now_utc(),
            started: Instant::now(),
            factor: factor.max(1),
        }
    }
}

impl Clock for ScaledClock {
    fn now(&self) -> OffsetDateTime {
        self.start + self.started.elapsed() * self.factor
    }

    fn real(&self, span: Duration) -> Duration {
        span / self.factor
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_utc_rfc3339() {
        let clock = FixedClock(time::macros::datetime!(2026-11-27 21:30:00 +9));
        assert_eq!(clock.stamp(), "2026-11-27T12:30:00Z");
    }

    #[test]
    fn a_scaled_clock_runs_faster_and_sleeps_shorter() {
        let clock = ScaledClock::new(60);
        assert_eq!(clock.real(Duration::from_secs(60)), Duration::from_secs(1));
        std::thread::sleep(Duration::from_millis(50));
        let passed = clock.now() - clock.start;
        assert!(passed >= time::Duration::seconds(3), "{passed}");
    }
}
