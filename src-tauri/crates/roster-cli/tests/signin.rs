//! Sign-in commands of the real binary against an emulator's identity platform (device code,
//! approved automatically by the emulator), then a download with the signed-in account's token.
//!
//! The refresh token goes to the OS keyring. On a headless Linux that needs a session keyring:
//! run `keyctl session - env ROSTER_KEYRING_TESTS=1 cargo nextest run -p roster-cli signin` (as
//! `scripts/test` does for roster-auth). Without it the test checks that a refused keyring
//! fails the sign-in with exit code 3 and says what to do.

use crate::support::{code, download_users_args, roster, text};
use roster_emulator::EmulatorConfig;
use roster_test_support::tenant::{small_tenant, start};

#[tokio::test(flavor = "multi_thread")]
async fn device_code_login_then_download_then_logout() {
    let domain = "contoso.onmicrosoft.com";
    let emu = start(EmulatorConfig {
        auto_approve: Some(format!("admin@{domain}")),
        ..small_tenant(300, 30)
    })
    .await;
    assert_eq!(emu.domain(), domain);
    let dir = tempfile::tempdir().unwrap();
    let roster = roster(&dir.path().join("data")).signing_in(emu.base_url(), emu.tenant_id());

    let Some(login) = roster.device_code_login().await else {
        emu.shutdown().await;
        return;
    };
    assert!(
        text(&login.stdout).contains(&format!("admin@{domain}")),
        "{}",
        text(&login.stdout)
    );

    let who = roster.run(&["--json", "whoami"]).await;
    assert_eq!(who.status.code(), Some(0), "{}", text(&who.stderr));
    let who: serde_json::Value = serde_json::from_slice(&who.stdout).unwrap();
    assert_eq!(who["upn"], format!("admin@{domain}"));

    let out = dir.path().join("users.csv");
    let download = roster.run(&download_users_args(&out)).await;
    assert_eq!(code(&download), 0, "{}", text(&download.stderr));
    let lines = std::fs::read_to_string(&out).unwrap().lines().count();
    assert_eq!(lines, 301);

    let logout = roster.run(&["logout"]).await;
    assert_eq!(logout.status.code(), Some(0), "{}", text(&logout.stderr));
    let after = roster
        .run(&["download", "users", "--out", out.to_str().unwrap()])
        .await;
    assert_eq!(after.status.code(), Some(3), "{}", text(&after.stderr));
    emu.shutdown().await;
}
