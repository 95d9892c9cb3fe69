//! Job events for subscribers (the CLI's progress bar, the desktop app's Tauri channel):
//! status changes, notices, and progress coalesced to at most a few updates per second per job.

use roster_core::job::{JobId, JobStatus};
use roster_core::text::Text;
use serde::Serialize;
use std::time::{Duration, Instant};

/// Progress of one running job.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// The job.
    pub id: JobId,
    /// Rows written so far (header excluded), across runs.
    pub items: u64,
    /// Graph pages (or batches) processed so far, across runs.
    pub pages: u64,
    /// Rows expected, when Graph said (`$count`) or the input is a list.
    pub total: Option<u64>,
    /// Rows per second in this run.
    pub rate: f64,
    /// Seconds left at the current rate, when the total is known.
    pub eta_secs: Option<u64>,
    /// Objects that could not be read (unknown ids, groups gone, refused auth methods).
    pub warnings: u64,
    /// Bytes of the CSV file so far.
    pub bytes: u64,
}

/// Something that happened to a job.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum JobEvent {
    /// The job moved to a new status; `error` says why when it failed or stopped.
    Status {
        /// The job.
        id: JobId,
        /// The new status.
        status: JobStatus,
        /// Why, in plain words, for failed, cancelled, interrupted and completed-with-errors.
        error: Option<String>,
    },
    /// A message to show before or during the run (e.g. the cost of auth-method columns).
    Notice {
        /// The job.
        id: JobId,
        /// The message, as a code with parameters (its English sentence when serialised).
        #[serde(with = "roster_core::text::as_english")]
        message: Text,
    },
    /// Progress (coalesced).
    Progress(Progress),
}

impl JobEvent {
    /// The job the event is about.
    pub fn job_id(&self) -> JobId {
        match self {
            Self::Status { id, .. } | Self::Notice { id, .. } => *id,
            Self::Progress(p) => p.id,
        }
    }
}

/// Decides when a progress update may go out: at most one per `interval`, the first at once.
#[derive(Debug, Clone)]
pub struct Coalescer {
    interval: Duration,
    last: Option<Instant>,
}

impl Coalescer {
    /// A coalescer letting one update through per `interval` (250 ms gives ≤ 4/s).
    pub fn new(interval: Duration) -> Self {
        Self {
            interval,
            last: None,
        }
    }

    /// Whether an update at `now` may be sent; records it when so.
    pub fn admit(&mut self, now: Instant) -> bool {
        match self.last {
            Some(last) if now.saturating_duration_since(last) < self.interval => false,
            _ => {
                self.last = Some(now);
                true
            }
        }
    }
}

/// Rate and ETA from rows done in this run over `elapsed`.
pub(crate) fn rate_and_eta(
    done_this_run: u64,
    elapsed: Duration,
    items: u64,
    total: Option<u64>,
) -> (f64, Option<u64>) {
    let secs = elapsed.as_secs_f64();
    let rate = if secs > 0.0 {
        done_this_run as f64 / secs
    } else {
        0.0
    };
    let eta = total.and_then(|t| {
        let left = t.saturating_sub(items);
        (rate > 0.0).then(|| (left as f64 / rate).ceil() as u64)
    });
    (rate, eta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coalescer_lets_four_per_second_through() {
        let mut c = Coalescer::new(Duration::from_millis(250));
        let start = Instant::now();
        let admitted = (0..100)
            .filter(|i| c.admit(start + Duration::from_millis(i * 10)))
            .count();
        // 0..990 ms in 10 ms steps: admitted at 0, 250, 500, 750.
        assert_eq!(admitted, 4);
    }

    #[test]
    fn rate_and_eta_follow_the_counts() {
        let (rate, eta) = rate_and_eta(500, Duration::from_secs(2), 1500, Some(2500));
        assert!((rate - 250.0).abs() < f64::EPSILON);
        assert_eq!(eta, Some(4));
        assert_eq!(rate_and_eta(0, Duration::ZERO, 0, Some(10)), (0.0, None));
    }

    #[test]
    fn events_serialise_with_a_type_tag() {
        let id = JobId::new();
        let e = JobEvent::Status {
            id,
            status: JobStatus::Running,
            error: None,
        };
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["type"], "status");
        assert_eq!(v["status"], "running");
        assert_eq!(e.job_id(), id);
    }
}
