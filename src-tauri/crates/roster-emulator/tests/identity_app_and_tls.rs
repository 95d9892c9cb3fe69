//! App-only tokens (client credentials with the demo app) and the https listener.

use std::sync::Arc;

use crate::support::identity::*;
use roster_emulator::identity::tokens::{Subject, TokenSigner};
use roster_emulator::identity::{
    DEMO_APP_ID, DEMO_APP_SECRET, IdentityOptions, IdentityState, router, serve_https,
};

const GRAPH_DEFAULT: &str = "https://graph.microsoft.com/.default";

#[tokio::test]
async fn demo_app_gets_an_app_only_token_with_roles() {
    let idp = start(IdentityOptions::default()).await;
    let (status, body) = idp
        .token(&[
            ("client_id", DEMO_APP_ID),
            ("client_secret", DEMO_APP_SECRET),
            ("grant_type", "client_credentials"),
            ("scope", GRAPH_DEFAULT),
        ])
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("refresh_token").is_none());
    let claims = idp
        .signer
        .verify(
            body["access_token"].as_str().unwrap(),
            chrono::Utc::now().timestamp(),
        )
        .unwrap();
    assert_eq!(
        claims.sub,
        Subject::App {
            app_id: DEMO_APP_ID.to_owned()
        }
    );
    assert!(claims.scp.is_empty());
    assert!(
        claims
            .roles
            .iter()
            .any(|r| r == "GroupMember.ReadWrite.All")
    );
}

#[tokio::test]
async fn client_secret_in_basic_auth_works_too() {
    let idp = start(IdentityOptions::default()).await;
    let response = idp
        .http
        .post(idp.url("/oauth2/v2.0/token"))
        .basic_auth(DEMO_APP_ID, Some(DEMO_APP_SECRET))
        .form(&[
            ("grant_type", "client_credentials"),
            ("scope", GRAPH_DEFAULT),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
}

#[tokio::test]
async fn bad_secret_unknown_app_and_named_scopes_are_refused() {
    let idp = start(IdentityOptions::default()).await;
    let request = |id: &'static str, secret: &'static str, scope: &'static str| {
        [
            ("client_id", id),
            ("client_secret", secret),
            ("grant_type", "client_credentials"),
            ("scope", scope),
        ]
    };
    let (status, body) = idp
        .token(&request(DEMO_APP_ID, "wrong-secret", GRAPH_DEFAULT))
        .await;
    assert_eq!(status, 401);
    assert_error(&body, "invalid_client", 7000215);
    assert!(!body.to_string().contains(DEMO_APP_SECRET));

    let (status, body) = idp
        .token(&request(
            "11111111-2222-3333-4444-555555555555",
            "x",
            GRAPH_DEFAULT,
        ))
        .await;
    assert_eq!(status, 400);
    assert_error(&body, "unauthorized_client", 700016);

    let (status, body) = idp
        .token(&request(DEMO_APP_ID, DEMO_APP_SECRET, "User.Read.All"))
        .await;
    assert_eq!(status, 400);
    assert_error(&body, "invalid_scope", 1002012);

    let (status, body) = idp
        .token(&[
            ("client_id", DEMO_APP_ID),
            ("grant_type", "client_credentials"),
            ("scope", GRAPH_DEFAULT),
        ])
        .await;
    assert_eq!(status, 401);
    assert_error(&body, "invalid_client", 7000218);
}

#[tokio::test]
async fn https_listener_serves_the_router_with_a_certificate_clients_can_trust() {
    let state = Arc::new(IdentityState::new(
        TokenSigner::new(1),
        Arc::new(TestDirectory),
        IdentityOptions::default(),
    ));
    let listener = serve_https("127.0.0.1:0".parse().unwrap(), router(state))
        .await
        .unwrap();
    assert_ne!(listener.addr.port(), 0);
    assert!(listener.cert_pem.starts_with("-----BEGIN CERTIFICATE-----"));

    let untrusting = reqwest::Client::new();
    let url = format!(
        "{}/{TENANT_ID}/v2.0/.well-known/openid-configuration",
        listener.url()
    );
    assert!(
        untrusting.get(&url).send().await.is_err(),
        "a self-signed certificate must not be trusted by default"
    );

    let trusting = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_der(&listener.cert_der).unwrap())
        .build()
        .unwrap();
    let config: serde_json::Value = trusting
        .get(&url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        config["issuer"],
        format!("https://{}/{TENANT_ID}/v2.0", listener.addr)
    );
    assert_eq!(
        config["token_endpoint"],
        format!("https://{}/{TENANT_ID}/oauth2/v2.0/token", listener.addr)
    );

    let localhost = format!(
        "https://localhost:{}/{TENANT_ID}/oauth2/v2.0/token",
        listener.addr.port()
    );
    let response = trusting
        .post(localhost)
        .form(&[
            ("client_id", DEMO_APP_ID),
            ("client_secret", DEMO_APP_SECRET),
            ("grant_type", "client_credentials"),
            ("scope", GRAPH_DEFAULT),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    listener.shutdown();
}
