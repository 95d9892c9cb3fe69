//! Shared setup for the identity-platform tests: a three-account directory, the identity router served
//! on 127.0.0.1:0, a client that does not follow redirects, and PKCE and JWT helpers.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use roster_emulator::identity::tokens::TokenSigner;
use roster_emulator::identity::{
    AccountDirectory, AccountInfo, IdentityOptions, IdentityState, router, s256_challenge,
};

pub const TENANT_ID: &str = "8f1c2a3b-4d5e-4f60-8a1b-2c3d4e5f6a7b";
pub const DOMAIN: &str = "contoso.onmicrosoft.com";
pub const CLIENT_ID: &str = "14d82eec-204b-4c2f-b7e8-296a70dab67e";
pub const REDIRECT: &str = "http://localhost:53682/callback";

/// The accounts the sign-in page offers: admin@, owner@, reader@ (and a fourth, later in the list).
pub struct TestDirectory;

fn account(name: &str, id: &str) -> AccountInfo {
    AccountInfo {
        object_id: id.to_owned(),
        upn: format!("{name}@{DOMAIN}"),
        display_name: format!("{name} user"),
    }
}

impl AccountDirectory for TestDirectory {
    fn tenant_id(&self) -> String {
        TENANT_ID.to_owned()
    }
    fn domain(&self) -> String {
        DOMAIN.to_owned()
    }
    fn find_account(&self, upn_or_id: &str) -> Option<AccountInfo> {
        self.sign_in_accounts()
            .into_iter()
            .find(|a| a.upn.eq_ignore_ascii_case(upn_or_id) || a.object_id == upn_or_id)
    }
    fn sign_in_accounts(&self) -> Vec<AccountInfo> {
        vec![
            account("admin", "00000000-0000-4000-8000-000000000001"),
            account("owner", "00000000-0000-4000-8000-000000000002"),
            account("reader", "00000000-0000-4000-8000-000000000003"),
            account("adele", "00000000-0000-4000-8000-000000000004"),
        ]
    }
}

/// The identity platform served over http on a random local port.
pub struct Idp {
    pub base: String,
    pub state: Arc<IdentityState>,
    pub signer: TokenSigner,
    pub http: reqwest::Client,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Idp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

pub async fn start(options: IdentityOptions) -> Idp {
    let signer = TokenSigner::new(42);
    let state = Arc::new(IdentityState::new(
        signer.clone(),
        Arc::new(TestDirectory),
        options,
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = router(state.clone());
    let server = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    Idp {
        base,
        state,
        signer,
        http: client(),
        server,
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A fresh PKCE verifier and its S256 challenge.
pub fn pkce() -> (String, String) {
    let verifier = URL_SAFE_NO_PAD.encode(uuid::Uuid::new_v4().as_bytes())
        + &URL_SAFE_NO_PAD.encode(uuid::Uuid::new_v4().as_bytes());
    let challenge = s256_challenge(&verifier);
    (verifier, challenge)
}

/// The standard authorize parameters for a public client with PKCE.
pub fn authorize_params(challenge: &str, scope: &str) -> Vec<(String, String)> {
    [
        ("client_id", CLIENT_ID),
        ("response_type", "code"),
        ("redirect_uri", REDIRECT),
        ("response_mode", "query"),
        ("scope", scope),
        ("state", "st-123"),
        ("code_challenge", challenge),
        ("code_challenge_method", "S256"),
        ("nonce", "n-456"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
}

pub fn with(
    mut params: Vec<(String, String)>,
    key: &str,
    value: Option<&str>,
) -> Vec<(String, String)> {
    params.retain(|(k, _)| k != key);
    if let Some(value) = value {
        params.push((key.to_owned(), value.to_owned()));
    }
    params
}

impl Idp {
    pub fn url(&self, path: &str) -> String {
        format!("{}/{TENANT_ID}{path}", self.base)
    }

    pub async fn authorize_get(&self, params: &[(String, String)]) -> reqwest::Response {
        self.http
            .get(self.url("/oauth2/v2.0/authorize"))
            .query(params)
            .send()
            .await
            .unwrap()
    }

    /// Clicks `upn` on the sign-in page (the form POST) and returns the redirect's query parameters.
    pub async fn sign_in(&self, params: &[(String, String)], upn: &str) -> HashMap<String, String> {
        let response = self
            .http
            .post(self.url("/oauth2/v2.0/authorize"))
            .query(params)
            .form(&[("login", upn)])
            .send()
            .await
            .unwrap();
        redirect_query(&response)
    }

    pub async fn token(&self, form: &[(&str, &str)]) -> (u16, serde_json::Value) {
        let response = self
            .http
            .post(self.url("/oauth2/v2.0/token"))
            .form(form)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap())
    }

    pub async fn redeem(&self, code: &str, verifier: &str) -> (u16, serde_json::Value) {
        self.token(&[
            ("client_id", CLIENT_ID),
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", verifier),
            ("scope", "User.Read.All offline_access"),
        ])
        .await
    }

    /// Signs admin@ in through the page and redeems the code: a token response.
    pub async fn sign_in_admin(&self, scope: &str) -> serde_json::Value {
        let (verifier, challenge) = pkce();
        let redirect = self
            .sign_in(
                &authorize_params(&challenge, scope),
                &format!("admin@{DOMAIN}"),
            )
            .await;
        let (status, body) = self.redeem(&redirect["code"], &verifier).await;
        assert_eq!(status, 200, "{body}");
        body
    }
}

/// The query of a 302's `Location` (asserting it is a 302 to the test redirect URI).
pub fn redirect_query(response: &reqwest::Response) -> HashMap<String, String> {
    assert_eq!(response.status().as_u16(), 302, "expected a redirect");
    let location = response.headers()["location"].to_str().unwrap();
    assert!(location.starts_with(REDIRECT), "redirected to {location}");
    url::Url::parse(location)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect()
}

/// The payload of a compact JWT, decoded without checking the signature.
pub fn jwt_payload(token: &str) -> serde_json::Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

/// Asserts an Entra error body: `error`, the AADSTS code in `error_codes` and at the start of
/// `error_description`, and the trace trailer.
pub fn assert_error(body: &serde_json::Value, error: &str, code: u32) {
    assert_eq!(body["error"], error, "{body}");
    assert_eq!(body["error_codes"][0], code, "{body}");
    let description = body["error_description"].as_str().unwrap();
    assert!(
        description.starts_with(&format!("AADSTS{code}: ")),
        "{description}"
    );
    assert!(description.contains("\r\nTrace ID: ") && description.contains("\r\nCorrelation ID: "));
    assert!(
        body["trace_id"].is_string()
            && body["correlation_id"].is_string()
            && body["timestamp"].is_string()
    );
}

/// The query of a 302's `Location`, asserting it goes to `redirect`.
pub fn redirect_query_to(response: &reqwest::Response, redirect: &str) -> HashMap<String, String> {
    assert_eq!(response.status().as_u16(), 302, "expected a redirect");
    let location = response.headers()["location"].to_str().unwrap();
    assert!(location.starts_with(redirect), "redirected to {location}");
    url::Url::parse(location)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect()
}

/// Redeems an authorization code at `token_url` with the PKCE verifier; asserts success.
pub async fn redeem_code_at(
    http: &reqwest::Client,
    token_url: &str,
    code: &str,
    redirect: &str,
    verifier: &str,
) -> serde_json::Value {
    let response = http
        .post(token_url)
        .form(&[
            ("client_id", CLIENT_ID),
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect),
            ("code_verifier", verifier),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.unwrap()
}
