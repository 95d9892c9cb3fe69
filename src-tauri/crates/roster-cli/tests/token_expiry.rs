//! An access token that expires in the middle of a download: the emulator issues 2-second tokens and
//! streams the users slowly enough that the listing outlives several of them. The signed-in account's
//! token source (roster-auth) refreshes silently between pages, so the download completes with every
//! user exactly once, and the refresh token rotated during the download is the one in the keyring.
//!
//! Needs a session keyring like `signin.rs`: `keyctl session - env ROSTER_KEYRING_TESTS=1 cargo nextest
//! run -p roster-cli token_expiry`. Without one it checks that sign-in refuses clearly instead.

use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use crate::support::{code, download_users_args, roster, text};
use roster_auth::{Accounts, TokenVault};
use roster_emulator::EmulatorConfig;
use roster_test_support::tenant::{small_tenant, start, user_ids};

const TOKEN_LIFETIME: Duration = Duration::from_secs(2);
const USERS: usize = 3000;

fn saved_refresh_token(data: &Path) -> String {
    let accounts = Accounts::load(data).unwrap();
    let key = accounts.active().unwrap().key();
    TokenVault::platform()
        .unwrap()
        .load(&key)
        .unwrap()
        .expect("a refresh token in the keyring")
        .secret()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_access_token_that_expires_mid_download_is_refreshed_and_the_download_goes_on() {
    let domain = "contoso.onmicrosoft.com";
    let emu = start(EmulatorConfig {
        auto_approve: Some(format!("admin@{domain}")),
        token_lifetime: TOKEN_LIFETIME,
        // 2 ms per user streamed: the listing of 3000 users outlives the first 2-second token.
        latency_ms: 1,
        item_latency_us: 2000,
        ..small_tenant(USERS, 20)
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let roster = roster(&data).signing_in(emu.base_url(), emu.tenant_id());

    let Some(_login) = roster.device_code_login().await else {
        emu.shutdown().await;
        return;
    };
    let after_login = saved_refresh_token(&data);

    let out = dir.path().join("users.csv");
    let download = roster.run(&download_users_args(&out)).await;
    assert_eq!(code(&download), 0, "{}", text(&download.stderr));

    let csv = std::fs::read_to_string(&out).unwrap();
    let ids: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap())
        .collect();
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), USERS, "every user once");
    assert_eq!(unique.len(), USERS, "no duplicates");
    let tenant_ids: HashSet<String> = user_ids(&emu).into_iter().collect();
    assert!(unique.iter().all(|id| tenant_ids.contains(*id)));

    assert_ne!(
        saved_refresh_token(&data),
        after_login,
        "the download refreshed its access token, and the rotated refresh token was saved"
    );
    let stats = emu.stats();
    assert_eq!(
        stats.responses_by_status.get(&401),
        None,
        "no request went out with an expired token"
    );
    assert!(
        !csv.contains(&after_login) && !text(&download.stderr).contains(&after_login),
        "no token in the output"
    );
    emu.shutdown().await;
}
