//! The real OS keyring (Linux keyutils). These tests only run with `ROSTER_KEYRING_TESTS=1`, inside a
//! session keyring (`keyctl session - env ROSTER_KEYRING_TESTS=1 cargo test -p roster-auth`), which is
//! how `scripts/test` runs them; elsewhere they are ignored at runtime and say so.
#![allow(clippy::print_stderr)]

use crate::support::*;
use roster_auth::{RefreshToken, TokenVault};
use roster_emulator::identity::IdentityOptions;

fn enabled() -> bool {
    let on = roster_test_support::process::keyring_tests_requested();
    if !on {
        eprintln!("skipped: set ROSTER_KEYRING_TESTS=1 and run inside `keyctl session -`");
    }
    on
}

fn unique_key(name: &str) -> String {
    format!(
        "{name}-{}-{}|tenant|client|http://127.0.0.1",
        std::process::id(),
        now()
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
