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

#[test]
fn a_4000_character_refresh_token_round_trips_in_the_os_keyring() {
    if !enabled() {
        return;
    }
    // Longer than Windows' Credential Manager takes in one entry (2,560 bytes, or 1,280 characters
    // through set_password's UTF-16): the vault stores it in chunks on every platform.
    let token: String = (0..4000)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    let stores: [fn() -> Result<TokenVault, roster_auth::AuthError>; 2] =
        [TokenVault::linux_keyutils, TokenVault::platform];
    for open in stores {
        let key = unique_key("long");
        let vault = open().unwrap();
        vault.save(&key, &RefreshToken::new(token.clone())).unwrap();
        // Another instance, as the next run of Roster opens it.
        let reader = open().unwrap();
        assert_eq!(reader.load(&key).unwrap().unwrap().secret(), token);
        vault.save(&key, &RefreshToken::new("short")).unwrap();
        assert_eq!(reader.load(&key).unwrap().unwrap().secret(), "short");
        assert!(vault.delete(&key).unwrap());
        assert!(reader.load(&key).unwrap().is_none());
    }
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
