//! The identity-platform tests' helpers over roster-test-support's identity platform (served alone with
//! a fixed directory): the authorize and token requests of a public client with PKCE, made by hand, and
//! Entra's error bodies and redirects.

use std::collections::HashMap;

use roster_emulator::identity::IdentityOptions;
pub use roster_test_support::identity::{
    CLIENT_ID, DOMAIN, IdentityServer as Idp, TENANT_ID, TestDirectory, jwt_payload,
    no_redirects as client, pkce,
};

pub const REDIRECT: &str = "http://localhost:53682/callback";

pub async fn start(options: IdentityOptions) -> Idp {
    Idp::start(options).await
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

/// The requests of a public client with PKCE, made by hand against [`Idp`].
pub(crate) trait PublicClient {
    async fn authorize_get(&self, params: &[(String, String)]) -> reqwest::Response;
    /// Clicks `upn` on the sign-in page (the form POST) and returns the redirect's query parameters.
    async fn sign_in(&self, params: &[(String, String)], upn: &str) -> HashMap<String, String>;
    async fn token(&self, form: &[(&str, &str)]) -> (u16, serde_json::Value);
    async fn redeem(&self, code: &str, verifier: &str) -> (u16, serde_json::Value);
    /// Signs admin@ in through the page and redeems the code: a token response.
    async fn sign_in_admin(&self, scope: &str) -> serde_json::Value;
}

impl PublicClient for Idp {
    async fn authorize_get(&self, params: &[(String, String)]) -> reqwest::Response {
        self.http
            .get(self.url("/oauth2/v2.0/authorize"))
            .query(params)
            .send()
            .await
            .unwrap()
    }

    async fn sign_in(&self, params: &[(String, String)], upn: &str) -> HashMap<String, String> {
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

    async fn token(&self, form: &[(&str, &str)]) -> (u16, serde_json::Value) {
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

    async fn redeem(&self, code: &str, verifier: &str) -> (u16, serde_json::Value) {
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

    async fn sign_in_admin(&self, scope: &str) -> serde_json::Value {
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
