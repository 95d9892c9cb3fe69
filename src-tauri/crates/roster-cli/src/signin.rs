//! `roster login|logout|whoami|accounts`, and the token source every Graph command uses:
//! `ROSTER_ACCESS_TOKEN`, app-only credentials (`--client-secret-env`), or the signed-in account.

use crate::cli::{Cli, Login};
use crate::exit::{Exit, Failure};
use roster_app::sign_in::{SignInScopes, SignInTarget};
use roster_auth::{
    AppCredential, AppOnly, Auth, AuthError, ClientCertificate, ClientSecret, Cloud, Interaction,
    RULE_WRITE_SCOPE, Session, TokenVault, WRITE_SCOPE,
};
use roster_graph::TokenSource;
use serde_json::json;
use std::sync::Arc;

impl From<AuthError> for Failure {
    fn from(e: AuthError) -> Self {
        let exit = if matches!(e, AuthError::Config(_)) {
            Exit::BadInput
        } else {
            Exit::Auth
        };
        Failure::new(exit, e.to_string())
    }
}

/// Where and as which app to sign in, from the global flags.
fn target(cli: &Cli) -> SignInTarget {
    SignInTarget {
        authority: cli.authority.clone(),
        graph_url: cli.graph_url.clone(),
        client_id: cli.client_id.clone(),
        tenant: cli.tenant.clone(),
    }
}

/// The cloud of the global flags (`--authority`, `--graph-url`), else the global service.
fn cloud(cli: &Cli) -> Cloud {
    target(cli).cloud(Cloud::Global)
}

fn auth(cli: &Cli) -> Result<Auth, Failure> {
    auth_asking(cli, Allow::default())
}

/// The write permissions `roster login` asks for besides the reads.
#[derive(Debug, Clone, Copy, Default)]
struct Allow {
    /// `--allow-changes`: GroupMember.ReadWrite.All.
    changes: bool,
    /// `--allow-rule-changes`: Group.ReadWrite.All.
    rule_changes: bool,
}

/// roster-auth for the global flags; `allow` adds permissions to what a sign-in asks for: the
/// membership write permission (`roster login --allow-changes`), the rule write permission
/// (`--allow-rule-changes`).
fn auth_asking(cli: &Cli, allow: Allow) -> Result<Auth, Failure> {
    let dir = crate::app::profile(cli).data_dir;
    let mut config = target(cli).config(Cloud::Global, SignInScopes::ReadsAndAuthMethods);
    if allow.changes {
        config.scopes.push(WRITE_SCOPE.to_owned());
    }
    if allow.rule_changes {
        config.scopes.push(RULE_WRITE_SCOPE.to_owned());
    }
    Ok(Auth::new(config, dir, TokenVault::platform()?)?)
}

/// The signed-in account's session when a Graph command runs as it: not with `--demo`,
/// `ROSTER_ACCESS_TOKEN` or app-only credentials. Membership changes use it to ask for the write
/// permission (incremental consent) before anything is written.
pub fn account_session(cli: &Cli) -> Result<Option<Session>, Failure> {
    let token_env = std::env::var(crate::app::TOKEN_ENV)
        .ok()
        .is_some_and(|t| !t.trim().is_empty());
    if cli.demo
        || token_env
        || app_only_from_flags(cli, cli.client_certificate.as_deref()).is_some()
    {
        return Ok(None);
    }
    Ok(Some(auth(cli)?.session(cli.account.as_deref())?))
}

fn app_only(cli: &Cli, var: &str) -> Result<AppOnly, Failure> {
    let secret = std::env::var(var)
        .ok()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            Failure::input(format!(
                "--client-secret-env {var}: the environment variable {var} is not set or empty"
            ))
        })?;
    let (Some(client_id), Some(tenant)) = (&cli.client_id, &cli.tenant) else {
        return Err(Failure::input(
            "app-only sign-in needs --client-id ID and --tenant T with --client-secret-env VAR",
        ));
    };
    let credential = AppCredential::ClientSecret {
        tenant: tenant.clone(),
        client_id: client_id.clone(),
        secret: ClientSecret::new(secret),
    };
    Ok(AppOnly::new(credential, &cloud(cli), None)?)
}

/// App-only sign-in with the certificate in `file` (`--client-certificate FILE`).
fn certificate_app_only(cli: &Cli, file: &std::path::Path) -> Result<AppOnly, Failure> {
    let (Some(client_id), Some(tenant)) = (&cli.client_id, &cli.tenant) else {
        return Err(Failure::input(
            "app-only sign-in needs --client-id ID and --tenant T with --client-certificate FILE",
        ));
    };
    let password = match &cli.client_certificate_password_env {
        Some(var) => Some(std::env::var(var).map_err(|_| {
            Failure::input(format!(
                "--client-certificate-password-env {var}: the environment variable {var} is not set"
            ))
        })?),
        None => None,
    };
    let certificate = ClientCertificate::from_file(file, password.as_deref())?;
    let credential = AppCredential::ClientCertificate {
        tenant: tenant.clone(),
        client_id: client_id.clone(),
        certificate,
    };
    Ok(AppOnly::new(credential, &cloud(cli), None)?)
}

/// The app-only credential the flags name, if any (`--client-secret-env`, `--client-certificate`,
/// `--managed-identity` or `--azure-cli`).
fn app_only_from_flags(
    cli: &Cli,
    certificate: Option<&std::path::Path>,
) -> Option<Result<AppOnly, Failure>> {
    let named = usize::from(cli.client_secret_env.is_some())
        + usize::from(certificate.is_some())
        + usize::from(cli.managed_identity)
        + usize::from(cli.azure_cli);
    if named > 1 {
        return Some(Err(Failure::input(
            "give one app-only credential: --client-secret-env, --client-certificate, --managed-identity \
             or --azure-cli",
        )));
    }
    if let Some(var) = &cli.client_secret_env {
        return Some(app_only(cli, var));
    }
    if let Some(file) = certificate {
        return Some(certificate_app_only(cli, file));
    }
    let credential = if cli.managed_identity {
        AppCredential::ManagedIdentity {
            client_id: cli.client_id.clone(),
        }
    } else if cli.azure_cli {
        AppCredential::AzureCli {
            tenant: cli.tenant.clone(),
        }
    } else {
        return None;
    };
    Some(AppOnly::new(credential, &cloud(cli), None).map_err(Failure::from))
}

/// The token source for a Graph command and the Graph service root to call.
pub fn token_source(cli: &Cli) -> Result<(Arc<dyn TokenSource>, String), Failure> {
    if let Some(app) = app_only_from_flags(cli, cli.client_certificate.as_deref()) {
        return Ok((Arc::new(app?), cloud(cli).graph_root().to_owned()));
    }
    let auth = auth(cli)?;
    let session = auth.session(cli.account.as_deref())?;
    // The account's tokens go only to the Graph it signed in for: a different --graph-url (or a
    // leftover ROSTER_GRAPH_URL) is refused, with what to do.
    let account = session.account();
    account.check_graph_root(cli.graph_url.as_deref())?;
    let root = account.graph_root().to_owned();
    Ok((Arc::new(session), root))
}

/// `roster login`.
pub async fn login(cli: &Cli, login: &Login) -> Result<Exit, Failure> {
    let certificate = login
        .certificate
        .as_deref()
        .or(cli.client_certificate.as_deref());
    if let Some(app) = app_only_from_flags(cli, certificate) {
        let app = app?;
        app.token().await?;
        report(
            cli,
            json!({ "appOnly": app.description() }),
            &format!("Signed in as {}.", app.description()),
        );
        return Ok(Exit::Done);
    }
    let allow = Allow {
        changes: login.allow_changes,
        rule_changes: login.allow_rule_changes,
    };
    let mut auth = auth_asking(cli, allow)?;
    if login.no_browser {
        auth = auth.with_interaction(Interaction::without_browser(|url| {
            eprintln!("Open this address in a browser to sign in:\n{url}");
        }));
    }
    let session = if login.device_code {
        auth.sign_in_device_code(|prompt| eprintln!("{}", prompt.message))
            .await?
    } else {
        auth.sign_in_interactive(cli.account.as_deref()).await?
    };
    let account = session.account();
    report(
        cli,
        json!({ "upn": account.upn, "tenantId": account.tenant_id, "scopes": account.scopes }),
        &format!(
            "Signed in as {} (tenant {}).",
            account.upn, account.tenant_id
        ),
    );
    Ok(Exit::Done)
}

/// `roster logout`.
pub fn logout(cli: &Cli) -> Result<Exit, Failure> {
    let account = auth(cli)?.sign_out(cli.account.as_deref())?;
    report(
        cli,
        json!({ "signedOut": account.upn }),
        &format!("Signed out {}.", account.upn),
    );
    Ok(Exit::Done)
}

/// `roster whoami`.
pub fn whoami(cli: &Cli) -> Result<Exit, Failure> {
    let auth = auth(cli)?;
    let accounts = auth.accounts()?;
    let account = accounts.find(cli.account.as_deref())?;
    report(
        cli,
        json!({
            "upn": account.upn,
            "displayName": account.display_name,
            "tenantId": account.tenant_id,
            "clientId": account.client_id,
            "authority": account.authority(),
            "graph": account.graph_root(),
            "scopes": account.scopes,
        }),
        &format!(
            "{} ({})\ntenant  {}\ngraph   {}\nscopes  {}",
            account.upn,
            account.display_name,
            account.tenant_id,
            account.graph_root(),
            account.scopes.join(" ")
        ),
    );
    Ok(Exit::Done)
}

/// `roster accounts`.
pub fn accounts(cli: &Cli) -> Result<Exit, Failure> {
    let accounts = auth(cli)?.accounts()?;
    let active = accounts.active().map(|a| a.key());
    let list: Vec<_> = accounts
        .list()
        .iter()
        .map(
            |a| json!({ "upn": a.upn, "tenantId": a.tenant_id, "active": Some(a.key()) == active }),
        )
        .collect();
    let text = if list.is_empty() {
        "Nobody is signed in; run `roster login`.".to_owned()
    } else {
        accounts
            .list()
            .iter()
            .map(|a| {
                format!(
                    "{} {}  (tenant {})",
                    if Some(a.key()) == active { "*" } else { " " },
                    a.upn,
                    a.tenant_id
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    report(cli, serde_json::Value::Array(list), &text);
    Ok(Exit::Done)
}

fn report(cli: &Cli, value: serde_json::Value, text: &str) {
    if cli.json {
        println!("{value}");
    } else {
        println!("{text}");
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser as _;
    use roster_auth::{Account, Accounts};

    use super::*;

    fn signed_in_globally(dir: &std::path::Path) {
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
    }

    #[test]
    fn a_graph_url_other_than_the_accounts_is_refused_before_any_token() {
        let dir = tempfile::tempdir().unwrap();
        signed_in_globally(dir.path());
        let data = dir.path().to_str().unwrap();
        let leftover = [
            "roster",
            "--data-dir",
            data,
            "--graph-url",
            "http://127.0.0.1:8080",
            "whoami",
        ];
        let cli = Cli::try_parse_from(leftover).unwrap();
        let failure = token_source(&cli).err().expect("refused");
        assert_eq!(failure.exit, Exit::BadInput);
        for part in [
            "admin@contoso.com",
            "https://graph.microsoft.com",
            "http://127.0.0.1:8080",
            "login",
        ] {
            assert!(
                failure.message.contains(part),
                "{part}: {}",
                failure.message
            );
        }

        let cli = Cli::try_parse_from(["roster", "--data-dir", data, "whoami"]).unwrap();
        let (_, root) = token_source(&cli).unwrap();
        assert_eq!(root, "https://graph.microsoft.com");
    }
}
