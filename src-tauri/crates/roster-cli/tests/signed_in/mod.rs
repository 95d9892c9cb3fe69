//! What the sign-in tests of the real binary share: running `roster` against an emulator's identity
//! platform, and a device-code login that tells whether this machine has a keyring for it.
#![allow(dead_code, reason = "each test binary uses a part")]

use std::path::Path;
use std::process::Output;

/// Runs the `roster` binary signed in through `root` (Graph and authority) for `tenant`, its data in
/// `data`, never with a ready-made access token from the environment.
pub async fn roster(root: &str, tenant: &str, data: &Path, args: &[&str]) -> Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_roster"))
        .args(["--graph-url", root, "--authority", root, "--tenant", tenant])
        .args(["--data-dir", data.to_str().unwrap()])
        .args(args)
        .env_remove("ROSTER_ACCESS_TOKEN")
        .output()
        .await
        .expect("roster runs")
}

/// A process's output as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `roster login --device-code` (the emulator approves it). Its output when it succeeded; `None`
/// when the machine has no usable keyring and the test did not ask for one (`ROSTER_KEYRING_TESTS`
/// unset), after checking that the refusal exits 3 and names the keyring.
pub async fn device_code_login(root: &str, tenant: &str, data: &Path) -> Option<Output> {
    let login = roster(root, tenant, data, &["login", "--device-code"]).await;
    if std::env::var("ROSTER_KEYRING_TESTS").as_deref() != Ok("1") && login.status.code() != Some(0)
    {
        assert_eq!(login.status.code(), Some(3), "{}", text(&login.stderr));
        assert!(
            text(&login.stderr).contains("keyring"),
            "{}",
            text(&login.stderr)
        );
        return None;
    }
    assert_eq!(login.status.code(), Some(0), "{}", text(&login.stderr));
    Some(login)
}
