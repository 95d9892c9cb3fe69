//! The real OS keyring (Linux keyutils). These tests only run with `ROSTER_KEYRING_TESTS=1`, inside a
//! session keyring (`keyctl session - env ROSTER_KEYRING_TESTS=1 cargo test -p roster-auth`), which is
//! how `scripts/test` runs them; elsewhere they are ignored at runtime and say so.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]
#![cfg(target_os = "linux")]

mod support;

use roster_auth::{RefreshToken, TokenVault};
use roster_emulator::identity::IdentityOptions;
use support::*;

fn enabled() -> bool {
    let on = std::env::var("ROSTER_KEYRING_TESTS").as_deref() == Ok("1");
    if !on {
        eprintln!("skipped: set ROSTER_KEYRING_TESTS=1 and run inside `keyctl session -`");
    }
    on
}

fn unique_key(name: &str) -> String {
    format!(
        "{name}-{}-{}|tenant|client|http://127.0.0.1",
        std::process::id(),
        support::chrono_now()
    )
}

#[test]
fn keyutils_store_saves_replaces_and_deletes_across_vault_instances() {
    if !enabled() {
        return;
    }
    let key = unique_key("roundtrip");
    let writer = TokenVault::linux_keyutils().unwrap();
    writer
        .save(&key, &RefreshToken::new("refresh-one"))
        .unwrap();
    writer
        .save(&key, &RefreshToken::new("refresh-two"))
        .unwrap();
    // A second store instance (as a second process would open) sees the entry.
    let reader = TokenVault::linux_keyutils().unwrap();
    assert_eq!(reader.load(&key).unwrap().unwrap().secret(), "refresh-two");
    assert!(reader.delete(&key).unwrap());
    assert!(writer.load(&key).unwrap().is_none());
    assert!(!writer.delete(&key).unwrap());
}

#[tokio::test]
async fn sign_in_with_the_platform_keyring_then_refresh_from_a_new_auth_and_sign_out() {
    if !enabled() {
        return;
    }
    let idp = start(IdentityOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let vault = TokenVault::platform().unwrap();
    let account = auth(&idp, dir.path(), &vault, "admin")
        .sign_in_interactive(None)
        .await
        .unwrap()
        .account();

    // Later, another run: a new vault over the same OS keyring, nothing in memory.
    let later = auth(&idp, dir.path(), &TokenVault::platform().unwrap(), "admin");
    let token = later
        .session(None)
        .unwrap()
        .token(&["User.Read.All".to_owned()])
        .await
        .unwrap();
    idp.accepts(token.secret());

    later.sign_out(None).unwrap();
    assert!(
        TokenVault::platform()
            .unwrap()
            .load(&account.key())
            .unwrap()
            .is_none()
    );
}
