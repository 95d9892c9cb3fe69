//! roster-jobs' integration tests, one test binary (each file a module): downloads against the
//! in-process emulator, resume after cancel, crash and faults, and membership changes run
//! through the one runner.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

mod downloads;
mod engine;
mod group_slices;
mod integrity;
mod membership;
mod membership_resume;
mod owners_and_user_groups;
mod resume;
mod slices;
mod support;
mod user_columns;
