//! When and how long to wait before retrying: `Retry-After` (seconds or an HTTP date), exponential
//! back-off with jitter otherwise, bounded by attempts and a total time budget. Time comes from an
//! injectable [`Clock`] so the maths and the retry loops are testable without waiting.
//!
//! A wait that comes from the server is capped at [`MAX_RETRY_AFTER`], and every point in time
//! computed from one uses checked arithmetic ([`later`]): a hostile or broken server can neither make
//! the client panic (`Retry-After: 18446744073709551615`) nor stall it for a year.

use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};

use crate::token::BoxFuture;

/// The longest `Retry-After` the client honours: 5 minutes. Graph documents waits of seconds to a
/// few minutes (graph-api.md §8: `Retry-After: 10`; write quotas reset over 2.5 to 5 minutes), so a
/// longer value is a broken or hostile server; waiting 5 minutes still backs off politely, and the
/// retry budget ([`RetryPolicy::max_elapsed`]) then decides whether to try again.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(300);

/// `now + wait`, never panicking: a wait beyond what the clock can represent becomes
/// [`MAX_RETRY_AFTER`] (and `now` itself if even that does not fit).
pub fn later(now: SystemTime, wait: Duration) -> SystemTime {
    now.checked_add(wait)
        .or_else(|| now.checked_add(MAX_RETRY_AFTER))
        .unwrap_or(now)
}

/// `duration × factor`, saturating instead of panicking on overflow, NaN or a negative factor.
pub(crate) fn scaled(duration: Duration, factor: f64) -> Duration {
    if factor.is_nan() || factor < 0.0 {
        return Duration::ZERO;
    }
    Duration::try_from_secs_f64(duration.as_secs_f64() * factor).unwrap_or(Duration::MAX)
}

/// The time source of the client: wall-clock time (for HTTP dates and budgets) and sleeping.
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current time.
    fn now(&self) -> SystemTime;
    /// Waits for `duration`.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
}

/// The real clock: `SystemTime::now` and `tokio::time::sleep`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// A clock for tests: sleeping returns at once and moves this clock's time forward, and every sleep is
/// recorded so a test can check the delays the client chose.
#[derive(Debug)]
pub struct VirtualClock {
    state: Mutex<(SystemTime, Vec<Duration>)>,
}

impl VirtualClock {
    /// A virtual clock starting at `start`.
    pub fn new(start: SystemTime) -> Self {
        Self {
            state: Mutex::new((start, Vec::new())),
        }
    }

    /// Every sleep so far, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.state.lock().map(|s| s.1.clone()).unwrap_or_default()
    }
}

impl Default for VirtualClock {
    fn default() -> Self {
        Self::new(SystemTime::now())
    }
}

impl Clock for VirtualClock {
    fn now(&self) -> SystemTime {
        self.state
            .lock()
            .map(|s| s.0)
            .unwrap_or(SystemTime::UNIX_EPOCH)
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        if let Ok(mut state) = self.state.lock() {
            state.0 = later(state.0, duration);
            state.1.push(duration);
        }
        Box::pin(tokio::task::yield_now())
    }
}

/// How the client retries throttled (429), unavailable (503/504) and broken (connection reset, body
/// cut off) requests.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in total, the first one included.
    pub max_attempts: u32,
    /// Give up when this much time has passed since the first attempt (waits included).
    pub max_elapsed: Duration,
    /// The first back-off delay when the server gave no `Retry-After`.
    pub initial_delay: Duration,
    /// The largest back-off delay.
    pub max_delay: Duration,
    /// Random extra delay, as a fraction of the computed delay (0.25 = up to +25 %).
    pub jitter: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 12,
            max_elapsed: Duration::from_secs(600),
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(60),
            jitter: 0.25,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The exponential back-off before retry number `retry` (1 for the first retry), scaled by
    /// `1 + jitter * random` where `random` is in `[0, 1)`.
    pub fn backoff(&self, retry: u32, random: f64) -> Duration {
        let exp = retry.saturating_sub(1).min(20);
        let base = self
            .initial_delay
            .saturating_mul(1u32 << exp)
            .min(self.max_delay);
        scaled(base, 1.0 + self.jitter * random.clamp(0.0, 1.0))
    }

    /// The wait before retry number `retry`: the server's `Retry-After` when given (never less, but
    /// at most [`MAX_RETRY_AFTER`] and the budget), else the back-off.
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>, random: f64) -> Duration {
        match retry_after {
            Some(server) => server.min(MAX_RETRY_AFTER).min(self.max_elapsed),
            None => self.backoff(retry, random),
        }
    }

    /// Whether another attempt fits: `attempts` made so far, `elapsed` since the first, `delay` to wait.
    pub fn allows(&self, attempts: u32, elapsed: Duration, delay: Duration) -> bool {
        attempts < self.max_attempts && elapsed.saturating_add(delay) <= self.max_elapsed
    }
}

/// Parses a `Retry-After` value: delay-seconds (`10`, `1.5`) or an HTTP date
/// (`Wed, 21 Oct 2015 07:28:00 GMT`), relative to `now`. A date in the past means "now"; anything
/// longer than [`MAX_RETRY_AFTER`] (digits beyond `u64`, a date in the year 9999) means that cap.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        let secs = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(secs).min(MAX_RETRY_AFTER));
    }
    if let Ok(secs) = value.parse::<f64>() {
        return (secs >= 0.0 && !secs.is_nan()).then(|| {
            Duration::try_from_secs_f64(secs)
                .unwrap_or(Duration::MAX)
                .min(MAX_RETRY_AFTER)
        });
    }
    let date = DateTime::parse_from_rfc2822(value)
        .ok()?
        .with_timezone(&Utc);
    let now: DateTime<Utc> = now.into();
    let wait = date
        .signed_duration_since(now)
        .to_std()
        .unwrap_or(Duration::ZERO);
    Some(wait.min(MAX_RETRY_AFTER))
}

/// A random number in `[0, 1)` for jitter.
pub(crate) fn jitter_sample() -> f64 {
    rand::random::<f64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn retry_after_seconds_and_http_dates() {
        let now = at(1_445_412_470); // Wed, 21 Oct 2015 07:27:50 GMT
        assert_eq!(parse_retry_after("10", now), Some(Duration::from_secs(10)));
        assert_eq!(parse_retry_after(" 2 ", now), Some(Duration::from_secs(2)));
        assert_eq!(
            parse_retry_after("1.5", now),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
        assert_eq!(parse_retry_after("NaN", now), None);
    }

    #[test]
    fn server_waits_beyond_the_cap_become_the_cap() {
        let now = at(1_445_412_470);
        for hostile in [
            "301",
            "31536000",
            "18446744073709551615",
            "99999999999999999999999999",
            "1e300",
            "inf",
            "Fri, 31 Dec 9999 23:59:59 GMT",
        ] {
            assert_eq!(
                parse_retry_after(hostile, now),
                Some(MAX_RETRY_AFTER),
                "{hostile}"
            );
        }
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay(1, Some(Duration::MAX), 0.5), MAX_RETRY_AFTER);
        assert_eq!(later(now, Duration::MAX), now + MAX_RETRY_AFTER);
        let huge = RetryPolicy {
            initial_delay: Duration::MAX,
            max_delay: Duration::MAX,
            ..RetryPolicy::default()
        };
        assert_eq!(huge.backoff(3, 1.0), Duration::MAX);
        assert_eq!(scaled(Duration::from_secs(1), f64::NAN), Duration::ZERO);
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_with_bounded_jitter() {
        let policy = RetryPolicy {
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            jitter: 0.25,
            ..RetryPolicy::default()
        };
        let delays: Vec<_> = (1..=6).map(|n| policy.backoff(n, 0.0)).collect();
        assert_eq!(
            delays,
            [500, 1000, 2000, 4000, 8000, 8000].map(Duration::from_millis)
        );
        assert_eq!(policy.backoff(2, 0.999_999).as_millis(), 1249);
        assert_eq!(policy.backoff(100, 1.0), Duration::from_secs(10));
    }

    #[test]
    fn server_delay_wins_over_backoff() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(7)), 0.9),
            Duration::from_secs(7)
        );
        assert_eq!(policy.delay(1, Some(Duration::ZERO), 0.9), Duration::ZERO);
        assert_eq!(policy.delay(1, None, 0.0), Duration::from_millis(500));
    }

    #[test]
    fn budget_is_attempts_and_elapsed_time() {
        let policy = RetryPolicy {
            max_attempts: 3,
            max_elapsed: Duration::from_secs(60),
            ..RetryPolicy::default()
        };
        assert!(policy.allows(1, Duration::ZERO, Duration::from_secs(1)));
        assert!(!policy.allows(3, Duration::ZERO, Duration::from_secs(1)));
        assert!(!policy.allows(1, Duration::from_secs(55), Duration::from_secs(10)));
        assert!(!RetryPolicy::none().allows(1, Duration::ZERO, Duration::ZERO));
    }

    #[tokio::test]
    async fn virtual_clock_advances_without_waiting() {
        let clock = VirtualClock::new(at(100));
        clock.sleep(Duration::from_secs(30)).await;
        clock.sleep(Duration::from_secs(5)).await;
        assert_eq!(clock.now(), at(135));
        assert_eq!(
            clock.sleeps(),
            [Duration::from_secs(30), Duration::from_secs(5)]
        );
    }
}
