//! A connection to a tenant: who it is, and Graph clients for reading and for changing memberships.
//! The built-in demo tenant, a signed-in account (roster-auth, refreshing its own tokens) and a
//! plain token source (a ready access token, app-only credentials) are connections alike, so both
//! front ends build the same clients with the same scopes and pacing.

use std::sync::Arc;
use std::time::Duration;

use roster_auth::{AuthError, WRITE_SCOPE};
use roster_core::text::Text;
use roster_emulator::{Emulator, EmulatorConfig};
use roster_graph::{ConcurrencyLimiter, GraphClient, TokenSource};
use roster_jobs::GraphAccess;

use crate::demo_tokens::DemoTokens;
use crate::error::{AppError, ErrorCode};

/// Delegated scopes of the demo admin's reading token: an admin's reads (contacts, hidden members,
/// authentication methods and sign-in activity included), so previews and downloads see what an admin sees.
pub const DEMO_SCOPES: &[&str] = &[
    "User.Read.All",
    "Group.Read.All",
    "GroupMember.Read.All",
    "Directory.Read.All",
    "Device.Read.All",
    "Application.Read.All",
    "OrgContact.Read.All",
    "UserAuthenticationMethod.Read.All",
    "Member.Read.Hidden",
    "AuditLog.Read.All",
];

/// The scope added for writes (membership changes), asked for only when a write job starts.
pub const DEMO_WRITE_SCOPES: &[&str] = &[WRITE_SCOPE];

/// The permission to change groups' own properties (a dynamic group's rule).
const GROUP_WRITE_SCOPE: &str = roster_auth::RULE_WRITE_SCOPE;

/// Who a connection is signed in as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountInfo {
    /// The user principal name (or the app's description for app-only credentials).
    pub username: String,
    /// The tenant's id, when known.
    pub tenant_id: String,
    /// The tenant's domain (the part of the UPN after `@`).
    pub tenant_domain: String,
    /// The national cloud.
    pub cloud: roster_auth::Cloud,
    /// The built-in demo tenant.
    pub demo: bool,
}

/// Where a connection's tokens come from.
enum Tokens {
    /// The in-process demo tenant, kept alive as long as the connection; it mints tokens.
    Demo {
        emulator: Arc<Emulator>,
        lifetime: Duration,
    },
    /// A signed-in account; refreshes its own tokens and can ask for the write scope.
    Account(roster_auth::Session),
    /// Any other token source (a ready token, app-only credentials): used as it is for writes.
    Source(Arc<dyn TokenSource>),
}

/// A tenant connection.
pub struct Connection {
    account: AccountInfo,
    root: String,
    user_agent: String,
    read: GraphClient,
    tokens: Tokens,
    /// The change permissions a write was refused for because the sign-in needs the person's
    /// consent first: what "Allow changes" ([`Session::allow_changes`](crate::Session::allow_changes))
    /// asks for.
    to_allow: parking_lot::Mutex<Vec<String>>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("account", &self.account)
            .field("root", &self.root)
            .finish_non_exhaustive()
    }
}

impl Connection {
    /// Starts the demo tenant in-process and signs in as its admin with tokens it mints on demand.
    pub async fn demo(config: EmulatorConfig, user_agent: &str) -> Result<Self, AppError> {
        let lifetime = config.token_lifetime;
        let emulator = Arc::new(roster_emulator::start(config).await.map_err(|e| {
            AppError::coded(
                ErrorCode::Internal,
                Text::new("app.demoFailed", "The demo tenant could not start."),
            )
            .with_detail(e.to_string())
        })?);
        let username = format!("admin@{}", emulator.domain());
        let tokens = DemoTokens::new(
            Arc::downgrade(&emulator),
            username.clone(),
            DEMO_SCOPES.to_vec(),
            lifetime,
        );
        let read = client(emulator.base_url(), Arc::new(tokens), user_agent, None)?;
        Ok(Self {
            account: AccountInfo {
                username,
                tenant_id: emulator.tenant_id().to_owned(),
                tenant_domain: emulator.domain().to_owned(),
                cloud: roster_auth::Cloud::Global,
                demo: true,
            },
            root: emulator.base_url().to_owned(),
            user_agent: user_agent.to_owned(),
            read,
            tokens: Tokens::Demo { emulator, lifetime },
            to_allow: parking_lot::Mutex::default(),
        })
    }

    /// A connection for a signed-in roster-auth session, to the Graph root the account signed in
    /// for. `graph_url` (the front end's `--graph-url` or `ROSTER_GRAPH_URL`) must be that root: a
    /// different one is refused ([`account_graph_root`]), so no token follows a leftover setting.
    pub fn account(
        session: roster_auth::Session,
        graph_url: Option<&str>,
        user_agent: &str,
    ) -> Result<Self, AppError> {
        let account = session.account();
        let root = account_graph_root(&account, graph_url)?;
        let read = client(&root, Arc::new(session.clone()), user_agent, None)?;
        let tenant_domain = account
            .upn
            .rsplit_once('@')
            .map(|(_, domain)| domain.to_owned())
            .unwrap_or_default();
        Ok(Self {
            account: AccountInfo {
                username: account.upn.clone(),
                tenant_id: account.tenant_id.clone(),
                tenant_domain,
                cloud: account.cloud.clone(),
                demo: false,
            },
            root,
            user_agent: user_agent.to_owned(),
            read,
            tokens: Tokens::Account(session),
            to_allow: parking_lot::Mutex::default(),
        })
    }

    /// A connection over any token source at Graph root `root` (a ready access token, app-only
    /// credentials); `who` names it.
    pub fn tokens(
        root: &str,
        tokens: Arc<dyn TokenSource>,
        who: &str,
        user_agent: &str,
    ) -> Result<Self, AppError> {
        let read = client(root, Arc::clone(&tokens), user_agent, None)?;
        Ok(Self {
            account: AccountInfo {
                username: who.to_owned(),
                tenant_id: String::new(),
                tenant_domain: String::new(),
                cloud: roster_auth::Cloud::Global,
                demo: false,
            },
            root: root.to_owned(),
            user_agent: user_agent.to_owned(),
            read,
            tokens: Tokens::Source(tokens),
            to_allow: parking_lot::Mutex::default(),
        })
    }

    /// Who is signed in.
    pub fn account_info(&self) -> &AccountInfo {
        &self.account
    }

    /// The roster-auth session of a signed-in account.
    pub fn auth_session(&self) -> Option<&roster_auth::Session> {
        match &self.tokens {
            Tokens::Account(session) => Some(session),
            _ => None,
        }
    }

    /// The Graph client for reading (tables, previews, downloads).
    pub fn read_graph(&self) -> GraphClient {
        self.read.clone()
    }

    /// A Graph client allowed to change group memberships (GroupMember.ReadWrite.All), paced by the
    /// write bucket. The demo tenant mints such a token at once; a signed-in account asks its
    /// refresh token for the permission (incremental consent), and when that needs the person the
    /// error is [`ErrorCode::SignInAgain`].
    pub async fn write_graph(&self) -> Result<GraphClient, AppError> {
        let limiter = Some(ConcurrencyLimiter::new(
            roster_jobs::membership::write_limiter_config(),
        ));
        self.scoped_graph(WRITE_SCOPE, limiter).await
    }

    /// A Graph client allowed to change groups' own properties (a dynamic group's membership
    /// rule: Group.ReadWrite.All), asked for like [`Connection::write_graph`]'s permission.
    pub async fn group_write_graph(&self) -> Result<GraphClient, AppError> {
        self.scoped_graph(GROUP_WRITE_SCOPE, None).await
    }

    async fn scoped_graph(
        &self,
        scope: &'static str,
        limiter: Option<ConcurrencyLimiter>,
    ) -> Result<GraphClient, AppError> {
        match &self.tokens {
            Tokens::Demo { emulator, lifetime } => {
                let scopes = DEMO_SCOPES.iter().copied().chain([scope]).collect();
                let tokens = DemoTokens::new(
                    Arc::downgrade(emulator),
                    self.account.username.clone(),
                    scopes,
                    *lifetime,
                );
                client(&self.root, Arc::new(tokens), &self.user_agent, limiter)
            }
            Tokens::Account(session) => {
                match session.ensure_scopes(&[scope], false).await {
                    Ok(()) => self.changes_allowed(&[scope]),
                    Err(error) => {
                        if let AuthError::ConsentNeeded { scopes, .. } = &error {
                            let mut to_allow = self.to_allow.lock();
                            for missing in scopes {
                                if !to_allow.iter().any(|s| s.eq_ignore_ascii_case(missing)) {
                                    to_allow.push(missing.clone());
                                }
                            }
                        }
                        return Err(write_scope_error(error));
                    }
                }
                let builder = GraphClient::builder(self.root.as_str(), Arc::new(session.clone()))
                    .default_scopes([scope]);
                build(builder, &self.user_agent, limiter)
            }
            Tokens::Source(tokens) => {
                client(&self.root, Arc::clone(tokens), &self.user_agent, limiter)
            }
        }
    }

    /// The permissions "Allow changes" asks for: those a write ([`Connection::write_graph`],
    /// [`Connection::group_write_graph`]) was refused for because the sign-in needs consent first,
    /// or GroupMember.ReadWrite.All when none was (the button offered before any change).
    pub fn changes_to_allow(&self) -> Vec<String> {
        let to_allow = self.to_allow.lock();
        if to_allow.is_empty() {
            vec![WRITE_SCOPE.to_owned()]
        } else {
            to_allow.clone()
        }
    }

    /// Forgets `scopes` from [`Connection::changes_to_allow`]: the sign-in holds them now.
    pub(crate) fn changes_allowed(&self, scopes: &[&str]) {
        self.to_allow
            .lock()
            .retain(|s| !scopes.iter().any(|held| held.eq_ignore_ascii_case(s)));
    }

    /// The client a job with `access` runs with.
    pub async fn graph(&self, access: GraphAccess) -> Result<GraphClient, AppError> {
        match access {
            GraphAccess::Read => Ok(self.read_graph()),
            GraphAccess::Write => self.write_graph().await,
        }
    }

    /// Ends the connection; the demo tenant stops (once no job holds it any more).
    pub async fn close(self) {
        if let Tokens::Demo { emulator, .. } = self.tokens {
            drop(self.read);
            match Arc::try_unwrap(emulator) {
                Ok(emulator) => emulator.shutdown().await,
                Err(_) => {
                    tracing::debug!("the demo tenant is still in use; it stops when released")
                }
            }
        }
    }
}

/// The Graph root `account`'s tokens go to: its own. A different `requested` root (a front end
/// started with `--graph-url` or `ROSTER_GRAPH_URL`) is refused with what to do, before any token
/// is asked for.
pub fn account_graph_root(
    account: &roster_auth::Account,
    requested: Option<&str>,
) -> Result<String, AppError> {
    let root = account.graph_root();
    if account.check_graph_root(requested).is_ok() {
        return Ok(root.to_owned());
    }
    let requested = requested.unwrap_or_default().trim_end_matches('/');
    Err(AppError::new(
        ErrorCode::SignInAgain,
        format!(
            "{upn} signed in for Microsoft Graph at {root}, but Roster was started for {requested} \
             (--graph-url or ROSTER_GRAPH_URL). An account's tokens go only to the Graph it signed in for: \
             sign in again here to use {requested}, or start Roster without --graph-url (and \
             ROSTER_GRAPH_URL unset) to use {root}.",
            upn = account.upn
        ),
    ))
}

fn client(
    root: &str,
    tokens: Arc<dyn TokenSource>,
    user_agent: &str,
    limiter: Option<ConcurrencyLimiter>,
) -> Result<GraphClient, AppError> {
    build(GraphClient::builder(root, tokens), user_agent, limiter)
}

fn build(
    builder: roster_graph::GraphClientBuilder,
    user_agent: &str,
    limiter: Option<ConcurrencyLimiter>,
) -> Result<GraphClient, AppError> {
    let builder = match limiter {
        Some(limiter) => builder.limiter(limiter),
        None => builder,
    };
    builder.user_agent(user_agent).build().map_err(|e| {
        AppError::coded(
            ErrorCode::Validation,
            Text::new(
                "app.graphAddress",
                format!("The Graph address is not usable: {e}"),
            )
            .with("error", e),
        )
    })
}

/// The write permission could not be had silently: the saved sign-in is gone, or the identity
/// platform wants consent first (the person signs in again to allow changes).
fn write_scope_error(error: AuthError) -> AppError {
    match error {
        AuthError::ConsentNeeded { scopes, message } => AppError::coded(
            ErrorCode::SignInAgain,
            Text::new("app.allowChanges", message)
                .with("permission", scopes.join(", ")),
        ),
        AuthError::SignInRequired(detail) => AppError::coded(
            ErrorCode::SignInAgain,
            Text::new(
                "app.writeScope",
                "Changing memberships needs the GroupMember.ReadWrite.All permission, which this sign-in does not \
                 have yet. Sign in again to allow changes.",
            ),
        )
        .with_detail(detail),
        other => AppError::from(other),
    }
}

#[cfg(test)]
mod tests {
    use roster_auth::{Account, Accounts, Auth, AuthConfig, Cloud, TokenVault};

    use super::*;

    /// A saved account of the global cloud and its roster-auth session (no sign-in needed: nothing
    /// here asks for a token).
    fn global_session(dir: &std::path::Path) -> roster_auth::Session {
        let mut accounts = Accounts::load(dir).unwrap();
        accounts.upsert(Account {
            upn: "admin@contoso.com".to_owned(),
            display_name: "Admin".to_owned(),
            object_id: "7d0b2c1e-0000-4000-8000-000000000001".to_owned(),
            tenant_id: "8f1c2a3b-4d5e-4f60-8a1b-2c3d4e5f6a7b".to_owned(),
            cloud: Cloud::Global,
            client_id: roster_auth::GRAPH_POWERSHELL_CLIENT_ID.to_owned(),
            scopes: vec!["User.Read.All".to_owned()],
        });
        accounts.save().unwrap();
        Auth::new(AuthConfig::default(), dir, TokenVault::in_memory().unwrap())
            .unwrap()
            .session(None)
            .unwrap()
    }

    #[test]
    fn a_permission_that_needs_consent_is_sign_in_again_to_allow_changes() {
        let error = write_scope_error(AuthError::consent_needed(
            "admin@contoso.com",
            &[WRITE_SCOPE.to_owned()],
        ));
        assert_eq!(error.code, ErrorCode::SignInAgain);
        assert_eq!(error.text.code, "app.allowChanges");
        assert!(crate::TEXT_CODES.contains(&"app.allowChanges"));
        assert_eq!(error.text.params["permission"], WRITE_SCOPE);
        assert!(
            error.message.contains("Sign in again to allow changes")
                && error
                    .message
                    .contains("roster login --account admin@contoso.com --allow-changes"),
            "{}",
            error.message
        );
    }

    #[test]
    fn an_accounts_tokens_go_only_to_the_graph_it_signed_in_for() {
        let dir = tempfile::tempdir().unwrap();
        let session = global_session(dir.path());
        let error =
            Connection::account(session.clone(), Some("http://127.0.0.1:8080"), "ua").unwrap_err();
        assert_eq!(error.code, ErrorCode::SignInAgain);
        let message = error.to_string();
        for part in [
            "admin@contoso.com",
            "https://graph.microsoft.com",
            "http://127.0.0.1:8080",
            "sign in again",
            "--graph-url",
        ] {
            assert!(message.contains(part), "{part}: {message}");
        }

        for same in [None, Some("https://graph.microsoft.com/")] {
            let connection = Connection::account(session.clone(), same, "ua").unwrap();
            assert_eq!(
                connection.read_graph().version_root().as_str(),
                "https://graph.microsoft.com/v1.0"
            );
        }
    }
}
