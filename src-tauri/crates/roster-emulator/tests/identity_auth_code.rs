//! Discovery and the authorization code flow with PKCE, through real HTTP.

use crate::support::identity::*;
use roster_emulator::identity::IdentityOptions;
use roster_emulator::identity::tokens::Subject;

#[tokio::test]
async fn discovery_document_is_built_from_the_host_and_unknown_tenants_are_refused() {
    let idp = start(IdentityOptions::default()).await;
    for tenant in [TENANT_ID, DOMAIN, "organizations", "common"] {
        let url = format!(
            "{}/{tenant}/v2.0/.well-known/openid-configuration",
            idp.base
        );
        let config: serde_json::Value = idp
            .http
            .get(url)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            config["token_endpoint"],
            format!("{}/{tenant}/oauth2/v2.0/token", idp.base)
        );
        assert_eq!(
            config["authorization_endpoint"],
            format!("{}/{tenant}/oauth2/v2.0/authorize", idp.base)
        );
        assert_eq!(
            config["device_authorization_endpoint"],
            format!("{}/{tenant}/oauth2/v2.0/devicecode", idp.base)
        );
        assert_eq!(
            config["jwks_uri"],
            format!("{}/{tenant}/discovery/v2.0/keys", idp.base)
        );
    }
    let specific: serde_json::Value = idp
        .http
        .get(idp.url("/v2.0/.well-known/openid-configuration"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(specific["issuer"], format!("{}/{TENANT_ID}/v2.0", idp.base));

    let response = idp
        .http
        .get(format!(
            "{}/fabrikam.com/v2.0/.well-known/openid-configuration",
            idp.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    assert_error(&response.json().await.unwrap(), "invalid_tenant", 90002);
}

#[tokio::test]
async fn sign_in_page_lists_known_accounts_first_and_the_login_hint_on_top() {
    let idp = start(IdentityOptions::default()).await;
    let (_, challenge) = pkce();
    let page = idp
        .authorize_get(&authorize_params(&challenge, "openid User.Read.All"))
        .await
        .text()
        .await
        .unwrap();
    let position = |upn: &str| page.find(&format!("value=\"{upn}@{DOMAIN}\"")).unwrap();
    assert!(position("admin") < position("owner") && position("owner") < position("reader"));
    assert!(position("reader") < position("adele"));

    let hinted = with(
        authorize_params(&challenge, "openid"),
        "login_hint",
        Some(&format!("reader@{DOMAIN}")),
    );
    let page = idp.authorize_get(&hinted).await.text().await.unwrap();
    let position = |upn: &str| page.find(&format!("value=\"{upn}@{DOMAIN}\"")).unwrap();
    assert!(position("reader") < position("admin"));
}

#[tokio::test]
async fn full_pkce_flow_issues_access_refresh_and_id_tokens() {
    let idp = start(IdentityOptions::default()).await;
    let (verifier, challenge) = pkce();
    let params = authorize_params(
        &challenge,
        "openid profile offline_access User.Read.All Group.Read.All",
    );
    let redirect = idp.sign_in(&params, &format!("owner@{DOMAIN}")).await;
    assert_eq!(redirect["state"], "st-123");

    let (status, body) = idp.redeem(&redirect["code"], &verifier).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["ext_expires_in"], 3600);
    assert!(body["refresh_token"].as_str().unwrap().len() > 64);
    let scope = body["scope"].as_str().unwrap();
    assert!(
        scope.contains("User.Read.All")
            && scope.contains("Group.Read.All")
            && scope.contains("openid")
    );

    let claims = idp
        .signer
        .verify(
            body["access_token"].as_str().unwrap(),
            chrono::Utc::now().timestamp(),
        )
        .unwrap();
    assert_eq!(claims.tid, TENANT_ID);
    assert_eq!(claims.azp, CLIENT_ID);
    assert!(
        matches!(claims.sub, Subject::User { ref upn, .. } if upn == &format!("owner@{DOMAIN}"))
    );
    assert!(claims.has_permission("User.Read.All") && claims.has_permission("Group.Read.All"));
    assert!(!claims.has_permission("GroupMember.ReadWrite.All"));

    let id = jwt_payload(body["id_token"].as_str().unwrap());
    assert_eq!(id["preferred_username"], format!("owner@{DOMAIN}"));
    assert_eq!(id["oid"], "00000000-0000-4000-8000-000000000002");
    assert_eq!(id["tid"], TENANT_ID);
    assert_eq!(id["aud"], CLIENT_ID);
    assert_eq!(id["nonce"], "n-456");
    assert_eq!(id["iss"], format!("{}/{TENANT_ID}/v2.0", idp.base));
    assert_eq!(id["name"], "owner user");
    assert!(id["exp"].as_i64().unwrap() > id["iat"].as_i64().unwrap());
    // The id token is not an access token.
    assert!(
        idp.signer
            .verify(body["id_token"].as_str().unwrap(), 0)
            .is_err()
    );
}

#[tokio::test]
async fn no_refresh_token_without_offline_access_and_no_id_token_without_openid() {
    let idp = start(IdentityOptions::default()).await;
    let body = idp.sign_in_admin("User.Read.All").await;
    assert!(body["access_token"].is_string());
    assert!(body.get("refresh_token").is_none() && body.get("id_token").is_none());
}

#[tokio::test]
async fn wrong_verifier_is_refused_then_right_one_works_once_and_a_replay_is_refused() {
    let idp = start(IdentityOptions::default()).await;
    let (verifier, challenge) = pkce();
    let redirect = idp
        .sign_in(
            &authorize_params(&challenge, "User.Read.All"),
            &format!("admin@{DOMAIN}"),
        )
        .await;
    let code = &redirect["code"];

    let (other_verifier, _) = pkce();
    let (status, body) = idp.redeem(code, &other_verifier).await;
    assert_eq!(status, 400);
    assert_error(&body, "invalid_grant", 501481);

    let (status, body) = idp
        .token(&[
            ("client_id", CLIENT_ID),
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
        ])
        .await;
    assert_eq!(status, 400);
    assert_error(&body, "invalid_request", 900144);

    let (status, _) = idp.redeem(code, &verifier).await;
    assert_eq!(status, 200);
    let (status, body) = idp.redeem(code, &verifier).await;
    assert_eq!(status, 400);
    assert_error(&body, "invalid_grant", 54005);
}

#[tokio::test]
async fn token_request_with_another_redirect_uri_or_client_is_refused() {
    let idp = start(IdentityOptions::default()).await;
    let (verifier, challenge) = pkce();
    let redirect = idp
        .sign_in(
            &authorize_params(&challenge, "User.Read.All"),
            &format!("admin@{DOMAIN}"),
        )
        .await;
    let base = [
        ("grant_type", "authorization_code"),
        ("code", redirect["code"].as_str()),
        ("code_verifier", verifier.as_str()),
    ];
    let mut wrong_redirect = base.to_vec();
    wrong_redirect.extend([
        ("client_id", CLIENT_ID),
        ("redirect_uri", "http://localhost:1/other"),
    ]);
    let (status, body) = idp.token(&wrong_redirect).await;
    assert_eq!(status, 400);
    assert_error(&body, "invalid_grant", 500117);

    let mut wrong_client = base.to_vec();
    wrong_client.extend([
        ("client_id", "00000000-1111-2222-3333-444444444444"),
        ("redirect_uri", REDIRECT),
    ]);
    let (status, body) = idp.token(&wrong_client).await;
    assert_eq!(status, 400);
    assert_error(&body, "invalid_grant", 700005);

    let (status, body) = idp
        .token(&[("client_id", CLIENT_ID), ("grant_type", "password")])
        .await;
    assert_eq!(status, 400);
    assert_error(&body, "unsupported_grant_type", 70003);
}

#[tokio::test]
async fn non_loopback_redirect_uris_get_a_page_never_a_redirect() {
    let idp = start(IdentityOptions::default()).await;
    let (_, challenge) = pkce();
    for bad in [
        "https://evil.example/cb",
        "http://192.168.1.5:8080/",
        "https://localhost:8080/",
        "urn:ietf:wg:oauth:2.0:oob",
    ] {
        let response = idp
            .authorize_get(&with(
                authorize_params(&challenge, "openid"),
                "redirect_uri",
                Some(bad),
            ))
            .await;
        assert_eq!(response.status().as_u16(), 400, "{bad}");
        assert!(response.headers().get("location").is_none());
        assert!(response.text().await.unwrap().contains("AADSTS50011"));
    }
    for good in [
        "http://localhost",
        "http://127.0.0.1:1234/",
        "http://localhost:65000/auth/done",
    ] {
        let params = with(
            authorize_params(&challenge, "openid"),
            "redirect_uri",
            Some(good),
        );
        assert_eq!(
            idp.authorize_get(&params).await.status().as_u16(),
            200,
            "{good}"
        );
    }
}

#[tokio::test]
async fn missing_or_plain_pkce_and_bad_scopes_are_error_redirects_with_the_state() {
    let idp = start(IdentityOptions::default()).await;
    let (_, challenge) = pkce();
    let no_pkce = with(
        with(
            authorize_params(&challenge, "openid"),
            "code_challenge",
            None,
        ),
        "code_challenge_method",
        None,
    );
    let plain = with(
        authorize_params(&challenge, "openid"),
        "code_challenge_method",
        Some("plain"),
    );
    let bad_scope = authorize_params(&challenge, "https://vault.azure.net/user_impersonation");
    for (params, error) in [
        (no_pkce, "invalid_request"),
        (plain, "invalid_request"),
        (bad_scope, "invalid_scope"),
    ] {
        let query = redirect_query(&idp.authorize_get(&params).await);
        assert_eq!(query["error"], error);
        assert!(query["error_description"].starts_with("AADSTS"));
        assert_eq!(query["state"], "st-123");
        assert!(!query.contains_key("code"));
    }
}

#[tokio::test]
async fn prompt_none_needs_a_session_and_cancel_is_access_denied() {
    let idp = start(IdentityOptions::default()).await;
    let (_, challenge) = pkce();
    let params = with(
        authorize_params(&challenge, "openid"),
        "prompt",
        Some("none"),
    );
    let query = redirect_query(&idp.authorize_get(&params).await);
    assert_eq!(query["error"], "login_required");

    let response = idp
        .http
        .post(idp.url("/oauth2/v2.0/authorize"))
        .query(&authorize_params(&challenge, "openid"))
        .form(&[("cancel", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(redirect_query(&response)["error"], "access_denied");
}

#[tokio::test]
async fn auto_approve_redirects_at_once_even_with_prompt_none() {
    let options = IdentityOptions {
        auto_approve: Some(format!("reader@{DOMAIN}")),
        ..IdentityOptions::default()
    };
    let idp = start(options).await;
    let (verifier, challenge) = pkce();
    let params = with(
        authorize_params(&challenge, "openid User.Read.All"),
        "prompt",
        Some("none"),
    );
    let query = redirect_query(&idp.authorize_get(&params).await);
    let (status, body) = idp.redeem(&query["code"], &verifier).await;
    assert_eq!(status, 200);
    assert_eq!(
        jwt_payload(body["id_token"].as_str().unwrap())["preferred_username"],
        format!("reader@{DOMAIN}")
    );
}

#[tokio::test]
async fn admin_only_scopes_are_refused_with_who_can_grant_them() {
    let options = IdentityOptions {
        admin_only_scopes: vec!["GroupMember.ReadWrite.All".into()],
        ..IdentityOptions::default()
    };
    let idp = start(options).await;
    let (_, challenge) = pkce();
    let query = redirect_query(
        &idp.authorize_get(&authorize_params(&challenge, "GroupMember.ReadWrite.All"))
            .await,
    );
    assert_eq!(query["error"], "consent_required");
    assert!(query["error_description"].contains("GroupMember.ReadWrite.All"));
    assert!(query["error_description"].contains("Global Administrator"));
}
