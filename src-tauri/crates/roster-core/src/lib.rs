//! Roster domain types: job specs, column schemas, statuses, messages as codes with parameters.
//! No IO.

pub mod columns;
pub mod job;
pub mod text;
