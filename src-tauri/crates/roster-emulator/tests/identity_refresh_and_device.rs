//! Refresh token rotation and revocation, incremental consent, and the device code flow.

use std::time::Duration;

use crate::support::identity::*;
use roster_emulator::identity::{DEVICE_CODE_GRANT, IdentityOptions};

async fn refresh(idp: &Idp, refresh_token: &str, scope: Option<&str>) -> (u16, serde_json::Value) {
    let mut form = vec![
        ("client_id", CLIENT_ID),
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
    ];
    if let Some(scope) = scope {
        form.push(("scope", scope));
    }
    idp.token(&form).await
}

#[tokio::test]
async fn every_refresh_rotates_and_the_old_refresh_token_is_refused() {
    let idp = start(IdentityOptions::default()).await;
    let first = idp
        .sign_in_admin("openid offline_access User.Read.All")
        .await;
    let rt1 = first["refresh_token"].as_str().unwrap();

    let (status, second) = refresh(&idp, rt1, Some("User.Read.All offline_access")).await;
    assert_eq!(status, 200, "{second}");
    let rt2 = second["refresh_token"].as_str().unwrap();
    assert_ne!(rt1, rt2);
    assert_ne!(first["access_token"], second["access_token"]);

    let (status, body) = refresh(&idp, rt1, None).await;
    assert_eq!(status, 400);
    assert_error(&body, "invalid_grant", 70008);

    let (status, third) = refresh(&idp, rt2, None).await;
    assert_eq!(status, 200, "{third}");
    assert!(
        third["id_token"].is_string(),
        "openid from the original sign-in is kept"
    );

    let (status, body) = refresh(&idp, "1.not-a-token", None).await;
    assert_eq!(status, 400);
    assert_error(&body, "invalid_grant", 70008);
}

/// The identity platform redeems a refresh token only for scopes the user (or an admin) consented
/// to for this app; any other scope is `invalid_grant` AADSTS65001 with suberror `consent_required`
/// (learn.microsoft.com/entra/identity-platform/reference-error-codes), and nothing is granted.
#[tokio::test]
async fn refresh_for_a_scope_nobody_consented_to_is_aadsts65001_and_grants_nothing() {
    let idp = start(IdentityOptions::default()).await;
    let first = idp.sign_in_admin("offline_access User.Read.All").await;
    let rt = first["refresh_token"].as_str().unwrap();
    let (status, body) = refresh(&idp, rt, Some("GroupMember.ReadWrite.All offline_access")).await;
    assert_eq!(status, 400, "{body}");
    assert_error(&body, "invalid_grant", 65001);
    assert_eq!(body["suberror"], "consent_required");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("has not consented to use the application"),
        "{body}"
    );
    // The refused scope burned nothing, and a plain refresh still carries only the read scope.
    let (status, body) = refresh(&idp, rt, None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["scope"], "User.Read.All");
}

#[tokio::test]
async fn refresh_grants_more_scopes_incrementally_and_keeps_the_old_ones() {
    let idp = start(IdentityOptions::default()).await;
    let first = idp.sign_in_admin("offline_access User.Read.All").await;
    // An admin consented to the write permission for this app earlier (Grant admin consent).
    idp.state
        .grant_consent(
            &format!("admin@{DOMAIN}"),
            CLIENT_ID,
            &["GroupMember.ReadWrite.All"],
        )
        .unwrap();
    let (status, body) = refresh(
        &idp,
        first["refresh_token"].as_str().unwrap(),
        Some("GroupMember.ReadWrite.All offline_access"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["scope"], "GroupMember.ReadWrite.All User.Read.All");
    let claims = idp
        .signer
        .verify(
            body["access_token"].as_str().unwrap(),
            chrono::Utc::now().timestamp(),
        )
        .unwrap();
    assert!(
        claims.has_permission("GroupMember.ReadWrite.All")
            && claims.has_permission("User.Read.All")
    );

    let (status, body) = refresh(
        &idp,
        body["refresh_token"].as_str().unwrap(),
        Some("https://graph.microsoft.com/.default"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let claims = idp
        .signer
        .verify(
            body["access_token"].as_str().unwrap(),
            chrono::Utc::now().timestamp(),
        )
        .unwrap();
    assert!(
        claims.has_permission("GroupMember.ReadWrite.All")
            && claims.has_permission("User.Read.All")
    );
}

#[tokio::test]
async fn refresh_for_an_admin_only_scope_is_consent_required() {
    let options = IdentityOptions {
        admin_only_scopes: vec!["Directory.ReadWrite.All".into()],
        ..IdentityOptions::default()
    };
    let idp = start(options).await;
    let first = idp.sign_in_admin("offline_access User.Read.All").await;
    let rt = first["refresh_token"].as_str().unwrap();
    let (status, body) = refresh(&idp, rt, Some("Directory.ReadWrite.All")).await;
    assert_eq!(status, 400);
    assert_error(&body, "invalid_grant", 65001);
    assert_eq!(body["suberror"], "consent_required");
    // A refused scope does not burn the refresh token.
    assert_eq!(refresh(&idp, rt, None).await.0, 200);
}

#[tokio::test]
async fn revoked_refresh_tokens_are_refused_with_aadsts50173() {
    let idp = start(IdentityOptions::default()).await;
    let first = idp.sign_in_admin("offline_access User.Read.All").await;
    assert_eq!(
        idp.state.revoke_refresh_tokens(&format!("ADMIN@{DOMAIN}")),
        1
    );
    let (status, body) = refresh(&idp, first["refresh_token"].as_str().unwrap(), None).await;
    assert_eq!(status, 400);
    assert_error(&body, "invalid_grant", 50173);
    assert_eq!(
        idp.state.revoke_refresh_tokens(&format!("admin@{DOMAIN}")),
        0
    );
}

#[tokio::test]
async fn expired_refresh_tokens_and_short_lived_access_tokens() {
    let options = IdentityOptions {
        refresh_token_lifetime: Duration::ZERO,
        token_lifetime: Duration::from_secs(5),
        ..IdentityOptions::default()
    };
    let idp = start(options).await;
    let first = idp.sign_in_admin("offline_access User.Read.All").await;
    assert_eq!(first["expires_in"], 5);
    let (status, body) = refresh(&idp, first["refresh_token"].as_str().unwrap(), None).await;
    assert_eq!(status, 400);
    assert_error(&body, "invalid_grant", 700082);
}

async fn device_code(idp: &Idp, scope: &str) -> serde_json::Value {
    let response = idp
        .http
        .post(idp.url("/oauth2/v2.0/devicecode"))
        .form(&[("client_id", CLIENT_ID), ("scope", scope)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.unwrap()
}

async fn poll(idp: &Idp, device_code: &str) -> (u16, serde_json::Value) {
    idp.token(&[
        ("client_id", CLIENT_ID),
        ("grant_type", DEVICE_CODE_GRANT),
        ("device_code", device_code),
    ])
    .await
}

#[tokio::test]
async fn device_code_is_pending_until_entered_on_the_page_then_issues_tokens_once() {
    let options = IdentityOptions {
        device_code_interval: Duration::ZERO,
        ..IdentityOptions::default()
    };
    let idp = start(options).await;
    let code = device_code(&idp, "openid offline_access User.Read.All").await;
    let user_code = code["user_code"].as_str().unwrap();
    let verification_uri = code["verification_uri"].as_str().unwrap();
    assert_eq!(verification_uri, idp.url("/oauth2/deviceauth"));
    assert_eq!(code["expires_in"], 900);
    assert_eq!(code["interval"], 0);
    assert!(code["message"].as_str().unwrap().contains(user_code));
    let device = code["device_code"].as_str().unwrap();

    let (status, body) = poll(&idp, device).await;
    assert_eq!(status, 400);
    assert_error(&body, "authorization_pending", 70016);

    let page = idp
        .http
        .get(verification_uri)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("name=\"user_code\"") && page.contains(&format!("admin@{DOMAIN}")));
    let wrong = idp
        .http
        .post(verification_uri)
        .form(&[
            ("user_code", "AAAAAAAAA"),
            ("login", &format!("owner@{DOMAIN}")),
            ("action", "approve"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status().as_u16(), 400);
    let typed = format!("{}-{}", &user_code[..4], user_code[4..].to_lowercase());
    let done = idp
        .http
        .post(verification_uri)
        .form(&[
            ("user_code", typed.as_str()),
            ("login", &format!("owner@{DOMAIN}")),
            ("action", "approve"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status().as_u16(), 200);
    assert!(done.text().await.unwrap().contains("close this window"));

    let (status, body) = poll(&idp, device).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["refresh_token"].is_string());
    assert_eq!(
        jwt_payload(body["id_token"].as_str().unwrap())["preferred_username"],
        format!("owner@{DOMAIN}")
    );
    let (status, body) = poll(&idp, device).await;
    assert_eq!(status, 400);
    assert_error(&body, "bad_verification_code", 70000);
}

#[tokio::test]
async fn polling_faster_than_the_interval_is_slow_down() {
    let options = IdentityOptions {
        device_code_interval: Duration::from_secs(600),
        ..IdentityOptions::default()
    };
    let idp = start(options).await;
    let code = device_code(&idp, "User.Read.All").await;
    let device = code["device_code"].as_str().unwrap();
    // The first poll may come at once (the oauth2 crate and MSAL poll immediately).
    assert_eq!(poll(&idp, device).await.1["error"], "authorization_pending");
    let (status, body) = poll(&idp, device).await;
    assert_eq!(status, 400);
    assert_error(&body, "slow_down", 70016);
}

#[tokio::test]
async fn expired_and_declined_device_codes_stop_the_polling() {
    let options = IdentityOptions {
        device_code_lifetime: Duration::ZERO,
        device_code_interval: Duration::ZERO,
        ..IdentityOptions::default()
    };
    let idp = start(options).await;
    let code = device_code(&idp, "User.Read.All").await;
    let (status, body) = poll(&idp, code["device_code"].as_str().unwrap()).await;
    assert_eq!(status, 400);
    assert_error(&body, "expired_token", 70019);

    let idp = start(IdentityOptions {
        device_code_interval: Duration::ZERO,
        ..IdentityOptions::default()
    })
    .await;
    let code = device_code(&idp, "User.Read.All").await;
    idp.state
        .complete_device_code(
            code["user_code"].as_str().unwrap(),
            &format!("reader@{DOMAIN}"),
            false,
        )
        .unwrap();
    let (status, body) = poll(&idp, code["device_code"].as_str().unwrap()).await;
    assert_eq!(status, 400);
    assert_error(&body, "authorization_declined", 65004);
}

#[tokio::test]
async fn auto_approve_approves_on_the_first_poll_after_the_interval() {
    let options = IdentityOptions {
        auto_approve: Some(format!("admin@{DOMAIN}")),
        device_code_interval: Duration::ZERO,
        ..IdentityOptions::default()
    };
    let idp = start(options).await;
    let code = device_code(&idp, "offline_access User.Read.All").await;
    let (status, body) = poll(&idp, code["device_code"].as_str().unwrap()).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["refresh_token"].is_string());

    let slow = IdentityOptions {
        auto_approve: Some(format!("admin@{DOMAIN}")),
        device_code_interval: Duration::from_secs(600),
        ..IdentityOptions::default()
    };
    let idp = start(slow).await;
    let code = device_code(&idp, "User.Read.All").await;
    assert_eq!(
        poll(&idp, code["device_code"].as_str().unwrap()).await.1["error"],
        "authorization_pending"
    );
}

#[tokio::test]
async fn devicecode_needs_client_id_and_scope() {
    let idp = start(IdentityOptions::default()).await;
    let response = idp
        .http
        .post(idp.url("/oauth2/v2.0/devicecode"))
        .form(&[("client_id", CLIENT_ID)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    assert_error(&response.json().await.unwrap(), "invalid_request", 900144);
}
