//! Secret strings that never show themselves: `Debug` prints `<redacted>`, there is no `Display`.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// A refresh token. Lives in memory only on its way to or from the OS keyring.
#[derive(Clone)]
pub struct RefreshToken(SecretString);

impl RefreshToken {
    /// Wraps a raw refresh token.
    pub fn new(token: impl Into<String>) -> Self {
        Self(SecretString::from(token.into()))
    }

    /// The raw token, for the token request and the keyring only.
    pub fn secret(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for RefreshToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RefreshToken(<redacted>)")
    }
}

/// A client secret of a confidential app (app-only automation).
#[derive(Clone)]
pub struct ClientSecret(SecretString);

impl ClientSecret {
    /// Wraps a raw client secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(SecretString::from(secret.into()))
    }

    /// The raw secret, for the credential only.
    pub fn secret(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSecret(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let token = RefreshToken::new("1.AQ-secret-refresh");
        let secret = ClientSecret::new("s3cr3t~value");
        assert_eq!(format!("{token:?}"), "RefreshToken(<redacted>)");
        assert_eq!(format!("{secret:?}"), "ClientSecret(<redacted>)");
        assert_eq!(token.secret(), "1.AQ-secret-refresh");
        assert_eq!(secret.secret(), "s3cr3t~value");
    }
}
