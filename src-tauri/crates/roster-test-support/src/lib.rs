//! The harness Roster's integration tests share, so that each crate's tests say only what they test.
//!
//! - [`tenant`]: the whole emulator in-process (`roster_emulator::start`) with a small tenant, and the
//!   tokens, accounts, groups and users tests look up in it.
//! - [`identity`]: the emulator's identity platform alone, over http or https, with a three-account
//!   directory, and the PKCE and JWT helpers of hand-written authorization-code flows.
//! - [`graph`]: Graph clients on an in-process emulator.
//! - [`browser`]: a scripted browser that walks an authorize URL to the loopback listener.
//! - [`files`]: what tests read back from disk (CSV output, every file of a data dir).
//! - [`process`]: running the `roster` binary (demo tenant, token or saved sign-in) and its output, and
//!   child processes killed when their guard drops.
//! - [`emulator_process`]: the `roster-emulator` binary as a process, and tokens from its control
//!   endpoint.
//!
//! A dev-dependency only: it turns on roster-emulator's `harness` feature (control endpoints and
//! test-only settings), which no shipping binary may carry.
#![allow(
    clippy::expect_used,
    reason = "a harness: a set-up that fails is a test that fails, with the message saying where"
)]

pub mod browser;
pub mod emulator_process;
pub mod files;
pub mod graph;
pub mod identity;
pub mod process;
pub mod tenant;
