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

/// Reads the demo tenant (`--demo`, seed 1) from an identical in-process emulator.
pub fn with_demo_tenant<T>(read: impl FnOnce(&roster_emulator::tenant::Tenant) -> T) -> T {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let emu =
            roster_test_support::tenant::start(roster_emulator::EmulatorConfig::default()).await;
        let value = read(&emu.tenant().read());
        emu.shutdown().await;
        value
    })
}
