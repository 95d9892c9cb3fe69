//! Signing in and out: the session's connection to a tenant.

use std::sync::Arc;

use roster_emulator::{Emulator, EmulatorConfig};
use roster_graph::{AccessToken, GraphClient, StaticToken};

use super::{AppState, Connection};
use crate::ipc::{AccountDto, AppError, Cloud, ErrorCode, SessionDto, SignInMethod, SignInRequest};

/// Delegated scopes of the demo admin's reading token.
const DEMO_SCOPES: &[&str] = &["User.Read.All", "Group.Read.All", "GroupMember.Read.All"];

/// The scope added for writes (membership changes), asked for only when a write job starts.
const DEMO_WRITE_SCOPES: &[&str] = &["GroupMember.ReadWrite.All"];

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

    /// The signed-in session's Graph client for reading (what the tables and downloads use).
    pub async fn read_graph(&self) -> Result<GraphClient, AppError> {
        let session = self.session.read().await;
        let connection = session.as_ref().ok_or_else(AppError::unauthenticated)?;
        Ok(connection.graph.clone())
    }

    /// A Graph client allowed to change group memberships (GroupMember.ReadWrite.All), asked for only
    /// when a write job starts (incremental consent). The demo tenant mints such a token at once.
    pub async fn write_graph(&self) -> Result<GraphClient, AppError> {
        let session = self.session.read().await;
        let connection = session.as_ref().ok_or_else(AppError::unauthenticated)?;
        match &connection.demo {
            Some(emulator) => {
                let scopes: Vec<&str> = DEMO_SCOPES
                    .iter()
                    .chain(DEMO_WRITE_SCOPES)
                    .copied()
                    .collect();
                let token = emulator.mint_token(&connection.account.username, &scopes);
                demo_graph_client(emulator, token)
            }
            None => Err(AppError::new(
                ErrorCode::NotAvailable,
                "Changing memberships needs a real sign-in, which is not part of this build yet.",
            )),
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
    let graph = demo_graph_client(&emulator, emulator.mint_token(&username, DEMO_SCOPES))?;
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

/// A Graph client on the demo tenant with a token it minted.
fn demo_graph_client(emulator: &Emulator, token: String) -> Result<GraphClient, AppError> {
    Ok(GraphClient::builder(
        emulator.base_url(),
        Arc::new(StaticToken(AccessToken::new(token))),
    )
    .user_agent(concat!("roster-desktop/", env!("CARGO_PKG_VERSION")))
    .build()?)
}
