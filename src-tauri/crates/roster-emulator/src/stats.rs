//! Counters of what the emulator served (requests by route and status, 429s, injected faults, items,
//! writes), kept for benchmarks and tests: `Emulator::stats` and `GET /_emulator/stats` with the
//! `harness` feature.

use std::collections::BTreeMap;

use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

/// Counters since start-up.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    /// Graph requests served (batch items count separately).
    pub requests_total: u64,
    /// Graph requests by route (`GET /users`, `GET /groups/{id}/members`, ...).
    pub requests_by_route: BTreeMap<String, u64>,
    /// Responses by HTTP status.
    pub responses_by_status: BTreeMap<u16, u64>,
    /// 429 responses sent (throttling and injected).
    pub throttled: u64,
    /// Injected faults (429, 503, 504, resets).
    pub faults_injected: u64,
    /// Directory objects returned.
    pub items_served: u64,
    /// Membership changes applied.
    pub writes_applied: u64,
}

/// Collects [`Stats`] from concurrent requests.
#[derive(Debug, Default)]
pub struct StatsCollector(Mutex<Stats>);

impl StatsCollector {
    /// Records one served request.
    pub fn record(&self, route: &str, status: u16, items: usize) {
        let mut s = self.0.lock();
        s.requests_total += 1;
        *s.requests_by_route.entry(route.to_owned()).or_default() += 1;
        *s.responses_by_status.entry(status).or_default() += 1;
        if status == 429 {
            s.throttled += 1;
        }
        s.items_served += items as u64;
    }

    /// Records an injected fault.
    pub fn fault(&self, status: Option<u16>) {
        let mut s = self.0.lock();
        s.faults_injected += 1;
        if let Some(status) = status {
            *s.responses_by_status.entry(status).or_default() += 1;
            if status == 429 {
                s.throttled += 1;
            }
        }
    }

    /// Records applied membership changes.
    pub fn writes(&self, n: u64) {
        self.0.lock().writes_applied += n;
    }

    /// A snapshot.
    pub fn snapshot(&self) -> Stats {
        self.0.lock().clone()
    }
}
