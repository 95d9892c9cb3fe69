//! roster-review's integration tests: files made the way admins make them (the admin center,
//! PowerShell's Export-Csv, Excel re-saves in Dutch and English, UTF-16), hostile ones, and
//! comparisons checked against hand-computed answers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod compare;
mod explore;
mod files;
mod rule_lab;
