//! Bulk add and remove group members from a file (issue #6).
//!
//! Flow: [`read_member_file`](roster_csv::read_member_file) → [`preview`] (find and classify the
//! group, resolve every row, check membership; reads only) → a [`MembershipJob`] submitted to the
//! one [`Runner`](crate::Runner), which [`apply`]s the changes, persists every row's outcome,
//! writes the results CSV and the undo file, and ends `completed` or `completed_with_errors`. A
//! job stopped by a crash, an error or a cancel is resumed by the runner like any job: a fresh
//! preview of the stored spec, then the same job goes on, so rows already done are never sent
//! twice. [`write_template`] writes the member file admins fill in.
//!
//! ```no_run
//! # async fn demo(client: roster_graph::GraphClient, store: std::sync::Arc<roster_store::Store>) -> Result<(), Box<dyn std::error::Error>> {
//! use roster_jobs::membership::*;
//! use roster_jobs::{Runner, RunnerConfig};
//! let file = roster_csv::read_member_file("members.csv")?;
//! let preview = preview(&client, &EngineConfig::default(), MembershipOp::Add, "Sales team", &file).await?;
//! println!("{}", preview.counts.summary());
//! let spec = MembershipSpec::new(MembershipOp::Add, preview.group.id.clone(), "members.csv", "results.csv");
//! let runner = Runner::new(store, RunnerConfig::default());
//! let id = runner.submit(MembershipJob::with_preview(spec, preview), client)?;
//! let outcome = runner.wait(id).await?;
//! println!("{:?}: {:?}", outcome.status, outcome.error);
//! # Ok(()) }
//! ```

mod apply;
mod group;
mod input;
mod job;
mod outcome;
mod preview;
mod resolve;
mod results;
mod template;

pub use apply::{ApplyCheckpoint, ApplyEnd, ApplyProgress, BIND, apply};
pub use group::{GroupKind, TargetGroup, find_group};
pub use input::input_digest;
pub use job::{JobReport, MembershipJob, MembershipSpec, NOT_ALL_ROWS};
pub use outcome::{MembershipOp, RowState, StateCounts};
pub use preview::{MembershipCheck, PlannedRow, Preview, preview};
pub use resolve::{IN_FILTER_VALUES, Lookup, ResolvedObject};
pub use results::{RESULT_HEADER, undo_path, write_results, write_undo};
pub use template::{TEMPLATE_HEADER, TEMPLATE_ROWS, write_template};

use roster_core::text::Text;
use roster_graph::{ErrorKind, GraphError};
/// The cancellation signal [`apply`] and [`run_job`] take (re-exported for callers).
pub use tokio_util::sync::CancellationToken;

/// Every message code the membership engine words its reasons and notices with, besides each
/// state's default reason (`membership.reason.STATE`, [`RowState::reason`]): front ends translate
/// them (the desktop app's dictionaries are checked against this list).
pub const TEXT_CODES: &[&str] = &[
    "membership.reason.sameObject",
    "membership.reason.sameValue",
    "membership.reason.sharedMail",
    "membership.reason.cannotBeMember",
    "membership.reason.confirmedOnResume",
    "membership.reason.memberOnAdd",
    "membership.reason.notMemberOnRemove",
    "membership.reason.objectGone",
    "membership.reason.graphRefused",
    "membership.notice.exampleRowSkipped",
    "membership.notice.contactsNotRead",
    "membership.notice.roleAssignable",
    "membership.refusal.dynamic",
    "membership.refusal.synced",
    "membership.refusal.mailEnabledSecurity",
    "membership.refusal.distribution",
    "job.title.addMembers",
    "job.title.removeMembers",
];

/// The limiter settings to build a membership job's [`GraphClient`](roster_graph::GraphClient)
/// with: the default's start spacing (up to 2 s between request starts once Graph reports the
/// limit near) is meant for reads and would halve write throughput, because one `$batch` call
/// carries 20 writes; writes are paced by Graph's `Retry-After` instead (every 429 pauses all
/// requests until it has passed).
pub fn write_limiter_config() -> roster_graph::LimiterConfig {
    roster_graph::LimiterConfig {
        max_interval: std::time::Duration::from_millis(50),
        ..roster_graph::LimiterConfig::default()
    }
}

/// Tuning of the membership engine.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Groups with at most this many direct members are listed once (ids only) to check
    /// membership; larger groups are checked per object through `$batch`.
    pub list_members_threshold: u64,
    /// `$batch` calls in flight at once while applying.
    pub concurrency: usize,
    /// For crash tests and demos: stop as a crash would right after chunk N (1-based, counted
    /// in this run) was sent, before its outcome is stored. `None` in real use.
    pub simulate_crash_after_chunk: Option<u64>,
    /// When set, every chunk takes one permit before it is sent (the runner's
    /// [`RunnerConfig::pace`](crate::RunnerConfig::pace): tests and step-by-step demos stop a job
    /// at an exact chunk).
    pub pace: Option<std::sync::Arc<tokio::sync::Semaphore>>,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            list_members_threshold: 100_000,
            concurrency: 4,
            simulate_crash_after_chunk: None,
            pace: None,
        }
    }
}

/// Why a membership preview or job could not go on.
#[derive(Debug, thiserror::Error)]
pub enum MembershipError {
    /// The input file could not be read.
    #[error("{0}")]
    Read(#[from] roster_csv::ReadError),
    /// The group could not be found or named unambiguously.
    #[error("{0}")]
    Group(String),
    /// The group's members cannot be changed here; the text says why and where instead.
    #[error("{}", .0.english)]
    Refused(Text),
    /// Graph failed for the whole job (sign-in, permission, throttling beyond the retry budget,
    /// outage); resume the job later.
    #[error("{0}")]
    Graph(GraphError),
    /// The results or undo file could not be written.
    #[error("{0}")]
    Write(#[from] roster_csv::WriteError),
    /// The job database failed.
    #[error("{0}")]
    Store(#[from] roster_store::StoreError),
    /// The member file is not the one the job was started with.
    #[error(
        "the member file {file} changed since this job started (rows added, removed or reordered): resuming it would record changes that were never made. Put the original file back to finish this job, or start a new import with the file as it is now"
    )]
    InputChanged {
        /// The file.
        file: String,
    },
    /// The job cannot be run in its current state.
    #[error("{0}")]
    State(#[from] roster_core::job::TransitionError),
    /// The run stopped as a crash would, right after sending a chunk
    /// ([`EngineConfig::simulate_crash_after_chunk`], crash tests only): the job is left `running`.
    #[error("simulated crash after sending a chunk (EngineConfig::simulate_crash_after_chunk)")]
    SimulatedCrash,
    /// A bug or an interrupted run (see the message).
    #[error(
        "internal error in the membership job: {0}; resume the job, and report this if it happens again"
    )]
    Internal(String),
}

/// What a failure means for the person (and the CLI's exit code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// Bad input (file, group, refused group): fix and start again.
    Input,
    /// Sign-in or permission.
    Auth,
    /// Graph or the network; resume later.
    Graph,
    /// Local files or the database.
    Io,
}

impl MembershipError {
    /// The class of this failure.
    pub fn class(&self) -> ErrorClass {
        match self {
            Self::Read(_)
            | Self::Group(_)
            | Self::Refused(_)
            | Self::State(_)
            | Self::InputChanged { .. } => ErrorClass::Input,
            Self::Graph(e) => match e.kind() {
                ErrorKind::Auth | ErrorKind::Permission => ErrorClass::Auth,
                ErrorKind::Usage | ErrorKind::BadRequest | ErrorKind::NotFound => ErrorClass::Input,
                _ => ErrorClass::Graph,
            },
            Self::Write(_) | Self::Store(_) | Self::Internal(_) | Self::SimulatedCrash => {
                ErrorClass::Io
            }
        }
    }
}

#[cfg(test)]
mod text_code_tests {
    use super::TEXT_CODES;

    /// Every `"membership.…"` code the engine's sources word a message with is in [`TEXT_CODES`],
    /// so no new message reaches the UI untranslated.
    #[test]
    fn every_code_in_the_sources_is_listed() {
        let sources = [
            include_str!("preview.rs"),
            include_str!("apply.rs"),
            include_str!("../users.rs"),
            include_str!("../groups.rs"),
            include_str!("../members.rs"),
            include_str!("../sink.rs"),
            include_str!("../runner.rs"),
            include_str!("job.rs"),
            include_str!("group.rs"),
            include_str!("../../../roster-core/src/columns/user.rs"),
        ];
        for source in sources {
            for prefix in ["\"membership.", "\"download.notice.", "\"job.note."] {
                for (at, _) in source.match_indices(prefix) {
                    let rest = &source[at + 1..];
                    let code = &rest[..rest.find('"').unwrap_or(rest.len())];
                    assert!(
                        TEXT_CODES.contains(&code) || crate::DOWNLOAD_TEXT_CODES.contains(&code),
                        "{code} is not listed"
                    );
                }
            }
        }
    }
}
