//! App-only automation through `azure_identity`: a confidential app's client secret, a managed
//! identity, or the Azure CLI's signed-in account. Tokens carry application permissions (`roles`).

use std::sync::Arc;

use azure_core::cloud::{CloudConfiguration, CustomConfiguration};
use azure_core::credentials::{Secret, TokenCredential};
use azure_core::http::{ClientOptions, Transport};
use azure_identity::{
    AzureCliCredential, AzureCliCredentialOptions, ClientCertificateCredential,
    ClientCertificateCredentialOptions, ClientSecretCredential, ClientSecretCredentialOptions,
    ManagedIdentityCredential, ManagedIdentityCredentialOptions, UserAssignedId,
};
use roster_graph::{AccessToken, BoxFuture, TokenError, TokenSource};

use crate::certificate::ClientCertificate;
use crate::cloud::Cloud;
use crate::error::AuthError;
use crate::secret::ClientSecret;
use crate::transport::ReqwestTransport;

/// How the app proves who it is.
#[derive(Debug, Clone)]
pub enum AppCredential {
    /// A confidential app registration's client secret (`--client-secret-env VAR`).
    ClientSecret {
        /// The tenant id or domain.
        tenant: String,
        /// The app (client) id.
        client_id: String,
        /// The secret.
        secret: ClientSecret,
    },
    /// A confidential app registration's certificate (`--client-certificate FILE`): the token request
    /// carries a JWT signed with the certificate's private key.
    ClientCertificate {
        /// The tenant id or domain.
        tenant: String,
        /// The app (client) id.
        client_id: String,
        /// The certificate and its private key.
        certificate: ClientCertificate,
    },
    /// The managed identity of the Azure host Roster runs on (system-assigned, or a user-assigned
    /// one by client id).
    ManagedIdentity {
        /// The user-assigned identity's client id; `None` for the system-assigned one.
        client_id: Option<String>,
    },
    /// Whoever is signed in to the Azure CLI (`az login`).
    AzureCli {
        /// The tenant to ask the CLI for; `None` for its default.
        tenant: Option<String>,
    },
}

impl AppCredential {
    /// A client-secret credential whose secret is read from the environment variable `var`
    /// (`roster --client-id ID --tenant T --client-secret-env VAR`), so it never appears on a command line.
    pub fn client_secret_from_env(
        tenant: &str,
        client_id: &str,
        var: &str,
    ) -> Result<Self, AuthError> {
        let secret = std::env::var(var).ok().filter(|s| !s.trim().is_empty()).ok_or_else(|| {
            AuthError::Config(format!(
                "The environment variable {var} is not set or empty; set it to the app's client secret value."
            ))
        })?;
        Ok(Self::ClientSecret {
            tenant: tenant.to_owned(),
            client_id: client_id.to_owned(),
            secret: ClientSecret::new(secret),
        })
    }
}

/// An app-only token source for Graph in one cloud.
#[derive(Debug, Clone)]
pub struct AppOnly {
    credential: Arc<dyn TokenCredential>,
    scope: String,
    description: String,
    /// What to check when the identity platform refuses the credential (`invalid_client`).
    refusal_hint: &'static str,
}

fn client_options(
    cloud: &Cloud,
    extra_root_der: Option<&[u8]>,
) -> Result<ClientOptions, AuthError> {
    let configuration = match cloud {
        Cloud::Global => CloudConfiguration::AzurePublic,
        Cloud::UsGov | Cloud::UsGovDod => CloudConfiguration::AzureGovernment,
        Cloud::China => CloudConfiguration::AzureChina,
        Cloud::Custom { authority_host, .. } => {
            let mut custom = CustomConfiguration::default();
            custom.authority_host = authority_host.clone();
            CloudConfiguration::Custom(custom)
        }
    };
    let transport = ReqwestTransport::new(extra_root_der).map_err(AuthError::Config)?;
    Ok(ClientOptions {
        cloud: Some(Arc::new(configuration)),
        transport: Some(Transport::new(Arc::new(transport))),
        ..ClientOptions::default()
    })
}

fn refused(error: azure_core::Error) -> AuthError {
    AuthError::Config(format!(
        "The app-only credential could not be set up: {error}"
    ))
}

impl AppOnly {
    /// A token source for `credential` against `cloud`. `extra_root_der` adds a trusted root
    /// certificate (the emulator's https listener); `azure_identity` only accepts https authorities.
    pub fn new(
        credential: AppCredential,
        cloud: &Cloud,
        extra_root_der: Option<&[u8]>,
    ) -> Result<Self, AuthError> {
        let options = client_options(cloud, extra_root_der)?;
        let mut refusal_hint = "check the secret value (not its id) and that it has not expired";
        let (credential, description): (Arc<dyn TokenCredential>, String) = match credential {
            AppCredential::ClientSecret {
                tenant,
                client_id,
                secret,
            } => {
                let description = format!("app {client_id} in tenant {tenant} (client secret)");
                let options = ClientSecretCredentialOptions {
                    client_options: options,
                };
                let credential = ClientSecretCredential::new(
                    &tenant,
                    client_id,
                    Secret::new(secret.secret().to_owned()),
                    Some(options),
                )
                .map_err(refused)?;
                (credential, description)
            }
            AppCredential::ClientCertificate {
                tenant,
                client_id,
                certificate,
            } => {
                refusal_hint = "check that the certificate's public part is uploaded to the app registration \
                                (Certificates & secrets) and has not expired";
                let description =
                    format!("app {client_id} in tenant {tenant} (client certificate)");
                let options = ClientCertificateCredentialOptions {
                    client_options: options,
                    password: Some(Secret::new(certificate.password().to_owned())),
                };
                let credential = ClientCertificateCredential::new(
                    tenant,
                    client_id,
                    certificate.pkcs12(),
                    Some(options),
                )
                .map_err(refused)?;
                (credential, description)
            }
            AppCredential::ManagedIdentity { client_id } => {
                let description = match &client_id {
                    Some(id) => format!("user-assigned managed identity {id}"),
                    None => "system-assigned managed identity".to_owned(),
                };
                let options = ManagedIdentityCredentialOptions {
                    user_assigned_id: client_id.map(UserAssignedId::ClientId),
                    client_options: options,
                };
                (
                    ManagedIdentityCredential::new(Some(options)).map_err(refused)?,
                    description,
                )
            }
            AppCredential::AzureCli { tenant } => {
                let description = "the Azure CLI's signed-in account".to_owned();
                let options = AzureCliCredentialOptions {
                    tenant_id: tenant,
                    ..AzureCliCredentialOptions::default()
                };
                (
                    AzureCliCredential::new(Some(options)).map_err(refused)?,
                    description,
                )
            }
        };
        Ok(Self {
            credential,
            scope: cloud.graph_default_scope(),
            description,
            refusal_hint,
        })
    }

    /// Who the tokens speak for, for `roster whoami`.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// An app-only access token for Graph (`{graph root}/.default`).
    pub async fn token(&self) -> Result<AccessToken, AuthError> {
        let token = self
            .credential
            .get_token(&[self.scope.as_str()], None)
            .await
            .map_err(|e| {
                let message = e.to_string();
                if message.contains("AADSTS7000215") || message.contains("invalid_client") {
                    AuthError::Refused(format!(
                        "the credential of {} was not accepted: {} ({})",
                        self.description,
                        self.refusal_hint,
                        readable(&message)
                    ))
                } else {
                    AuthError::Refused(format!(
                        "no app-only token for {}: {}",
                        self.description,
                        readable(&message)
                    ))
                }
            })?;
        Ok(AccessToken::new(token.token.secret().to_owned()))
    }
}

/// The identity platform's own sentence (`AADSTSnnnn: …`) out of an azure_identity error, which may
/// quote the whole answer with escaped line breaks; else the error's first line.
fn readable(message: &str) -> &str {
    match message.find("AADSTS") {
        Some(start) => {
            let rest = &message[start..];
            let end = ["\\r\\n", "\r\n", "\n", "\""]
                .iter()
                .filter_map(|stop| rest.find(stop))
                .min();
            &rest[..end.unwrap_or(rest.len())]
        }
        None => message.lines().next().unwrap_or_default(),
    }
}

impl TokenSource for AppOnly {
    /// App-only tokens carry whatever application permissions the app was granted; `scopes` cannot
    /// widen them.
    fn access_token<'a>(
        &'a self,
        _scopes: &'a [String],
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>> {
        Box::pin(async move {
            self.token().await.map_err(|error| match error {
                // The credential itself was refused (wrong secret, unknown certificate, no managed
                // identity, `az` signed out): a sign-in problem, not a Graph outage to retry.
                AuthError::Refused(_) => TokenError::SignInRequired(error.to_string()),
                other => TokenError::from(other),
            })
        })
    }

    /// `azure_identity` caches tokens internally and offers no eviction; the next call asks it again.
    fn invalidate<'a>(&'a self, _rejected: &'a AccessToken) -> BoxFuture<'a, ()> {
        Box::pin(async {})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_secret_variable_is_a_clear_error() {
        let error =
            AppCredential::client_secret_from_env("t", "c", "ROSTER_TEST_SURELY_UNSET_VARIABLE")
                .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("ROSTER_TEST_SURELY_UNSET_VARIABLE")
        );
    }

    #[test]
    fn readable_keeps_only_the_aadsts_sentence() {
        let quoted = r#"ClientSecretCredential authentication failed. invalid type: string "AADSTS70011: The scope is not valid.\r\nTrace ID: 1", expected a borrowed string"#;
        assert_eq!(readable(quoted), "AADSTS70011: The scope is not valid.");
        assert_eq!(readable("connection refused\nmore"), "connection refused");
    }
}
