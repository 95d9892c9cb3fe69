//! The session's connection to a tenant: who is signed in, the Graph clients for reading and writing,
//! the saved accounts of the picker, switching and signing out.

use std::sync::Arc;

use roster_emulator::EmulatorConfig;
use roster_graph::GraphClient;

use super::{AppState, Connection};
use crate::ipc::{AccountDto, AppError, SavedAccountDto, SessionDto, SignInOptionsDto};

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
        Ok(self.tenant().await?.read_graph())
    }

    /// A Graph client allowed to change group memberships, asked for only when a write job starts
    /// (incremental consent; [`ErrorCode::SignInAgain`] when that needs the person).
    pub async fn write_graph(&self) -> Result<GraphClient, AppError> {
        Ok(self.tenant().await?.write_graph().await?)
    }

    /// The signed-in tenant connection.
    pub(crate) async fn tenant(&self) -> Result<Arc<roster_app::Connection>, AppError> {
        self.session
            .read()
            .await
            .as_ref()
            .map(|c| Arc::clone(&c.tenant))
            .ok_or_else(AppError::unauthenticated)
    }

    /// Signs out: a real account is removed from the saved accounts and its refresh token from the
    /// OS keyring; the demo tenant stops. A no-op when nobody is signed in.
    pub async fn sign_out(&self) -> SessionDto {
        let key = self
            .session
            .read()
            .await
            .as_ref()
            .and_then(|c| c.tenant.auth_session().map(|s| s.account().key()));
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
        let saved = roster_auth::Accounts::load(&self.options.data_dir)?;
        let active = saved.active().map(roster_auth::Account::key);
        let accounts = saved
            .list()
            .iter()
            .map(|account| {
                SavedAccountDto::from_account(account, active.as_deref() == Some(&account.key()))
            })
            .collect();
        Ok(SignInOptionsDto {
            accounts,
            custom_authority: self.options.authority.clone(),
        })
    }

    /// Removes a saved account and its refresh token; signs out if it is the current one.
    pub async fn remove_account(&self, key: &str) -> Result<SignInOptionsDto, AppError> {
        let current = self
            .session
            .read()
            .await
            .as_ref()
            .and_then(|c| c.tenant.auth_session().map(|s| s.account().matches(key)))
            .unwrap_or(false);
        self.auth()?.sign_out(Some(key))?;
        if current {
            self.replace(None).await;
        }
        self.accounts()
    }

    /// Makes `connection` the session; the jobs the previous one runs here stop `interrupted`
    /// (they offer Resume), and its demo tenant stops.
    pub(super) async fn replace(&self, next: Option<Connection>) {
        let previous = std::mem::replace(&mut *self.session.write().await, next);
        if let Some(previous) = previous {
            self.jobs.interrupt_running();
            match Arc::try_unwrap(previous.tenant) {
                Ok(tenant) => tenant.close().await,
                Err(_) => {
                    tracing::debug!("the old connection is still in use; it ends when released")
                }
            }
        }
    }

    /// A connection for a signed-in roster-auth session.
    pub(super) fn account_connection(
        &self,
        tokens: roster_auth::Session,
    ) -> Result<Connection, AppError> {
        let tenant =
            roster_app::Connection::account(tokens, self.options.graph_url.as_deref(), USER_AGENT)?;
        Ok(connection(tenant))
    }

    /// Starts the demo tenant in-process and signs in as its admin with tokens it mints on demand.
    pub(super) async fn connect_demo(&self) -> Result<Connection, AppError> {
        let config: EmulatorConfig = self.sign_in.demo_config.clone();
        Ok(connection(
            roster_app::Connection::demo(config, USER_AGENT).await?,
        ))
    }
}

/// The session's connection with the account as the UI shows it.
fn connection(tenant: roster_app::Connection) -> Connection {
    Connection {
        account: AccountDto::from(tenant.account_info()),
        tenant: Arc::new(tenant),
    }
}
