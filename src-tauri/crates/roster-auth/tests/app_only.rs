//! App-only tokens through `azure_identity`'s client secret credential against the emulator's https
//! listener (azure_identity refuses http authorities), trusting its self-signed certificate.

use roster_auth::{AppCredential, AppOnly, AuthError, ClientSecret, Cloud};
use roster_emulator::identity::tokens::Subject;
use roster_emulator::identity::{DEMO_APP_ID, DEMO_APP_SECRET, IdentityOptions};
use roster_graph::TokenSource;

use crate::support::{TENANT_ID, now, serve_https};

fn secret_credential(secret: &str) -> AppCredential {
    AppCredential::ClientSecret {
        tenant: TENANT_ID.to_owned(),
        client_id: DEMO_APP_ID.to_owned(),
        secret: ClientSecret::new(secret),
    }
}

#[tokio::test]
async fn client_secret_gets_an_app_only_token_with_roles() {
    let (listener, signer) = serve_https(IdentityOptions::default()).await;
    let cloud = Cloud::custom(&listener.url());
    let app = AppOnly::new(
        secret_credential(DEMO_APP_SECRET),
        &cloud,
        Some(&listener.cert_der),
    )
    .unwrap();
    assert!(app.description().contains(DEMO_APP_ID));
    assert!(!format!("{app:?}").contains(DEMO_APP_SECRET));

    let token = app.access_token(&[]).await.unwrap();
    let claims = signer.verify(token.secret(), now()).unwrap();
    assert_eq!(
        claims.sub,
        Subject::App {
            app_id: DEMO_APP_ID.to_owned()
        }
    );
    assert!(
        claims
            .roles
            .iter()
            .any(|r| r == "GroupMember.ReadWrite.All")
    );
    listener.shutdown();
}

#[tokio::test]
async fn a_wrong_secret_is_a_plain_message_without_the_secret() {
    let (listener, _) = serve_https(IdentityOptions::default()).await;
    let cloud = Cloud::custom(&listener.url());
    let app = AppOnly::new(
        secret_credential("not-the-secret-value"),
        &cloud,
        Some(&listener.cert_der),
    )
    .unwrap();
    let error = app.token().await.unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, AuthError::Refused(_)), "{message}");
    assert!(
        message.contains("client secret") && message.contains(DEMO_APP_ID),
        "{message}"
    );
    assert!(!message.contains("not-the-secret-value"));
    listener.shutdown();
}

#[tokio::test]
async fn an_untrusted_certificate_and_an_http_authority_are_refused() {
    let (listener, _) = serve_https(IdentityOptions::default()).await;
    let cloud = Cloud::custom(&listener.url());
    let untrusting = AppOnly::new(secret_credential(DEMO_APP_SECRET), &cloud, None).unwrap();
    assert!(untrusting.token().await.is_err());
    listener.shutdown();

    let http = AppOnly::new(
        secret_credential(DEMO_APP_SECRET),
        &Cloud::custom("http://127.0.0.1:9"),
        None,
    );
    let message = http.unwrap_err().to_string();
    assert!(message.contains("HTTPS"), "{message}");
}
