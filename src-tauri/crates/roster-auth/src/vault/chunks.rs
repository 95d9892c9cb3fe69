//! How a refresh token is laid out in the keyring, the same on every platform.
//!
//! Windows' Credential Manager stores at most 2,560 bytes per credential
//! (`CRED_MAX_CREDENTIAL_BLOB_SIZE`,
//! <https://microsoft.github.io/windows-docs-rs/doc/windows/Win32/Security/Credentials/constant.CRED_MAX_CREDENTIAL_BLOB_SIZE.html>),
//! and `windows-native-keyring-store` 1.1.0 stores a `set_password` string as UTF-16, so a password
//! over 1,280 characters is refused (`validate_password` in its `utils.rs`,
//! <https://docs.rs/crate/windows-native-keyring-store/1.1.0/source/src/utils.rs>); Entra's refresh
//! tokens can be longer. So a token is stored as bytes (`set_secret`, UTF-8 as it is) in chunks:
//!
//! - entry `roster` / `{key}` holds the header, the ASCII text
//!   `roster-chunks/1 {generation} {count} {length}`;
//! - entries `roster` / `{key}#{generation}.{index}`, index `0..count`, hold the token's bytes,
//!   [`CHUNK_BYTES`] each (the last one shorter), `length` bytes in all.
//!
//! A save writes the chunks of the other generation (0 or 1) first, then the header, then deletes
//! the previous generation's chunks: a save cut short leaves the previous token readable. An entry
//! `{key}` without the header is a token saved whole by an earlier Roster (`set_password`), read as
//! it was written; the next save (the next refresh rotates the token) replaces it with chunks.

use keyring_core::{CredentialStore, Entry, Error as KeyringError};

use super::KEYRING_SERVICE;

/// The bytes per chunk: under Windows' 2,560 with room to spare.
pub const CHUNK_BYTES: usize = 2000;

/// The most chunks a token may have (128 KB): far beyond any refresh token, and a bound on what a
/// damaged header can make Roster read.
pub const MAX_CHUNKS: usize = 64;

const MAGIC: &str = "roster-chunks/1";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Header {
    generation: u8,
    count: usize,
    length: usize,
}

impl Header {
    fn encode(self) -> String {
        format!("{MAGIC} {} {} {}", self.generation, self.count, self.length)
    }

    /// The header in `bytes`; `None` when they are not one (an entry saved whole).
    fn decode(bytes: &[u8]) -> Option<Result<Self, KeyringError>> {
        let text = std::str::from_utf8(bytes).ok()?;
        let rest = text.strip_prefix(MAGIC)?.strip_prefix(' ')?;
        let fields: Vec<usize> = rest
            .split(' ')
            .map(str::parse)
            .collect::<Result<_, _>>()
            .ok()?;
        let header = match fields[..] {
            [generation @ (0 | 1), count, length]
                if count <= MAX_CHUNKS
                    && length <= count * CHUNK_BYTES
                    && length > count.saturating_sub(1) * CHUNK_BYTES =>
            {
                Ok(Self {
                    generation: generation as u8,
                    count,
                    length,
                })
            }
            _ => Err(damaged("its header is not valid")),
        };
        Some(header)
    }
}

fn damaged(why: &str) -> KeyringError {
    KeyringError::BadDataFormat(
        Vec::new(),
        format!("the saved sign-in is damaged: {why}").into(),
    )
}

fn entry(store: &CredentialStore, user: &str) -> Result<Entry, KeyringError> {
    store.build(KEYRING_SERVICE, user, None)
}

fn chunk_user(key: &str, generation: u8, index: usize) -> String {
    format!("{key}#{generation}.{index}")
}

/// The header of `key`'s entry: `None` when there is no entry, `Some(None)` for a token saved whole.
fn header(main: &Entry) -> Result<Option<Option<Header>>, KeyringError> {
    match main.get_secret() {
        Ok(bytes) => Header::decode(&bytes).transpose().map(Some),
        Err(KeyringError::NoEntry) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Deletes chunks `from..` of `generation` until one is missing.
fn delete_chunks(
    store: &CredentialStore,
    key: &str,
    generation: u8,
    from: usize,
) -> Result<(), KeyringError> {
    for index in from..MAX_CHUNKS {
        match entry(store, &chunk_user(key, generation, index))?.delete_credential() {
            Ok(()) => {}
            Err(KeyringError::NoEntry) => return Ok(()),
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Saves `secret` as `key`'s token (replacing any earlier one).
pub(crate) fn save(store: &CredentialStore, key: &str, secret: &[u8]) -> Result<(), KeyringError> {
    let count = secret.len().div_ceil(CHUNK_BYTES);
    if count > MAX_CHUNKS {
        return Err(KeyringError::TooLong(
            "refresh token".to_owned(),
            (MAX_CHUNKS * CHUNK_BYTES) as u32,
        ));
    }
    let main = entry(store, key)?;
    // A damaged or unreadable header is replaced like any other.
    let previous = header(&main).ok().flatten().flatten();
    let generation = previous.map_or(0, |h| 1 - h.generation);
    for (index, chunk) in secret.chunks(CHUNK_BYTES).enumerate() {
        entry(store, &chunk_user(key, generation, index))?.set_secret(chunk)?;
    }
    let header = Header {
        generation,
        count,
        length: secret.len(),
    };
    main.set_secret(header.encode().as_bytes())?;
    // Leftovers only take space: failing to remove them does not undo the save.
    for (generation, from) in [(generation, count), (1 - generation, 0)] {
        if let Err(error) = delete_chunks(store, key, generation, from) {
            tracing::debug!(%error, "could not remove an old part of a saved sign-in");
        }
    }
    Ok(())
}

/// `key`'s token, or `None` when there is none.
pub(crate) fn load(store: &CredentialStore, key: &str) -> Result<Option<Vec<u8>>, KeyringError> {
    let main = entry(store, key)?;
    let header = match header(&main)? {
        None => return Ok(None),
        Some(None) => return main.get_password().map(|token| Some(token.into_bytes())),
        Some(Some(header)) => header,
    };
    let mut secret = Vec::with_capacity(header.length);
    for index in 0..header.count {
        match entry(store, &chunk_user(key, header.generation, index))?.get_secret() {
            Ok(chunk) => secret.extend_from_slice(&chunk),
            Err(KeyringError::NoEntry) => return Err(damaged("a part of it is missing")),
            Err(e) => return Err(e),
        }
    }
    if secret.len() != header.length {
        return Err(damaged("its parts do not add up"));
    }
    Ok(Some(secret))
}

/// Deletes `key`'s token and all its chunks; `false` when there was none.
pub(crate) fn delete(store: &CredentialStore, key: &str) -> Result<bool, KeyringError> {
    let main = entry(store, key)?;
    let existed = match main.delete_credential() {
        Ok(()) => true,
        Err(KeyringError::NoEntry) => false,
        Err(e) => return Err(e),
    };
    for generation in [0, 1] {
        delete_chunks(store, key, generation, 0)?;
    }
    Ok(existed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_round_trip_and_damaged_ones_are_refused() {
        let header = Header {
            generation: 1,
            count: 2,
            length: 2500,
        };
        assert_eq!(header.encode(), "roster-chunks/1 1 2 2500");
        assert_eq!(
            Header::decode(header.encode().as_bytes()).unwrap().unwrap(),
            header
        );
        assert!(Header::decode(b"1.AQ-a-token-saved-whole").is_none());
        for damaged in [
            "roster-chunks/1 2 1 10",
            "roster-chunks/1 0 1 2001",
            "roster-chunks/1 0 2 100",
            "roster-chunks/1 0 65 130000",
        ] {
            assert!(
                Header::decode(damaged.as_bytes()).unwrap().is_err(),
                "{damaged}"
            );
        }
    }
}
