//! Where a job is in its life, and which moves between states are allowed.
//!
//! ```text
//! queued ──► running ──► completed | completed_with_errors | failed | cancelled | interrupted
//!   │            ▲                                              │                     │
//!   │            └──────────── resume ──────────────────────────┴─────────────────────┘
//!   └──► cancelled | failed
//! interrupted | failed ──► cancelled ──► running (resume)
//! ```
//!
//! `completed` and `completed_with_errors` are terminal: nothing leaves them. `failed`,
//! `interrupted` and `cancelled` keep their partial file and checkpoint, so they can be resumed
//! (→ `running`); `failed` and `interrupted` can also be given up (→ `cancelled`). Deleting a
//! job (with its files) is how a cancelled download is thrown away.
//! `completed_with_errors` is the "completed with warnings" state of a download: the file is
//! complete, but some requested objects could not be read (unknown ids, a group that vanished,
//! authentication methods Graph refused); the job's counts and error text say which.

use super::{UnknownName, names};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// Waiting to run.
    Queued,
    /// Running now.
    Running,
    /// Finished, every row or object succeeded.
    Completed,
    /// Finished, some rows failed or some requested objects could not be read.
    CompletedWithErrors,
    /// Stopped by an error before finishing; can be resumed.
    Failed,
    /// Stopped by the user.
    Cancelled,
    /// Was running when the app stopped (crash, power loss, Ctrl-C); can be resumed.
    Interrupted,
}

names!(JobStatus, "job status",
    Queued => "queued",
    Running => "running",
    Completed => "completed",
    CompletedWithErrors => "completed_with_errors",
    Failed => "failed",
    Cancelled => "cancelled",
    Interrupted => "interrupted",
);

/// A move between two states that the state machine does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", transition_message(*from, *to))]
pub struct TransitionError {
    /// The state the job is in.
    pub from: JobStatus,
    /// The state asked for.
    pub to: JobStatus,
}

fn transition_message(from: JobStatus, to: JobStatus) -> String {
    let hint = match (from, to) {
        (JobStatus::Running, JobStatus::Running) => "it is already running",
        (f, JobStatus::Running) if f.is_terminal() => {
            "it has already ended; start a new job instead"
        }
        (JobStatus::Queued, JobStatus::Interrupted) => "it never started",
        (f, _) if f.is_terminal() => "it has already ended",
        _ => "that move is not part of a job's life",
    };
    format!("a job that is {from} cannot become {to}: {hint}")
}

impl JobStatus {
    /// Every status, in life order.
    pub const ALL: [JobStatus; 7] = [
        Self::Queued,
        Self::Running,
        Self::Completed,
        Self::CompletedWithErrors,
        Self::Failed,
        Self::Cancelled,
        Self::Interrupted,
    ];

    /// True once the job can no longer change by itself (completed, failed or cancelled).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Completed | Self::CompletedWithErrors | Self::Failed | Self::Cancelled
        )
    }

    /// True when no move leaves this state (completed, completed with errors).
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Completed | Self::CompletedWithErrors)
    }

    /// True when the job can be resumed from its last checkpoint (failed, interrupted or
    /// cancelled).
    pub fn is_resumable(self) -> bool {
        matches!(self, Self::Failed | Self::Interrupted | Self::Cancelled)
    }

    /// True while the job is waiting or running.
    pub fn is_active(self) -> bool {
        matches!(self, Self::Queued | Self::Running)
    }

    /// Whether the state machine allows moving from `self` to `next`.
    pub fn can_become(self, next: JobStatus) -> bool {
        use JobStatus::*;
        match self {
            Queued => matches!(next, Running | Cancelled | Failed),
            Running => matches!(
                next,
                Completed | CompletedWithErrors | Failed | Cancelled | Interrupted
            ),
            Failed | Interrupted => matches!(next, Queued | Running | Cancelled),
            // A cancelled job goes on only through the queue: a cancel that lands while a job waits
            // for a slot is never overwritten by the job starting.
            Cancelled => next == Queued,
            Completed | CompletedWithErrors => false,
        }
    }

    /// `next` when the move is allowed, else a [`TransitionError`] saying why not.
    pub fn transition(self, next: JobStatus) -> Result<JobStatus, TransitionError> {
        if self.can_become(next) {
            Ok(next)
        } else {
            Err(TransitionError {
                from: self,
                to: next,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::JobStatus::{self, *};

    #[test]
    fn the_happy_path_and_resume_are_allowed() {
        assert_eq!(Queued.transition(Running), Ok(Running));
        for end in [
            Completed,
            CompletedWithErrors,
            Failed,
            Cancelled,
            Interrupted,
        ] {
            assert!(Running.can_become(end), "running -> {end}");
        }
        assert_eq!(Interrupted.transition(Running), Ok(Running));
        assert_eq!(Failed.transition(Running), Ok(Running));
        assert!(Interrupted.can_become(Cancelled));
        assert!(Queued.can_become(Cancelled));
    }

    #[test]
    fn terminal_states_have_no_way_out() {
        for from in [Completed, CompletedWithErrors] {
            assert!(from.is_terminal());
            for to in JobStatus::ALL {
                let err = from.transition(to).unwrap_err();
                assert_eq!((err.from, err.to), (from, to));
                assert!(err.to_string().contains("ended"), "{err}");
            }
        }
        for from in [Queued, Running, Failed, Interrupted, Cancelled] {
            assert!(!from.is_terminal());
        }
        assert_eq!(Cancelled.transition(Queued), Ok(Queued));
        assert!(
            Cancelled.transition(Running).is_err(),
            "a cancelled job starts again only through the queue"
        );
        assert!(Cancelled.transition(Completed).is_err());
    }

    #[test]
    fn disallowed_moves_explain_themselves() {
        let err = Running.transition(Running).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a job that is running cannot become running: it is already running"
        );
        assert!(
            Queued
                .transition(Interrupted)
                .unwrap_err()
                .to_string()
                .contains("never started")
        );
        assert!(Queued.transition(Completed).is_err());
        assert!(Interrupted.transition(Completed).is_err());
        assert!(Failed.transition(Interrupted).is_err());
    }

    #[test]
    fn the_whole_table_matches_the_helpers() {
        let mut allowed = 0;
        for from in JobStatus::ALL {
            for to in JobStatus::ALL {
                if from.can_become(to) {
                    allowed += 1;
                    assert!(!from.is_terminal());
                    if to == Running {
                        assert!(from == Queued || from.is_resumable());
                    }
                }
            }
        }
        // queued 3, running 5, failed 3, interrupted 3, cancelled 1 (only back to the queue).
        assert_eq!(allowed, 3 + 5 + 3 + 3 + 1);
        assert!(Failed.is_resumable() && Interrupted.is_resumable() && Cancelled.is_resumable());
        assert!(!Completed.is_resumable());
        assert!(Queued.is_active() && Running.is_active() && !Failed.is_active());
    }
}
