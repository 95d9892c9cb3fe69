//! Why a job could not run or stopped, in words for the person running it.

use roster_core::columns::ColumnError;
use roster_core::job::{JobId, TransitionError};
use roster_csv::WriteError;
use roster_graph::{ErrorKind, GraphError};
use roster_store::StoreError;

/// A job runner error.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Graph refused or failed a request (the message carries Graph's advice).
    #[error("{0}")]
    Graph(#[from] GraphError),
    /// The column list is wrong.
    #[error("{0}")]
    Columns(#[from] ColumnError),
    /// The CSV file could not be written.
    #[error("{0}")]
    Write(#[from] WriteError),
    /// The job database failed.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// The job's parameters cannot be run as given.
    #[error("{0}")]
    Input(String),
    /// No job has this id.
    #[error("no job with id {0}; `roster jobs list` shows the known jobs")]
    NotFound(JobId),
    /// The job is not in a state that allows this.
    #[error("{0}")]
    State(#[from] TransitionError),
    /// A membership change could not go on (its message says why and what to do).
    #[error("{0}")]
    Membership(#[from] crate::membership::MembershipError),
    /// The run stopped as a crash would (crash tests only): the job is left `running` for
    /// [`Store::mark_interrupted`](roster_store::Store::mark_interrupted) to find.
    #[error("{0}")]
    Abandoned(String),
    /// The job was cancelled (its partial file and checkpoint are kept for a resume).
    #[error("the job was cancelled; resume it to continue from its last checkpoint, or delete it")]
    Cancelled,
    /// Something inside the runner broke (a task panicked, a channel closed).
    #[error(
        "internal error in the job runner: {0}; resume the job, and report this if it happens again"
    )]
    Internal(String),
}

/// What kind of failure ended a job, for exit codes and UI icons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// Bad parameters or input file: fix them and start again.
    Input,
    /// Sign-in expired or a permission/role/consent is missing.
    Auth,
    /// Graph or the network failed (throttling, outage, connection): resume later.
    Graph,
    /// The output file or the job database could not be written.
    Io,
    /// Cancelled by the user.
    Cancelled,
    /// A bug.
    Internal,
}

impl JobError {
    /// The failure class of this error.
    pub fn failure_kind(&self) -> FailureKind {
        match self {
            Self::Graph(e) => match e.kind() {
                ErrorKind::Auth | ErrorKind::Permission => FailureKind::Auth,
                ErrorKind::NotFound
                | ErrorKind::BadRequest
                | ErrorKind::UnsupportedQuery
                | ErrorKind::AlreadyExists
                | ErrorKind::NotPresent
                | ErrorKind::Usage => FailureKind::Input,
                ErrorKind::Throttled
                | ErrorKind::Transient
                | ErrorKind::Server
                | ErrorKind::Network
                | ErrorKind::Decode => FailureKind::Graph,
            },
            Self::Columns(_) | Self::Input(_) | Self::NotFound(_) | Self::State(_) => {
                FailureKind::Input
            }
            Self::Membership(e) => match e.class() {
                crate::membership::ErrorClass::Input => FailureKind::Input,
                crate::membership::ErrorClass::Auth => FailureKind::Auth,
                crate::membership::ErrorClass::Graph => FailureKind::Graph,
                crate::membership::ErrorClass::Io => FailureKind::Io,
            },
            Self::Write(_) | Self::Store(_) => FailureKind::Io,
            Self::Cancelled => FailureKind::Cancelled,
            Self::Internal(_) | Self::Abandoned(_) => FailureKind::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use roster_graph::RequestContext;

    #[test]
    fn graph_errors_map_to_failure_kinds() {
        let graph = |kind| JobError::Graph(GraphError::new(kind, "x", RequestContext::default()));
        assert_eq!(
            graph(ErrorKind::Permission).failure_kind(),
            FailureKind::Auth
        );
        assert_eq!(
            graph(ErrorKind::Throttled).failure_kind(),
            FailureKind::Graph
        );
        assert_eq!(
            graph(ErrorKind::UnsupportedQuery).failure_kind(),
            FailureKind::Input
        );
        assert_eq!(JobError::Cancelled.failure_kind(), FailureKind::Cancelled);
        assert!(
            JobError::NotFound(JobId::new())
                .to_string()
                .contains("roster jobs list")
        );
    }
}
