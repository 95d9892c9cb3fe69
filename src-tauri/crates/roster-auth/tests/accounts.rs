//! Accounts: keyed by object id, tenant, app, authority and Graph root (never by the UPN, which can
//! change), account lists and keyring entries of an earlier Roster keep working, a sign-out that
//! cannot delete the keyring entry says so, and the data folder is private to the user.

use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::support::*;
use keyring_core::api::{CredentialApi, CredentialStoreApi};
use keyring_core::{Credential, CredentialStore, Entry, Error as KeyringError};
use roster_auth::{Account, Accounts, Auth, AuthConfig, AuthError, Cloud, TokenVault};
use roster_emulator::identity::IdentityOptions;

fn account(upn: &str, cloud: Cloud) -> Account {
    Account {
        upn: upn.to_owned(),
        display_name: "A".to_owned(),
        object_id: "7d0b2c1e-0000-4000-8000-000000000001".to_owned(),
        tenant_id: TENANT_ID.to_owned(),
        cloud,
        client_id: "client".to_owned(),
        scopes: vec!["User.Read.All".to_owned()],
    }
}

#[test]
fn a_renamed_user_is_the_same_account() {
    let dir = tempfile::tempdir().unwrap();
    let before = account("adele@contoso.com", Cloud::Global);
    let mut after = before.clone();
    after.upn = "adele.vance@contoso.com".to_owned();
    assert_eq!(before.key(), after.key(), "the UPN is not part of the key");
    assert!(!before.key().contains("adele"));

    let mut accounts = Accounts::load(dir.path()).unwrap();
    accounts.upsert(before);
    accounts.upsert(after);
    assert_eq!(accounts.list().len(), 1);
    assert_eq!(accounts.active().unwrap().upn, "adele.vance@contoso.com");
}

#[test]
fn the_graph_root_is_part_of_the_account() {
    let emulator = |graph: &str| Cloud::Custom {
        authority_host: "http://127.0.0.1:8080".to_owned(),
        graph_root: graph.to_owned(),
    };
    let one = account("a@contoso.com", emulator("http://127.0.0.1:8080"));
    let other = account("a@contoso.com", emulator("http://127.0.0.1:9090"));
    assert_ne!(one.key(), other.key());
    let gov = account("a@contoso.com", Cloud::UsGov);
    let dod = account("a@contoso.com", Cloud::UsGovDod);
    assert_ne!(gov.key(), dod.key(), "same authority, another Graph");
    assert_eq!(one.graph_root(), "http://127.0.0.1:8080");
}

#[test]
fn plain_http_is_allowed_only_for_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let with = |authority: &str, graph: &str| AuthConfig {
        cloud: Cloud::Custom {
            authority_host: authority.to_owned(),
            graph_root: graph.to_owned(),
        },
        ..AuthConfig::default()
    };
    let vault = TokenVault::in_memory().unwrap();
    for (authority, graph) in [
        ("http://login.example.com", "https://graph.example.com"),
        ("https://login.example.com", "http://graph.example.com"),
        ("http://10.0.0.5:8080", "http://10.0.0.5:8080"),
    ] {
        let error = Auth::new(with(authority, graph), dir.path(), vault.clone()).unwrap_err();
        assert!(
            matches!(error, AuthError::Config(ref m) if m.contains("https")),
            "{authority} {graph}: {error}"
        );
    }
    for root in [
        "http://127.0.0.1:8080",
        "http://localhost:8080",
        "http://[::1]:8080",
    ] {
        assert!(
            Auth::new(with(root, root), dir.path(), vault.clone()).is_ok(),
            "{root}"
        );
    }
}

#[test]
fn a_graph_root_other_than_the_accounts_is_refused_with_what_to_do() {
    let account = account("a@contoso.com", Cloud::Global);
    assert!(account.check_graph_root(None).is_ok());
    assert!(
        account
            .check_graph_root(Some("https://graph.microsoft.com/"))
            .is_ok()
    );
    let error = account
        .check_graph_root(Some("http://127.0.0.1:8080"))
        .unwrap_err()
        .to_string();
    for part in [
        "a@contoso.com",
        "https://graph.microsoft.com",
        "http://127.0.0.1:8080",
        "sign in",
    ] {
        assert!(error.contains(part), "{part}: {error}");
    }
}

#[tokio::test]
async fn accounts_and_keyring_entries_of_an_earlier_roster_keep_working() {
    let idp = start(IdentityOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let vault = TokenVault::in_memory().unwrap();
    let signed_in = auth(&idp, dir.path(), &vault, "admin")
        .sign_in_interactive(None)
        .await
        .unwrap()
        .account();

    // What the earlier Roster left: version 1, keyed `upn|tenant|client|authority`, the refresh token
    // saved whole under that key.
    let legacy_key = format!(
        "{}|{}|{}|{}",
        signed_in.upn,
        signed_in.tenant_id,
        signed_in.client_id,
        signed_in.cloud.authority_host()
    )
    .to_lowercase();
    let token = vault.load(&signed_in.key()).unwrap().unwrap();
    vault.delete(&signed_in.key()).unwrap();
    vault.save(&legacy_key, &token).unwrap();
    let legacy = serde_json::json!({
        "version": 1,
        "active": legacy_key,
        "accounts": [serde_json::to_value(&signed_in).unwrap()],
    });
    std::fs::write(dir.path().join("accounts.json"), legacy.to_string()).unwrap();

    let later = auth(&idp, dir.path(), &vault, "admin");
    let session = later.session(None).unwrap();
    assert_eq!(session.account().key(), signed_in.key());
    let access = session.token(&["User.Read.All".to_owned()]).await.unwrap();
    idp.accepts(access.secret());
    assert!(vault.load(&signed_in.key()).unwrap().is_some());
    assert!(
        vault.load(&legacy_key).unwrap().is_none(),
        "moved, not copied"
    );
    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("accounts.json")).unwrap()).unwrap();
    assert_eq!(saved["version"], 2);
    assert_eq!(saved["active"], signed_in.key());
}

/// A keyring whose entries can be read and written but, once `refuse` is set, not deleted.
#[derive(Debug)]
struct Undeletable {
    inner: Arc<CredentialStore>,
    refuse: Arc<AtomicBool>,
}

#[derive(Debug)]
struct UndeletableEntry {
    inner: Entry,
    refuse: Arc<AtomicBool>,
}

impl CredentialStoreApi for Undeletable {
    fn vendor(&self) -> String {
        "undeletable test store".to_owned()
    }
    fn id(&self) -> String {
        self.inner.id()
    }
    fn build(
        &self,
        service: &str,
        user: &str,
        modifiers: Option<&HashMap<&str, &str>>,
    ) -> keyring_core::Result<Entry> {
        let inner = self.inner.build(service, user, modifiers)?;
        let refuse = Arc::clone(&self.refuse);
        let credential: Arc<Credential> = Arc::new(UndeletableEntry { inner, refuse });
        Ok(Entry::new_with_credential(credential))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl CredentialApi for UndeletableEntry {
    fn set_secret(&self, secret: &[u8]) -> keyring_core::Result<()> {
        self.inner.set_secret(secret)
    }
    fn get_secret(&self) -> keyring_core::Result<Vec<u8>> {
        self.inner.get_secret()
    }
    fn delete_credential(&self) -> keyring_core::Result<()> {
        if self.refuse.load(Ordering::SeqCst) {
            return Err(KeyringError::NoStorageAccess(
                "the keyring is locked".into(),
            ));
        }
        self.inner.delete_credential()
    }
    fn get_credential(&self) -> keyring_core::Result<Option<Arc<Credential>>> {
        Ok(None)
    }
    fn get_specifiers(&self) -> Option<(String, String)> {
        self.inner.get_specifiers()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[tokio::test]
async fn a_sign_out_that_cannot_delete_the_keyring_entry_says_so() {
    let idp = start(IdentityOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let refuse = Arc::new(AtomicBool::new(false));
    let store = Undeletable {
        inner: keyring_core::mock::Store::new().unwrap(),
        refuse: Arc::clone(&refuse),
    };
    let vault = TokenVault::new(Arc::new(store));
    let auth = auth(&idp, dir.path(), &vault, "admin");
    let account = auth.sign_in_interactive(None).await.unwrap().account();

    refuse.store(true, Ordering::SeqCst);
    let error = auth.sign_out(None).unwrap_err().to_string();
    assert!(
        error.contains(&account.upn) && error.contains("still signed in"),
        "{error}"
    );
    assert!(error.contains("sign out again"), "says what to do: {error}");
    assert_eq!(
        auth.accounts().unwrap().list().len(),
        1,
        "the account stays listed"
    );
    assert!(vault.load(&account.key()).unwrap().is_some());
}

#[cfg(unix)]
#[test]
fn the_data_folder_and_the_account_list_are_private_to_the_user() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;

    let fresh = dir.path().join("new").join("roster");
    let mut accounts = Accounts::load(&fresh).unwrap();
    accounts.upsert(account("a@contoso.com", Cloud::Global));
    accounts.save().unwrap();
    assert_eq!(mode(&fresh), 0o700);
    assert_eq!(mode(&fresh.join("accounts.json")), 0o600);

    // A folder another part of Roster created first with the default permissions.
    let existing = dir.path().join("existing");
    std::fs::create_dir(&existing).unwrap();
    std::fs::set_permissions(&existing, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut accounts = Accounts::load(&existing).unwrap();
    accounts.upsert(account("a@contoso.com", Cloud::Global));
    accounts.save().unwrap();
    assert_eq!(mode(&existing), 0o700);
}
