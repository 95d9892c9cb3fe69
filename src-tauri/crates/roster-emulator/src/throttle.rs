//! Graph's identity and access service limits (graph-api.md §8.3): a resource-unit token bucket per
//! application and tenant (3,500 / 5,000 / 8,000 RU per 10 s by tenant size) and a write bucket
//! (3,000 requests per 150 s). The clock is injectable so tests can move time instead of sleeping.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use parking_lot::Mutex;

use crate::config::ThrottleMode;

/// A monotonic clock in milliseconds.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// Milliseconds since an arbitrary start.
    fn now_ms(&self) -> u64;
}

/// The real clock.
#[derive(Debug)]
pub struct SystemClock(std::time::Instant);

impl Default for SystemClock {
    fn default() -> Self {
        Self(std::time::Instant::now())
    }
}

impl Clock for SystemClock {
    fn now_ms(&self) -> u64 {
        self.0.elapsed().as_millis() as u64
    }
}

/// A clock that only moves when told to (tests).
#[derive(Debug, Default)]
pub struct ManualClock(AtomicU64);

impl ManualClock {
    /// Moves the clock forward by `ms`.
    pub fn advance(&self, ms: u64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// What a request costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cost {
    /// Resource units.
    pub resource_units: u32,
    /// Whether it is a write (POST/PATCH/PUT/DELETE).
    pub write: bool,
}

/// The outcome of charging a request.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Go ahead; `limit_percentage` is set once more than 80 % of a limit is used.
    Allowed {
        /// Value for `x-ms-throttle-limit-percentage`, e.g. `0.9`.
        limit_percentage: Option<f64>,
    },
    /// Answer 429.
    Throttled {
        /// Seconds for `Retry-After`.
        retry_after: u64,
        /// Value for `x-ms-throttle-scope`.
        scope: String,
        /// Value for `x-ms-throttle-information`.
        information: &'static str,
    },
}

const RU_WINDOW_MS: f64 = 10_000.0;
const WRITE_WINDOW_MS: f64 = 150_000.0;
const WRITE_QUOTA: f64 = 3_000.0;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated_ms: u64,
}

impl Bucket {
    fn refill(&mut self, now: u64, capacity: f64, window_ms: f64) {
        let elapsed = now.saturating_sub(self.updated_ms) as f64;
        self.tokens = (self.tokens + elapsed * capacity / window_ms).min(capacity);
        self.updated_ms = now;
    }
}

/// The service limits of one tenant.
#[derive(Debug)]
pub struct Throttle {
    mode: Mutex<ThrottleMode>,
    ru_quota: f64,
    tenant_id: String,
    clock: Arc<dyn Clock>,
    buckets: Mutex<HashMap<String, (Bucket, Bucket)>>,
}

impl Throttle {
    /// Limits for a tenant of `users` users (S < 50: 3,500 RU; M ≤ 500: 5,000 RU; L: 8,000 RU per 10 s).
    pub fn new(mode: ThrottleMode, users: usize, tenant_id: &str, clock: Arc<dyn Clock>) -> Self {
        let ru_quota = match users {
            0..50 => 3_500.0,
            50..=500 => 5_000.0,
            _ => 8_000.0,
        };
        Self {
            mode: Mutex::new(mode),
            ru_quota,
            tenant_id: tenant_id.to_owned(),
            clock,
            buckets: Mutex::default(),
        }
    }

    /// The resource-unit quota per 10 s.
    pub fn ru_quota(&self) -> u32 {
        self.ru_quota as u32
    }

    /// Turns throttling on or off.
    pub fn set_mode(&self, mode: ThrottleMode) {
        *self.mode.lock() = mode;
    }

    /// Charges `cost` to `app_id`'s buckets in this tenant.
    pub fn charge(&self, app_id: &str, cost: Cost) -> Decision {
        if *self.mode.lock() == ThrottleMode::Off {
            return Decision::Allowed {
                limit_percentage: None,
            };
        }
        let now = self.clock.now_ms();
        let mut buckets = self.buckets.lock();
        let (ru, writes) = buckets.entry(app_id.to_owned()).or_insert((
            Bucket {
                tokens: self.ru_quota,
                updated_ms: now,
            },
            Bucket {
                tokens: WRITE_QUOTA,
                updated_ms: now,
            },
        ));
        ru.refill(now, self.ru_quota, RU_WINDOW_MS);
        writes.refill(now, WRITE_QUOTA, WRITE_WINDOW_MS);
        let need = f64::from(cost.resource_units);
        if ru.tokens < need {
            let missing = need - ru.tokens;
            return Decision::Throttled {
                retry_after: seconds_until(missing, self.ru_quota, RU_WINDOW_MS),
                scope: self.scope(cost.write, app_id),
                information: "ResourceUnitLimitExceeded",
            };
        }
        if cost.write && writes.tokens < 1.0 {
            return Decision::Throttled {
                retry_after: seconds_until(1.0 - writes.tokens, WRITE_QUOTA, WRITE_WINDOW_MS),
                scope: self.scope(true, app_id),
                information: "WriteLimitExceeded",
            };
        }
        ru.tokens -= need;
        if cost.write {
            writes.tokens -= 1.0;
        }
        let used_ru = 1.0 - ru.tokens / self.ru_quota;
        let used_writes = if cost.write {
            1.0 - writes.tokens / WRITE_QUOTA
        } else {
            0.0
        };
        let used = used_ru.max(used_writes);
        Decision::Allowed {
            limit_percentage: (used > 0.8).then(|| (used * 10.0).round() / 10.0),
        }
    }

    fn scope(&self, write: bool, app_id: &str) -> String {
        let kind = if write { "Write" } else { "ReadWrite" };
        format!("Tenant_Application/{kind}/{app_id}/{}", self.tenant_id)
    }
}

fn seconds_until(missing: f64, capacity: f64, window_ms: f64) -> u64 {
    let ms = missing * window_ms / capacity;
    ((ms / 1000.0).ceil() as u64).max(1)
}

/// The resource units Graph charges for a request (graph-api.md §8.3 table plus modifiers).
pub fn cost_of(
    method: &str,
    path: &[String],
    has_select: bool,
    has_expand: bool,
    top: Option<usize>,
) -> Cost {
    let seg = |i: usize| path.get(i).map(String::as_str).unwrap_or_default();
    if seg(0) == "directoryObjects" && seg(1).ends_with("getByIds") {
        let resource_units = if has_select { 2 } else { 5 };
        return Cost {
            resource_units,
            write: false,
        };
    }
    let write = !method.eq_ignore_ascii_case("GET");
    let base: i64 = match (seg(0), path.len()) {
        _ if write => 1,
        ("users", 1) => 2,
        ("subscribedSkus", 1) => 3,
        ("groups", 3) | ("groups", 4) if seg(2) == "members" => 3,
        ("groups", 3) | ("groups", 4) if seg(2) == "transitiveMembers" => 5,
        ("me", _) if matches!(seg(1), "ownedObjects" | "memberOf" | "transitiveMemberOf") => 2,
        ("users", 3) | ("users", 4) if seg(2) == "ownedObjects" => 2,
        ("users", 3) | ("users", 4) if matches!(seg(2), "memberOf" | "transitiveMemberOf") => 2,
        _ => 1,
    };
    let mut ru = base;
    if has_select {
        ru -= 1;
    }
    if has_expand {
        ru += 1;
    }
    if top.is_some_and(|t| t < 20) {
        ru -= 1;
    }
    Cost {
        resource_units: ru.max(1) as u32,
        write,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &str) -> Vec<String> {
        p.split('/').map(str::to_owned).collect()
    }

    #[test]
    fn costs_follow_the_documented_table() {
        assert_eq!(
            cost_of("GET", &path("subscribedSkus"), false, false, None).resource_units,
            3
        );
        assert_eq!(
            cost_of("GET", &path("users"), false, false, None).resource_units,
            2
        );
        assert_eq!(
            cost_of("GET", &path("users"), true, false, None).resource_units,
            1
        );
        assert_eq!(
            cost_of("GET", &path("groups/x/members"), false, false, Some(999)).resource_units,
            3
        );
        assert_eq!(
            cost_of(
                "GET",
                &path("groups/x/transitiveMembers"),
                false,
                true,
                None
            )
            .resource_units,
            6
        );
        assert_eq!(
            cost_of(
                "POST",
                &path("directoryObjects/getByIds"),
                true,
                false,
                None
            )
            .resource_units,
            2
        );
        assert_eq!(
            cost_of("GET", &path("groups"), false, false, Some(5)).resource_units,
            1
        );
        let write = cost_of("POST", &path("groups/x/members/$ref"), false, false, None);
        assert_eq!(
            write,
            Cost {
                resource_units: 1,
                write: true
            }
        );
    }

    #[test]
    fn bucket_empties_refills_and_reports_usage() {
        let clock = Arc::new(ManualClock::default());
        let t = Throttle::new(ThrottleMode::Graph, 10, "tid", clock.clone());
        assert_eq!(t.ru_quota(), 3_500);
        let cost = Cost {
            resource_units: 5,
            write: false,
        };
        let mut allowed = 0;
        let mut last_pct = None;
        loop {
            match t.charge("app", cost) {
                Decision::Allowed { limit_percentage } => {
                    allowed += 1;
                    last_pct = limit_percentage;
                }
                Decision::Throttled {
                    retry_after,
                    scope,
                    information,
                } => {
                    assert_eq!(retry_after, 1);
                    assert_eq!(scope, "Tenant_Application/ReadWrite/app/tid");
                    assert_eq!(information, "ResourceUnitLimitExceeded");
                    break;
                }
            }
        }
        assert_eq!(allowed, 700);
        assert_eq!(last_pct, Some(1.0));
        assert!(matches!(
            t.charge("other-app", cost),
            Decision::Allowed {
                limit_percentage: None
            }
        ));
        clock.advance(1_000);
        assert!(matches!(t.charge("app", cost), Decision::Allowed { .. }));
    }

    #[test]
    fn write_bucket_limits_writes_only() {
        let clock = Arc::new(ManualClock::default());
        let t = Throttle::new(ThrottleMode::Graph, 1000, "tid", clock);
        let write = Cost {
            resource_units: 1,
            write: true,
        };
        for _ in 0..3_000 {
            assert!(matches!(t.charge("app", write), Decision::Allowed { .. }));
        }
        let Decision::Throttled {
            information,
            retry_after,
            ..
        } = t.charge("app", write)
        else {
            panic!("the 3,001st write in 150 s must be throttled");
        };
        assert_eq!(information, "WriteLimitExceeded");
        assert!(retry_after >= 1);
        assert!(matches!(
            t.charge(
                "app",
                Cost {
                    resource_units: 1,
                    write: false
                }
            ),
            Decision::Allowed { .. }
        ));
        t.set_mode(ThrottleMode::Off);
        assert!(matches!(
            t.charge("app", write),
            Decision::Allowed {
                limit_percentage: None
            }
        ));
    }
}
