//! A signed-in account that hands out access tokens: kept in memory only, refreshed silently before
//! they expire, with every rotated refresh token saved to the keyring at once. Implements
//! [`roster_graph::TokenSource`].

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use oauth2::TokenResponse as _;
use roster_graph::{AccessToken, BoxFuture, TokenError, TokenSource};

use crate::accounts::{Account, Accounts};
use crate::auth::Context;
use crate::error::AuthError;
use crate::oauth::{self, TokenResponse};
use crate::secret::RefreshToken;
use crate::signin;

/// Refresh this long before the access token expires.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(300);

/// The longest an access token is kept, whatever its `expires_in` says: a day. Entra's access tokens
/// live about an hour (graph-api.md §11.4); a longer claim is refreshed early rather than trusted.
pub const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// When a token that arrived at `now` with `expires_in` (server input: an hour when absent, at most
/// [`MAX_TOKEN_LIFETIME`]) expires; never panics, whatever the server sent.
fn expiry(now: Instant, expires_in: Option<Duration>) -> Instant {
    let lifetime = expires_in
        .unwrap_or(Duration::from_secs(3600))
        .min(MAX_TOKEN_LIFETIME);
    now.checked_add(lifetime).unwrap_or(now)
}

struct Cached {
    token: AccessToken,
    scopes: Vec<String>,
    expires_at: Instant,
}

struct Inner {
    ctx: Arc<Context>,
    account: Mutex<Account>,
    /// Held across a refresh, so two callers never spend the same (single-use) refresh token.
    cache: tokio::sync::Mutex<Option<Cached>>,
}

/// A signed-in account's token source. Cheap to clone; clones share the cached token.
#[derive(Clone)]
pub struct Session {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("account", &self.account().upn)
            .finish_non_exhaustive()
    }
}

fn covers(granted: &[String], wanted: &[String]) -> bool {
    wanted.iter().filter(|w| !oauth::is_oidc(w)).all(|w| {
        granted
            .iter()
            .any(|g| g.eq_ignore_ascii_case(oauth::bare_scope(w)))
    })
}

fn union(a: &[String], b: &[String]) -> Vec<String> {
    let mut all: Vec<String> = a.to_vec();
    for scope in b
        .iter()
        .map(|s| oauth::bare_scope(s))
        .filter(|s| !oauth::is_oidc(s))
    {
        if !all.iter().any(|g| g.eq_ignore_ascii_case(scope)) {
            all.push(scope.to_owned());
        }
    }
    all
}

impl Session {
    pub(crate) fn new(ctx: Arc<Context>, account: Account, first: Option<&TokenResponse>) -> Self {
        let cache = first.map(|response| Cached {
            token: AccessToken::new(response.access_token().secret().clone()),
            scopes: account.scopes.clone(),
            expires_at: expiry(Instant::now(), response.expires_in()),
        });
        Self {
            inner: Arc::new(Inner {
                ctx,
                account: Mutex::new(account),
                cache: tokio::sync::Mutex::new(cache),
            }),
        }
    }

    /// The account this session signs in as.
    pub fn account(&self) -> Account {
        self.inner
            .account
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// An access token carrying `scopes` (Graph permission names), valid for at least
    /// [`REFRESH_MARGIN`]: the cached one, or a fresh one from the refresh token.
    pub async fn token(&self, scopes: &[String]) -> Result<AccessToken, AuthError> {
        let mut cache = self.inner.cache.lock().await;
        if let Some(cached) = cache.as_ref()
            && cached.expires_at.saturating_duration_since(Instant::now()) > REFRESH_MARGIN
            && covers(&cached.scopes, scopes)
        {
            return Ok(cached.token.clone());
        }
        let fresh = self.refresh(scopes).await?;
        let token = fresh.token.clone();
        *cache = Some(fresh);
        Ok(token)
    }

    /// Makes sure the account holds `scopes` (e.g. `GroupMember.ReadWrite.All` before a write job):
    /// asks the token endpoint for them (incremental consent) and, when that needs the person and
    /// `interactive` is set, signs in again in the browser for the wider set.
    pub async fn ensure_scopes(&self, scopes: &[&str], interactive: bool) -> Result<(), AuthError> {
        let wanted: Vec<String> = scopes.iter().map(|s| (*s).to_owned()).collect();
        match self.token(&wanted).await {
            Ok(_) => Ok(()),
            Err(AuthError::SignInRequired(_) | AuthError::ConsentRequired(_)) if interactive => {
                let account = self.account();
                let all = union(&account.scopes, &wanted);
                // The account's own authority and app, whatever the current configuration says.
                let client = oauth::client(&account.cloud, &account.tenant_id, &account.client_id)?;
                let response =
                    signin::interactive(&self.inner.ctx, client, &all, Some(&account.upn)).await?;
                let fresh = self.store_response(&response, &all)?;
                *self.inner.cache.lock().await = Some(fresh);
                Ok(())
            }
            Err(error) => Err(error),
        }
    }

    /// Uses the refresh token for `scopes` plus everything already granted.
    async fn refresh(&self, scopes: &[String]) -> Result<Cached, AuthError> {
        let account = self.account();
        let wanted = union(&account.scopes, scopes);
        let missing: Vec<String> = wanted
            .iter()
            .filter(|w| !covers(&account.scopes, &[(*w).clone()]))
            .cloned()
            .collect();
        let saved = self.inner.ctx.vault.load(&account.key())?.ok_or_else(|| {
            AuthError::SignInRequired(format!(
                "There is no saved sign-in for {} in the OS keyring. Run `roster login --account {}`.",
                account.upn, account.upn
            ))
        })?;
        let client = oauth::client(&account.cloud, &account.tenant_id, &account.client_id)?;
        let refresh_token = oauth2::RefreshToken::new(saved.secret().to_owned());
        tracing::debug!(account = %account.upn, "refreshing the access token");
        let response = client
            .exchange_refresh_token(&refresh_token)
            .add_scopes(oauth::request_scopes(&wanted))
            .request_async(&self.inner.ctx.http)
            .await
            .map_err(|e| oauth::token_error(e, Some(&account.upn), &missing))?;
        self.store_response(&response, &wanted)
    }

    /// Saves a rotated refresh token and newly granted scopes at once; returns the token to cache.
    fn store_response(
        &self,
        response: &TokenResponse,
        asked: &[String],
    ) -> Result<Cached, AuthError> {
        let mut account = self.account();
        if let Some(rotated) = response.refresh_token() {
            self.inner
                .ctx
                .vault
                .save(&account.key(), &RefreshToken::new(rotated.secret().clone()))?;
        }
        let granted = oauth::granted_scopes(response, asked);
        if !covers(&account.scopes, &granted) || !covers(&granted, &account.scopes) {
            account.scopes = granted.clone();
            let mut accounts = Accounts::load(&self.inner.ctx.data_dir)?;
            accounts.update(account.clone());
            accounts.save()?;
            *self
                .inner
                .account
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = account;
        }
        Ok(Cached {
            token: AccessToken::new(response.access_token().secret().clone()),
            scopes: granted,
            expires_at: expiry(Instant::now(), response.expires_in()),
        })
    }
}

impl TokenSource for Session {
    fn access_token<'a>(
        &'a self,
        scopes: &'a [String],
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>> {
        Box::pin(async move { self.token(scopes).await.map_err(TokenError::from) })
    }

    fn invalidate<'a>(&'a self, rejected: &'a AccessToken) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let mut cache = self.inner.cache.lock().await;
            if cache
                .as_ref()
                .is_some_and(|c| c.token.secret() == rejected.secret())
            {
                *cache = None;
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_token_lifetime_from_the_server_is_capped_and_never_overflows() {
        let now = Instant::now();
        assert_eq!(expiry(now, Some(Duration::MAX)), now + MAX_TOKEN_LIFETIME);
        assert_eq!(
            expiry(now, Some(Duration::from_secs(3599))),
            now + Duration::from_secs(3599)
        );
        assert_eq!(expiry(now, None), now + Duration::from_secs(3600));
    }

    #[test]
    fn scope_coverage_ignores_case_oidc_and_resource_prefixes() {
        let granted = strings(&["User.Read.All", "Group.Read.All"]);
        assert!(covers(
            &granted,
            &strings(&[
                "user.read.all",
                "openid",
                "https://graph.microsoft.com/Group.Read.All"
            ])
        ));
        assert!(!covers(&granted, &strings(&["GroupMember.ReadWrite.All"])));
        assert_eq!(
            union(
                &granted,
                &strings(&[
                    "GROUP.READ.ALL",
                    "GroupMember.ReadWrite.All",
                    "offline_access"
                ])
            ),
            strings(&[
                "User.Read.All",
                "Group.Read.All",
                "GroupMember.ReadWrite.All"
            ])
        );
    }
}
