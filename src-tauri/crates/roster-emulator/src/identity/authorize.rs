//! `/{tenant}/oauth2/v2.0/authorize`: the authorization code flow with PKCE and a loopback redirect.
//! GET shows the sign-in page (or signs the auto-approve account in at once); clicking an account POSTs
//! back to the same URL, which issues a code and redirects to `redirect_uri?code=…&state=…`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use axum::Form;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use url::Url;

use super::AccountInfo;
use super::errors::OAuthError;
use super::routes::{error_page, escape_html, page, parse_form};
use super::scopes::ScopeRequest;
use super::state::{AuthCode, IdentityState, SignIn, invalid_scope, random_token};

/// A checked authorize request: everything needed to issue a code.
#[derive(Debug)]
struct Authorize {
    client_id: String,
    redirect_uri: Url,
    state: Option<String>,
    request: ScopeRequest,
    code_challenge: String,
    nonce: Option<String>,
    prompt: Option<String>,
    login_hint: Option<String>,
}

impl Authorize {
    /// A 302 to the client's redirect URI carrying `pairs` and the echoed `state`.
    fn redirect(&self, pairs: &[(&str, &str)]) -> Response {
        let mut url = self.redirect_uri.clone();
        {
            let mut query = url.query_pairs_mut();
            for (key, value) in pairs {
                query.append_pair(key, value);
            }
            if let Some(state) = &self.state {
                query.append_pair("state", state);
            }
        }
        (StatusCode::FOUND, [(header::LOCATION, url.to_string())]).into_response()
    }

    /// The error redirect Entra sends once the redirect URI is known to be good.
    fn error(&self, error: &OAuthError) -> Response {
        let trace = uuid::Uuid::new_v4().to_string();
        let correlation = uuid::Uuid::new_v4().to_string();
        let timestamp = chrono::Utc::now().format("%Y-%m-%d %H:%M:%SZ").to_string();
        let description = error.description(&trace, &correlation, &timestamp);
        self.redirect(&[("error", error.error), ("error_description", &description)])
    }
}

/// Whether `uri` is a loopback redirect Entra accepts for desktop apps: `http://localhost` or
/// `http://127.0.0.1`, any port and path.
pub(crate) fn loopback_redirect(uri: &str) -> Option<Url> {
    let url = Url::parse(uri).ok()?;
    let loopback = matches!(url.host_str(), Some("localhost" | "127.0.0.1"));
    let plain = url.username().is_empty() && url.password().is_none() && url.fragment().is_none();
    (url.scheme() == "http" && loopback && plain).then_some(url)
}

/// Checks the request in Entra's order: errors before the redirect URI is trusted are pages, later ones
/// are redirects.
#[allow(clippy::result_large_err)] // The error is the finished response; it is built once per request.
fn check(
    state: &IdentityState,
    tenant: &str,
    params: &HashMap<String, String>,
) -> Result<Authorize, Response> {
    state.check_tenant(tenant).map_err(|e| error_page(&e))?;
    let Some(client_id) = params.get("client_id").filter(|c| !c.is_empty()) else {
        return Err(error_page(&OAuthError::missing("client_id")));
    };
    let raw_redirect = params
        .get("redirect_uri")
        .map(String::as_str)
        .unwrap_or_default();
    let Some(redirect_uri) = loopback_redirect(raw_redirect) else {
        return Err(error_page(&OAuthError::new(
            "invalid_request",
            50011,
            format!(
                "The redirect URI '{raw_redirect}' specified in the request does not match the redirect URIs \
                 configured for the application '{client_id}'. Desktop apps must use http://localhost or \
                 http://127.0.0.1 (any port)."
            ),
        )));
    };
    let mut authorize = Authorize {
        client_id: client_id.clone(),
        redirect_uri,
        state: params.get("state").cloned(),
        request: ScopeRequest::default(),
        code_challenge: String::new(),
        nonce: params.get("nonce").cloned(),
        prompt: params.get("prompt").map(|p| p.to_ascii_lowercase()),
        login_hint: params.get("login_hint").cloned().filter(|h| !h.is_empty()),
    };
    if params.get("response_type").map(String::as_str) != Some("code") {
        return Err(authorize.error(&OAuthError::new(
            "unsupported_response_type",
            700054,
            "response_type must be 'code' for the authorization code flow.",
        )));
    }
    if params.get("response_mode").is_some_and(|m| m != "query") {
        return Err(authorize.error(&OAuthError::new(
            "invalid_request",
            900144,
            "The emulator supports response_mode=query only.",
        )));
    }
    let challenge = params.get("code_challenge").filter(|c| !c.is_empty());
    let method = params.get("code_challenge_method").map(String::as_str);
    match (challenge, method) {
        (Some(challenge), Some("S256")) => authorize.code_challenge = challenge.clone(),
        (Some(_), _) => {
            return Err(authorize.error(&OAuthError::new(
                "invalid_request",
                501491,
                "Invalid code_challenge_method: public clients must use PKCE with code_challenge_method=S256.",
            )));
        }
        (None, _) => {
            return Err(authorize.error(&OAuthError::new(
                "invalid_request",
                9002325,
                "Proof Key for Code Exchange is required for public clients: send code_challenge and \
                 code_challenge_method=S256.",
            )));
        }
    }
    let scope = params.get("scope").map(String::as_str).unwrap_or_default();
    authorize.request =
        ScopeRequest::parse(scope).map_err(|e| authorize.error(&invalid_scope(&e.0)))?;
    if let Err(mut error) = state.check_consentable(client_id, &authorize.request) {
        error.error = "consent_required";
        return Err(authorize.error(&error));
    }
    Ok(authorize)
}

/// Signs `account` in: issues a code and redirects to the client.
fn complete(state: &IdentityState, authorize: &Authorize, account: AccountInfo) -> Response {
    let code = format!("0.A{}", random_token(64));
    let grant = AuthCode {
        sign_in: SignIn {
            account,
            client_id: authorize.client_id.clone(),
            request: authorize.request.clone(),
            nonce: authorize.nonce.clone(),
        },
        redirect_uri: authorize.redirect_uri.to_string(),
        code_challenge: authorize.code_challenge.clone(),
        expires_at: Instant::now() + state.options.code_lifetime,
        redeemed: false,
    };
    state.lock().codes.insert(code.clone(), grant);
    authorize.redirect(&[("code", &code)])
}

/// GET: the sign-in page, or an immediate redirect with `--auto-approve` / `prompt=none`.
pub(crate) async fn authorize_page(
    State(state): State<Arc<IdentityState>>,
    Path(tenant): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    let authorize = match check(&state, &tenant, &parse_form(&query)) {
        Ok(authorize) => authorize,
        Err(response) => return response,
    };
    if let Some(upn) = &state.options.auto_approve {
        return match state.directory.find_account(upn) {
            Some(account) => complete(&state, &authorize, account),
            None => authorize.error(&OAuthError::new(
                "invalid_request",
                50034,
                format!(
                    "The user account {upn} does not exist in the {} directory.",
                    state.directory.domain()
                ),
            )),
        };
    }
    if authorize.prompt.as_deref() == Some("none") {
        return authorize.error(&OAuthError::new(
            "login_required",
            50058,
            "A silent sign-in request was sent but no user is signed in.",
        ));
    }
    sign_in_page(&state, &authorize, &query)
}

fn sign_in_page(state: &IdentityState, authorize: &Authorize, query: &str) -> Response {
    let mut accounts = state.directory.sign_in_accounts();
    if let Some(hint) = &authorize.login_hint
        && let Some(index) = accounts
            .iter()
            .position(|a| a.upn.eq_ignore_ascii_case(hint))
    {
        let hinted = accounts.remove(index);
        accounts.insert(0, hinted);
    }
    let action = escape_html(&format!("?{query}"));
    let mut body = String::from("<p>Pick an account</p>\n");
    for (index, account) in accounts.iter().enumerate() {
        let hinted = index == 0 && authorize.login_hint.is_some();
        body.push_str(&format!(
            "<form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"login\" value=\"{upn}\">\
             <button type=\"submit\"{focus}>{name}<br><small>{upn}</small></button></form>\n",
            upn = escape_html(&account.upn),
            name = escape_html(&account.display_name),
            focus = if hinted { " autofocus" } else { "" },
        ));
    }
    body.push_str(&format!(
        "<form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"cancel\" value=\"1\">\
         <button type=\"submit\">Cancel</button></form>\n"
    ));
    page(StatusCode::OK, "Sign in to your account", &body)
}

/// POST: the account picked on the page (`login=UPN`), or `cancel`.
pub(crate) async fn authorize_submit(
    State(state): State<Arc<IdentityState>>,
    Path(tenant): Path<String>,
    RawQuery(query): RawQuery,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let authorize = match check(&state, &tenant, &parse_form(&query.unwrap_or_default())) {
        Ok(authorize) => authorize,
        Err(response) => return response,
    };
    if form.contains_key("cancel") {
        return authorize.error(&OAuthError::new(
            "access_denied",
            65004,
            "User declined to consent to access the app.",
        ));
    }
    let login = form.get("login").map(String::as_str).unwrap_or_default();
    match state.directory.find_account(login) {
        Some(account) => complete(&state, &authorize, account),
        None => error_page(&OAuthError::new(
            "invalid_request",
            50034,
            format!(
                "The user account {login} does not exist in the {} directory.",
                state.directory.domain()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_loopback_redirects_are_accepted() {
        assert!(loopback_redirect("http://localhost").is_some());
        assert!(loopback_redirect("http://localhost:53123/callback").is_some());
        assert!(loopback_redirect("http://127.0.0.1:8400/").is_some());
        assert!(loopback_redirect("https://localhost:8400/").is_none());
        assert!(loopback_redirect("http://evil.example/").is_none());
        assert!(loopback_redirect("http://localhost.evil.example/").is_none());
        assert!(loopback_redirect("http://user@localhost/").is_none());
        assert!(loopback_redirect("not a url").is_none());
    }
}
