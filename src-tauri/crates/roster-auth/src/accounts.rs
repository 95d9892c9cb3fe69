//! The signed-in accounts, kept in `accounts.json` in the data dir. The file holds who is signed in
//! where, never a token: refresh tokens live in the OS keyring under [`Account::key`].
//!
//! An account is keyed by who it is, not by what it is called: object id, tenant, app, authority and
//! Graph root ([`Account::key`]). A user's UPN can change; a sign-in after a rename replaces the
//! account instead of adding a second one. Lists written by an earlier Roster (version 1, keyed
//! `upn|tenant|client|authority`) are read as they are; [`crate::Auth`] moves their keyring entries
//! to the new keys once and then saves the list as version 2.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::cloud::Cloud;
use crate::error::AuthError;

/// The file name of the account list in the data dir.
pub const ACCOUNTS_FILE: &str = "accounts.json";

/// The version of the account list this Roster writes.
const VERSION: u32 = 2;

/// One signed-in account: a user in a tenant, through an app, in a cloud (its authority and the Graph
/// root its tokens are for).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    /// The user principal name (`admin@contoso.onmicrosoft.com`); it can change, so it is not part
    /// of the key.
    pub upn: String,
    /// The display name from the id token.
    pub display_name: String,
    /// The user's object id.
    pub object_id: String,
    /// The tenant id (GUID).
    pub tenant_id: String,
    /// The cloud signed in to: where its tokens are refreshed and the only Graph they are sent to.
    pub cloud: Cloud,
    /// The app (client) id used.
    pub client_id: String,
    /// Graph permissions granted so far.
    pub scopes: Vec<String>,
}

/// `root` as compared: no trailing slash, lower case.
fn normalized(root: &str) -> String {
    root.trim().trim_end_matches('/').to_ascii_lowercase()
}

impl Account {
    /// The stable identity of the account (also its keyring entry name), lower-case:
    /// `object id|tenant id|client id|authority host|graph root`. Binding the Graph root into the
    /// key means an account list edited to point elsewhere finds no saved sign-in, so no token
    /// follows the edit.
    pub fn key(&self) -> String {
        format!(
            "{}|{}|{}|{}|{}",
            self.object_id,
            self.tenant_id,
            self.client_id,
            self.cloud.authority_host(),
            self.cloud.graph_root()
        )
        .to_lowercase()
    }

    /// The key an earlier Roster (account list version 1) used: `upn|tenant|client|authority`.
    pub(crate) fn legacy_key(&self) -> String {
        format!(
            "{}|{}|{}|{}",
            self.upn,
            self.tenant_id,
            self.client_id,
            self.cloud.authority_host()
        )
        .to_lowercase()
    }

    /// `{authority host}/{tenant id}`: where this account refreshes its tokens.
    pub fn authority(&self) -> String {
        format!("{}/{}", self.cloud.authority_host(), self.tenant_id)
    }

    /// The Graph service root this account's tokens are for (no version, no trailing slash).
    pub fn graph_root(&self) -> &str {
        self.cloud.graph_root()
    }

    /// Checks that a Graph root asked for (`--graph-url`, `ROSTER_GRAPH_URL`) is this account's: a
    /// token is sent only to the Graph the account signed in for. `None` always passes.
    pub fn check_graph_root(&self, requested: Option<&str>) -> Result<(), AuthError> {
        match requested {
            Some(requested) if normalized(requested) != normalized(self.graph_root()) => {
                let requested = requested.trim().trim_end_matches('/');
                Err(AuthError::Config(format!(
                    "{upn} signed in for Microsoft Graph at {root}, not at {requested} (from --graph-url or \
                     ROSTER_GRAPH_URL), and Roster sends an account's tokens only to the Graph it signed in \
                     for. To use {requested}, sign in against it (`roster --graph-url {requested} --authority \
                     AUTHORITY login`); to use {root}, drop --graph-url and unset ROSTER_GRAPH_URL.",
                    upn = self.upn,
                    root = self.graph_root(),
                )))
            }
            _ => Ok(()),
        }
    }

    /// Whether `selector` names this account: its UPN (case-insensitive) or its key.
    pub fn matches(&self, selector: &str) -> bool {
        self.upn.eq_ignore_ascii_case(selector) || self.key() == selector.to_lowercase()
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AccountsFile {
    version: u32,
    active: Option<String>,
    accounts: Vec<Account>,
}

/// A keyring entry of an earlier Roster to move: from its version-1 key to the account's key
/// (`None` when a newer sign-in of the same account replaced it: the entry is only deleted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LegacyEntry {
    pub from: String,
    pub to: Option<String>,
}

/// The account list, loaded from and saved to `{data_dir}/accounts.json`.
#[derive(Debug)]
pub struct Accounts {
    path: PathBuf,
    file: AccountsFile,
    /// Keyring entries still under version-1 keys (a list of version 1 not yet saved again).
    legacy: Vec<LegacyEntry>,
}

impl Accounts {
    /// Loads the list (an absent file is an empty list). A list of an earlier Roster is read with
    /// its accounts under their new keys (the same account twice, after a rename, once: the later).
    pub fn load(data_dir: &Path) -> Result<Self, AuthError> {
        let path = data_dir.join(ACCOUNTS_FILE);
        let file = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| AuthError::AccountsFile {
                path: path.clone(),
                reason: format!(
                    "it is not a valid account list ({e}); move it away and sign in again"
                ),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => AccountsFile {
                version: VERSION,
                ..AccountsFile::default()
            },
            Err(e) => {
                return Err(AuthError::AccountsFile {
                    path,
                    reason: e.to_string(),
                });
            }
        };
        let mut accounts = Self {
            path,
            file,
            legacy: Vec::new(),
        };
        if accounts.file.version < VERSION {
            accounts.upgrade();
        }
        Ok(accounts)
    }

    /// Reads a version-1 list under the new keys and notes its keyring entries to move.
    fn upgrade(&mut self) {
        let active = self.file.active.take();
        let old = std::mem::take(&mut self.file.accounts);
        for account in &old {
            if active.as_deref() == Some(account.legacy_key().as_str())
                || active.as_deref() == Some(account.key().as_str())
            {
                self.file.active = Some(account.key());
            }
        }
        for (index, account) in old.iter().enumerate() {
            let key = account.key();
            let newest = !old[index + 1..].iter().any(|later| later.key() == key);
            self.legacy.push(LegacyEntry {
                from: account.legacy_key(),
                to: newest.then(|| key.clone()),
            });
            if newest {
                self.file.accounts.push(account.clone());
            }
        }
    }

    /// The keyring entries still under an earlier Roster's keys, to move before the list is saved.
    pub(crate) fn legacy_entries(&self) -> &[LegacyEntry] {
        &self.legacy
    }

    /// Notes that the legacy keyring entries were moved: the next save writes version 2.
    pub(crate) fn legacy_entries_moved(&mut self) {
        self.legacy.clear();
    }

    /// Writes the list (to `accounts.json.part`, then renamed), in a data folder private to the
    /// user (folder 0700, file 0600 on Unix). A list whose keyring entries were not moved yet stays
    /// version 1.
    pub fn save(&self) -> Result<(), AuthError> {
        let error = |e: std::io::Error| AuthError::AccountsFile {
            path: self.path.clone(),
            reason: e.to_string(),
        };
        if let Some(dir) = self.path.parent() {
            crate::private::private_dir(dir).map_err(error)?;
        }
        let file = AccountsFile {
            version: if self.legacy.is_empty() { VERSION } else { 1 },
            active: self.file.active.clone(),
            accounts: self.file.accounts.clone(),
        };
        let json = serde_json::to_vec_pretty(&file).map_err(|e| AuthError::AccountsFile {
            path: self.path.clone(),
            reason: e.to_string(),
        })?;
        let part = self.path.with_extension("json.part");
        crate::private::write_private(&part, &json).map_err(error)?;
        std::fs::rename(&part, &self.path).map_err(error)
    }

    /// Every account, in sign-in order.
    pub fn list(&self) -> &[Account] {
        &self.file.accounts
    }

    /// The active account (the one commands use when none is named).
    pub fn active(&self) -> Option<&Account> {
        let key = self.file.active.as_deref()?;
        self.file.accounts.iter().find(|a| a.key() == key)
    }

    /// The account `selector` names (UPN or key), or the active one when `selector` is `None`.
    pub fn find(&self, selector: Option<&str>) -> Result<&Account, AuthError> {
        match selector {
            Some(selector) => self
                .file
                .accounts
                .iter()
                .find(|a| a.matches(selector))
                .ok_or_else(|| AuthError::UnknownAccount(selector.to_owned())),
            None => self.active().ok_or(AuthError::NotSignedIn),
        }
    }

    /// Adds `account` (replacing the one with the same key) and makes it active.
    pub fn upsert(&mut self, account: Account) {
        let key = account.key();
        match self.file.accounts.iter_mut().find(|a| a.key() == key) {
            Some(existing) => *existing = account,
            None => self.file.accounts.push(account),
        }
        self.file.active = Some(key);
    }

    /// Replaces the account with the same key (newly granted scopes), leaving the active one alone;
    /// adds it when it is not there.
    pub fn update(&mut self, account: Account) {
        let key = account.key();
        match self.file.accounts.iter_mut().find(|a| a.key() == key) {
            Some(existing) => *existing = account,
            None => self.file.accounts.push(account),
        }
    }

    /// Makes the account `selector` names active.
    pub fn set_active(&mut self, selector: &str) -> Result<Account, AuthError> {
        let account = self.find(Some(selector))?.clone();
        self.file.active = Some(account.key());
        Ok(account)
    }

    /// Removes the account with `key`; if it was active, the first remaining one becomes active.
    pub fn remove(&mut self, key: &str) -> Option<Account> {
        let index = self.file.accounts.iter().position(|a| a.key() == key)?;
        let removed = self.file.accounts.remove(index);
        if self.file.active.as_deref() == Some(key) {
            self.file.active = self.file.accounts.first().map(Account::key);
        }
        Some(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(upn: &str, tenant: &str) -> Account {
        Account {
            upn: upn.to_owned(),
            display_name: "A".to_owned(),
            object_id: "oid".to_owned(),
            tenant_id: tenant.to_owned(),
            cloud: Cloud::Global,
            client_id: "client".to_owned(),
            scopes: vec!["User.Read.All".to_owned()],
        }
    }

    #[test]
    fn accounts_round_trip_switch_and_remove() {
        let dir = tempfile::tempdir().unwrap();
        let mut accounts = Accounts::load(dir.path()).unwrap();
        assert!(matches!(accounts.find(None), Err(AuthError::NotSignedIn)));
        accounts.upsert(account("a@contoso.com", "t1"));
        accounts.upsert(account("b@fabrikam.com", "t2"));
        accounts.save().unwrap();
        assert!(!dir.path().join("accounts.json.part").exists());

        let mut loaded = Accounts::load(dir.path()).unwrap();
        assert_eq!(loaded.list().len(), 2);
        assert_eq!(loaded.active().unwrap().upn, "b@fabrikam.com");
        assert_eq!(loaded.set_active("A@CONTOSO.COM").unwrap().tenant_id, "t1");
        let key = loaded.active().unwrap().key();
        assert_eq!(loaded.remove(&key).unwrap().upn, "a@contoso.com");
        assert_eq!(loaded.active().unwrap().upn, "b@fabrikam.com");
        assert!(matches!(
            loaded.find(Some("nobody@x")),
            Err(AuthError::UnknownAccount(_))
        ));
    }

    #[test]
    fn a_list_of_an_earlier_roster_is_read_under_the_new_keys() {
        let dir = tempfile::tempdir().unwrap();
        let old = account("adele@contoso.com", "t1");
        let renamed = Account {
            upn: "adele.vance@contoso.com".to_owned(),
            ..old.clone()
        };
        let other = account("b@fabrikam.com", "t2");
        let v1 = serde_json::json!({
            "version": 1,
            "active": old.legacy_key(),
            "accounts": [old, other, renamed],
        });
        std::fs::write(dir.path().join(ACCOUNTS_FILE), v1.to_string()).unwrap();

        let accounts = Accounts::load(dir.path()).unwrap();
        let upns: Vec<&str> = accounts.list().iter().map(|a| a.upn.as_str()).collect();
        assert_eq!(upns, ["b@fabrikam.com", "adele.vance@contoso.com"]);
        assert_eq!(accounts.active().unwrap().upn, "adele.vance@contoso.com");
        assert_eq!(
            accounts.legacy_entries(),
            [
                LegacyEntry {
                    from: old.legacy_key(),
                    to: None
                },
                LegacyEntry {
                    from: other.legacy_key(),
                    to: Some(other.key())
                },
                LegacyEntry {
                    from: renamed.legacy_key(),
                    to: Some(renamed.key())
                },
            ]
        );
        // Saved before its keyring entries moved, it stays version 1 and reads the same again (the
        // replaced duplicate is gone from it).
        accounts.save().unwrap();
        let again = Accounts::load(dir.path()).unwrap();
        assert_eq!(again.legacy_entries().len(), 2);
        assert_eq!(again.active().unwrap().upn, "adele.vance@contoso.com");
    }

    #[test]
    fn a_corrupt_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(ACCOUNTS_FILE), b"{ not json").unwrap();
        let error = Accounts::load(dir.path()).unwrap_err().to_string();
        assert!(error.contains("accounts.json") && error.contains("not a valid account list"));
    }
}
