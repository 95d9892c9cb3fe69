//! Where the client gets its bearer tokens from.
//!
//! The Graph client never signs anybody in: it asks a [`TokenSource`] for a token before each request and
//! tells it when Graph rejected one, so that `roster-auth` (interactive sign-in, refresh tokens in the OS
//! keyring, app-only credentials) and tests (a token minted by the emulator) plug in the same way.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use secrecy::{ExposeSecret, SecretString};

/// A boxed, sendable future, the return type of [`TokenSource`] methods (object-safe async).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A bearer access token. Its `Debug` and `Display` never show the token itself.
#[derive(Clone)]
pub struct AccessToken(SecretString);

impl AccessToken {
    /// Wraps a raw token string.
    pub fn new(token: impl Into<String>) -> Self {
        Self(SecretString::from(token.into()))
    }

    /// The raw token, for the `Authorization` header only. Never log or format it.
    pub fn secret(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

/// Why no token could be had. Messages are for people: they say what to do, never contain a token.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// Nobody is signed in, or the refresh token is gone, revoked or expired: sign in again.
    #[error("{0}")]
    SignInRequired(String),
    /// The account or app lacks consent for a scope: names the scope and who can grant it.
    #[error("{0}")]
    ConsentRequired(String),
    /// The identity platform could not be reached or answered with a server error.
    #[error("{0}")]
    Unavailable(String),
}

/// Supplies access tokens for Microsoft Graph.
///
/// `scopes` are Graph permission names (`User.Read.All`, `GroupMember.ReadWrite.All`); a source asks for
/// more consent when a write job needs a scope it does not hold yet.
pub trait TokenSource: Send + Sync {
    /// A token valid for at least the next minute that carries `scopes`.
    fn access_token<'a>(
        &'a self,
        scopes: &'a [String],
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>>;

    /// Graph answered 401 with this token: drop it, so the next call refreshes.
    fn invalidate<'a>(&'a self, rejected: &'a AccessToken) -> BoxFuture<'a, ()>;
}

/// A fixed token, for tests and for tokens minted by the emulator. It cannot refresh.
#[derive(Debug, Clone)]
pub struct StaticToken(pub AccessToken);

impl TokenSource for StaticToken {
    fn access_token<'a>(
        &'a self,
        _scopes: &'a [String],
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }

    fn invalidate<'a>(&'a self, _rejected: &'a AccessToken) -> BoxFuture<'a, ()> {
        Box::pin(async {})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_token() {
        let token = AccessToken::new("eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.secret");
        assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
        assert!(!format!("{:?}", StaticToken(token.clone())).contains("secret"));
        assert_eq!(
            token.secret(),
            "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.secret"
        );
    }

    #[tokio::test]
    async fn static_token_returns_the_same_token() {
        let source = StaticToken(AccessToken::new("abc"));
        let got = source
            .access_token(&["User.Read.All".to_owned()])
            .await
            .map(|t| t.secret().to_owned());
        assert_eq!(got.ok().as_deref(), Some("abc"));
    }
}
