//! A front end's sign-in state: the current tenant connection, the saved accounts (refresh tokens in
//! the OS keyring), signing in (the demo tenant, the browser, a device code, a saved account),
//! switching and signing out. The connection that a new sign-in replaces is closed.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use roster_auth::{Account, Auth, Cloud, Interaction, TokenVault};
use roster_core::text::Text;
use roster_emulator::EmulatorConfig;
use tokio::sync::RwLock;

use crate::connection::Connection;
use crate::error::{AppError, ErrorCode};
use crate::sign_in::{SignInFlow, SignInMethod, SignInScopes, SignInStep, SignInTarget};

/// Called when a connection ends (replaced or signed out), before it closes.
type OnEnd = Box<dyn Fn() + Send + Sync>;

/// The sign-in state of a front end.
pub struct Session {
    data_dir: PathBuf,
    target: SignInTarget,
    user_agent: String,
    current: RwLock<Option<Arc<Connection>>>,
    flow: SignInFlow,
    /// The OS keyring, opened on first use (a headless machine may have none until then).
    vault: Mutex<Option<TokenVault>>,
    interaction: Interaction,
    demo_config: EmulatorConfig,
    on_end: Option<OnEnd>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("data_dir", &self.data_dir)
            .field("target", &self.target)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A signed-out session keeping its accounts in `data_dir`, signing in to `target`.
    pub fn new(data_dir: impl Into<PathBuf>, target: SignInTarget, user_agent: &str) -> Self {
        Self {
            data_dir: data_dir.into(),
            target,
            user_agent: user_agent.to_owned(),
            current: RwLock::new(None),
            flow: SignInFlow::default(),
            vault: Mutex::new(None),
            interaction: Interaction::default(),
            demo_config: EmulatorConfig::default(),
            on_end: None,
        }
    }

    /// Keeps refresh tokens in `vault` instead of the OS keyring (tests use an in-memory one).
    pub fn with_vault(mut self, vault: TokenVault) -> Self {
        self.vault = Mutex::new(Some(vault));
        self
    }

    /// Replaces how sign-in opens the browser and waits (tests script the browser).
    pub fn with_interaction(mut self, interaction: Interaction) -> Self {
        self.interaction = interaction;
        self
    }

    /// Starts the demo tenant with `config` (tests shorten its token lifetime).
    pub fn with_demo_config(mut self, config: EmulatorConfig) -> Self {
        self.demo_config = config;
        self
    }

    /// Calls `on_end` whenever a connection ends (the desktop interrupts the jobs it started).
    pub fn on_end(mut self, on_end: impl Fn() + Send + Sync + 'static) -> Self {
        self.on_end = Some(Box::new(on_end));
        self
    }

    /// Where sign-in goes (the custom authority, when the front end was started with one).
    pub fn target(&self) -> &SignInTarget {
        &self.target
    }

    /// The current connection, if signed in.
    pub async fn current(&self) -> Option<Arc<Connection>> {
        self.current.read().await.clone()
    }

    /// The current connection; `unauthenticated` when nobody is signed in.
    pub async fn connection(&self) -> Result<Arc<Connection>, AppError> {
        self.current().await.ok_or_else(AppError::unauthenticated)
    }

    /// Signs in to the in-process demo tenant as its admin.
    pub async fn sign_in_demo(&self) -> Result<Arc<Connection>, AppError> {
        let connection =
            Arc::new(Connection::demo(self.demo_config.clone(), &self.user_agent).await?);
        self.replace(Some(Arc::clone(&connection))).await;
        Ok(connection)
    }

    /// Signs in interactively to `choice` (the custom authority wins), reporting each step.
    pub async fn sign_in(
        &self,
        method: SignInMethod,
        choice: Cloud,
        report: impl Fn(&SignInStep) + Send + Sync,
    ) -> Result<Arc<Connection>, AppError> {
        let auth = self.auth(choice)?;
        let session = self.flow.run(&auth, method, report).await?;
        self.connect_account(session).await
    }

    /// "Sign in again to allow changes": the signed-in account signs in again in the browser for
    /// its permissions plus the change permissions a write was refused for (GroupMember.ReadWrite.All
    /// for membership changes, Group.ReadWrite.All for saving a membership rule; the first when
    /// none was: [`Connection::changes_to_allow`]), its consent screen, so that the next
    /// [`Connection::write_graph`] or [`Connection::group_write_graph`] gets them silently. What a
    /// front end offers after an `app.allowChanges` error; `unauthenticated` when no account is
    /// signed in.
    pub async fn allow_changes(&self) -> Result<(), AppError> {
        let connection = self.connection().await?;
        let tokens = connection
            .auth_session()
            .ok_or_else(AppError::unauthenticated)?;
        let wanted = connection.changes_to_allow();
        let scopes: Vec<&str> = wanted.iter().map(String::as_str).collect();
        tokens
            .ensure_scopes(&scopes, true)
            .await
            .map_err(AppError::from)?;
        connection.changes_allowed(&scopes);
        Ok(())
    }

    /// Signs in silently to saved account `key` (its refresh token in the keyring).
    pub async fn use_account(&self, key: &str) -> Result<Arc<Connection>, AppError> {
        let auth = self.auth(Cloud::Global)?;
        let tokens = auth.session(Some(key))?;
        // Refused before the refresh token is used: a Graph other than the account's is never called.
        crate::connection::account_graph_root(&tokens.account(), self.target.graph_url.as_deref())?;
        tokens.token(&[]).await?;
        auth.switch_account(key)?;
        self.connect_account(tokens).await
    }

    /// Signs out: a saved account is removed with its refresh token; the demo tenant stops. A
    /// no-op when nobody is signed in. The connection ends in any case; when the saved sign-in
    /// could not be deleted from the OS keyring, the account stays saved and the error says so
    /// (roster-auth's words: it is still signed in, and what to do), instead of a quiet success.
    pub async fn sign_out(&self) -> Result<(), AppError> {
        let key = self
            .current()
            .await
            .and_then(|c| c.auth_session().map(|s| s.account().key()));
        let removed = match key {
            Some(key) => self
                .auth(Cloud::Global)
                .and_then(|auth| auth.sign_out(Some(&key)).map(drop).map_err(AppError::from)),
            None => Ok(()),
        };
        self.replace(None).await;
        removed
    }

    /// Ends the connection but keeps the account saved, to sign in to it (or another) silently.
    pub async fn switch_account(&self) {
        self.replace(None).await;
    }

    /// The saved accounts and the key of the one signed in last.
    pub fn accounts(&self) -> Result<(Vec<Account>, Option<String>), AppError> {
        let saved = roster_auth::Accounts::load(&self.data_dir)?;
        let active = saved.active().map(Account::key);
        Ok((saved.list().to_vec(), active))
    }

    /// Removes saved account `key` and its refresh token; signs out when it is the current one.
    pub async fn remove_account(&self, key: &str) -> Result<(), AppError> {
        let current = self
            .current()
            .await
            .and_then(|c| c.auth_session().map(|s| s.account().matches(key)))
            .unwrap_or(false);
        self.auth(Cloud::Global)?.sign_out(Some(key))?;
        if current {
            self.replace(None).await;
        }
        Ok(())
    }

    /// Cancels the running browser or device code sign-in.
    pub fn cancel_sign_in(&self) {
        self.flow.cancel();
    }

    /// What the running sign-in waits for the person to do.
    pub fn sign_in_step(&self) -> Option<SignInStep> {
        self.flow.step()
    }

    /// Opens the running device code sign-in's page in the browser.
    pub fn open_device_page(&self) -> Result<(), AppError> {
        let Some(SignInStep::DeviceCode(prompt)) = self.sign_in_step() else {
            return Err(AppError::coded(
                ErrorCode::Validation,
                Text::new(
                    "app.noDeviceCode",
                    "No device code sign-in is running. Start one with \"Sign in with a device code\".",
                ),
            ));
        };
        let url = prompt
            .verification_uri
            .parse()
            .map_err(|e: url::ParseError| {
                AppError::new(
                    ErrorCode::Internal,
                    "The sign-in page's address is not valid.",
                )
                .with_detail(e.to_string())
            })?;
        (self.interaction.open_url)(&url).map_err(|e| {
            AppError::coded(
                ErrorCode::Network,
                Text::new(
                    "app.browserNotOpened",
                    format!(
                        "Could not open the browser ({e}). Copy the address and open it yourself."
                    ),
                )
                .with("error", e),
            )
        })
    }

    async fn connect_account(
        &self,
        session: roster_auth::Session,
    ) -> Result<Arc<Connection>, AppError> {
        let connection = Arc::new(Connection::account(
            session,
            self.target.graph_url.as_deref(),
            &self.user_agent,
        )?);
        self.replace(Some(Arc::clone(&connection))).await;
        Ok(connection)
    }

    /// Makes `next` the connection; the previous one ends (`on_end`) and closes (its demo tenant
    /// stops once nothing holds it).
    async fn replace(&self, next: Option<Arc<Connection>>) {
        let previous = std::mem::replace(&mut *self.current.write().await, next);
        if let Some(previous) = previous {
            if let Some(on_end) = &self.on_end {
                on_end();
            }
            match Arc::try_unwrap(previous) {
                Ok(previous) => previous.close().await,
                Err(_) => {
                    tracing::debug!("the old connection is still in use; it ends when released")
                }
            }
        }
    }

    /// roster-auth for signing in to `choice`.
    fn auth(&self, choice: Cloud) -> Result<Auth, AppError> {
        self.target.auth(
            &self.data_dir,
            choice,
            SignInScopes::Reads,
            self.vault()?,
            self.interaction.clone(),
        )
    }

    /// The keyring vault, opened on first use.
    fn vault(&self) -> Result<TokenVault, AppError> {
        let mut vault = self.vault.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(vault) = vault.as_ref() {
            return Ok(vault.clone());
        }
        let opened = TokenVault::platform()?;
        *vault = Some(opened.clone());
        Ok(opened)
    }
}
