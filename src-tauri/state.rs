//! The app's managed state: the options it was started with and the current session.
//!
//! Commands are thin wrappers over these methods, so the root integration tests exercise the same
//! code paths without a window.

use std::sync::Arc;

use roster_emulator::{Emulator, EmulatorConfig};
use roster_graph::{AccessToken, GraphClient, ListQuery, Pager, StaticToken};
use serde_json::Value;
use tokio::sync::RwLock;

use crate::ipc::{
    AccountDto, AppError, AppInfo, Cloud, ErrorCode, GROUP_PROPERTIES, GroupDto, GroupsListRequest,
    GroupsPage, SessionDto, SignInMethod, SignInRequest, USER_PROPERTIES, UserDto,
    UsersListRequest, UsersPage,
};

/// Delegated scopes of the demo admin's token (read-only: the demo screens only read).
const DEMO_SCOPES: &[&str] = &["User.Read.All", "Group.Read.All", "GroupMember.Read.All"];

/// The most rows one list command sends to the UI; beyond it the page says `truncated`.
pub const MAX_LIST_ROWS: usize = 20_000;

/// How the app was started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AppOptions {
    /// Start signed in to the built-in demo tenant (`--demo` or `ROSTER_DEMO=1`).
    pub demo: bool,
}

/// A signed-in tenant connection.
struct Connection {
    account: AccountDto,
    graph: GraphClient,
    /// The in-process demo tenant, kept alive as long as the session.
    demo: Option<Emulator>,
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
        let connection = match request.method {
            SignInMethod::Browser | SignInMethod::DeviceCode => {
                return Err(AppError::new(
                    ErrorCode::NotAvailable,
                    "Signing in to a real tenant is not part of this build yet. Try the demo tenant.",
                ));
            }
            SignInMethod::Demo => connect_demo().await?,
        };
        let account = connection.account.clone();
        self.replace(Some(connection)).await;
        Ok(SessionDto {
            account: Some(account),
        })
    }

    /// Signs out (a no-op when nobody is signed in); stops the demo tenant if it was one.
    pub async fn sign_out(&self) -> SessionDto {
        self.replace(None).await;
        SessionDto { account: None }
    }

    /// The tenant's users, optionally those whose name or UPN starts with `request.search`.
    pub async fn users(&self, request: UsersListRequest) -> Result<UsersPage, AppError> {
        let mut query = ListQuery::new()
            .select(USER_PROPERTIES.iter().copied())
            .top(999);
        if let Some(text) = search_text(request.search.as_deref()) {
            query = query.filter(format!(
                "startswith(displayName,'{text}') or startswith(userPrincipalName,'{text}')"
            ));
        }
        let session = self.session.read().await;
        let connection = session.as_ref().ok_or_else(AppError::unauthenticated)?;
        let (rows, truncated) = collect(connection.graph.list_users(&query)?).await?;
        Ok(UsersPage {
            items: rows.iter().map(UserDto::from_graph).collect(),
            truncated,
        })
    }

    /// The tenant's groups, optionally those whose name starts with `request.search`.
    pub async fn groups(&self, request: GroupsListRequest) -> Result<GroupsPage, AppError> {
        let mut query = ListQuery::new()
            .select(GROUP_PROPERTIES.iter().copied())
            .top(999);
        if let Some(text) = search_text(request.search.as_deref()) {
            query = query.filter(format!("startswith(displayName,'{text}')"));
        }
        let session = self.session.read().await;
        let connection = session.as_ref().ok_or_else(AppError::unauthenticated)?;
        let (rows, truncated) = collect(connection.graph.list_groups(&query)?).await?;
        Ok(GroupsPage {
            items: rows.iter().map(GroupDto::from_graph).collect(),
            truncated,
        })
    }

    async fn replace(&self, next: Option<Connection>) {
        let previous = std::mem::replace(&mut *self.session.write().await, next);
        if let Some(emulator) = previous.and_then(|c| c.demo) {
            emulator.shutdown().await;
        }
    }
}

/// Starts the demo tenant in-process and signs in as its admin with a token it minted.
async fn connect_demo() -> Result<Connection, AppError> {
    let emulator = roster_emulator::start(EmulatorConfig::default())
        .await
        .map_err(|e| {
            AppError::new(ErrorCode::Internal, "The demo tenant could not start.")
                .with_detail(e.to_string())
        })?;
    let username = format!("admin@{}", emulator.domain());
    let token = emulator.mint_token(&username, DEMO_SCOPES);
    let graph = GraphClient::builder(
        emulator.base_url(),
        Arc::new(StaticToken(AccessToken::new(token))),
    )
    .user_agent(concat!("roster-desktop/", env!("CARGO_PKG_VERSION")))
    .build()?;
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
        demo: Some(emulator),
    })
}

/// The trimmed search text as an OData string literal body (`'` doubled), or `None` when blank.
fn search_text(search: Option<&str>) -> Option<String> {
    let text = search?.trim();
    (!text.is_empty()).then(|| text.replace('\'', "''"))
}

/// Reads pages until the listing ends or [`MAX_LIST_ROWS`] rows are in; says whether rows were left.
async fn collect(mut pager: Pager<Value>) -> Result<(Vec<Value>, bool), AppError> {
    let mut rows = Vec::new();
    while let Some(page) = pager.next_page().await {
        rows.extend(page?.items);
        if rows.len() >= MAX_LIST_ROWS {
            let more = rows.len() > MAX_LIST_ROWS || pager.continuation().is_some();
            rows.truncate(MAX_LIST_ROWS);
            return Ok((rows, more));
        }
    }
    Ok((rows, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_is_trimmed_and_quoted_for_odata() {
        assert_eq!(search_text(None), None);
        assert_eq!(search_text(Some("  ")), None);
        assert_eq!(search_text(Some(" O'Brien ")).as_deref(), Some("O''Brien"));
    }
}
