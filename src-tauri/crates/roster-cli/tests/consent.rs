//! Incremental consent as an admin meets it with the real binary: `login --device-code` asks only
//! for reads; `members add --yes` then needs GroupMember.ReadWrite.All. Without consent the
//! emulator refuses the silent refresh (AADSTS65001, as the identity platform does) and Roster says
//! to sign in again to allow changes, with the command, exit code 3 and nothing written; with
//! consent (an admin's earlier, or the `login --allow-changes` it names) the permission comes
//! silently and the members are added.
//!
//! Needs the OS keyring like `signin.rs`: `keyctl session - env ROSTER_KEYRING_TESTS=1 cargo
//! nextest run -p roster-cli consent`. Without it the test checks only that sign-in is refused.

use crate::support::{Roster, code, roster, text};
use roster_emulator::{Emulator, EmulatorConfig};
use roster_test_support::tenant::{small_tenant, start};
use serde_json::Value;
use std::path::Path;

const WRITE: &str = "GroupMember.ReadWrite.All";

async fn signed_in_reader_of_writes(dir: &Path) -> Option<(Emulator, Roster, std::path::PathBuf)> {
    let domain = "contoso.onmicrosoft.com";
    let emu = start(EmulatorConfig {
        auto_approve: Some(format!("admin@{domain}")),
        ..small_tenant(60, 10)
    })
    .await;
    let roster = roster(&dir.join("data")).signing_in(emu.base_url(), emu.tenant_id());
    if roster.device_code_login().await.is_none() {
        emu.shutdown().await;
        return None;
    }
    let users: Vec<String> = {
        let t = emu.tenant().read();
        t.users()
            .iter()
            .skip(20)
            .filter(|u| !u.upn().contains("#EXT#"))
            .take(2)
            .map(|u| u.upn().to_owned())
            .collect()
    };
    let file = dir.join("members.csv");
    std::fs::write(&file, format!("{}\n{}\n", users[0], users[1])).unwrap();
    Some((emu, roster, file))
}

async fn add(roster: &Roster, file: &Path) -> std::process::Output {
    let file = file.to_str().unwrap();
    roster
        .run(&[
            "--json",
            "members",
            "add",
            "--group",
            "Empty Group",
            "--file",
            file,
            "--yes",
        ])
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn without_consent_members_add_says_sign_in_again_to_allow_changes_then_login_allows_them() {
    let dir = tempfile::tempdir().unwrap();
    let Some((emu, roster, file)) = signed_in_reader_of_writes(dir.path()).await else {
        return;
    };
    let who: Value =
        serde_json::from_slice(&roster.run(&["--json", "whoami"]).await.stdout).unwrap();
    assert!(!who["scopes"].to_string().contains(WRITE), "{who}");

    let refused = add(&roster, &file).await;
    let stderr = text(&refused.stderr);
    assert_eq!(code(&refused), 3, "{stderr}");
    assert!(
        stderr.contains("Sign in again to allow changes")
            && stderr
                .contains("roster login --account admin@contoso.onmicrosoft.com --allow-changes"),
        "{stderr}"
    );
    for wrong in ["Authorization_RequestDenied", "403", "admin consent"] {
        assert!(!stderr.contains(wrong), "{wrong}: {stderr}");
    }

    // The command it names: the consent screen grants the write permission.
    let login = roster
        .run(&["login", "--device-code", "--allow-changes"])
        .await;
    assert_eq!(code(&login), 0, "{}", text(&login.stderr));
    let added = add(&roster, &file).await;
    assert_eq!(code(&added), 0, "{}", text(&added.stderr));
    let report: Value = serde_json::from_slice(&added.stdout).unwrap();
    assert_eq!(
        report["counts"]["added"], 2,
        "nothing was written before: {report}"
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn when_an_admin_consented_earlier_the_write_permission_comes_silently() {
    let dir = tempfile::tempdir().unwrap();
    let Some((emu, roster, file)) = signed_in_reader_of_writes(dir.path()).await else {
        return;
    };
    emu.identity()
        .grant_consent(
            "admin@contoso.onmicrosoft.com",
            roster_auth::GRAPH_POWERSHELL_CLIENT_ID,
            &[WRITE],
        )
        .unwrap();
    let added = add(&roster, &file).await;
    assert_eq!(code(&added), 0, "{}", text(&added.stderr));
    let report: Value = serde_json::from_slice(&added.stdout).unwrap();
    assert_eq!(report["counts"]["added"], 2, "{report}");
    emu.shutdown().await;
}

/// The command the app's rule-save message names: `roster login --allow-rule-changes` asks for
/// Group.ReadWrite.All at sign-in (its consent screen), and only for that besides the reads.
#[tokio::test(flavor = "multi_thread")]
async fn login_allow_rule_changes_asks_for_the_rule_permission() {
    let dir = tempfile::tempdir().unwrap();
    let Some((emu, roster, _file)) = signed_in_reader_of_writes(dir.path()).await else {
        return;
    };
    let login = roster
        .run(&["login", "--device-code", "--allow-rule-changes"])
        .await;
    assert_eq!(code(&login), 0, "{}", text(&login.stderr));
    let who: Value =
        serde_json::from_slice(&roster.run(&["--json", "whoami"]).await.stdout).unwrap();
    let scopes = who["scopes"].to_string();
    assert!(
        scopes.contains(roster_auth::RULE_WRITE_SCOPE) && !scopes.contains(WRITE),
        "{who}"
    );
    emu.shutdown().await;
}
