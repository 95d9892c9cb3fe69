//! A signed-in account that hands out access tokens: kept in memory only, refreshed silently before
//! they expire, with every rotated refresh token saved to the keyring at once. Implements
//! [`roster_graph::TokenSource`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use oauth2::TokenResponse as _;
use roster_graph::{AccessToken, BoxFuture, TokenError, TokenSource};

use crate::accounts::{Account, Accounts};
use crate::auth::Context;
use crate::error::{self, AuthError};
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

/// The access tokens in memory, one per asked scope set ([`scope_key`]): a write token never
/// replaces the read token, nor the other way round.
type Cache = HashMap<String, Cached>;

struct Inner {
    ctx: Arc<Context>,
    account: Mutex<Account>,
    /// Held across a refresh, so two callers never spend the same (single-use) refresh token.
    cache: tokio::sync::Mutex<Cache>,
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

/// Graph permissions that include others: Microsoft Graph's permissions reference lists them as an
/// API's "higher privileged permissions" (listing groups and their members accepts Group.Read.All
/// or Directory.Read.All where GroupMember.Read.All is the least). A granted key carries its values,
/// so a read sign-in never asks the identity platform for a narrower permission it already has
/// (which would need a consent of its own).
const IMPLIED: &[(&str, &[&str])] = &[
    ("Group.Read.All", &["GroupMember.Read.All"]),
    ("GroupMember.ReadWrite.All", &["GroupMember.Read.All"]),
    ("User.Read.All", &["User.Read", "User.ReadBasic.All"]),
    (
        "Directory.Read.All",
        &[
            "User.Read.All",
            "User.ReadBasic.All",
            "Group.Read.All",
            "GroupMember.Read.All",
        ],
    ),
];

/// Whether the granted permission `granted` allows `wanted` (the same, or one it includes).
fn allows(granted: &str, wanted: &str) -> bool {
    granted.eq_ignore_ascii_case(wanted)
        || IMPLIED.iter().any(|(key, values)| {
            key.eq_ignore_ascii_case(granted)
                && values.iter().any(|v| v.eq_ignore_ascii_case(wanted))
        })
}

fn covers(granted: &[String], wanted: &[String]) -> bool {
    wanted.iter().filter(|w| !oauth::is_oidc(w)).all(|w| {
        granted
            .iter()
            .any(|g| allows(oauth::bare_scope(g), oauth::bare_scope(w)))
    })
}

/// The cache key of an asked scope set: its Graph permissions, bare, lower-case, sorted, without
/// the OIDC scopes.
fn scope_key(scopes: &[String]) -> String {
    let mut names: Vec<String> = scopes
        .iter()
        .map(|s| oauth::bare_scope(s).to_ascii_lowercase())
        .filter(|s| !oauth::is_oidc(s))
        .collect();
    names.sort();
    names.dedup();
    names.join(" ")
}

/// The Graph permissions of `wanted` that `granted` lacks (bare names).
fn lacking(granted: &[String], wanted: &[String]) -> Vec<String> {
    wanted
        .iter()
        .filter(|w| !oauth::is_oidc(w) && !covers(granted, std::slice::from_ref(*w)))
        .map(|w| oauth::bare_scope(w).to_owned())
        .collect()
}

/// A fresh cached token for `scopes`: the one cached under their `key`, else the narrowest other one
/// that carries them all (the read token for reads, even when a write token is cached too).
fn cached_token(cache: &Cache, key: &str, scopes: &[String]) -> Option<AccessToken> {
    let fresh = |c: &&Cached| {
        c.expires_at.saturating_duration_since(Instant::now()) > REFRESH_MARGIN
            && covers(&c.scopes, scopes)
    };
    cache
        .get(key)
        .filter(fresh)
        .or_else(|| cache.values().filter(fresh).min_by_key(|c| c.scopes.len()))
        .map(|c| c.token.clone())
}

fn union(a: &[String], b: &[String]) -> Vec<String> {
    let mut all: Vec<String> = a.to_vec();
    for scope in b
        .iter()
        .map(|s| oauth::bare_scope(s))
        .filter(|s| !oauth::is_oidc(s))
    {
        if !covers(&all, &[scope.to_owned()]) {
            all.push(scope.to_owned());
        }
    }
    all
}

impl Session {
    pub(crate) fn new(ctx: Arc<Context>, account: Account, first: Option<&TokenResponse>) -> Self {
        let mut cache = Cache::new();
        if let Some(response) = first {
            let cached = Cached {
                token: AccessToken::new(response.access_token().secret().clone()),
                scopes: account.scopes.clone(),
                expires_at: expiry(Instant::now(), response.expires_in()),
            };
            cache.insert(scope_key(&account.scopes), cached);
        }
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
    /// [`REFRESH_MARGIN`]: the one cached for this scope set, or a fresh one from the refresh token.
    /// A token response that grants less than `scopes` is [`AuthError::ConsentNeeded`]: no token
    /// without the asked permissions is ever handed out.
    pub async fn token(&self, scopes: &[String]) -> Result<AccessToken, AuthError> {
        let key = scope_key(scopes);
        let mut cache = self.inner.cache.lock().await;
        if let Some(token) = cached_token(&cache, &key, scopes) {
            return Ok(token);
        }
        let fresh = self.refresh(scopes).await?;
        let token = fresh.token.clone();
        cache.insert(key, fresh);
        Ok(token)
    }

    /// Makes sure the account holds `scopes` (e.g. `GroupMember.ReadWrite.All` before a write job):
    /// asks the token endpoint for them silently (incremental consent: works when the user or an
    /// admin consented earlier) and caches that token for this scope set beside the others. When
    /// that needs the person: with `interactive`, signs in again in the browser for the wider set;
    /// without, [`AuthError::ConsentNeeded`] ("sign in again to allow changes" and the command).
    pub async fn ensure_scopes(&self, scopes: &[&str], interactive: bool) -> Result<(), AuthError> {
        let wanted: Vec<String> = scopes.iter().map(|s| (*s).to_owned()).collect();
        match self.token(&wanted).await {
            Ok(_) => Ok(()),
            Err(
                AuthError::SignInRequired(_)
                | AuthError::ConsentRequired(_)
                | AuthError::ConsentNeeded { .. },
            ) if interactive => {
                let account = self.account();
                let all = union(&account.scopes, &wanted);
                // The account's own authority and app, whatever the current configuration says.
                let client = oauth::client(&account.cloud, &account.tenant_id, &account.client_id)?;
                let asked = lacking(&account.scopes, &wanted);
                let response =
                    signin::interactive(&self.inner.ctx, client, &all, Some(&account.upn))
                        .await
                        .map_err(|e| match e {
                            AuthError::ConsentRequired(_) => {
                                error::admin_consent(Some(&account.upn), &asked, None)
                            }
                            other => other,
                        })?;
                let fresh = self.store_response(&response, &all)?;
                let missing = lacking(&fresh.scopes, &wanted);
                if !missing.is_empty() {
                    return Err(error::admin_consent(Some(&account.upn), &missing, None));
                }
                self.inner
                    .cache
                    .lock()
                    .await
                    .insert(scope_key(&wanted), fresh);
                Ok(())
            }
            Err(error) => Err(error),
        }
    }

    /// Uses the refresh token for `scopes` plus everything already granted, and checks that the
    /// answer grants `scopes`. When the identity platform wants consent first (AADSTS65001), or
    /// grants less, the error is [`AuthError::ConsentNeeded`]: the person signs in again for it.
    async fn refresh(&self, scopes: &[String]) -> Result<Cached, AuthError> {
        let account = self.account();
        let wanted = union(&account.scopes, scopes);
        let missing = lacking(&account.scopes, &wanted);
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
            .map_err(
                |e| match oauth::token_error(e, Some(&account.upn), &missing) {
                    AuthError::ConsentRequired(_) => {
                        let lacks = if missing.is_empty() {
                            lacking(&[], scopes)
                        } else {
                            missing.clone()
                        };
                        AuthError::consent_needed(&account.upn, &lacks)
                    }
                    other => other,
                },
            )?;
        let fresh = self.store_response(&response, &wanted)?;
        let not_granted = lacking(&fresh.scopes, scopes);
        if !not_granted.is_empty() {
            tracing::debug!(account = %account.upn, ?not_granted, "the token response granted less than asked");
            return Err(AuthError::consent_needed(&account.upn, &not_granted));
        }
        Ok(fresh)
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
            cache.retain(|_, c| c.token.secret() != rejected.secret());
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
    fn each_scope_set_has_its_own_key_and_what_a_response_lacks_is_named() {
        assert_eq!(
            scope_key(&strings(&[
                "https://graph.microsoft.com/Group.Read.All",
                "openid",
                "user.read.all",
                "User.Read.All"
            ])),
            "group.read.all user.read.all"
        );
        assert_ne!(
            scope_key(&strings(&["GroupMember.ReadWrite.All"])),
            scope_key(&strings(&["User.Read.All", "Group.Read.All"]))
        );
        // A response that grants less than asked: the missing permission is named.
        assert_eq!(
            lacking(
                &strings(&["User.Read.All", "Group.Read.All"]),
                &strings(&["GroupMember.ReadWrite.All", "offline_access"])
            ),
            strings(&["GroupMember.ReadWrite.All"])
        );
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
        // Group.Read.All includes GroupMember.Read.All: no second consent is asked for it.
        assert!(covers(&granted, &strings(&["GroupMember.Read.All"])));
        assert_eq!(
            union(&granted, &strings(&["GroupMember.Read.All"])),
            granted
        );
        assert!(!covers(
            &strings(&["GroupMember.Read.All"]),
            &strings(&["Group.Read.All"])
        ));
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
