//! Root integration tests of the desktop package: the command layer without a window.
//!
//! Commands are thin wrappers over [`AppState`], so these tests call the state the way the commands do
//! and check what the UI receives (DTOs and `AppError` JSON).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod boundary;
mod demo;
mod directory;
mod jobs;
mod membership;
mod review;
mod rules;
mod session;
mod sign_in;
mod support;
mod updates;
