//! Refresh tokens in the OS keyring (`keyring-core` with one store per platform). Each account has one
//! entry, service [`KEYRING_SERVICE`], user [`crate::Account::key`].

use std::sync::Arc;

use keyring_core::{CredentialStore, Error as KeyringError};

use crate::error::AuthError;
use crate::secret::RefreshToken;

/// The keyring service name of Roster's entries.
pub const KEYRING_SERVICE: &str = "roster";

/// Where refresh tokens are kept.
#[derive(Clone)]
pub struct TokenVault {
    store: Arc<CredentialStore>,
}

impl std::fmt::Debug for TokenVault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenVault")
            .field("store", &self.store.vendor())
            .finish()
    }
}

/// A keyring error in words, never with the secret bytes some variants carry.
fn describe(error: &KeyringError) -> String {
    match error {
        KeyringError::PlatformFailure(e) => format!("the keyring failed ({e})"),
        KeyringError::NoStorageAccess(e) => format!(
            "the keyring refused access ({e}); unlock it, or on a headless Linux run inside a session keyring \
             (`keyctl session -`)"
        ),
        KeyringError::BadEncoding(_) | KeyringError::BadDataFormat(..) => {
            "the saved entry is not readable; sign in again to replace it".to_owned()
        }
        KeyringError::NoDefaultStore => "no keyring store is available".to_owned(),
        other => format!("{other}"),
    }
}

impl TokenVault {
    /// A vault over `store` (tests pass `keyring_core::mock::Store::new()`).
    pub fn new(store: Arc<CredentialStore>) -> Self {
        Self { store }
    }

    /// An in-memory vault (keyring-core's mock store): nothing survives the process.
    pub fn in_memory() -> Result<Self, AuthError> {
        let store =
            keyring_core::mock::Store::new().map_err(|e| AuthError::Keyring(describe(&e)))?;
        Ok(Self { store })
    }

    /// The OS keyring: on Linux the Secret Service when a session bus is there, else the kernel
    /// keyutils store; the login keychain on macOS; the Credential Manager on Windows.
    pub fn platform() -> Result<Self, AuthError> {
        platform_store().map(|store| Self { store })
    }

    /// The Linux kernel keyutils store (persistent keyring, survives logout, not reboot). Needs a session
    /// keyring: headless shells get one with `keyctl session -`.
    #[cfg(target_os = "linux")]
    pub fn linux_keyutils() -> Result<Self, AuthError> {
        let store = linux_keyutils_keyring_store::Store::new()
            .map_err(|e| AuthError::Keyring(describe(&e)))?;
        Ok(Self { store })
    }

    /// Which store this is (for `roster whoami` and diagnostics).
    pub fn store_name(&self) -> String {
        self.store.vendor()
    }

    fn entry(&self, account_key: &str) -> Result<keyring_core::Entry, AuthError> {
        self.store
            .build(KEYRING_SERVICE, account_key, None)
            .map_err(|e| AuthError::Keyring(describe(&e)))
    }

    /// Saves (or replaces) the refresh token of an account.
    pub fn save(&self, account_key: &str, token: &RefreshToken) -> Result<(), AuthError> {
        self.entry(account_key)?
            .set_password(token.secret())
            .map_err(|e| AuthError::Keyring(describe(&e)))
    }

    /// The saved refresh token of an account, if any.
    pub fn load(&self, account_key: &str) -> Result<Option<RefreshToken>, AuthError> {
        match self.entry(account_key)?.get_password() {
            Ok(token) => Ok(Some(RefreshToken::new(token))),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(e) => Err(AuthError::Keyring(describe(&e))),
        }
    }

    /// Deletes the refresh token of an account; `false` when there was none.
    pub fn delete(&self, account_key: &str) -> Result<bool, AuthError> {
        match self.entry(account_key)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(KeyringError::NoEntry) => Ok(false),
            Err(e) => Err(AuthError::Keyring(describe(&e))),
        }
    }
}

#[cfg(target_os = "linux")]
fn platform_store() -> Result<Arc<CredentialStore>, AuthError> {
    if session_bus_present()
        && let Ok(store) = zbus_secret_service_keyring_store::Store::new()
    {
        return Ok(store);
    }
    linux_keyutils_keyring_store::Store::new()
        .map(|store| store as Arc<CredentialStore>)
        .map_err(|e| AuthError::Keyring(describe(&e)))
}

/// Whether a D-Bus session bus is advertised (headless machines usually have none).
#[cfg(target_os = "linux")]
fn session_bus_present() -> bool {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty()) {
        return true;
    }
    std::env::var_os("XDG_RUNTIME_DIR")
        .is_some_and(|dir| std::path::Path::new(&dir).join("bus").exists())
}

#[cfg(target_os = "macos")]
fn platform_store() -> Result<Arc<CredentialStore>, AuthError> {
    apple_native_keyring_store::keychain::Store::new()
        .map(|store| store as Arc<CredentialStore>)
        .map_err(|e| AuthError::Keyring(describe(&e)))
}

#[cfg(target_os = "windows")]
fn platform_store() -> Result<Arc<CredentialStore>, AuthError> {
    windows_native_keyring_store::Store::new()
        .map(|store| store as Arc<CredentialStore>)
        .map_err(|e| AuthError::Keyring(describe(&e)))
}

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
fn platform_store() -> Result<Arc<CredentialStore>, AuthError> {
    Err(AuthError::Keyring(
        "Roster has no keyring store for this operating system".to_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_load_replace_delete_in_the_mock_store() {
        let vault = TokenVault::in_memory().unwrap();
        assert!(vault.load("a|t|c|h").unwrap().is_none());
        vault.save("a|t|c|h", &RefreshToken::new("first")).unwrap();
        vault.save("a|t|c|h", &RefreshToken::new("second")).unwrap();
        assert_eq!(vault.load("a|t|c|h").unwrap().unwrap().secret(), "second");
        assert!(vault.load("b|t|c|h").unwrap().is_none());
        assert!(vault.delete("a|t|c|h").unwrap());
        assert!(!vault.delete("a|t|c|h").unwrap());
        assert!(vault.load("a|t|c|h").unwrap().is_none());
    }
}
