//! Roster SQLite job history
