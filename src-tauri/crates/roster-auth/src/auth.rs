//! [`Auth`], the entry point the CLI and the desktop app call: sign in (browser or device code),
//! list, switch and sign out accounts, and get a [`Session`] (a `TokenSource`) for an account.

use std::path::PathBuf;
use std::sync::Arc;

use oauth2::TokenResponse as _;

use crate::accounts::{Account, Accounts};
use crate::config::{AuthConfig, Interaction};
use crate::error::AuthError;
use crate::oauth::{self, TokenResponse};
use crate::secret::RefreshToken;
use crate::session::Session;
use crate::signin::{self, DeviceCodePrompt};
use crate::vault::TokenVault;

/// What every sign-in and session shares.
#[derive(Debug, Clone)]
pub(crate) struct Context {
    pub config: AuthConfig,
    pub http: crate::token_http::TokenHttp,
    pub vault: TokenVault,
    pub data_dir: PathBuf,
    pub interaction: Interaction,
}

/// Delegated sign-in for Roster: accounts in `{data_dir}/accounts.json`, refresh tokens in `vault`.
#[derive(Debug, Clone)]
pub struct Auth {
    ctx: Arc<Context>,
}

impl Auth {
    /// Sign-in with `config`, the account list in `data_dir`, refresh tokens in `vault`, and the system
    /// browser (see [`Auth::with_interaction`]).
    pub fn new(
        config: AuthConfig,
        data_dir: impl Into<PathBuf>,
        vault: TokenVault,
    ) -> Result<Self, AuthError> {
        config.cloud.check_transport().map_err(AuthError::Config)?;
        let ctx = Context {
            config,
            http: oauth::http_client()?,
            vault,
            data_dir: data_dir.into(),
            interaction: Interaction::default(),
        };
        Ok(Self { ctx: Arc::new(ctx) })
    }

    /// Replaces how sign-in opens URLs and waits (`--no-browser`, tests).
    pub fn with_interaction(self, interaction: Interaction) -> Self {
        let mut ctx = (*self.ctx).clone();
        ctx.interaction = interaction;
        Self { ctx: Arc::new(ctx) }
    }

    /// The configuration in use.
    pub fn config(&self) -> &AuthConfig {
        &self.ctx.config
    }

    /// The account list as saved now. A list of an earlier Roster has its keyring entries moved to
    /// the new keys here, once (when the keyring cannot be used now, on a later call).
    pub fn accounts(&self) -> Result<Accounts, AuthError> {
        let mut accounts = Accounts::load(&self.ctx.data_dir)?;
        if accounts.legacy_entries().is_empty() {
            return Ok(accounts);
        }
        let moved = accounts
            .legacy_entries()
            .iter()
            .try_for_each(|entry| self.ctx.vault.migrate(&entry.from, entry.to.as_deref()));
        match moved {
            Ok(()) => {
                accounts.legacy_entries_moved();
                accounts.save()?;
                tracing::info!("moved the saved sign-ins of an earlier Roster to their new keys");
            }
            Err(error) => {
                tracing::warn!(%error, "could not move the saved sign-ins of an earlier Roster yet")
            }
        }
        Ok(accounts)
    }

    /// Signs in through the browser (authorization code + PKCE, loopback redirect) with the configured
    /// read scopes; the account becomes the active one.
    pub async fn sign_in_interactive(
        &self,
        login_hint: Option<&str>,
    ) -> Result<Session, AuthError> {
        let scopes = self.ctx.config.scopes.clone();
        let response = signin::interactive(&self.ctx, self.client()?, &scopes, login_hint).await?;
        self.finish(&response, &scopes)
    }

    /// Signs in with a device code: `on_code` gets the code and URL to show (the CLI prints them on
    /// stderr, the app shows them); returns once someone entered the code.
    pub async fn sign_in_device_code(
        &self,
        on_code: impl FnOnce(&DeviceCodePrompt),
    ) -> Result<Session, AuthError> {
        let scopes = self.ctx.config.scopes.clone();
        let response = signin::device_code(&self.ctx, self.client()?, &scopes, on_code).await?;
        self.finish(&response, &scopes)
    }

    /// A session for the account `selector` names (UPN or key), or the active account.
    pub fn session(&self, selector: Option<&str>) -> Result<Session, AuthError> {
        let account = self.accounts()?.find(selector)?.clone();
        account.cloud.check_transport().map_err(|reason| {
            AuthError::Config(format!(
                "{reason} The account list entry of {} says so; sign in again with an https address.",
                account.upn
            ))
        })?;
        Ok(Session::new(self.ctx.clone(), account, None))
    }

    /// Makes another signed-in account the active one.
    pub fn switch_account(&self, selector: &str) -> Result<Account, AuthError> {
        let mut accounts = self.accounts()?;
        let account = accounts.set_active(selector)?;
        accounts.save()?;
        Ok(account)
    }

    /// Signs an account out (the active one when `selector` is `None`): removes its refresh token from
    /// the keyring, then the account from the list. When the keyring entry cannot be deleted the
    /// account stays listed and the error says it is still signed in and what to do.
    pub fn sign_out(&self, selector: Option<&str>) -> Result<Account, AuthError> {
        let mut accounts = self.accounts()?;
        let account = accounts.find(selector)?.clone();
        self.ctx.vault.delete(&account.key()).map_err(|error| {
            let reason = match error {
                AuthError::Keyring(reason) => reason,
                other => other.to_string(),
            };
            AuthError::Keyring(format!(
                "{} is still signed in: the saved sign-in could not be deleted from the OS keyring ({reason}). \
                 Make the keyring usable and sign out again.",
                account.upn
            ))
        })?;
        accounts.remove(&account.key());
        accounts.save()?;
        Ok(account)
    }

    /// The OAuth client for the configured authority and app.
    fn client(&self) -> Result<oauth::EntraClient, AuthError> {
        let config = &self.ctx.config;
        oauth::client(&config.cloud, &config.tenant, &config.client_id)
    }

    /// Who is signed in now (the active account), if anybody.
    pub fn whoami(&self) -> Result<Option<Account>, AuthError> {
        Ok(self.accounts()?.active().cloned())
    }

    /// Saves a completed sign-in: refresh token to the keyring, account to the list (active).
    fn finish(&self, response: &TokenResponse, asked: &[String]) -> Result<Session, AuthError> {
        let claims = oauth::id_claims(response)?;
        let account = Account {
            upn: claims.preferred_username,
            display_name: claims.name,
            object_id: claims.oid,
            tenant_id: claims.tid,
            cloud: self.ctx.config.cloud.clone(),
            client_id: self.ctx.config.client_id.clone(),
            scopes: oauth::granted_scopes(response, asked),
        };
        let refresh_token = response.refresh_token().ok_or_else(|| {
            AuthError::Refused(
                "the sign-in answer had no refresh token (offline_access was not granted)"
                    .to_owned(),
            )
        })?;
        self.ctx.vault.save(
            &account.key(),
            &RefreshToken::new(refresh_token.secret().clone()),
        )?;
        let mut accounts = self.accounts()?;
        accounts.upsert(account.clone());
        accounts.save()?;
        tracing::info!(account = %account.upn, tenant = %account.tenant_id, "signed in");
        Ok(Session::new(self.ctx.clone(), account, Some(response)))
    }
}
