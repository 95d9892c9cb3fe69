//! What roster-cli's tests share beyond roster-test-support: this package's `roster` binary.

use std::path::Path;

pub use roster_test_support::files::read_csv;
pub use roster_test_support::process::{Roster, code, text};

/// This package's `roster` binary with its data (`--data-dir`) in `data`.
pub fn roster(data: &Path) -> Roster {
    Roster::new(env!("CARGO_BIN_EXE_roster"), data)
}
