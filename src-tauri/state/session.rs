//! The session's connection to a tenant: who is signed in, the Graph clients for reading and writing,
//! the saved accounts of the picker, switching and signing out.

use std::sync::Arc;

use roster_auth::{AuthError, WRITE_SCOPE};
use roster_emulator::{Emulator, EmulatorConfig};
use roster_graph::{ConcurrencyLimiter, GraphClient, TokenSource};

use super::demo_tokens::DemoTokens;
use super::{AppState, Connection, Tokens};
use crate::ipc::{
    AccountDto, AppError, Cloud, ErrorCode, SavedAccountDto, SessionDto, SignInOptionsDto,
};

/// Delegated scopes of the demo admin's reading token: the CLI demo's reads (contacts, hidden members and
/// authentication methods included), so previews and downloads see what an admin sees.
const DEMO_SCOPES: &[&str] = &[
    "User.Read.All",
    "Group.Read.All",
    "GroupMember.Read.All",
    "Directory.Read.All",
    "Device.Read.All",
    "Application.Read.All",
    "OrgContact.Read.All",
    "UserAuthenticationMethod.Read.All",
    "Member.Read.Hidden",
];

/// The scope added for writes (membership changes), asked for only when a write job starts.
const DEMO_WRITE_SCOPES: &[&str] = &["GroupMember.ReadWrite.All"];

/// The User-Agent of the app's Graph requests.
const USER_AGENT: &str = concat!("roster-desktop/", env!("CARGO_PKG_VERSION"));

impl AppState {
    /// Who is signed in.
    pub async fn session(&self) -> SessionDto {
        SessionDto {
            account: self
                .session
                .read()
                .await
                .as_ref()
                .map(|c| c.account.clone()),
        }
    }

    /// The signed-in session's Graph client for reading (what the tables and downloads use). Its
    /// tokens refresh silently (a real account through its refresh token, the demo by minting).
    pub async fn read_graph(&self) -> Result<GraphClient, AppError> {
        let session = self.session.read().await;
        let connection = session.as_ref().ok_or_else(AppError::unauthenticated)?;
        Ok(connection.graph.clone())
    }

    /// A Graph client allowed to change group memberships (GroupMember.ReadWrite.All), asked for only
    /// when a write job starts (incremental consent). The demo tenant mints such a token at once; a
    /// real account asks its refresh token for the permission, and when that needs the person the
    /// error code is [`ErrorCode::SignInAgain`] ("Sign in again to allow changes").
    pub async fn write_graph(&self) -> Result<GraphClient, AppError> {
        let session = self.session.read().await;
        let connection = session.as_ref().ok_or_else(AppError::unauthenticated)?;
        match &connection.tokens {
            Tokens::Demo(emulator) => {
                let scopes = DEMO_SCOPES
                    .iter()
                    .chain(DEMO_WRITE_SCOPES)
                    .copied()
                    .collect();
                demo_graph_client(
                    emulator,
                    &connection.account.username,
                    scopes,
                    self.demo_lifetime(),
                    Some(write_limiter()),
                )
            }
            Tokens::Account(tokens) => {
                tokens
                    .ensure_scopes(&[WRITE_SCOPE], false)
                    .await
                    .map_err(write_scope_error)?;
                let root = self.graph_root(&tokens.account().cloud);
                Ok(
                    GraphClient::builder(root.as_str(), Arc::new(tokens.clone()))
                        .limiter(write_limiter())
                        .default_scopes([WRITE_SCOPE])
                        .user_agent(USER_AGENT)
                        .build()?,
                )
            }
        }
    }

    /// Signs out: a real account is removed from the saved accounts and its refresh token from the
    /// OS keyring; the demo tenant stops. A no-op when nobody is signed in.
    pub async fn sign_out(&self) -> SessionDto {
        let key = match self.session.read().await.as_ref().map(|c| &c.tokens) {
            Some(Tokens::Account(tokens)) => Some(tokens.account().key()),
            _ => None,
        };
        if let Some(key) = key {
            match self.auth() {
                Ok(auth) => {
                    if let Err(error) = auth.sign_out(Some(&key)) {
                        tracing::warn!(%error, "could not remove the saved sign-in");
                    }
                }
                Err(error) => tracing::warn!(detail = ?error.detail, "{error}"),
            }
        }
        self.replace(None).await;
        SessionDto { account: None }
    }

    /// Ends the session but keeps the account saved, so the picker can sign in to it (or another)
    /// silently.
    pub async fn switch_account(&self) -> SessionDto {
        self.replace(None).await;
        SessionDto { account: None }
    }

    /// The saved accounts for the picker, and the custom authority if the app was started with one.
    pub fn accounts(&self) -> Result<SignInOptionsDto, AppError> {
        let saved = roster_auth::Accounts::load(&self.options.data_dir).map_err(auth_error)?;
        let active = saved.active().map(roster_auth::Account::key);
        let accounts = saved
            .list()
            .iter()
            .map(|account| SavedAccountDto {
                key: account.key(),
                username: account.upn.clone(),
                display_name: account.display_name.clone(),
                tenant_id: account.tenant_id.clone(),
                cloud: ipc_cloud(&account.cloud),
                active: active.as_deref() == Some(account.key().as_str()),
            })
            .collect();
        Ok(SignInOptionsDto {
            accounts,
            custom_authority: self.options.authority.clone(),
        })
    }

    /// Removes a saved account and its refresh token; signs out if it is the current one.
    pub async fn remove_account(&self, key: &str) -> Result<SignInOptionsDto, AppError> {
        let current = match self.session.read().await.as_ref().map(|c| &c.tokens) {
            Some(Tokens::Account(tokens)) => tokens.account().matches(key),
            _ => false,
        };
        self.auth()?.sign_out(Some(key)).map_err(auth_error)?;
        if current {
            self.replace(None).await;
        }
        self.accounts()
    }

    /// Makes `connection` the session, stopping the demo tenant of the previous one if it was one.
    pub(super) async fn replace(&self, next: Option<Connection>) {
        let previous = std::mem::replace(&mut *self.session.write().await, next);
        if let Some(Connection {
            tokens: Tokens::Demo(emulator),
            ..
        }) = previous
        {
            match Arc::try_unwrap(emulator) {
                Ok(emulator) => emulator.shutdown().await,
                Err(_) => tracing::warn!("the demo tenant is still in use; it stops when released"),
            }
        }
    }

    /// The Graph root for an account in `cloud`: `--graph-url` when given, else the cloud's.
    pub(super) fn graph_root(&self, cloud: &roster_auth::Cloud) -> String {
        self.options
            .graph_url
            .clone()
            .unwrap_or_else(|| cloud.graph_root().to_owned())
    }

    /// A connection for a signed-in roster-auth session.
    pub(super) fn account_connection(
        &self,
        tokens: roster_auth::Session,
    ) -> Result<Connection, AppError> {
        let account = tokens.account();
        let graph = GraphClient::builder(
            self.graph_root(&account.cloud).as_str(),
            Arc::new(tokens.clone()) as Arc<dyn TokenSource>,
        )
        .user_agent(USER_AGENT)
        .build()?;
        let tenant_domain = account
            .upn
            .rsplit_once('@')
            .map(|(_, domain)| domain.to_owned())
            .unwrap_or_default();
        Ok(Connection {
            account: AccountDto {
                username: account.upn.clone(),
                tenant_id: account.tenant_id.clone(),
                tenant_domain,
                cloud: ipc_cloud(&account.cloud),
                demo: false,
            },
            graph,
            tokens: Tokens::Account(tokens),
        })
    }

    /// How long the demo tenant's tokens live.
    fn demo_lifetime(&self) -> std::time::Duration {
        self.sign_in.demo_config.token_lifetime
    }

    /// Starts the demo tenant in-process and signs in as its admin with tokens it mints on demand.
    pub(super) async fn connect_demo(&self) -> Result<Connection, AppError> {
        let config: EmulatorConfig = self.sign_in.demo_config.clone();
        let emulator = Arc::new(roster_emulator::start(config).await.map_err(|e| {
            AppError::new(ErrorCode::Internal, "The demo tenant could not start.")
                .with_detail(e.to_string())
        })?);
        let username = format!("admin@{}", emulator.domain());
        let graph = demo_graph_client(
            &emulator,
            &username,
            DEMO_SCOPES.to_vec(),
            self.demo_lifetime(),
            None,
        )?;
        let account = AccountDto {
            username,
            tenant_id: emulator.tenant_id().to_owned(),
            tenant_domain: emulator.domain().to_owned(),
            cloud: Cloud::Global,
            demo: true,
        };
        Ok(Connection {
            account,
            graph,
            tokens: Tokens::Demo(emulator),
        })
    }
}

/// A Graph client on the demo tenant whose tokens the tenant mints on demand.
fn demo_graph_client(
    emulator: &Arc<Emulator>,
    upn: &str,
    scopes: Vec<&'static str>,
    lifetime: std::time::Duration,
    limiter: Option<ConcurrencyLimiter>,
) -> Result<GraphClient, AppError> {
    let tokens = DemoTokens::new(Arc::downgrade(emulator), upn.to_owned(), scopes, lifetime);
    let mut builder =
        GraphClient::builder(emulator.base_url(), Arc::new(tokens)).user_agent(USER_AGENT);
    if let Some(limiter) = limiter {
        builder = builder.limiter(limiter);
    }
    Ok(builder.build()?)
}

/// The pacing of membership writes: Graph's write budget is its own, so writes get the limiter the
/// CLI's bulk commands use instead of the reading one (which would pace write batches too slowly).
fn write_limiter() -> ConcurrencyLimiter {
    ConcurrencyLimiter::new(roster_jobs::membership::write_limiter_config())
}

/// roster-auth's cloud as the UI names it.
pub(super) fn ipc_cloud(cloud: &roster_auth::Cloud) -> Cloud {
    match cloud {
        roster_auth::Cloud::Global => Cloud::Global,
        roster_auth::Cloud::UsGov | roster_auth::Cloud::UsGovDod => Cloud::UsGov,
        roster_auth::Cloud::China => Cloud::China,
        roster_auth::Cloud::Custom { .. } => Cloud::Custom,
    }
}

/// A sign-in or token failure as the UI acts on it. roster-auth's messages already say what is
/// wrong and what to do (for consent: which permission and who can grant it).
pub(super) fn auth_error(error: AuthError) -> AppError {
    let code = match &error {
        AuthError::SignInRequired(_) | AuthError::NotSignedIn | AuthError::UnknownAccount(_) => {
            ErrorCode::SignInAgain
        }
        AuthError::ConsentRequired(_) => ErrorCode::Forbidden,
        AuthError::Cancelled(_) => ErrorCode::Cancelled,
        AuthError::Unreachable(_) => ErrorCode::Network,
        AuthError::StateMismatch
        | AuthError::TimedOut(_)
        | AuthError::DeviceCodeExpired
        | AuthError::Browser(_)
        | AuthError::Refused(_) => ErrorCode::Unauthenticated,
        AuthError::Keyring(_) | AuthError::AccountsFile { .. } | AuthError::Config(_) => {
            ErrorCode::Internal
        }
    };
    AppError::new(code, desktop_wording(&error.to_string()))
}

/// roster-auth words its advice for the CLI (`run \`roster login ...\``); in the app the same step
/// is the sign-in screen, so each such command becomes "sign in again".
fn desktop_wording(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(open) = rest.find("`roster ") {
        let Some(close) = rest[open + 1..].find('`') else {
            break;
        };
        let before = &rest[..open];
        let (before, verb) = match before.strip_suffix("Run ").or(before.strip_suffix("run ")) {
            Some(head) => (
                head,
                if before.ends_with("Run ") {
                    "Sign in again"
                } else {
                    "sign in again"
                },
            ),
            None => (before, "signing in again"),
        };
        out.push_str(before);
        out.push_str(verb);
        rest = &rest[open + 1 + close + 1..];
    }
    out.push_str(rest);
    out
}

/// The write permission could not be had silently.
fn write_scope_error(error: AuthError) -> AppError {
    match error {
        AuthError::SignInRequired(detail) => AppError::new(
            ErrorCode::SignInAgain,
            "Changing memberships needs the GroupMember.ReadWrite.All permission, which this sign-in does not \
             have yet. Sign in again to allow changes.",
        )
        .with_detail(detail),
        other => auth_error(other),
    }
}
