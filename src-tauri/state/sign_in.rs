//! Signing in: the demo tenant, the browser (authorization code + PKCE through the loopback listener),
//! a device code, or silently to a saved account, through roster-app's sign-in; this file maps the
//! steps to the UI's progress events and keeps the keyring vault.

use std::sync::PoisonError;

use roster_app::sign_in::{SignInScopes, SignInTarget};
use roster_auth::{Auth, TokenVault};

use super::AppState;
use crate::ipc::{
    AppError, Cloud, ErrorCode, SessionDto, SignInMethod, SignInProgress, SignInRequest,
};

impl AppState {
    /// Signs in as the request says and makes it the session (replacing any previous one).
    pub async fn sign_in(&self, request: SignInRequest) -> Result<SessionDto, AppError> {
        self.sign_in_with_progress(request, |_| {}).await
    }

    /// [`AppState::sign_in`], reporting what the person must do (open the browser, type a code).
    pub async fn sign_in_with_progress(
        &self,
        request: SignInRequest,
        progress: impl Fn(SignInProgress) + Send + Sync,
    ) -> Result<SessionDto, AppError> {
        let connection = match request.method {
            SignInMethod::Demo => self.connect_demo().await?,
            SignInMethod::Browser | SignInMethod::DeviceCode => {
                let auth = self.auth_for(request.cloud)?;
                let method = if request.method == SignInMethod::Browser {
                    roster_app::sign_in::SignInMethod::Browser
                } else {
                    roster_app::sign_in::SignInMethod::DeviceCode
                };
                let session = self
                    .sign_in
                    .flow
                    .run(&auth, method, |step| progress(step.into()))
                    .await?;
                self.account_connection(session)?
            }
        };
        let account = connection.account.clone();
        self.replace(Some(connection)).await;
        Ok(SessionDto {
            account: Some(account),
        })
    }

    /// Signs in silently to saved account `key` (its refresh token in the keyring).
    pub async fn use_account(&self, key: &str) -> Result<SessionDto, AppError> {
        let auth = self.auth()?;
        let tokens = auth.session(Some(key))?;
        tokens.token(&[]).await?;
        auth.switch_account(key)?;
        let connection = self.account_connection(tokens)?;
        let account = connection.account.clone();
        self.replace(Some(connection)).await;
        Ok(SessionDto {
            account: Some(account),
        })
    }

    /// Cancels the running browser or device code sign-in.
    pub fn cancel_sign_in(&self) {
        self.sign_in.flow.cancel();
    }

    /// What the running sign-in waits for the person to do.
    pub fn sign_in_progress(&self) -> Option<SignInProgress> {
        self.sign_in.flow.step().as_ref().map(SignInProgress::from)
    }

    /// Opens the device code page of the running sign-in in the browser.
    pub fn open_device_page(&self) -> Result<(), AppError> {
        let Some(SignInProgress::DeviceCode {
            verification_uri, ..
        }) = self.sign_in_progress()
        else {
            return Err(AppError::new(
                ErrorCode::Validation,
                "No device code sign-in is running. Start one with \"Sign in with a device code\".",
            ));
        };
        let url = url::Url::parse(&verification_uri).map_err(|e| {
            AppError::new(
                ErrorCode::Internal,
                "The sign-in page's address is not valid.",
            )
            .with_detail(e.to_string())
        })?;
        (self.sign_in.interaction.open_url)(&url).map_err(|e| {
            AppError::new(
                ErrorCode::Network,
                format!("Could not open the browser ({e}). Copy the address and open it yourself."),
            )
        })
    }

    /// roster-auth for signing in to `cloud` (the custom authority wins when the app has one).
    fn auth_for(&self, cloud: Cloud) -> Result<Auth, AppError> {
        let choice = match cloud {
            Cloud::Global | Cloud::Custom => roster_auth::Cloud::Global,
            Cloud::UsGov => roster_auth::Cloud::UsGov,
            Cloud::China => roster_auth::Cloud::China,
        };
        let target = SignInTarget {
            authority: self.options.authority.clone(),
            graph_url: self.options.graph_url.clone(),
            ..SignInTarget::default()
        };
        Ok(target.auth(
            &self.options.data_dir,
            choice,
            SignInScopes::Reads,
            self.vault()?,
            self.sign_in.interaction.clone(),
        )?)
    }

    /// roster-auth for saved accounts (each refreshes with its own cloud and app).
    pub(super) fn auth(&self) -> Result<Auth, AppError> {
        self.auth_for(Cloud::Global)
    }

    /// The keyring vault, opened on first use.
    fn vault(&self) -> Result<TokenVault, AppError> {
        let mut vault = self
            .sign_in
            .vault
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(vault) = vault.as_ref() {
            return Ok(vault.clone());
        }
        let opened = TokenVault::platform()?;
        *vault = Some(opened.clone());
        Ok(opened)
    }
}
