//! Roster's application API: everything a front end does, as domain-typed functions, so the `roster`
//! CLI and the desktop app are thin adapters (argument parsing or IPC mapping, and presentation).
//!
//! - [`Profile`]: the data folder and the demo switch; owns the job database paths.
//! - [`Connection`]: a tenant connection (the demo tenant, a signed-in account, a token source) with
//!   its Graph clients for reading and for writes (scopes and write pacing).
//! - [`Jobs`]: the one job engine over the profile's history: start, list, show, resume, cancel,
//!   delete with every file, retry failed rows; a cancel from one process stops the job in another.
//! - [`membership`]: preview a member file against a group and start the job that applies it.
//! - [`directory`]: users, groups and members a page at a time for tables, the group page, pickers.
//! - [`settings`]: the desktop's saved settings (output folder, CSV format, default columns).
//! - [`AppError`] with its closed [`ErrorCode`] set: error classification in one place.
//!
//! ```no_run
//! # async fn demo() -> Result<(), roster_app::AppError> {
//! use roster_app::{Connection, Jobs, Profile};
//! let profile = Profile::new(Profile::default_data_dir(), true);
//! let jobs = Jobs::open(&profile, roster_jobs::RunnerConfig::default())?;
//! let connection = Connection::demo(Default::default(), "roster-example/1").await?;
//! for job in jobs.list(20, 0)? {
//!     println!("{} {}", job.id, job.name);
//! }
//! connection.close().await;
//! # Ok(()) }
//! ```

pub mod column_choice;
mod connection;
mod demo_tokens;
pub mod directory;
pub mod downloads;
pub mod dynamic_rule;
mod error;
mod follow_up;
mod jobs;
pub mod membership;
mod profile;
pub mod review;
pub mod saved_views;
mod session;
pub mod settings;
pub mod sign_in;
pub mod updates;

pub use connection::{AccountInfo, Connection, DEMO_SCOPES, DEMO_WRITE_SCOPES};
pub use error::{AppError, ErrorCode, TEXT_CODES, sentence};
pub use follow_up::{FollowUp, FollowUpSource};
pub use jobs::{DEFAULT_ROWS, JobHistories, Jobs, MAX_ROWS, RowsPage};
pub use profile::{Profile, store_path};
pub use session::Session;
