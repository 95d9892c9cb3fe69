//! The application API end to end on the in-process demo tenant: what both front ends offer is
//! tested here once (each front end then has a thin adapter test).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod consent;
mod jobs;
mod rules;
