//! Roster's job runner: download jobs (users, groups, members of many groups) that stream Graph
//! pages into CSV files, checkpoint after every page and resume to a byte-identical file.
//!
//! ```no_run
//! # async fn demo(store: std::sync::Arc<roster_store::Store>, client: roster_graph::GraphClient) -> Result<(), roster_jobs::JobError> {
//! use roster_core::job::{CsvOutput, DownloadUsers, JobSpec, UserFilter};
//! use roster_jobs::{Runner, RunnerConfig};
//!
//! let runner = Runner::new(store, client, RunnerConfig::default());
//! let mut events = runner.subscribe(); // progress ≤ 4/s per job, status changes, notices
//! let id = runner.submit(JobSpec::DownloadUsers(DownloadUsers {
//!     filter: UserFilter::default(),
//!     columns: "portal".into(),
//!     output: CsvOutput::new("users.csv"),
//! }))?;
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

mod error;
mod event;
mod groups;
mod members;
pub mod membership;
mod runner;
mod sink;
mod users;

pub use error::{FailureKind, JobError};
pub use event::{Coalescer, JobEvent, Progress};
pub use runner::{JobOutcome, Runner, RunnerConfig};
