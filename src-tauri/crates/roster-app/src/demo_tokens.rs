//! The demo tenant's token source: mints a token for the demo admin whenever the cached one is near
//! its end, so a demo session outlives the emulator's token lifetime like a real one does.

use std::sync::{Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

use roster_emulator::Emulator;
use roster_graph::{AccessToken, BoxFuture, TokenError, TokenSource};

/// Mint a new token when the cached one has less than this left (or less than half its lifetime).
const RENEW_MARGIN: Duration = Duration::from_secs(60);

/// Tokens for `upn` with `scopes`, minted by the demo tenant. Holds the tenant weakly: once the demo
/// session ends, asking for a token says "sign in again".
pub(crate) struct DemoTokens {
    emulator: Weak<Emulator>,
    upn: String,
    scopes: Vec<&'static str>,
    lifetime: Duration,
    cached: Mutex<Option<(AccessToken, Instant)>>,
}

impl DemoTokens {
    /// A source for `upn` with `scopes`; `lifetime` is what the tenant gives each token.
    pub(crate) fn new(
        emulator: Weak<Emulator>,
        upn: String,
        scopes: Vec<&'static str>,
        lifetime: Duration,
    ) -> Self {
        Self {
            emulator,
            upn,
            scopes,
            lifetime,
            cached: Mutex::new(None),
        }
    }

    fn token(&self) -> Result<AccessToken, TokenError> {
        let mut cached = self.cached.lock().unwrap_or_else(PoisonError::into_inner);
        let margin = RENEW_MARGIN.min(self.lifetime / 2);
        if let Some((token, expires_at)) = cached.as_ref()
            && *expires_at > Instant::now() + margin
        {
            return Ok(token.clone());
        }
        let emulator = self.emulator.upgrade().ok_or_else(|| {
            TokenError::SignInRequired("The demo session has ended. Sign in again.".to_owned())
        })?;
        let issued_at = Instant::now();
        let token = AccessToken::new(emulator.mint_token(&self.upn, &self.scopes));
        *cached = Some((token.clone(), issued_at + self.lifetime));
        Ok(token)
    }
}

impl TokenSource for DemoTokens {
    fn access_token<'a>(
        &'a self,
        _scopes: &'a [String],
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>> {
        let token = self.token();
        Box::pin(async move { token })
    }

    fn invalidate<'a>(&'a self, rejected: &'a AccessToken) -> BoxFuture<'a, ()> {
        let mut cached = self.cached.lock().unwrap_or_else(PoisonError::into_inner);
        if cached
            .as_ref()
            .is_some_and(|(token, _)| token.secret() == rejected.secret())
        {
            *cached = None;
        }
        Box::pin(async {})
    }
}
