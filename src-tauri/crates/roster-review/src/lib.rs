//! Offline review of the CSV files admins hold: open any users, groups or members file (Roster's,
//! the admin center's, PowerShell's, Excel re-saves), index it column by column, and answer
//! questions about it: statistics, filtered and sorted views, exports, the differences between
//! two snapshots, and who a dynamic membership rule would include. No network, no sign-in.
//!
//! The engine is a columnar index of our own ([`table::Table`]): each column a dictionary of
//! distinct values plus a `u32` code per row. Chosen by measurement (README, "Review"): it
//! indexes a 1,000,000-row portal users file in a few seconds in about the file's size, and
//! turns sorting, filtering and counting into work on integers.

mod build;
pub mod dictionary;
pub mod diff;
pub mod error;
pub mod export;
pub mod kind;
pub mod rule_lab;
pub mod source;
pub mod stats;
pub mod table;
pub mod view;

pub use error::{ReviewError, TEXT_CODES};
pub use kind::FileKind;
pub use source::Detected;
pub use table::{Column, Columns, Index, Peek, Table, peek};
