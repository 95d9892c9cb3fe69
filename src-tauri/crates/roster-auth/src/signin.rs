//! The two delegated sign-ins: authorization code + PKCE through the system browser and a loopback
//! redirect, and the device code flow. Both end in a token response that [`crate::Auth`] turns into
//! a saved account.

use std::time::Duration;

use oauth2::{CsrfToken, PkceCodeChallenge, RedirectUrl};

use crate::auth::Context;
use crate::error::AuthError;
use crate::loopback::Loopback;
use crate::oauth::{self, EntraClient, TokenResponse};

/// What to show the person during a device code sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceCodePrompt {
    /// The code to type.
    pub user_code: String,
    /// Where to type it.
    pub verification_uri: String,
    /// How long the code stays valid.
    pub expires_in: Duration,
    /// The identity platform's own sentence ("To sign in, use a web browser to open …").
    pub message: String,
}

/// The `message` field Entra adds to the device authorization response.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
struct MessageField {
    #[serde(default)]
    message: Option<String>,
}

impl oauth2::ExtraDeviceAuthorizationFields for MessageField {}

type DeviceDetails = oauth2::DeviceAuthorizationResponse<MessageField>;

/// The longest polling interval honoured, in seconds (Entra asks for 5).
const MAX_POLL_INTERVAL_SECS: u64 = 60;

/// The longest a device code is waited for, in seconds (Entra's codes live 900).
const MAX_DEVICE_CODE_SECS: u64 = 3600;

/// `details` with its `interval` and `expires_in` (server input) capped, so that polling neither
/// waits for hours nor overflows the `oauth2` crate's interval arithmetic on `slow_down`.
fn bounded(details: DeviceDetails) -> Result<DeviceDetails, AuthError> {
    let unreadable = |_| AuthError::Refused("its device code answer could not be read".to_owned());
    let mut value = serde_json::to_value(&details).map_err(unreadable)?;
    for (field, cap) in [
        ("interval", MAX_POLL_INTERVAL_SECS),
        ("expires_in", MAX_DEVICE_CODE_SECS),
    ] {
        if let Some(secs) = value.get(field).and_then(serde_json::Value::as_u64) {
            value[field] = secs.min(cap).into();
        }
    }
    serde_json::from_value(value).map_err(unreadable)
}

/// Authorization code + PKCE (S256) in the browser, with `client` (authority and app id).
pub(crate) async fn interactive(
    ctx: &Context,
    client: EntraClient,
    scopes: &[String],
    login_hint: Option<&str>,
) -> Result<TokenResponse, AuthError> {
    let loopback = Loopback::bind().await?;
    let redirect = RedirectUrl::new(loopback.redirect_uri())
        .map_err(|e| AuthError::Config(format!("bad loopback redirect URI ({e})")))?;
    let client = client.set_redirect_uri(redirect);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client
        .authorize_url(CsrfToken::new_random)
        .add_scopes(oauth::request_scopes(scopes))
        .set_pkce_challenge(challenge)
        .add_extra_param("response_mode", "query");
    request = match login_hint {
        Some(hint) => request.add_extra_param("login_hint", hint),
        None => request.add_extra_param("prompt", "select_account"),
    };
    let (url, state) = request.url();
    tracing::debug!(authorize = %client.auth_uri().url().as_str(), "opening the browser for sign-in");
    (ctx.interaction.open_url)(&url).map_err(AuthError::Browser)?;
    let timeout = ctx.interaction.browser_timeout;
    let code = tokio::time::timeout(timeout, loopback.wait(state.secret()))
        .await
        .map_err(|_| AuthError::TimedOut(timeout.as_secs()))??;
    client
        .exchange_code(code)
        .set_pkce_verifier(verifier)
        .request_async(&ctx.http)
        .await
        .map_err(|e| oauth::token_error(e, login_hint, scopes))
}

/// The device code flow with `client`: shows the code through `on_code`, then polls until someone
/// enters it.
pub(crate) async fn device_code(
    ctx: &Context,
    client: EntraClient,
    scopes: &[String],
    on_code: impl FnOnce(&DeviceCodePrompt),
) -> Result<TokenResponse, AuthError> {
    let details: DeviceDetails = client
        .exchange_device_code()
        .add_scopes(oauth::request_scopes(scopes))
        .request_async(&ctx.http)
        .await
        .map_err(|e| oauth::token_error(e, None, scopes))?;
    let details = bounded(details)?;
    let prompt = DeviceCodePrompt {
        user_code: details.user_code().secret().clone(),
        verification_uri: details.verification_uri().to_string(),
        expires_in: details.expires_in(),
        message: details.extra_fields().message.clone().unwrap_or_else(|| {
            format!(
                "To sign in, open {} and enter the code {}.",
                details.verification_uri().as_str(),
                details.user_code().secret()
            )
        }),
    };
    on_code(&prompt);
    let sleep = ctx.interaction.sleep.clone();
    client
        .exchange_device_access_token(&details)
        .request_async(
            &ctx.http,
            move |duration| sleep(duration),
            Some(details.expires_in()),
        )
        .await
        .map_err(|e| oauth::token_error(e, None, scopes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_code_timings_from_the_server_are_capped() {
        let answer = serde_json::json!({
            "device_code": "d", "user_code": "U", "verification_uri": "https://login.example/device",
            "expires_in": u64::MAX, "interval": u64::MAX, "message": "Enter U"
        });
        let details: DeviceDetails = serde_json::from_value(answer).unwrap();
        let details = bounded(details).unwrap();
        assert_eq!(
            details.interval(),
            Duration::from_secs(MAX_POLL_INTERVAL_SECS)
        );
        assert_eq!(
            details.expires_in(),
            Duration::from_secs(MAX_DEVICE_CODE_SECS)
        );
        assert_eq!(details.user_code().secret(), "U");
        assert_eq!(details.extra_fields().message.as_deref(), Some("Enter U"));
    }
}
