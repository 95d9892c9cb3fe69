//! Refresh tokens in the OS keyring (`keyring-core` with one store per platform), under service
//! [`KEYRING_SERVICE`] and user [`crate::Account::key`], stored as bytes in chunks small enough for
//! every platform's keyring (Windows' Credential Manager takes at most 2,560 bytes per entry): the
//! layout is in [`chunks`].

use std::sync::Arc;

use keyring_core::{CredentialStore, Error as KeyringError};

use crate::error::AuthError;
use crate::secret::RefreshToken;

pub mod chunks;
#[cfg(test)]
mod windows_like;

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
        KeyringError::BadEncoding(_) => {
            "the saved entry is not readable; sign in again to replace it".to_owned()
        }
        // The bytes it carries are never shown; the reason is Roster's or the platform's words.
        KeyringError::BadDataFormat(_, reason) => {
            format!("{reason}; sign in again to replace it")
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

    /// Saves (or replaces) the refresh token of an account.
    pub fn save(&self, account_key: &str, token: &RefreshToken) -> Result<(), AuthError> {
        chunks::save(&*self.store, account_key, token.secret().as_bytes())
            .map_err(|e| AuthError::Keyring(describe(&e)))
    }

    /// The saved refresh token of an account, if any.
    pub fn load(&self, account_key: &str) -> Result<Option<RefreshToken>, AuthError> {
        let Some(bytes) = chunks::load(&*self.store, account_key)
            .map_err(|e| AuthError::Keyring(describe(&e)))?
        else {
            return Ok(None);
        };
        let token = String::from_utf8(bytes)
            .map_err(|_| AuthError::Keyring(describe(&KeyringError::BadEncoding(Vec::new()))))?;
        Ok(Some(RefreshToken::new(token)))
    }

    /// Moves a refresh token saved under an earlier Roster's key `from` to `to` (unless `to` already
    /// has one, from a newer sign-in), then deletes `from`; with `to` `None` it only deletes.
    pub(crate) fn migrate(&self, from: &str, to: Option<&str>) -> Result<(), AuthError> {
        if let Some(to) = to
            && self.load(to)?.is_none()
            && let Some(token) = self.load(from)?
        {
            self.save(to, &token)?;
        }
        self.delete(from).map(drop)
    }

    /// Deletes the refresh token of an account (all its entries); `false` when there was none.
    pub fn delete(&self, account_key: &str) -> Result<bool, AuthError> {
        chunks::delete(&*self.store, account_key).map_err(|e| AuthError::Keyring(describe(&e)))
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

    /// A refresh token of 4,000 characters (Entra's are often 1,000 to 2,000 and can be longer).
    fn long_token() -> String {
        (0..4000)
            .map(|i| char::from(b'A' + (i % 26) as u8))
            .collect()
    }

    #[test]
    fn a_4000_character_refresh_token_round_trips_within_credential_managers_limit() {
        let vault = TokenVault::new(windows_like::WindowsLike::store());
        let token = long_token();
        vault.save("k", &RefreshToken::new(token.clone())).unwrap();
        assert_eq!(vault.load("k").unwrap().unwrap().secret(), token);
        vault.save("k", &RefreshToken::new("short")).unwrap();
        assert_eq!(vault.load("k").unwrap().unwrap().secret(), "short");
        vault.save("k", &RefreshToken::new(token.clone())).unwrap();
        assert_eq!(vault.load("k").unwrap().unwrap().secret(), token);
        assert!(vault.delete("k").unwrap());
        assert!(vault.load("k").unwrap().is_none());
        assert!(!vault.delete("k").unwrap());
    }

    #[test]
    fn a_token_saved_whole_by_an_earlier_roster_is_still_read_and_then_replaced() {
        let store = windows_like::WindowsLike::store();
        let vault = TokenVault::new(store.clone());
        store
            .build(KEYRING_SERVICE, "k", None)
            .unwrap()
            .set_password("1.AQ-legacy")
            .unwrap();
        assert_eq!(vault.load("k").unwrap().unwrap().secret(), "1.AQ-legacy");
        vault.save("k", &RefreshToken::new("1.AQ-rotated")).unwrap();
        assert_eq!(vault.load("k").unwrap().unwrap().secret(), "1.AQ-rotated");
        assert!(vault.delete("k").unwrap());
        assert!(vault.load("k").unwrap().is_none());
    }

    #[test]
    fn a_missing_part_is_a_damaged_sign_in_never_a_wrong_token() {
        let store = windows_like::WindowsLike::store();
        let vault = TokenVault::new(store.clone());
        vault.save("k", &RefreshToken::new(long_token())).unwrap();
        store
            .build(KEYRING_SERVICE, "k#0.1", None)
            .unwrap()
            .delete_credential()
            .unwrap();
        let error = vault.load("k").unwrap_err().to_string();
        assert!(error.contains("sign in again"), "{error}");
        assert!(!error.contains("ABCDEF"), "no token in messages: {error}");
    }

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
