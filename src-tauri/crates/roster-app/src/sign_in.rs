//! Signing in, for both front ends: where (the cloud, or a custom authority such as the emulator),
//! as which app and with which scopes, and the interactive flows (browser with PKCE, device code)
//! with what the person must do reported as steps and a cancel.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use roster_auth::{
    Auth, AuthConfig, AuthError, Cloud, DeviceCodePrompt, GRAPH_POWERSHELL_CLIENT_ID, Interaction,
    READ_SCOPES, TokenVault,
};
use tokio::sync::Notify;

use crate::error::AppError;

/// Which delegated scopes a sign-in asks for up front.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInScopes {
    /// The reads (users, groups); more permissions (writes, authentication methods) are asked for
    /// when a task needs them. What the app asks: a group owner without admin consent can sign in.
    Reads,
    /// The reads plus what the costlier download columns need: authentication methods
    /// (UserAuthenticationMethod.Read.All), sign-in activity (AuditLog.Read.All) and licence names
    /// (LicenseAssignment.Read.All, for `subscribedSkus`). What the CLI asks: a script cannot stop
    /// for a second consent in the middle of a download.
    ReadsAndAuthMethods,
}

impl SignInScopes {
    fn list(self) -> Vec<String> {
        let mut scopes: Vec<String> = READ_SCOPES.iter().map(|s| (*s).to_owned()).collect();
        if self == Self::ReadsAndAuthMethods {
            scopes.extend(
                [
                    "UserAuthenticationMethod.Read.All",
                    "AuditLog.Read.All",
                    "LicenseAssignment.Read.All",
                ]
                .map(str::to_owned),
            );
        }
        scopes
    }
}

/// Where and as which app to sign in, from the front end's options (`--authority`, `--graph-url`,
/// `--client-id`, `--tenant`, or the app's start options).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignInTarget {
    /// A custom identity platform (the emulator's `http://127.0.0.1:PORT`); wins over the cloud.
    pub authority: Option<String>,
    /// The Graph root; defaults to the authority's host for a custom authority, else the cloud's.
    pub graph_url: Option<String>,
    /// The app (client) id; defaults to Microsoft Graph PowerShell's.
    pub client_id: Option<String>,
    /// The tenant; defaults to `organizations`.
    pub tenant: Option<String>,
}

impl SignInTarget {
    /// The cloud to sign in to: the custom authority when one was given, else `choice`; a Graph
    /// root given alone makes a custom cloud of it.
    pub fn cloud(&self, choice: Cloud) -> Cloud {
        let trim = |s: &str| s.trim_end_matches('/').to_owned();
        match (&self.authority, &self.graph_url) {
            // A national cloud named for both (`--authority usgov`): that cloud.
            (Some(authority), graph)
                if Cloud::parse(authority).is_some_and(|a| {
                    graph
                        .as_deref()
                        .is_none_or(|g| Cloud::parse(g) == Some(a.clone()))
                }) =>
            {
                Cloud::parse(authority).unwrap_or(choice)
            }
            (Some(authority), graph) => Cloud::Custom {
                authority_host: trim(authority),
                graph_root: trim(graph.as_deref().unwrap_or(authority)),
            },
            (None, Some(graph)) => Cloud::parse(graph).unwrap_or_else(|| Cloud::custom(graph)),
            (None, None) => choice,
        }
    }

    /// roster-auth's configuration for signing in to `choice` (see [`SignInTarget::cloud`]).
    pub fn config(&self, choice: Cloud, scopes: SignInScopes) -> AuthConfig {
        AuthConfig {
            client_id: self
                .client_id
                .clone()
                .unwrap_or_else(|| GRAPH_POWERSHELL_CLIENT_ID.to_owned()),
            cloud: self.cloud(choice),
            tenant: self
                .tenant
                .clone()
                .unwrap_or_else(|| "organizations".to_owned()),
            scopes: scopes.list(),
        }
    }

    /// roster-auth over the saved accounts in `data_dir`, keeping refresh tokens in `vault` and
    /// reaching the person through `interaction`.
    pub fn auth(
        &self,
        data_dir: &Path,
        choice: Cloud,
        scopes: SignInScopes,
        vault: TokenVault,
        interaction: Interaction,
    ) -> Result<Auth, AppError> {
        Ok(Auth::new(self.config(choice, scopes), data_dir, vault)?.with_interaction(interaction))
    }
}

/// How the person signs in interactively.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInMethod {
    /// The system browser (authorization code with PKCE through a loopback listener).
    Browser,
    /// A code typed on any device.
    DeviceCode,
}

/// What a running sign-in needs the person to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInStep {
    /// Finish signing in in the browser that was opened.
    Browser,
    /// Type the code at the address (on any device).
    DeviceCode(DeviceCodePrompt),
}

/// The interactive sign-in of a front end: at most one runs at a time; it can be cancelled and
/// asked what it waits for.
#[derive(Debug, Default)]
pub struct SignInFlow {
    cancel: Mutex<Option<Arc<Notify>>>,
    step: Mutex<Option<SignInStep>>,
}

impl SignInFlow {
    /// Signs in with `method` through `auth`, reporting each step to `report` (and keeping the
    /// latest for [`SignInFlow::step`]); ends with the signed-in session, or `cancelled`.
    pub async fn run(
        &self,
        auth: &Auth,
        method: SignInMethod,
        report: impl Fn(&SignInStep) + Send + Sync,
    ) -> Result<roster_auth::Session, AppError> {
        let cancel = Arc::new(Notify::new());
        *self.cancel.lock().unwrap_or_else(PoisonError::into_inner) = Some(Arc::clone(&cancel));
        let show = |step: SignInStep| {
            report(&step);
            *self.step.lock().unwrap_or_else(PoisonError::into_inner) = Some(step);
        };
        let flow = async {
            match method {
                SignInMethod::Browser => {
                    show(SignInStep::Browser);
                    auth.sign_in_interactive(None).await
                }
                SignInMethod::DeviceCode => {
                    auth.sign_in_device_code(|prompt| show(SignInStep::DeviceCode(prompt.clone())))
                        .await
                }
            }
        };
        let outcome = tokio::select! {
            outcome = flow => outcome,
            () = cancel.notified() => Err(AuthError::Cancelled("the sign-in was cancelled in Roster".to_owned())),
        };
        *self.cancel.lock().unwrap_or_else(PoisonError::into_inner) = None;
        *self.step.lock().unwrap_or_else(PoisonError::into_inner) = None;
        Ok(outcome?)
    }

    /// Cancels the running sign-in, if any.
    pub fn cancel(&self) {
        if let Some(cancel) = self
            .cancel
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
        {
            cancel.notify_one();
        }
    }

    /// What the running sign-in waits for the person to do.
    pub fn step(&self) -> Option<SignInStep> {
        self.step
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_custom_authority_wins_and_serves_graph_too() {
        let target = SignInTarget {
            authority: Some("http://127.0.0.1:8080/".into()),
            ..SignInTarget::default()
        };
        assert_eq!(
            target.cloud(Cloud::China),
            Cloud::Custom {
                authority_host: "http://127.0.0.1:8080".into(),
                graph_root: "http://127.0.0.1:8080".into(),
            }
        );
        assert_eq!(SignInTarget::default().cloud(Cloud::UsGov), Cloud::UsGov);
        let config =
            SignInTarget::default().config(Cloud::Global, SignInScopes::ReadsAndAuthMethods);
        assert!(
            config
                .scopes
                .iter()
                .any(|s| s == "UserAuthenticationMethod.Read.All")
        );
        assert_eq!(config.tenant, "organizations");
        let app = SignInTarget::default().config(Cloud::Global, SignInScopes::Reads);
        assert!(
            !app.scopes
                .iter()
                .any(|s| s.contains("AuthenticationMethod"))
        );
    }
}
