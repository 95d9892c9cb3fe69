//! What roster-cli's tests share beyond roster-test-support: this package's `roster` binary.

use std::path::Path;

pub use roster_test_support::files::read_csv;
pub use roster_test_support::process::{Roster, code, text};

/// `download users --columns objectId,userPrincipalName --out OUT`: the small users download the
/// sign-in and cancel tests make.
pub fn download_users_args(out: &Path) -> [&str; 6] {
    let out = out.to_str().expect("a UTF-8 temp path");
    [
        "download",
        "users",
        "--columns",
        "objectId,userPrincipalName",
        "--out",
        out,
    ]
}

/// This package's `roster` binary with its data (`--data-dir`) in `data`.
pub fn roster(data: &Path) -> Roster {
    Roster::new(env!("CARGO_BIN_EXE_roster"), data)
}
