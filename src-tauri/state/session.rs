//! The session as the UI sees it: who is signed in, the Graph clients for reading and writing, the
//! saved accounts of the picker, switching and signing out (roster-app's `Session`).

use std::sync::Arc;

use roster_graph::GraphClient;

use super::AppState;
use crate::ipc::{AccountDto, AppError, SavedAccountDto, SessionDto, SignInOptionsDto};

impl AppState {
    /// Who is signed in.
    pub async fn session(&self) -> SessionDto {
        SessionDto {
            account: self
                .session
                .current()
                .await
                .map(|c| AccountDto::from(c.account_info())),
        }
    }

    /// The signed-in session's Graph client for reading (what the tables and downloads use). Its
    /// tokens refresh silently (a real account through its refresh token, the demo by minting).
    pub async fn read_graph(&self) -> Result<GraphClient, AppError> {
        Ok(self.tenant().await?.read_graph())
    }

    /// A Graph client allowed to change group memberships, asked for only when a write job starts
    /// (incremental consent; [`crate::ipc::ErrorCode::SignInAgain`] when that needs the person).
    pub async fn write_graph(&self) -> Result<GraphClient, AppError> {
        Ok(self.tenant().await?.write_graph().await?)
    }

    /// The signed-in tenant connection.
    pub(crate) async fn tenant(&self) -> Result<Arc<roster_app::Connection>, AppError> {
        Ok(self.session.connection().await?)
    }

    /// Signs out: a real account is removed from the saved accounts and its refresh token from the
    /// OS keyring; the demo tenant stops. A no-op when nobody is signed in. A keyring that refused
    /// the deletion is only logged here: [`AppState::sign_out_checked`] reports it.
    pub async fn sign_out(&self) -> SessionDto {
        if let Err(error) = self.sign_out_checked().await {
            tracing::warn!(detail = ?error.detail, "{error}");
        }
        SessionDto { account: None }
    }

    /// [`AppState::sign_out`], failing when the saved sign-in could not be deleted from the OS
    /// keyring: the session ended, but the account is still saved, and the error says what to do.
    pub async fn sign_out_checked(&self) -> Result<SessionDto, AppError> {
        self.session.sign_out().await?;
        Ok(SessionDto { account: None })
    }

    /// Asks the signed-in account for the write permission in the browser (the person consents,
    /// or an administrator must): what "Allow changes" does after an `app.allowChanges` error.
    pub async fn allow_changes(&self) -> Result<(), AppError> {
        Ok(self.session.allow_changes().await?)
    }

    /// Ends the session but keeps the account saved, so the picker can sign in to it (or another)
    /// silently.
    pub async fn switch_account(&self) -> SessionDto {
        self.session.switch_account().await;
        SessionDto { account: None }
    }

    /// The saved accounts for the picker, and the custom authority if the app was started with one.
    pub fn accounts(&self) -> Result<SignInOptionsDto, AppError> {
        let (saved, active) = self.session.accounts()?;
        Ok(SignInOptionsDto {
            accounts: saved
                .iter()
                .map(|a| SavedAccountDto::from_account(a, active.as_deref() == Some(&a.key())))
                .collect(),
            custom_authority: self.options.authority.clone(),
        })
    }

    /// Removes a saved account and its refresh token; signs out if it is the current one.
    pub async fn remove_account(&self, key: &str) -> Result<SignInOptionsDto, AppError> {
        self.session.remove_account(key).await?;
        self.accounts()
    }
}
