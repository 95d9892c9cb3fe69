//! Roster job runner
