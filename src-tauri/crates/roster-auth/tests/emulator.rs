//! Against the whole emulator (`roster_emulator::start`: generated tenant, Graph and identity on one
//! port, https listener): a browser sign-in whose token reads Graph, an app-only token from the
//! https listener that reads Graph, and revocation through `/_emulator/revoke`.

use std::net::SocketAddr;

use crate::support::{ScriptedBrowser, no_redirects, opener};
use roster_auth::{
    AppCredential, AppOnly, Auth, AuthConfig, AuthError, ClientSecret, Cloud, Interaction,
    TokenVault,
};
use roster_emulator::identity::{DEMO_APP_ID, DEMO_APP_SECRET};
use roster_emulator::{Emulator, EmulatorConfig};
use roster_graph::AccessToken;

async fn emulator() -> Emulator {
    let config = EmulatorConfig {
        users: 50,
        groups: 10,
        https_listen: Some(SocketAddr::from(([127, 0, 0, 1], 0))),
        ..EmulatorConfig::default()
    };
    roster_emulator::start(config).await.unwrap()
}

async fn list_users(base: &str, token: &AccessToken) -> u16 {
    no_redirects()
        .get(format!("{base}/v1.0/users?$top=5"))
        .bearer_auth(token.secret())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn browser_sign_in_reads_graph_and_revocation_asks_to_sign_in_again() {
    let emulator = emulator().await;
    let admin = format!("admin@{}", emulator.domain());
    let dir = tempfile::tempdir().unwrap();
    let interaction = Interaction {
        open_url: opener(ScriptedBrowser::signing_in_as(admin.clone())),
        ..Interaction::default()
    };
    let config = AuthConfig::emulator(emulator.base_url(), "organizations");
    let auth = Auth::new(config, dir.path(), TokenVault::in_memory().unwrap())
        .unwrap()
        .with_interaction(interaction);

    let session = auth.sign_in_interactive(None).await.unwrap();
    assert_eq!(session.account().upn, admin);
    assert_eq!(session.account().tenant_id, emulator.tenant_id());
    let token = session.token(&["User.Read.All".to_owned()]).await.unwrap();
    assert_eq!(list_users(emulator.base_url(), &token).await, 200);

    let revoked: serde_json::Value = no_redirects()
        .post(format!("{}/_emulator/revoke", emulator.base_url()))
        .json(&serde_json::json!({ "upn": admin }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(revoked["revoked"], 1);
    let error = auth
        .session(None)
        .unwrap()
        .token(&["User.Read.All".to_owned()])
        .await
        .unwrap_err();
    assert!(
        matches!(error, AuthError::SignInRequired(ref m) if m.contains("revoked")),
        "{error}"
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn app_only_token_from_the_https_listener_reads_graph() {
    let emulator = emulator().await;
    let https = emulator.https_base_url().unwrap().to_owned();
    let credential = AppCredential::ClientSecret {
        tenant: emulator.tenant_id().to_owned(),
        client_id: DEMO_APP_ID.to_owned(),
        secret: ClientSecret::new(DEMO_APP_SECRET),
    };
    let app = AppOnly::new(
        credential,
        &Cloud::custom(&https),
        emulator.https_cert_der(),
    )
    .unwrap();
    let token = app.token().await.unwrap();
    assert_eq!(list_users(emulator.base_url(), &token).await, 200);
    emulator.shutdown().await;
}
