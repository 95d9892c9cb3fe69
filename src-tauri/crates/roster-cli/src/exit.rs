//! Exit codes (a contract with scripts) and the error type that carries one.

use roster_core::job::JobStatus;
use roster_jobs::{FailureKind, JobError, JobOutcome};
use std::fmt;

/// `roster`'s exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: done.
    Done = 0,
    /// 1: done, but some requested objects could not be read.
    RowErrors = 1,
    /// 2: bad input (flags, columns, files, output path).
    BadInput = 2,
    /// 3: sign-in or permission problem.
    Auth = 3,
    /// 4: Graph or network failure; resume the job later.
    Graph = 4,
    /// 5: stopped (cancelled or interrupted); resume the job.
    Stopped = 5,
}

impl Exit {
    /// The exit code for a failure class.
    pub fn of_failure(kind: FailureKind) -> Self {
        match kind {
            FailureKind::Input | FailureKind::Io => Self::BadInput,
            FailureKind::Auth => Self::Auth,
            FailureKind::Graph | FailureKind::Internal => Self::Graph,
            FailureKind::Cancelled => Self::Stopped,
        }
    }

    /// The exit code for how a job ended.
    pub fn of_outcome(outcome: &JobOutcome) -> Self {
        match outcome.status {
            JobStatus::Completed => Self::Done,
            JobStatus::CompletedWithErrors => Self::RowErrors,
            JobStatus::Cancelled | JobStatus::Interrupted => Self::Stopped,
            JobStatus::Queued | JobStatus::Running => Self::Graph,
            JobStatus::Failed => Self::of_failure(outcome.failure.unwrap_or(FailureKind::Graph)),
        }
    }
}

/// A failure to report: what is wrong (and what to do), and the exit code.
#[derive(Debug)]
pub struct Failure {
    /// The exit code.
    pub exit: Exit,
    /// The message for people.
    pub message: String,
}

impl Failure {
    /// A failure with an exit code.
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Self {
            exit,
            message: message.into(),
        }
    }

    /// Bad input.
    pub fn input(message: impl Into<String>) -> Self {
        Self::new(Exit::BadInput, message)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<JobError> for Failure {
    fn from(e: JobError) -> Self {
        Self::new(Exit::of_failure(e.failure_kind()), e.to_string())
    }
}

impl From<roster_store::StoreError> for Failure {
    fn from(e: roster_store::StoreError) -> Self {
        Self::input(e.to_string())
    }
}

impl From<roster_app::AppError> for Failure {
    /// The API's error codes as exit codes.
    fn from(e: roster_app::AppError) -> Self {
        use roster_app::ErrorCode;
        let exit = match e.code {
            ErrorCode::Validation
            | ErrorCode::NotFound
            | ErrorCode::Refused
            | ErrorCode::Io
            | ErrorCode::NotAvailable => Exit::BadInput,
            ErrorCode::Unauthenticated | ErrorCode::Forbidden | ErrorCode::SignInAgain => {
                Exit::Auth
            }
            ErrorCode::Throttled | ErrorCode::Network | ErrorCode::Internal => Exit::Graph,
            ErrorCode::Cancelled => Exit::Stopped,
        };
        Self::new(exit, e.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_documented_numbers() {
        assert_eq!(Exit::Done as i32, 0);
        assert_eq!(Exit::RowErrors as i32, 1);
        assert_eq!(Exit::of_failure(FailureKind::Input) as i32, 2);
        assert_eq!(Exit::of_failure(FailureKind::Auth) as i32, 3);
        assert_eq!(Exit::of_failure(FailureKind::Graph) as i32, 4);
        assert_eq!(Exit::of_failure(FailureKind::Cancelled) as i32, 5);
    }
}
