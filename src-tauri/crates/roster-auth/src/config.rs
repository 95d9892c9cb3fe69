//! What to sign in to and how to talk to the person: client id, cloud, tenant, scopes, and the
//! injectable "open this URL" and "wait" functions (tests script them).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use crate::cloud::Cloud;

/// The public client id of "Microsoft Graph Command Line Tools" (Graph PowerShell's default), used
/// when no app registration of one's own is configured.
pub const GRAPH_POWERSHELL_CLIENT_ID: &str = "14d82eec-204b-4c2f-b7e8-296a70dab67e";

/// Graph permissions asked for at sign-in: enough to read users, groups and memberships.
pub const READ_SCOPES: &[&str] = &["User.Read.All", "Group.Read.All"];

/// The permission a membership-changing job needs, asked for only when such a job starts.
pub const WRITE_SCOPE: &str = "GroupMember.ReadWrite.All";

/// The permission saving a dynamic group's membership rule needs (a change of the group itself, which
/// [`WRITE_SCOPE`] does not cover), asked for only when a rule is saved.
pub const RULE_WRITE_SCOPE: &str = "Group.ReadWrite.All";

/// The permissions Roster's changes need, each with the `roster login` flag that asks for it at
/// sign-in and what it lets Roster do.
pub const CHANGE_SCOPES: &[(&str, &str, &str)] = &[
    (WRITE_SCOPE, "--allow-changes", "change memberships"),
    (
        RULE_WRITE_SCOPE,
        "--allow-rule-changes",
        "save membership rules",
    ),
];

/// OIDC scopes asked for with every delegated request: a refresh token, an id token, the name.
pub const OIDC_SCOPES: &[&str] = &["offline_access", "openid", "profile"];

/// Where and as what app to sign in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthConfig {
    /// The app (client) id; defaults to [`GRAPH_POWERSHELL_CLIENT_ID`].
    pub client_id: String,
    /// The cloud (authority host and Graph root).
    pub cloud: Cloud,
    /// The tenant in the authority URL: `organizations` (any work account), a tenant id or a domain.
    pub tenant: String,
    /// Graph permissions asked for at sign-in (bare names); defaults to [`READ_SCOPES`].
    pub scopes: Vec<String>,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            client_id: GRAPH_POWERSHELL_CLIENT_ID.to_owned(),
            cloud: Cloud::Global,
            tenant: "organizations".to_owned(),
            scopes: READ_SCOPES.iter().map(|s| (*s).to_owned()).collect(),
        }
    }
}

impl AuthConfig {
    /// The configuration for the emulator at `root` (`http://127.0.0.1:PORT`) and its `tenant`.
    pub fn emulator(root: &str, tenant: &str) -> Self {
        Self {
            cloud: Cloud::custom(root),
            tenant: tenant.to_owned(),
            ..Self::default()
        }
    }

    /// `{authority host}/{tenant}`.
    pub fn authority(&self) -> String {
        format!("{}/{}", self.cloud.authority_host(), self.tenant)
    }
}

/// A boxed, sendable future.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// Opens a URL for the person (the system browser by default). Returns an error message when it cannot.
pub type UrlOpener = Arc<dyn Fn(&url::Url) -> Result<(), String> + Send + Sync>;

/// Waits for a duration (between device-code polls); tests shorten it.
pub type Sleeper = Arc<dyn Fn(Duration) -> BoxFuture<()> + Send + Sync>;

/// How sign-in talks to the person.
#[derive(Clone)]
pub struct Interaction {
    /// Opens the sign-in page.
    pub open_url: UrlOpener,
    /// Waits between device-code polls.
    pub sleep: Sleeper,
    /// How long to wait for the browser to come back to the loopback listener.
    pub browser_timeout: Duration,
}

impl std::fmt::Debug for Interaction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Interaction")
            .field("browser_timeout", &self.browser_timeout)
            .finish_non_exhaustive()
    }
}

impl Default for Interaction {
    /// The system browser (`webbrowser`), real sleeps, five minutes for the browser.
    fn default() -> Self {
        Self {
            open_url: Arc::new(|url: &url::Url| {
                webbrowser::open(url.as_str()).map_err(|e| e.to_string())
            }),
            sleep: Arc::new(|duration| Box::pin(tokio::time::sleep(duration))),
            browser_timeout: Duration::from_secs(300),
        }
    }
}

impl Interaction {
    /// Does not open a browser: hands the URL to `show` (the CLI's `--no-browser` prints it).
    pub fn without_browser(show: impl Fn(&url::Url) + Send + Sync + 'static) -> Self {
        Self {
            open_url: Arc::new(move |url: &url::Url| {
                show(url);
                Ok(())
            }),
            ..Self::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_graph_powershell_client_and_read_scopes_on_organizations() {
        let config = AuthConfig::default();
        assert_eq!(config.client_id, "14d82eec-204b-4c2f-b7e8-296a70dab67e");
        assert_eq!(
            config.authority(),
            "https://login.microsoftonline.com/organizations"
        );
        assert_eq!(config.scopes, ["User.Read.All", "Group.Read.All"]);
        let emulator = AuthConfig::emulator("http://127.0.0.1:9/", "contoso.onmicrosoft.com");
        assert_eq!(
            emulator.authority(),
            "http://127.0.0.1:9/contoso.onmicrosoft.com"
        );
    }
}
