//! The `oauth2` crate set up for the Microsoft identity platform: endpoints from an authority, the
//! `id_token` extra field, scope lists, id-token claims and error mapping.

use std::error::Error as StdError;
use std::fmt::Display;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AuthUrl, Client, ClientId, DeviceAuthorizationUrl, EndpointNotSet, EndpointSet,
    ErrorResponseType, ExtraTokenFields, RequestTokenError, Scope, StandardErrorResponse,
    StandardRevocableToken, StandardTokenResponse, TokenResponse as _, TokenUrl,
};
use serde::{Deserialize, Serialize};

use crate::cloud::Cloud;
use crate::config::OIDC_SCOPES;
use crate::error::{AuthError, classify};
use crate::token_http::{TokenHttp, TokenHttpError};

/// The `id_token` of a token response. Its `Debug` does not show the token.
#[derive(Clone, Default, Deserialize, Serialize)]
pub(crate) struct IdTokenField {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
}

impl std::fmt::Debug for IdTokenField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.id_token.is_some() {
            "IdTokenField(<redacted>)"
        } else {
            "IdTokenField(None)"
        })
    }
}

impl ExtraTokenFields for IdTokenField {}

/// A token response with its `id_token`.
pub(crate) type TokenResponse = StandardTokenResponse<IdTokenField, BasicTokenType>;

/// A client with authorize, device authorization and token endpoints set.
pub(crate) type EntraClient = Client<
    BasicErrorResponse,
    TokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// The client for `{authority host}/{tenant}` and `client_id`.
pub(crate) fn client(
    cloud: &Cloud,
    tenant: &str,
    client_id: &str,
) -> Result<EntraClient, AuthError> {
    if client_id.trim().is_empty() {
        return Err(AuthError::Config(
            "The client id is empty: set one or use the default.".to_owned(),
        ));
    }
    let base = format!("{}/{}/oauth2/v2.0", cloud.authority_host(), tenant);
    let bad = |e: url::ParseError| {
        AuthError::Config(format!("'{base}' is not a usable authority URL ({e})."))
    };
    Ok(Client::new(ClientId::new(client_id.to_owned()))
        .set_auth_uri(AuthUrl::new(format!("{base}/authorize")).map_err(bad)?)
        .set_device_authorization_url(
            DeviceAuthorizationUrl::new(format!("{base}/devicecode")).map_err(bad)?,
        )
        .set_token_uri(TokenUrl::new(format!("{base}/token")).map_err(bad)?))
}

/// The HTTP client for the identity platform's token requests ([`TokenHttp`]): never follows
/// redirects (the `oauth2` crate's advice: a redirect from a token endpoint could leak the request
/// to another host), 60 s per request, at most 1 MiB per answer.
pub(crate) fn http_client() -> Result<TokenHttp, AuthError> {
    TokenHttp::new()
        .map_err(|e| AuthError::Config(format!("could not set up the HTTP client ({e})")))
}

/// The scopes of a delegated request: the Graph permissions plus the OIDC scopes.
pub(crate) fn request_scopes(graph: &[String]) -> Vec<Scope> {
    OIDC_SCOPES
        .iter()
        .map(|s| (*s).to_owned())
        .chain(graph.iter().cloned())
        .map(Scope::new)
        .collect()
}

/// Whether `scope` is an OIDC scope rather than a Graph permission.
pub(crate) fn is_oidc(scope: &str) -> bool {
    OIDC_SCOPES
        .iter()
        .chain(&["email"])
        .any(|s| s.eq_ignore_ascii_case(scope))
}

/// The bare Graph permission of `https://graph…/X` or `X`.
pub(crate) fn bare_scope(scope: &str) -> &str {
    match scope.rsplit_once('/') {
        Some((resource, name)) if resource.starts_with("http") => name,
        _ => scope,
    }
}

/// The Graph permissions a token response grants (its `scope`, or what was asked when it has none).
pub(crate) fn granted_scopes(response: &TokenResponse, asked: &[String]) -> Vec<String> {
    let mut granted: Vec<String> = match response.scopes() {
        Some(scopes) => scopes
            .iter()
            .map(|s| bare_scope(s).to_owned())
            .filter(|s| !is_oidc(s))
            .collect(),
        None => asked.to_vec(),
    };
    granted.sort_by_key(|s| s.to_ascii_lowercase());
    granted.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    granted
}

/// What an id token says about the signed-in user.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct IdClaims {
    pub oid: String,
    pub tid: String,
    pub preferred_username: String,
    #[serde(default)]
    pub name: String,
}

/// Reads the claims of an id token (the signature is not checked: the token came straight from the
/// token endpoint over the connection we opened).
pub(crate) fn id_claims(response: &TokenResponse) -> Result<IdClaims, AuthError> {
    let missing = || AuthError::Refused("the sign-in answer had no usable id token".to_owned());
    let token = response
        .extra_fields()
        .id_token
        .as_deref()
        .ok_or_else(missing)?;
    let payload = token.split('.').nth(1).ok_or_else(missing)?;
    let bytes = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| missing())?;
    serde_json::from_slice(&bytes).map_err(|_| missing())
}

/// Maps a failed token request to an [`AuthError`] (never quoting the raw answer, which could hold
/// a token).
pub(crate) fn token_error<T>(
    error: RequestTokenError<TokenHttpError, StandardErrorResponse<T>>,
    upn: Option<&str>,
    scopes: &[String],
) -> AuthError
where
    T: ErrorResponseType + Display + 'static,
{
    match error {
        RequestTokenError::ServerResponse(response) => classify(
            &response.error().to_string(),
            response.error_description().map(String::as_str),
            upn,
            scopes,
        ),
        RequestTokenError::Request(TokenHttpError::TooLarge { limit_kib }) => {
            AuthError::AnswerTooLarge { limit_kib }
        }
        RequestTokenError::Request(e) => {
            let mut message = e.to_string();
            let mut source = e.source();
            while let Some(inner) = source {
                message.push_str(&format!(": {inner}"));
                source = inner.source();
            }
            AuthError::Unreachable(message)
        }
        RequestTokenError::Parse(e, _) => {
            AuthError::Refused(format!("its answer could not be read (at '{}')", e.path()))
        }
        RequestTokenError::Other(message) => AuthError::Refused(message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_bare_graph_names_plus_oidc() {
        let scopes = request_scopes(&["User.Read.All".to_owned()]);
        let names: Vec<&str> = scopes.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            names,
            ["offline_access", "openid", "profile", "User.Read.All"]
        );
        assert_eq!(
            bare_scope("https://graph.microsoft.com/Group.Read.All"),
            "Group.Read.All"
        );
        assert!(is_oidc("OpenID") && !is_oidc("User.Read"));
    }

    #[test]
    fn id_token_field_debug_is_redacted() {
        let field = IdTokenField {
            id_token: Some("eyJhbGciOi.secret.sig".to_owned()),
        };
        assert_eq!(format!("{field:?}"), "IdTokenField(<redacted>)");
    }
}
