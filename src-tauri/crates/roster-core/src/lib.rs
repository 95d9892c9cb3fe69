//! Roster domain types: job specs, column schemas, statuses. No IO.

pub mod columns;
pub mod job;
