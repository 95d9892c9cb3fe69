//! The app's managed state: the options it was started with and the current session.
//!
//! Commands are thin wrappers over these methods, so the root integration tests exercise the same
//! code paths without a window.

use tokio::sync::RwLock;

use crate::ipc::{
    AppError, AppInfo, ErrorCode, GroupsListRequest, GroupsPage, SessionDto, SignInMethod,
    SignInRequest, UsersListRequest, UsersPage,
};

/// How the app was started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AppOptions {
    /// Start signed in to the built-in demo tenant (`--demo` or `ROSTER_DEMO=1`).
    pub demo: bool,
}

/// A signed-in tenant connection.
struct Connection {
    account: crate::ipc::AccountDto,
}

/// State shared by every command (managed by Tauri).
pub struct AppState {
    options: AppOptions,
    session: RwLock<Option<Connection>>,
}

impl AppState {
    /// A signed-out state for an app started with `options`.
    pub fn new(options: AppOptions) -> Self {
        Self {
            options,
            session: RwLock::new(None),
        }
    }

    /// The app's version and mode.
    pub fn info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            demo: self.options.demo,
        }
    }

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

    /// Signs in with the requested method, replacing any current session.
    pub async fn sign_in(&self, request: SignInRequest) -> Result<SessionDto, AppError> {
        match request.method {
            SignInMethod::Browser | SignInMethod::DeviceCode => Err(AppError::new(
                ErrorCode::NotAvailable,
                "Signing in to a real tenant is not part of this build yet. Try the demo tenant.",
            )),
            SignInMethod::Demo => Err(AppError::new(
                ErrorCode::NotAvailable,
                "The demo tenant is not part of this build yet.",
            )),
        }
    }

    /// Signs out (a no-op when nobody is signed in).
    pub async fn sign_out(&self) -> SessionDto {
        self.session.write().await.take();
        SessionDto { account: None }
    }

    /// The tenant's users.
    pub async fn users(&self, _request: UsersListRequest) -> Result<UsersPage, AppError> {
        let session = self.session.read().await;
        let _connection = session.as_ref().ok_or_else(AppError::unauthenticated)?;
        Err(AppError::new(
            ErrorCode::NotAvailable,
            "Listing users is not part of this build yet.",
        ))
    }

    /// The tenant's groups.
    pub async fn groups(&self, _request: GroupsListRequest) -> Result<GroupsPage, AppError> {
        let session = self.session.read().await;
        let _connection = session.as_ref().ok_or_else(AppError::unauthenticated)?;
        Err(AppError::new(
            ErrorCode::NotAvailable,
            "Listing groups is not part of this build yet.",
        ))
    }
}
