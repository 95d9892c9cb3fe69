//! The identity platform's HTTP routes and what they share: tenant check, the authority URL as the
//! caller sees it, form parsing and HTML pages.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;

use super::state::IdentityState;
use super::{authorize, device, token};

/// Marks requests that arrived over the https listener, so URLs built from `Host` use `https`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServedOverTls;

/// The identity platform's routes, all under `/{tenant}`.
pub fn router(state: Arc<IdentityState>) -> Router {
    Router::new()
        .route(
            "/{tenant}/v2.0/.well-known/openid-configuration",
            get(openid_configuration),
        )
        .route("/{tenant}/discovery/v2.0/keys", get(keys))
        .route(
            "/{tenant}/oauth2/v2.0/authorize",
            get(authorize::authorize_page).post(authorize::authorize_submit),
        )
        .route("/{tenant}/oauth2/v2.0/token", post(token::token))
        .route(
            super::managed_identity::MANAGED_IDENTITY_PATH,
            get(super::managed_identity::token),
        )
        .route("/{tenant}/oauth2/v2.0/devicecode", post(device::devicecode))
        .route(
            "/{tenant}/oauth2/deviceauth",
            get(device::deviceauth_page).post(device::deviceauth_submit),
        )
        .with_state(state)
}

/// The authority host as the caller reached it: `http(s)://host[:port]` (HTTP/2 sends it as the
/// request URI's authority, HTTP/1.1 as `Host`).
pub(crate) fn base_url(uri: &Uri, headers: &HeaderMap, tls: bool) -> String {
    let host = uri
        .authority()
        .map(|a| a.as_str())
        .or_else(|| headers.get(header::HOST).and_then(|h| h.to_str().ok()))
        .unwrap_or("localhost");
    let scheme = if tls { "https" } else { "http" };
    format!("{scheme}://{host}")
}

/// Parses `application/x-www-form-urlencoded` text (a query string or a form body); later keys win.
pub(crate) fn parse_form(text: &str) -> HashMap<String, String> {
    url::form_urlencoded::parse(text.as_bytes())
        .into_owned()
        .collect()
}

/// Client id and secret from `Authorization: Basic` (RFC 6749 §2.3.1: each part form-encoded).
pub(crate) fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))?;
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let decode = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
    };
    Some((decode(id)?, decode(secret)?))
}

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A plain HTML page (`body` is already escaped markup).
pub(crate) fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>body{{font-family:sans-serif;max-width:36em;margin:3em auto}}button{{display:block;width:100%;\
         margin:.4em 0;padding:.6em;text-align:left}}</style></head>\n<body><h1>{title}</h1>\n{body}\n</body></html>\n",
        title = escape_html(title)
    );
    (status, Html(html)).into_response()
}

/// An identity-platform error shown as a page (where Entra never redirects, e.g. a bad `redirect_uri`).
pub(crate) fn error_page(error: &super::errors::OAuthError) -> Response {
    let body = format!(
        "<p>Sorry, but we're having trouble signing you in.</p>\n<p id=\"error\">AADSTS{}: {}</p>",
        error.code,
        escape_html(&error.message)
    );
    page(error.status, "Sign in", &body)
}

async fn openid_configuration(
    State(state): State<Arc<IdentityState>>,
    Path(tenant): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    tls: Option<axum::Extension<ServedOverTls>>,
) -> Response {
    if let Err(error) = state.check_tenant(&tenant) {
        return error.into_response();
    }
    let base = base_url(&uri, &headers, tls.is_some());
    let specific = !matches!(
        tenant.to_ascii_lowercase().as_str(),
        "common" | "organizations"
    );
    let issuer_tenant = if specific {
        state.directory.tenant_id()
    } else {
        "{tenantid}".to_owned()
    };
    axum::Json(json!({
        "token_endpoint": format!("{base}/{tenant}/oauth2/v2.0/token"),
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "jwks_uri": format!("{base}/{tenant}/discovery/v2.0/keys"),
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256", "HS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": format!("{base}/{issuer_tenant}/v2.0"),
        "request_uri_parameter_supported": false,
        "userinfo_endpoint": "https://graph.microsoft.com/oidc/userinfo",
        "authorization_endpoint": format!("{base}/{tenant}/oauth2/v2.0/authorize"),
        "device_authorization_endpoint": format!("{base}/{tenant}/oauth2/v2.0/devicecode"),
        "http_logout_supported": true,
        "frontchannel_logout_supported": true,
        "end_session_endpoint": format!("{base}/{tenant}/oauth2/v2.0/logout"),
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nonce", "preferred_username", "name", "tid",
            "ver", "oid"],
        "code_challenge_methods_supported": ["S256"],
        "tenant_region_scope": "EU",
        "cloud_instance_name": "microsoftonline.com",
        "cloud_graph_host_name": "graph.windows.net",
        "msgraph_host": "graph.microsoft.com",
    }))
    .into_response()
}

async fn keys(State(state): State<Arc<IdentityState>>, Path(tenant): Path<String>) -> Response {
    match state.check_tenant(&tenant) {
        // The emulator signs with HS256 over a secret key: there is no public key to publish.
        Ok(()) => axum::Json(json!({ "keys": [] })).into_response(),
        Err(error) => error.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_decoded_and_form_unescaped() {
        let mut headers = HeaderMap::new();
        let encoded = STANDARD.encode("my%20app:s%3Acret");
        headers.insert(
            header::AUTHORIZATION,
            format!("Basic {encoded}").parse().unwrap(),
        );
        assert_eq!(
            basic_credentials(&headers),
            Some(("my app".to_owned(), "s:cret".to_owned()))
        );
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            escape_html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
