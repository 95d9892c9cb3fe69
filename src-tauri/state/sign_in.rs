//! Signing in: the demo tenant, the browser (authorization code + PKCE through the loopback listener),
//! a device code, or silently to a saved account. Browser and device code run through roster-auth,
//! report what the person must do through a progress callback (the command turns it into a Tauri
//! event), and can be cancelled.

use std::sync::{Arc, PoisonError};

use roster_auth::{Auth, AuthConfig, AuthError, DeviceCodePrompt, TokenVault};

use super::AppState;
use super::session::auth_error;
use crate::ipc::{
    AppError, Cloud, ErrorCode, SessionDto, SignInMethod, SignInProgress, SignInRequest,
};

impl AppState {
    /// Signs in with the requested method, replacing any current session (no progress reports; see
    /// [`AppState::sign_in_with_progress`]).
    pub async fn sign_in(&self, request: SignInRequest) -> Result<SessionDto, AppError> {
        self.sign_in_with_progress(request, |_| {}).await
    }

    /// Signs in with the requested method, replacing any current session. `progress` gets what the
    /// person must do (the device code and its URL before polling starts; "finish in the browser").
    /// [`AppState::cancel_sign_in`] ends a browser or device-code sign-in with
    /// [`ErrorCode::Cancelled`].
    pub async fn sign_in_with_progress(
        &self,
        request: SignInRequest,
        progress: impl Fn(SignInProgress) + Send + Sync,
    ) -> Result<SessionDto, AppError> {
        let connection = match request.method {
            SignInMethod::Demo => self.connect_demo().await?,
            SignInMethod::Browser | SignInMethod::DeviceCode => {
                let auth = self.auth_for(request.cloud)?;
                let cancel = Arc::new(tokio::sync::Notify::new());
                *self
                    .sign_in
                    .cancel
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = Some(cancel.clone());
                let report = |step: SignInProgress| {
                    *self
                        .sign_in
                        .progress
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner) = Some(step.clone());
                    progress(step);
                };
                let flow = async {
                    if request.method == SignInMethod::Browser {
                        report(SignInProgress::Browser);
                        auth.sign_in_interactive(None).await
                    } else {
                        auth.sign_in_device_code(|prompt| report(device_code_progress(prompt)))
                            .await
                    }
                };
                let outcome = tokio::select! {
                    outcome = flow => outcome,
                    () = cancel.notified() => Err(AuthError::Cancelled("the sign-in was cancelled in Roster".to_owned())),
                };
                *self
                    .sign_in
                    .cancel
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = None;
                *self
                    .sign_in
                    .progress
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = None;
                self.account_connection(outcome.map_err(auth_error)?)?
            }
        };
        let account = connection.account.clone();
        self.replace(Some(connection)).await;
        Ok(SessionDto {
            account: Some(account),
        })
    }

    /// Signs in silently to a saved account (its refresh token in the OS keyring) and makes it the
    /// active one. When the saved sign-in expired or was revoked the code is
    /// [`ErrorCode::SignInAgain`] and the account stays saved.
    pub async fn use_account(&self, key: &str) -> Result<SessionDto, AppError> {
        let auth = self.auth()?;
        let tokens = auth.session(Some(key)).map_err(auth_error)?;
        tokens.token(&[]).await.map_err(auth_error)?;
        auth.switch_account(key).map_err(auth_error)?;
        let connection = self.account_connection(tokens)?;
        let account = connection.account.clone();
        self.replace(Some(connection)).await;
        Ok(SessionDto {
            account: Some(account),
        })
    }

    /// Cancels the running browser or device-code sign-in (a no-op when none runs).
    pub fn cancel_sign_in(&self) {
        if let Some(cancel) = self
            .sign_in
            .cancel
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
        {
            cancel.notify_one();
        }
    }

    /// What the running sign-in asks of the person, for a UI that missed the progress event.
    pub fn sign_in_progress(&self) -> Option<SignInProgress> {
        self.sign_in
            .progress
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Opens the running device-code sign-in's verification page in the system browser.
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

    /// roster-auth with the account list in the data dir and refresh tokens in the keyring, signing
    /// in to `cloud` (or to `--authority` when the app was started with one).
    fn auth_for(&self, cloud: Cloud) -> Result<Auth, AppError> {
        let config = AuthConfig {
            cloud: self.auth_cloud(cloud),
            ..AuthConfig::default()
        };
        Auth::new(config, &self.options.data_dir, self.vault()?)
            .map(|auth| auth.with_interaction(self.sign_in.interaction.clone()))
            .map_err(auth_error)
    }

    /// roster-auth for saved accounts (each refreshes with its own cloud and app).
    pub(super) fn auth(&self) -> Result<Auth, AppError> {
        self.auth_for(Cloud::Global)
    }

    /// The cloud to sign in to: the custom authority when given, else the person's choice.
    fn auth_cloud(&self, cloud: Cloud) -> roster_auth::Cloud {
        match (&self.options.authority, cloud) {
            (Some(authority), _) => roster_auth::Cloud::Custom {
                authority_host: authority.trim_end_matches('/').to_owned(),
                graph_root: self
                    .options
                    .graph_url
                    .as_deref()
                    .unwrap_or(authority)
                    .trim_end_matches('/')
                    .to_owned(),
            },
            (None, Cloud::Global | Cloud::Custom) => roster_auth::Cloud::Global,
            (None, Cloud::UsGov) => roster_auth::Cloud::UsGov,
            (None, Cloud::China) => roster_auth::Cloud::China,
        }
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
        let opened = TokenVault::platform().map_err(auth_error)?;
        *vault = Some(opened.clone());
        Ok(opened)
    }
}

/// roster-auth's device code prompt as the UI shows it.
fn device_code_progress(prompt: &DeviceCodePrompt) -> SignInProgress {
    SignInProgress::DeviceCode {
        user_code: prompt.user_code.clone(),
        verification_uri: prompt.verification_uri.clone(),
        expires_in_secs: u32::try_from(prompt.expires_in.as_secs()).unwrap_or(u32::MAX),
        message: prompt.message.clone(),
    }
}
