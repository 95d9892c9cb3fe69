//! App-only tokens with a client certificate through `azure_identity`'s ClientCertificateCredential,
//! against the emulator's https listener: the emulator verifies the signed client assertion against the
//! certificate registered for the app, and refuses one signed by another key. PEM and PFX files both
//! work; nothing of the key reaches an error message or Debug output.

use openssl::asn1::Asn1Time;
use openssl::hash::MessageDigest;
use openssl::pkcs12::Pkcs12;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::x509::{X509, X509NameBuilder};
use roster_auth::{AppCredential, AppOnly, AuthError, ClientCertificate, Cloud};
use roster_emulator::identity::tokens::{Subject, TokenSigner};
use roster_emulator::identity::{AppRegistration, DEMO_APP_ID, HttpsListener, IdentityOptions};

use crate::support::{TENANT_ID, now, serve_https};

/// A self-signed RSA certificate and its key.
fn certificate(name: &str) -> (X509, PKey<Private>) {
    let key = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
    let mut subject = X509NameBuilder::new().unwrap();
    subject.append_entry_by_text("CN", name).unwrap();
    let subject = subject.build();
    let mut builder = X509::builder().unwrap();
    builder.set_version(2).unwrap();
    builder.set_subject_name(&subject).unwrap();
    builder.set_issuer_name(&subject).unwrap();
    builder.set_pubkey(&key).unwrap();
    builder
        .set_not_before(&Asn1Time::days_from_now(0).unwrap())
        .unwrap();
    builder
        .set_not_after(&Asn1Time::days_from_now(30).unwrap())
        .unwrap();
    builder.sign(&key, MessageDigest::sha256()).unwrap();
    (builder.build(), key)
}

fn pem(cert: &X509, key: &PKey<Private>) -> Vec<u8> {
    let mut bytes = cert.to_pem().unwrap();
    bytes.extend(key.private_key_to_pem_pkcs8().unwrap());
    bytes
}

/// The identity platform over https with the demo app, which has `registered` as its certificate.
async fn https_idp(registered: &X509) -> (HttpsListener, TokenSigner) {
    let app = AppRegistration {
        certificates: vec![registered.to_der().unwrap()],
        ..AppRegistration::demo()
    };
    serve_https(IdentityOptions {
        apps: vec![app],
        ..IdentityOptions::default()
    })
    .await
}

fn credential(certificate: ClientCertificate) -> AppCredential {
    AppCredential::ClientCertificate {
        tenant: TENANT_ID.to_owned(),
        client_id: DEMO_APP_ID.to_owned(),
        certificate,
    }
}

#[tokio::test]
async fn a_registered_certificate_gets_an_app_only_token_from_pem_and_from_pfx() {
    let (cert, key) = certificate("roster automation");
    let (listener, signer) = https_idp(&cert).await;
    let cloud = Cloud::custom(&listener.url());
    let dir = tempfile::tempdir().unwrap();

    let pem_path = dir.path().join("roster.pem");
    std::fs::write(&pem_path, pem(&cert, &key)).unwrap();
    let pfx_path = dir.path().join("roster.pfx");
    let pfx = Pkcs12::builder()
        .name("roster")
        .pkey(&key)
        .cert(&cert)
        .build2("pfx-password")
        .unwrap();
    std::fs::write(&pfx_path, pfx.to_der().unwrap()).unwrap();

    for certificate in [
        ClientCertificate::from_file(&pem_path, None).unwrap(),
        ClientCertificate::from_file(&pfx_path, Some("pfx-password")).unwrap(),
    ] {
        assert_eq!(format!("{certificate:?}"), "ClientCertificate(<redacted>)");
        let app = AppOnly::new(credential(certificate), &cloud, Some(&listener.cert_der)).unwrap();
        assert!(app.description().contains("client certificate"));
        let token = app.token().await.unwrap();
        let claims = signer.verify(token.secret(), now()).unwrap();
        assert_eq!(
            claims.sub,
            Subject::App {
                app_id: DEMO_APP_ID.to_owned()
            }
        );
        assert!(claims.roles.iter().any(|r| r == "User.Read.All"));
    }

    let wrong_password = ClientCertificate::from_file(&pfx_path, Some("guess")).unwrap_err();
    assert!(
        wrong_password.to_string().contains("password"),
        "{wrong_password}"
    );
    listener.shutdown();
}

#[tokio::test]
async fn a_certificate_the_app_does_not_have_is_refused_with_a_plain_message() {
    let (registered, _) = certificate("registered");
    let (other, other_key) = certificate("someone else");
    let (listener, _) = https_idp(&registered).await;
    let cloud = Cloud::custom(&listener.url());
    let certificate = ClientCertificate::from_bytes(&pem(&other, &other_key), None).unwrap();
    let app = AppOnly::new(credential(certificate), &cloud, Some(&listener.cert_der)).unwrap();

    let error = app.token().await.unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, AuthError::Refused(_)), "{message}");
    assert!(
        message.contains(DEMO_APP_ID) && message.contains("certificate"),
        "{message}"
    );
    assert!(message.contains("AADSTS700027"), "{message}");
    let key_pem = String::from_utf8(other_key.private_key_to_pem_pkcs8().unwrap()).unwrap();
    let key_body = key_pem.lines().nth(1).unwrap();
    assert!(!message.contains(key_body));
    listener.shutdown();
}
