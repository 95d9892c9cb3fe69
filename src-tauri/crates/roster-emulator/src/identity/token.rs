//! `POST /{tenant}/oauth2/v2.0/token`: the authorization_code (PKCE), refresh_token (rotation),
//! device_code and client_credentials grants.

use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use super::errors::OAuthError;
use super::routes::{ServedOverTls, base_url, basic_credentials, parse_form};
use super::state::{ClientProof, DeviceStatus, IdentityState, SignIn};
use crate::faults::Fault;

/// The grant type URN of the device code flow.
pub const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// The `client_assertion_type` of a certificate credential's signed JWT.
pub const JWT_BEARER_ASSERTION: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// The token endpoint.
pub(crate) async fn token(
    State(state): State<Arc<IdentityState>>,
    Path(tenant): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    tls: Option<axum::Extension<ServedOverTls>>,
    body: Bytes,
) -> Response {
    let base = base_url(&uri, &headers, tls.is_some());
    let fault = state.token_fault();
    if fault == Some(Fault::Huge) {
        return axum::response::Response::new(crate::server::huge_body());
    }
    let response = match grant(&state, &tenant, &headers, &body, &base) {
        Ok(body) => {
            let mut response = Json(body).into_response();
            response.headers_mut().insert(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store, no-cache"),
            );
            response
        }
        Err(error) => error.into_response(),
    };
    if fault == Some(Fault::Drip) {
        return drip(response).await;
    }
    response
}

/// `response` with its body sent one byte at a time (the `drip` fault).
async fn drip(response: Response) -> Response {
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    Response::from_parts(parts, crate::server::drip_body(bytes))
}

fn grant(
    state: &IdentityState,
    tenant: &str,
    headers: &HeaderMap,
    body: &[u8],
    base: &str,
) -> Result<serde_json::Value, OAuthError> {
    state.check_tenant(tenant)?;
    let form = parse_form(&String::from_utf8_lossy(body));
    let param = |name: &str| form.get(name).map(String::as_str).filter(|v| !v.is_empty());
    let basic = basic_credentials(headers);
    let client_id = param("client_id")
        .map(str::to_owned)
        .or_else(|| basic.as_ref().map(|(id, _)| id.clone()))
        .ok_or_else(|| OAuthError::missing("client_id"))?;
    let required = |name: &str| param(name).ok_or_else(|| OAuthError::missing(name));
    let grant_type = required("grant_type")?;
    match grant_type {
        "authorization_code" => {
            let sign_in = redeem_code(
                state,
                &client_id,
                required("code")?,
                required("redirect_uri")?,
                param("code_verifier"),
            )?;
            state.record_consent(&sign_in);
            Ok(state.issue_user_tokens(&sign_in, base))
        }
        "refresh_token" => {
            let sign_in = state.redeem_refresh_token(
                required("refresh_token")?,
                &client_id,
                param("scope"),
            )?;
            Ok(state.issue_user_tokens(&sign_in, base))
        }
        DEVICE_CODE_GRANT => {
            let sign_in = poll_device_code(state, &client_id, required("device_code")?)?;
            state.record_consent(&sign_in);
            Ok(state.issue_user_tokens(&sign_in, base))
        }
        "client_credentials" => {
            let scope = required("scope")?;
            if let Some(assertion) = param("client_assertion") {
                if param("client_assertion_type") != Some(JWT_BEARER_ASSERTION) {
                    return Err(OAuthError::new(
                        "invalid_request",
                        90014,
                        format!(
                            "The request body must contain the following parameter: 'client_assertion_type' \
                             with the value '{JWT_BEARER_ASSERTION}'."
                        ),
                    ));
                }
                let token_endpoint = format!("{base}/{tenant}/oauth2/v2.0/token");
                let proof = ClientProof::Assertion {
                    assertion,
                    token_endpoint: &token_endpoint,
                };
                return state.issue_app_token(&client_id, proof, scope);
            }
            let secret = param("client_secret")
                .map(str::to_owned)
                .or_else(|| basic.map(|(_, secret)| secret))
                .ok_or_else(|| {
                    OAuthError::new(
                        "invalid_client",
                        7000218,
                        "The request body must contain the following parameter: 'client_assertion' or \
                         'client_secret'.",
                    )
                    .with_status(axum::http::StatusCode::UNAUTHORIZED)
                })?;
            state.issue_app_token(&client_id, ClientProof::Secret(&secret), scope)
        }
        other => Err(OAuthError::new(
            "unsupported_grant_type",
            70003,
            format!("The app requested an unsupported grant type '{other}'."),
        )),
    }
}

/// BASE64URL(SHA256(verifier)), the S256 code challenge.
pub fn s256_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn redeem_code(
    state: &IdentityState,
    client_id: &str,
    code: &str,
    redirect_uri: &str,
    verifier: Option<&str>,
) -> Result<SignIn, OAuthError> {
    let mut stores = state.lock();
    let Some(grant) = stores.codes.get_mut(code) else {
        return Err(OAuthError::new(
            "invalid_grant",
            9002313,
            "Invalid request. Request is malformed or invalid: the authorization code is not one this tenant issued.",
        ));
    };
    if grant.redeemed {
        return Err(OAuthError::new(
            "invalid_grant",
            54005,
            "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing \
             refresh token.",
        ));
    }
    if grant.expires_at <= Instant::now() {
        return Err(OAuthError::new(
            "invalid_grant",
            70008,
            "The provided authorization code or refresh token has expired due to inactivity. Send a new \
             interactive authorization request for this user and resource.",
        ));
    }
    if !grant.sign_in.client_id.eq_ignore_ascii_case(client_id) {
        return Err(OAuthError::new(
            "invalid_grant",
            700005,
            "Provided Authorization Code is intended to use against other tenant or client, thus rejected.",
        ));
    }
    if grant.redirect_uri.trim_end_matches('/') != redirect_uri.trim_end_matches('/') {
        return Err(OAuthError::new(
            "invalid_grant",
            500117,
            "The reply uri specified in the request does not match the reply uri used to request the \
             authorization code.",
        ));
    }
    let Some(verifier) = verifier else {
        return Err(OAuthError::missing("code_verifier"));
    };
    if s256_challenge(verifier) != grant.code_challenge {
        return Err(OAuthError::new(
            "invalid_grant",
            501481,
            "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
        ));
    }
    grant.redeemed = true;
    Ok(grant.sign_in.clone())
}

fn poll_device_code(
    state: &IdentityState,
    client_id: &str,
    device_code: &str,
) -> Result<SignIn, OAuthError> {
    let auto_account = state
        .options
        .auto_approve
        .as_deref()
        .and_then(|upn| state.directory.find_account(upn));
    let mut stores = state.lock();
    let bad_code = || {
        OAuthError::new(
            "bad_verification_code",
            70000,
            "The provided value for the input parameter 'device_code' is not valid.",
        )
    };
    let Some(grant) = stores.devices.get_mut(device_code) else {
        return Err(bad_code());
    };
    if !grant.client_id.eq_ignore_ascii_case(client_id) {
        return Err(bad_code());
    }
    let now = Instant::now();
    if grant.expires_at <= now {
        return Err(OAuthError::new(
            "expired_token",
            70019,
            "Verification code expired.",
        ));
    }
    let too_fast = grant
        .last_poll
        .is_some_and(|last| now.duration_since(last) < state.options.device_code_interval);
    grant.last_poll = Some(now);
    if too_fast {
        return Err(OAuthError::new(
            "slow_down",
            70016,
            format!(
                "OAuth 2.0 device flow error. Polling too fast: wait at least {} seconds between requests.",
                state.options.device_code_interval.as_secs()
            ),
        ));
    }
    if matches!(grant.status, DeviceStatus::Pending)
        && let Some(account) = auto_account
        && now.duration_since(grant.issued_at) >= state.options.device_code_interval
    {
        grant.status = DeviceStatus::Approved(account);
    }
    let sign_in = match &grant.status {
        DeviceStatus::Pending => {
            return Err(OAuthError::new(
                "authorization_pending",
                70016,
                "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
            ));
        }
        DeviceStatus::Declined => {
            return Err(OAuthError::new(
                "authorization_declined",
                65004,
                "User declined to consent to access the app.",
            ));
        }
        DeviceStatus::Approved(account) => SignIn {
            account: account.clone(),
            client_id: grant.client_id.clone(),
            request: grant.request.clone(),
            nonce: None,
        },
    };
    stores.devices.remove(device_code);
    Ok(sign_in)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_is_unpadded_base64url_of_sha256() {
        // Expected value computed independently with Python's hashlib + base64.urlsafe_b64encode.
        assert_eq!(
            s256_challenge("dBjftJeZ4CVP-mB92K1uhqB6lcGjgmlIdLNabrLX9RkZ8wZ4"),
            "o7JMRmb7AZUPISjIGtrU9Gw-QIwl38HzLn5BMpYwfwY"
        );
    }
}
