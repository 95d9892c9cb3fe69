//! A test store with the Windows Credential Manager's limits over keyring-core's in-memory mock, so
//! the size limit is tested on every platform: `set_password` stores UTF-16 (two bytes per ASCII
//! character) and every secret is at most 2,560 bytes, as `windows-native-keyring-store` 1.1.0
//! enforces (`validate_password`, `validate_secret` in its `utils.rs`).

use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;

use keyring_core::api::{CredentialApi, CredentialStoreApi};
use keyring_core::{Credential, CredentialStore, Entry, Error, Result};

/// Windows' `CRED_MAX_CREDENTIAL_BLOB_SIZE`.
pub(crate) const CRED_MAX_CREDENTIAL_BLOB_SIZE: usize = 2560;

/// The store.
#[derive(Debug)]
pub(crate) struct WindowsLike {
    inner: Arc<CredentialStore>,
}

impl WindowsLike {
    /// A new, empty store.
    pub fn store() -> Arc<CredentialStore> {
        let inner = keyring_core::mock::Store::new().expect("the mock store starts");
        Arc::new(Self { inner })
    }
}

impl CredentialStoreApi for WindowsLike {
    fn vendor(&self) -> String {
        "roster test store with Windows Credential Manager limits".to_owned()
    }

    fn id(&self) -> String {
        self.inner.id()
    }

    fn build(
        &self,
        service: &str,
        user: &str,
        modifiers: Option<&HashMap<&str, &str>>,
    ) -> Result<Entry> {
        let inner = self.inner.build(service, user, modifiers)?;
        let credential: Arc<Credential> = Arc::new(Limited { inner });
        Ok(Entry::new_with_credential(credential))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[derive(Debug)]
struct Limited {
    inner: Entry,
}

impl CredentialApi for Limited {
    fn set_password(&self, password: &str) -> Result<()> {
        let blob: Vec<u8> = password.encode_utf16().flat_map(u16::to_le_bytes).collect();
        if blob.len() > CRED_MAX_CREDENTIAL_BLOB_SIZE {
            return Err(Error::TooLong(
                "password encoded as UTF-16".to_owned(),
                CRED_MAX_CREDENTIAL_BLOB_SIZE as u32,
            ));
        }
        self.inner.set_secret(&blob)
    }

    fn set_secret(&self, secret: &[u8]) -> Result<()> {
        if secret.len() > CRED_MAX_CREDENTIAL_BLOB_SIZE {
            return Err(Error::TooLong(
                "secret".to_owned(),
                CRED_MAX_CREDENTIAL_BLOB_SIZE as u32,
            ));
        }
        self.inner.set_secret(secret)
    }

    fn get_password(&self) -> Result<String> {
        let blob = self.inner.get_secret()?;
        if blob.len() % 2 != 0 {
            return Err(Error::BadEncoding(blob));
        }
        let units: Vec<u16> = blob
            .chunks_exact(2)
            .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
            .collect();
        String::from_utf16(&units).map_err(|_| Error::BadEncoding(blob))
    }

    fn get_secret(&self) -> Result<Vec<u8>> {
        self.inner.get_secret()
    }

    fn delete_credential(&self) -> Result<()> {
        self.inner.delete_credential()
    }

    fn get_credential(&self) -> Result<Option<Arc<Credential>>> {
        self.inner.get_secret().map(|_| None)
    }

    fn get_specifiers(&self) -> Option<(String, String)> {
        self.inner.get_specifiers()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
