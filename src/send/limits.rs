//! An account's sending limits — submissions per window of time, several windows at once, and
//! a maximum number of connections — the presets for common providers, and the one limiter
//! per account that every connection of a run asks before each submission.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use ts_rs::TS;

use crate::clock::Clock;

/// At most `max` submissions in any `seconds`-long stretch of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "LimitWindow")]
pub struct Window {
    pub seconds: u32,
    pub max: u32,
}

pub const MINUTE: u32 = 60;
pub const HOUR: u32 = 3600;
pub const DAY: u32 = 86_400;

/// What an account may do. No windows: as fast as the connections go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Limits {
    pub windows: Vec<Window>,
    pub connections: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            windows: Vec::new(),
            connections: 4,
        }
    }
}

impl Limits {
    /// The longest window: how far back earlier submissions still count.
    pub fn horizon(&self) -> Duration {
        Duration::from_secs(
            self.windows
                .iter()
                .map(|w| w.seconds)
                .max()
                .unwrap_or(0)
                .into(),
        )
    }

    /// How long `count` submissions take at best, the windows allowing: what the user is told
    /// before sending ("about 3 days").
    pub fn duration_for(&self, count: u32) -> Duration {
        // Each window lets `max` through, then the next `max` one window later, and so on.
        self.windows
            .iter()
            .filter(|w| w.max > 0)
            .map(|w| {
                Duration::from_secs(
                    u64::from(count.saturating_sub(1) / w.max) * u64::from(w.seconds),
                )
            })
            .max()
            .unwrap_or_default()
    }

    /// Sets one window's size, replacing a window of the same length; `None` or 0 removes it.
    pub fn set(&mut self, seconds: u32, max: Option<u32>) {
        self.windows.retain(|w| w.seconds != seconds);
        if let Some(max) = max.filter(|m| *m > 0) {
            self.windows.push(Window { seconds, max });
            self.windows.sort_by_key(|w| w.seconds);
        }
    }

    pub fn per(&self, seconds: u32) -> Option<u32> {
        self.windows
            .iter()
            .find(|w| w.seconds == seconds)
            .map(|w| w.max)
    }
}

/// A provider's published limits, to start an account from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Preset {
    pub key: &'static str,
    /// The provider as its customers know it.
    pub name: &'static str,
    pub limits: Limits,
    /// The usual server and port, when the provider has one for everybody.
    pub host: Option<&'static str>,
    pub port: Option<u16>,
}

fn preset(
    key: &'static str,
    name: &'static str,
    windows: &[(u32, u32)],
    connections: u32,
    server: Option<(&'static str, u16)>,
) -> Preset {
    Preset {
        key,
        name,
        limits: Limits {
            windows: windows
                .iter()
                .map(|&(seconds, max)| Window { seconds, max })
                .collect(),
            connections,
        },
        host: server.map(|s| s.0),
        port: server.map(|s| s.1),
    }
}

/// The presets, from the providers' published figures. SES limits differ per account: its
/// preset carries the defaults of a new production account, to be changed to the account's.
pub fn presets() -> Vec<Preset> {
    vec![
        preset(
            "gmail",
            "Gmail",
            &[(DAY, 500)],
            2,
            Some(("smtp.gmail.com", 465)),
        ),
        preset(
            "google-workspace",
            "Google Workspace",
            &[(DAY, 2_000)],
            3,
            Some(("smtp.gmail.com", 465)),
        ),
        preset(
            "microsoft-365",
            "Microsoft 365",
            &[(MINUTE, 30), (DAY, 10_000)],
            3,
            Some(("smtp.office365.com", 587)),
        ),
        preset(
            "xserver",
            "Xserver",
            &[(HOUR, 1_500), (DAY, 15_000)],
            4,
            None,
        ),
        preset(
            "sakura",
            "さくらのレンタルサーバ",
            &[(15 * MINUTE, 100)],
            2,
            None,
        ),
        preset(
            "lolipop-economy",
            "ロリポップ エコノミー",
            &[(HOUR, 100), (DAY, 1_000)],
            2,
            None,
        ),
        preset(
            "lolipop-light",
            "ロリポップ ライト",
            &[(HOUR, 300), (DAY, 3_000)],
            2,
            None,
        ),
        preset(
            "lolipop-standard",
            "ロリポップ スタンダード以上",
            &[(HOUR, 1_000), (DAY, 10_000)],
            3,
            None,
        ),
        preset(
            "amazon-ses",
            "Amazon SES",
            &[(1, 14), (DAY, 50_000)],
            8,
            None,
        ),
    ]
}

pub fn find_preset(key: &str) -> Option<Preset> {
    presets()
        .into_iter()
        .find(|p| p.key.eq_ignore_ascii_case(key) || p.name == key)
}

/// The one gate of an account: a submission may start only when every window has room for it.
/// A submission counts from the moment it starts until one window after the server answered
/// it — the server counts by when it received the mail, which lies in between — so the
/// server never sees more than a window's worth, whatever the network's delays.
#[derive(Clone)]
pub struct Limiter {
    inner: Arc<Mutex<State>>,
    clock: Arc<dyn Clock>,
}

struct State {
    windows: Vec<(time::Duration, u32)>,
    horizon: time::Duration,
    /// When each counted submission was answered, oldest first, within the horizon.
    answered: VecDeque<OffsetDateTime>,
    in_flight: u32,
}

/// A submission the limiter let through; `answered` ends it.
#[must_use]
pub struct Permit {
    limiter: Limiter,
}

impl Permit {
    pub fn answered(self) {
        let now = self.limiter.clock.now();
        let mut state = self.limiter.lock();
        state.in_flight -= 1;
        state.answered.push_back(now);
    }
}

impl Limiter {
    /// `earlier`: when this account's submissions within the horizon were answered, so limits
    /// that span days hold across runs and restarts.
    pub fn new(limits: &Limits, clock: Arc<dyn Clock>, earlier: Vec<OffsetDateTime>) -> Limiter {
        let windows: Vec<(time::Duration, u32)> = limits
            .windows
            .iter()
            .filter(|w| w.max > 0 && w.seconds > 0)
            .map(|w| (time::Duration::seconds(w.seconds.into()), w.max))
            .collect();
        let horizon = windows.iter().map(|w| w.0).max().unwrap_or_default();
        let mut answered: Vec<OffsetDateTime> = earlier;
        answered.sort();
        Limiter {
            inner: Arc::new(Mutex::new(State {
                windows,
                horizon,
                answered: answered.into(),
                in_flight: 0,
            })),
            clock,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A permit now, or how long (in this clock's time) until one may be free.
    pub fn try_acquire(&self) -> Result<Permit, Duration> {
        let now = self.clock.now();
        let mut state = self.lock();
        let horizon = state.horizon;
        while state.answered.front().is_some_and(|t| now - *t >= horizon) {
            state.answered.pop_front();
        }
        let mut wait = time::Duration::ZERO;
        for &(length, max) in &state.windows {
            let recent = state
                .answered
                .iter()
                .rev()
                .take_while(|t| now - **t < length);
            let recent: Vec<&OffsetDateTime> = recent.collect();
            if recent.len() as u32 + state.in_flight < max {
                continue;
            }
            // Room comes when enough of the recent ones leave the window; with everything in
            // flight, only an answer can make room, so check again shortly.
            let needed = (recent.len() as u32 + state.in_flight + 1).saturating_sub(max) as usize;
            let until = match recent.len().checked_sub(needed) {
                Some(index) => *recent[index] + length - now,
                None => time::Duration::milliseconds(10),
            };
            wait = wait.max(until);
        }
        if wait > time::Duration::ZERO {
            return Err(wait.try_into().unwrap_or_default());
        }
        state.in_flight += 1;
        Ok(Permit {
            limiter: self.clone(),
        })
    }

    /// Real time to sleep for a wait reported by `try_acquire`.
    pub fn real(&self, wait: Duration) -> Duration {
        self.clock.real(wait).max(Duration::from_millis(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use time::macros::datetime;

    fn limits(windows: &[(u32, u32)]) -> Limits {
        Limits {
            windows: windows
                .iter()
                .map(|&(seconds, max)| Window { seconds, max })
                .collect(),
            connections: 1,
        }
    }

    #[test]
    fn lets_a_window_full_through_then_waits_for_the_oldest_to_leave() {
        let now = datetime!(2026-11-27 10:00:00 UTC);
        let earlier = (0..29)
            .map(|i| now - time::Duration::seconds(59 - i))
            .collect();
        let limiter = Limiter::new(&limits(&[(60, 30)]), Arc::new(FixedClock(now)), earlier);
        let Ok(permit) = limiter.try_acquire() else {
            panic!("the 30th fits");
        };
        // In flight counts too: the 31st must wait although only 29 were answered.
        assert!(limiter.try_acquire().is_err());
        permit.answered();
        // The oldest answer (59 s ago) leaves the window in one second.
        assert_eq!(limiter.try_acquire().err(), Some(Duration::from_secs(1)));
    }

    #[test]
    fn the_tightest_window_decides() {
        let now = datetime!(2026-11-27 10:00:00 UTC);
        let earlier = vec![now - time::Duration::hours(23); 500];
        let limiter = Limiter::new(
            &limits(&[(60, 30), (DAY, 500)]),
            Arc::new(FixedClock(now)),
            earlier,
        );
        assert_eq!(limiter.try_acquire().err(), Some(Duration::from_secs(3600)));
        let free = Limiter::new(&limits(&[]), Arc::new(FixedClock(now)), Vec::new());
        assert!(free.try_acquire().is_ok());
    }

    #[test]
    fn expected_duration_follows_the_windows() {
        let gmail = find_preset("gmail").unwrap().limits;
        assert_eq!(gmail.duration_for(500), Duration::ZERO);
        assert_eq!(gmail.duration_for(1_200), Duration::from_secs(2 * 86_400));
        let m365 = find_preset("microsoft-365").unwrap().limits;
        assert_eq!(m365.duration_for(300), Duration::from_secs(9 * 60));
    }

    #[test]
    fn setting_a_window_replaces_or_removes_it() {
        let mut l = limits(&[(60, 30)]);
        l.set(60, Some(10));
        l.set(DAY, Some(500));
        assert_eq!((l.per(60), l.per(DAY)), (Some(10), Some(500)));
        l.set(60, None);
        assert_eq!(l.per(60), None);
    }
}
