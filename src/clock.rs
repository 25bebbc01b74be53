//! Time as a seam: the core asks a `Clock`, so tests can pin "now". Depends on nothing else.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;

    /// The timestamp format stored in the database: RFC 3339 in UTC, which sorts as text.
    fn stamp(&self) -> String {
        self.now()
            .to_offset(time::UtcOffset::UTC)
            .replace_nanosecond(0)
            .unwrap_or_else(|_| self.now())
            .format(&Rfc3339)
            .unwrap_or_default()
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_utc_rfc3339() {
        let clock = FixedClock(time::macros::datetime!(2026-11-27 21:30:00 +9));
        assert_eq!(clock.stamp(), "2026-11-27T12:30:00Z");
    }
}
