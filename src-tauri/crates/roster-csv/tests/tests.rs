//! roster-csv's integration tests, one binary: the member-file reader and the CSV writer on real file
//! bytes (fixtures in `tests/fixtures`, written by `fixtures/generate.py`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod hostile;
mod reader;
mod writer;
