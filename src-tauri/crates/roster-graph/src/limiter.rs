//! A shared, adaptive budget for concurrent Graph requests.
//!
//! Graph throttles per app and tenant with a token bucket of resource units, and tells clients how close
//! they are: `x-ms-throttle-limit-percentage` (from 0.8; 1.0 = at the limit) and `x-ms-resource-unit`
//! on every response, `429` + `Retry-After` past it. The limiter reads those from every response and
//! adapts two knobs: how many requests may be in flight (additive increase, multiplicative decrease) and
//! a minimum spacing between request starts (grows under pressure, decays when it goes away). A 429 also
//! pauses every new request until its `Retry-After` has passed, since the other streams share the bucket.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;
use tokio::sync::Notify;

use crate::retry::{Clock, MAX_RETRY_AFTER, SystemClock, later, scaled};

/// Bounds and starting point of a [`ConcurrencyLimiter`].
#[derive(Debug, Clone, PartialEq)]
pub struct LimiterConfig {
    /// Requests in flight at the start.
    pub initial: usize,
    /// Never fewer than this in flight.
    pub min: usize,
    /// Never more than this in flight.
    pub max: usize,
    /// Minimum time between two decreases, so a burst of answers to one overload counts once.
    pub cooldown: Duration,
    /// The largest spacing between request starts the limiter imposes under pressure.
    pub max_interval: Duration,
}

impl Default for LimiterConfig {
    fn default() -> Self {
        Self {
            initial: 8,
            min: 1,
            max: 64,
            cooldown: Duration::from_millis(500),
            max_interval: Duration::from_secs(2),
        }
    }
}

/// A snapshot of what the limiter has seen, for progress displays and benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LimiterStats {
    /// Current in-flight limit.
    pub limit: usize,
    /// Requests in flight now.
    pub in_flight: usize,
    /// Current minimum spacing between request starts.
    pub interval: Duration,
    /// Responses observed.
    pub responses: u64,
    /// Of those, 429s.
    pub throttled: u64,
    /// Sum of `x-ms-resource-unit` over all responses.
    pub resource_units: u64,
    /// The last `x-ms-throttle-limit-percentage` seen.
    pub last_limit_percentage: Option<f64>,
}

#[derive(Debug)]
struct State {
    limit: f64,
    interval: Duration,
    in_flight: usize,
    paused_until: Option<SystemTime>,
    next_start: Option<SystemTime>,
    last_decrease: Option<SystemTime>,
    stats: LimiterStats,
}

#[derive(Debug)]
struct Inner {
    config: LimiterConfig,
    clock: Arc<dyn Clock>,
    state: Mutex<State>,
    notify: Notify,
}

/// The shared request budget. Clone it to share: every [`GraphClient`](crate::GraphClient) built with
/// the same limiter (and every pager of one client) draws from one budget.
#[derive(Debug, Clone)]
pub struct ConcurrencyLimiter {
    inner: Arc<Inner>,
}

/// Permission to have one request in flight; dropping it frees the slot.
#[derive(Debug)]
pub struct Permit {
    inner: Arc<Inner>,
}

impl Drop for Permit {
    fn drop(&mut self) {
        if let Ok(mut state) = self.inner.state.lock() {
            state.in_flight = state.in_flight.saturating_sub(1);
        }
        self.inner.notify.notify_one();
    }
}

impl Default for ConcurrencyLimiter {
    fn default() -> Self {
        Self::new(LimiterConfig::default())
    }
}

impl ConcurrencyLimiter {
    /// A limiter on the real clock.
    pub fn new(config: LimiterConfig) -> Self {
        Self::with_clock(config, Arc::new(SystemClock))
    }

    /// A limiter on the given clock (tests use a [`VirtualClock`](crate::VirtualClock)).
    pub fn with_clock(config: LimiterConfig, clock: Arc<dyn Clock>) -> Self {
        let min = config.min.max(1);
        let max = config.max.max(min);
        let config = LimiterConfig {
            min,
            max,
            initial: config.initial.clamp(min, max),
            ..config
        };
        let state = State {
            limit: config.initial as f64,
            interval: Duration::ZERO,
            in_flight: 0,
            paused_until: None,
            next_start: None,
            last_decrease: None,
            stats: LimiterStats::default(),
        };
        Self {
            inner: Arc::new(Inner {
                config,
                clock,
                state: Mutex::new(state),
                notify: Notify::new(),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.inner
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Waits for a free slot (and for any throttling pause or start spacing), then takes it.
    pub async fn acquire(&self) -> Permit {
        loop {
            let notified = self.inner.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let wait = {
                let mut state = self.lock();
                let now = self.inner.clock.now();
                let not_before = [state.paused_until, state.next_start]
                    .into_iter()
                    .flatten()
                    .max();
                match not_before
                    .and_then(|t| t.duration_since(now).ok())
                    .filter(|d| !d.is_zero())
                {
                    Some(wait) => Some(wait),
                    None if state.in_flight < state.limit.floor() as usize => {
                        state.in_flight += 1;
                        state.next_start =
                            (!state.interval.is_zero()).then(|| later(now, state.interval));
                        return Permit {
                            inner: Arc::clone(&self.inner),
                        };
                    }
                    None => None,
                }
            };
            match wait {
                Some(wait) => self.inner.clock.sleep(wait).await,
                None => notified.await,
            }
        }
    }

    /// Feeds one response (status, headers, and the `Retry-After` already parsed from them) into the
    /// budget. A pause is never longer than [`MAX_RETRY_AFTER`], whatever the server said.
    pub fn observe(&self, status: u16, headers: &HeaderMap, retry_after: Option<Duration>) {
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
        };
        let percentage =
            header("x-ms-throttle-limit-percentage").and_then(|v| v.parse::<f64>().ok());
        let units = header("x-ms-resource-unit").and_then(|v| v.parse::<u64>().ok());
        self.record(status, percentage, units, retry_after);
    }

    /// The budget logic behind [`observe`](Self::observe), on parsed values.
    pub fn record(
        &self,
        status: u16,
        percentage: Option<f64>,
        units: Option<u64>,
        retry_after: Option<Duration>,
    ) {
        let config = &self.inner.config;
        let now = self.inner.clock.now();
        let mut grew = false;
        {
            let mut state = self.lock();
            state.stats.responses += 1;
            state.stats.resource_units += units.unwrap_or(0);
            if percentage.is_some() {
                state.stats.last_limit_percentage = percentage;
            }
            let can_decrease = state
                .last_decrease
                .and_then(|t| now.duration_since(t).ok())
                .is_none_or(|since| since >= config.cooldown);
            let pressure = percentage.unwrap_or(0.0);
            if status == 429 {
                state.stats.throttled += 1;
                let wait = retry_after
                    .unwrap_or(Duration::from_secs(1))
                    .min(MAX_RETRY_AFTER);
                let until = later(now, wait);
                state.paused_until = Some(state.paused_until.map_or(until, |t| t.max(until)));
                if can_decrease {
                    state.limit = (state.limit * 0.5).max(config.min as f64);
                    state.interval = (state.interval.saturating_mul(2))
                        .max(Duration::from_millis(5))
                        .min(config.max_interval);
                    state.last_decrease = Some(now);
                }
            } else if pressure >= 0.9 {
                if can_decrease {
                    let factor = if pressure >= 1.0 { 0.6 } else { 0.85 };
                    state.limit = (state.limit * factor).max(config.min as f64);
                    let grow = if pressure >= 1.0 { 2.0 } else { 1.3 };
                    state.interval = scaled(state.interval, grow)
                        .max(Duration::from_millis(1))
                        .min(config.max_interval);
                    state.last_decrease = Some(now);
                }
            } else if (200..300).contains(&status) && pressure < 0.8 {
                let limit = state.limit;
                state.limit = (limit + 1.0 / limit).min(config.max as f64);
                state.interval = scaled(state.interval, 0.97);
                if state.interval < Duration::from_micros(100) {
                    state.interval = Duration::ZERO;
                }
                grew = state.limit.floor() > limit.floor();
            }
        }
        if grew {
            self.inner.notify.notify_waiters();
        }
    }

    /// What the limiter has seen so far and its current setting.
    pub fn stats(&self) -> LimiterStats {
        let state = self.lock();
        LimiterStats {
            limit: state.limit.floor() as usize,
            in_flight: state.in_flight,
            interval: state.interval,
            ..state.stats
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::retry::VirtualClock;

    fn limiter(initial: usize, max: usize) -> (ConcurrencyLimiter, Arc<VirtualClock>) {
        let clock = Arc::new(VirtualClock::default());
        let config = LimiterConfig {
            initial,
            min: 1,
            max,
            ..LimiterConfig::default()
        };
        (ConcurrencyLimiter::with_clock(config, clock.clone()), clock)
    }

    #[tokio::test]
    async fn permits_are_bounded_by_the_limit_and_released_on_drop() {
        let (limiter, _) = limiter(2, 8);
        let a = limiter.acquire().await;
        let _b = limiter.acquire().await;
        assert_eq!(limiter.stats().in_flight, 2);
        let waiter = tokio::spawn({
            let limiter = limiter.clone();
            async move { limiter.acquire().await }
        });
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished());
        drop(a);
        let _c = waiter.await.unwrap();
        assert_eq!(limiter.stats().in_flight, 2);
    }

    #[tokio::test]
    async fn successes_grow_the_limit_additively() {
        let (limiter, _) = limiter(4, 6);
        for _ in 0..4 {
            limiter.record(200, None, Some(1), None);
        }
        assert_eq!(
            limiter.stats().limit,
            4,
            "about +1 per limit's worth of successes"
        );
        limiter.record(200, None, Some(1), None);
        assert_eq!(limiter.stats().limit, 5);
        for _ in 0..100 {
            limiter.record(200, None, Some(1), None);
        }
        assert_eq!(limiter.stats().limit, 6);
        assert_eq!(limiter.stats().resource_units, 105);
    }

    #[tokio::test]
    async fn a_429_halves_once_per_cooldown_and_pauses_new_requests() {
        let (limiter, clock) = limiter(16, 64);
        let start = clock.now();
        for _ in 0..5 {
            limiter.record(429, None, None, Some(Duration::from_secs(3)));
        }
        let stats = limiter.stats();
        assert_eq!((stats.limit, stats.throttled), (8, 5));
        let _permit = limiter.acquire().await;
        assert_eq!(
            clock.now().duration_since(start).unwrap(),
            Duration::from_secs(3)
        );
        limiter.record(429, None, None, Some(Duration::ZERO));
        assert_eq!(limiter.stats().limit, 4);
    }

    #[tokio::test]
    async fn limit_percentage_slows_down_before_any_429() {
        let (limiter, clock) = limiter(20, 64);
        limiter.record(200, Some(0.85), Some(2), None);
        assert_eq!(limiter.stats().limit, 20, "0.8..0.9 holds steady");
        limiter.record(200, Some(0.95), Some(2), None);
        assert_eq!(limiter.stats().limit, 17);
        clock.sleep(Duration::from_secs(1)).await;
        limiter.record(200, Some(1.1), Some(2), None);
        let stats = limiter.stats();
        assert_eq!(stats.limit, 10);
        assert!(stats.interval >= Duration::from_millis(2));
        assert_eq!(stats.last_limit_percentage, Some(1.1));
    }

    #[tokio::test]
    async fn a_pause_from_the_server_is_capped_and_never_overflows_the_clock() {
        let (limiter, clock) = limiter(4, 8);
        let start = clock.now();
        limiter.record(429, None, None, Some(Duration::MAX));
        let _permit = limiter.acquire().await;
        assert_eq!(clock.now().duration_since(start).unwrap(), MAX_RETRY_AFTER);
    }

    #[tokio::test]
    async fn spacing_decays_when_pressure_goes_away() {
        let (limiter, _) = limiter(4, 8);
        limiter.record(429, None, None, Some(Duration::ZERO));
        assert!(limiter.stats().interval > Duration::ZERO);
        for _ in 0..500 {
            limiter.record(200, None, None, None);
        }
        assert_eq!(limiter.stats().interval, Duration::ZERO);
        assert_eq!(limiter.stats().limit, 8);
    }
}
