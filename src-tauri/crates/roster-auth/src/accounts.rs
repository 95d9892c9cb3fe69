//! The signed-in accounts, kept in `accounts.json` in the data dir. The file holds who is signed in
//! where, never a token: refresh tokens live in the OS keyring under [`Account::key`].

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::cloud::Cloud;
use crate::error::AuthError;

/// The file name of the account list in the data dir.
pub const ACCOUNTS_FILE: &str = "accounts.json";

/// One signed-in account: a user in a tenant, through an app, in a cloud.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    /// The user principal name (`admin@contoso.onmicrosoft.com`).
    pub upn: String,
    /// The display name from the id token.
    pub display_name: String,
    /// The user's object id.
    pub object_id: String,
    /// The tenant id (GUID).
    pub tenant_id: String,
    /// The cloud signed in to.
    pub cloud: Cloud,
    /// The app (client) id used.
    pub client_id: String,
    /// Graph permissions granted so far.
    pub scopes: Vec<String>,
}

impl Account {
    /// The stable identity of the account (also its keyring entry name):
    /// `upn|tenant id|client id|authority host`, lower-case.
    pub fn key(&self) -> String {
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

/// The account list, loaded from and saved to `{data_dir}/accounts.json`.
#[derive(Debug)]
pub struct Accounts {
    path: PathBuf,
    file: AccountsFile,
}

impl Accounts {
    /// Loads the list (an absent file is an empty list).
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
                version: 1,
                ..AccountsFile::default()
            },
            Err(e) => {
                return Err(AuthError::AccountsFile {
                    path,
                    reason: e.to_string(),
                });
            }
        };
        Ok(Self { path, file })
    }

    /// Writes the list (to `accounts.json.part`, then renamed).
    pub fn save(&self) -> Result<(), AuthError> {
        let error = |e: std::io::Error| AuthError::AccountsFile {
            path: self.path.clone(),
            reason: e.to_string(),
        };
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(error)?;
        }
        let json = serde_json::to_vec_pretty(&self.file).map_err(|e| AuthError::AccountsFile {
            path: self.path.clone(),
            reason: e.to_string(),
        })?;
        let part = self.path.with_extension("json.part");
        std::fs::write(&part, json).map_err(error)?;
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
    fn a_corrupt_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(ACCOUNTS_FILE), b"{ not json").unwrap();
        let error = Accounts::load(dir.path()).unwrap_err().to_string();
        assert!(error.contains("accounts.json") && error.contains("not a valid account list"));
    }
}
