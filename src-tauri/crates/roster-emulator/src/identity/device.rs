//! The device code flow: `POST /{tenant}/oauth2/v2.0/devicecode` hands out a code, and the
//! `/{tenant}/oauth2/deviceauth` page is where a person enters it and picks an account.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use axum::Form;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::errors::OAuthError;
use super::routes::{ServedOverTls, base_url, error_page, escape_html, page, parse_form};
use super::scopes::ScopeRequest;
use super::state::{DeviceGrant, DeviceStatus, IdentityState, invalid_scope, random_token};

/// Letters and digits that cannot be mistaken for each other when typed from a screen.
const USER_CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

fn user_code() -> String {
    (0..9)
        .map(|_| char::from(USER_CODE_ALPHABET[rand::random_range(0..USER_CODE_ALPHABET.len())]))
        .collect()
}

/// `POST /{tenant}/oauth2/v2.0/devicecode`.
pub(crate) async fn devicecode(
    State(state): State<Arc<IdentityState>>,
    Path(tenant): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    tls: Option<axum::Extension<ServedOverTls>>,
    body: Bytes,
) -> Response {
    match start(
        &state,
        &tenant,
        &base_url(&uri, &headers, tls.is_some()),
        &body,
    ) {
        Ok(body) => axum::Json(body).into_response(),
        Err(error) => error.into_response(),
    }
}

fn start(
    state: &IdentityState,
    tenant: &str,
    base: &str,
    body: &[u8],
) -> Result<serde_json::Value, OAuthError> {
    state.check_tenant(tenant)?;
    let form = parse_form(&String::from_utf8_lossy(body));
    let client_id = form
        .get("client_id")
        .filter(|c| !c.is_empty())
        .ok_or_else(|| OAuthError::missing("client_id"))?;
    let scope = form
        .get("scope")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| OAuthError::missing("scope"))?;
    let request = ScopeRequest::parse(scope).map_err(|e| invalid_scope(&e.0))?;
    state.check_consentable(client_id, &request)?;
    let device_code = format!("DAQ{}", random_token(64));
    let user_code = user_code();
    let now = Instant::now();
    let grant = DeviceGrant {
        user_code: user_code.clone(),
        client_id: client_id.clone(),
        request,
        issued_at: now,
        expires_at: now + state.options.device_code_lifetime,
        last_poll: None,
        status: DeviceStatus::Pending,
    };
    state.lock().devices.insert(device_code.clone(), grant);
    let verification_uri = format!("{base}/{tenant}/oauth2/deviceauth");
    Ok(json!({
        "user_code": user_code,
        "device_code": device_code,
        "verification_uri": verification_uri,
        "expires_in": state.options.device_code_lifetime.as_secs(),
        "interval": state.options.device_code_interval.as_secs(),
        "message": format!(
            "To sign in, use a web browser to open the page {verification_uri} and enter the code {user_code} to \
             authenticate."
        ),
    }))
}

/// `GET /{tenant}/oauth2/deviceauth`: the code entry page.
pub(crate) async fn deviceauth_page(
    State(state): State<Arc<IdentityState>>,
    Path(tenant): Path<String>,
) -> Response {
    if let Err(error) = state.check_tenant(&tenant) {
        return error_page(&error);
    }
    let mut body = String::from(
        "<form method=\"post\">\n<p><label>Enter code <input name=\"user_code\" autofocus \
         autocomplete=\"off\"></label></p>\n<p>Sign in as:</p>\n",
    );
    for (index, account) in state.directory.sign_in_accounts().iter().enumerate() {
        body.push_str(&format!(
            "<p><label><input type=\"radio\" name=\"login\" value=\"{upn}\"{checked}> {name} ({upn})</label></p>\n",
            upn = escape_html(&account.upn),
            name = escape_html(&account.display_name),
            checked = if index == 0 { " checked" } else { "" },
        ));
    }
    body.push_str(
        "<button type=\"submit\" name=\"action\" value=\"approve\">Continue</button>\n\
         <button type=\"submit\" name=\"action\" value=\"decline\">Cancel</button>\n</form>",
    );
    page(StatusCode::OK, "Enter code", &body)
}

/// `POST /{tenant}/oauth2/deviceauth`: `user_code`, `login` (UPN) and `action` (`approve`/`decline`).
pub(crate) async fn deviceauth_submit(
    State(state): State<Arc<IdentityState>>,
    Path(tenant): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Err(error) = state.check_tenant(&tenant) {
        return error_page(&error);
    }
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
    let approve = field("action") != "decline";
    match state.complete_device_code(field("user_code"), field("login"), approve) {
        Ok(()) if approve => page(
            StatusCode::OK,
            "You're signed in",
            "<p id=\"done\">You have signed in to the application on your device. You may now close this window.</p>",
        ),
        Ok(()) => page(
            StatusCode::OK,
            "Sign-in cancelled",
            "<p id=\"done\">You may now close this window.</p>",
        ),
        Err(message) => page(
            StatusCode::BAD_REQUEST,
            "Enter code",
            &format!("<p id=\"error\">{}</p>", escape_html(&message)),
        ),
    }
}
