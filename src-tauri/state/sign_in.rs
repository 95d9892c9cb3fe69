//! Signing in: the demo tenant, the browser (authorization code + PKCE through the loopback listener),
//! a device code, or silently to a saved account (roster-app's `Session`); the steps reach the UI as
//! progress events.

use super::AppState;
use crate::ipc::{
    AccountDto, AppError, Cloud, SessionDto, SignInMethod, SignInProgress, SignInRequest,
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
        use roster_app::sign_in::SignInMethod as Method;
        let method = match request.method {
            SignInMethod::Demo => None,
            SignInMethod::Browser => Some(Method::Browser),
            SignInMethod::DeviceCode => Some(Method::DeviceCode),
        };
        let connection = match method {
            None => self.session.sign_in_demo().await?,
            Some(method) => {
                let choice = match request.cloud {
                    Cloud::Global | Cloud::Custom => roster_auth::Cloud::Global,
                    Cloud::UsGov => roster_auth::Cloud::UsGov,
                    Cloud::China => roster_auth::Cloud::China,
                };
                self.session
                    .sign_in(method, choice, |step| progress(step.into()))
                    .await?
            }
        };
        Ok(SessionDto {
            account: Some(AccountDto::from(connection.account_info())),
        })
    }

    /// Signs in silently to saved account `key` (its refresh token in the keyring).
    pub async fn use_account(&self, key: &str) -> Result<SessionDto, AppError> {
        let connection = self.session.use_account(key).await?;
        Ok(SessionDto {
            account: Some(AccountDto::from(connection.account_info())),
        })
    }

    /// Cancels the running browser or device code sign-in.
    pub fn cancel_sign_in(&self) {
        self.session.cancel_sign_in();
    }

    /// What the running sign-in waits for the person to do.
    pub fn sign_in_progress(&self) -> Option<SignInProgress> {
        self.session
            .sign_in_step()
            .as_ref()
            .map(SignInProgress::from)
    }

    /// Opens the device code page of the running sign-in in the browser.
    pub fn open_device_page(&self) -> Result<(), AppError> {
        Ok(self.session.open_device_page()?)
    }
}
