//! Roster's one job engine: every kind of job ([`JobWork`]: downloads of users, groups, members,
//! owners and users' groups that stream Graph pages into CSV files and resume to a byte-identical
//! file; membership changes from a file) runs through the one [`Runner`]: queue, run lease, status, events with progress,
//! rate and ETA, failure records, cancel (also from another process), resume and delete.
//!
//! ```no_run
//! # async fn demo(store: std::sync::Arc<roster_store::Store>, client: roster_graph::GraphClient) -> Result<(), roster_jobs::JobError> {
//! use roster_core::job::{CsvOutput, DownloadUsers, JobSpec, UserFilter};
//! use roster_jobs::{Runner, RunnerConfig};
//!
//! let runner = Runner::new(store, RunnerConfig::default());
//! let mut events = runner.subscribe(); // progress ≤ 4/s per job, status changes, notices
//! let spec = JobSpec::DownloadUsers(DownloadUsers {
//!     filter: UserFilter::default(),
//!     columns: "portal".into(),
//!     output: CsvOutput::new("users.csv"),
//!     parallel: None,
//! });
//! let id = runner.submit(spec, client)?; // the client matches the job's GraphAccess
//! // Another process (the CLI beside the app) cancels through the shared store:
//! // Runner::new(store, config).cancel(id) stops it here within RunnerConfig::status_poll.
//! let outcome = runner.wait(id).await?;
//! println!("{:?}: {} rows in {:?}", outcome.status, outcome.rows, outcome.output);
//! # Ok(()) }
//! ```
//!
//! Resuming: every page ends with the CSV writer's byte checkpoint, the Graph continuation and
//! the counters saved together in the store. A job stopped at any point (cancel, Ctrl-C, crash,
//! lost network) is resumed with [`Runner::resume`]: the `.part` file is cut back to the last
//! saved page and the listing continues from the saved continuation, so the final file is
//! identical to an uninterrupted run. After a crash, call [`roster_store::Store::mark_interrupted`]
//! once at start-up first.

mod context;
mod error;
mod event;
mod groups;
mod members;
pub mod membership;
mod owners;
mod related;
mod runner;
mod sink;
mod sliced;
mod slices;
mod user_groups;
mod user_rows;
mod users;
mod work;

pub use context::JobContext;
pub use error::{FailureKind, JobError};
pub use event::{Coalescer, JobEvent, Progress};
pub use runner::{JobOutcome, Runner, RunnerConfig};
pub use work::{Finished, GraphAccess, JobWork, WorkFuture, job_title, stored_work};

/// Every message code the downloads word their notices with, and the runner its job notes with (see [`membership::TEXT_CODES`]): front ends translate them.
pub const DOWNLOAD_TEXT_CODES: &[&str] = &[
    "download.notice.authMethodCost",
    "download.notice.memberCountCost",
    "download.notice.ownerCountCost",
    "download.notice.noGroupMatched",
    "download.notice.noUserMatched",
    "download.notice.authMethodColumns",
    "download.notice.partialFileGone",
    "download.notice.partialFileChanged",
    "download.notice.slicesInexact",
    "download.notice.directoryChanged",
    "download.notice.groupSlicesInexact",
    "download.notice.groupsChanged",
    "job.note.unreadObjects",
    "job.note.notAllRows",
    "job.note.interrupted",
];
