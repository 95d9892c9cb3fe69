//! roster-cli's integration tests, one test binary (each file a module): the real `roster` binary
//! against the demo tenant (`--demo`), an in-process emulator (a ready-made token or a saved sign-in),
//! Azure hosts' credentials, and the `roster-emulator` binary as a process of its own. Shared helpers
//! in `support` and in roster-test-support.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_only_hosts;
mod cli;
mod consent;
mod jobs_cancel;
mod jobs_kill_resume;
mod jobs_resume_members;
mod members;
mod owners_and_user_groups;
mod review;
mod signin;
mod support;
mod token_expiry;
