//! roster-store's integration tests, one binary: the job store on real database files.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod store;
