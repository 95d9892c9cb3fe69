//! The identity platform inside the whole emulator (`roster_emulator::start`): the generated tenant's
//! known accounts lead the sign-in page, the tenant's domain works as the authority's tenant, and
//! tokens it issues are accepted by Graph.

use crate::support::identity::{client, pkce, redeem_code_at, redirect_query_to};
use roster_emulator::EmulatorConfig;

#[tokio::test]
async fn sign_in_page_offers_admin_owner_reader_first_and_its_token_reads_graph() {
    let emulator = roster_emulator::start(EmulatorConfig {
        users: 60,
        groups: 8,
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let base = emulator.base_url().to_owned();
    let domain = emulator.domain().to_owned();
    let http = client();
    let (verifier, challenge) = pkce();
    let redirect = "http://127.0.0.1:40000/";
    let authorize = format!("{base}/{domain}/oauth2/v2.0/authorize");
    let params = [
        ("client_id", crate::support::identity::CLIENT_ID),
        ("response_type", "code"),
        ("redirect_uri", redirect),
        ("scope", "openid offline_access User.Read.All"),
        ("state", "s1"),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let page = http
        .get(&authorize)
        .query(&params)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let position = |name: &str| {
        page.find(&format!("value=\"{name}@{domain}\""))
            .unwrap_or(usize::MAX)
    };
    assert!(
        position("admin") < position("owner"),
        "admin@ before owner@"
    );
    assert!(
        position("owner") < position("reader") && position("reader") != usize::MAX,
        "owner@ before reader@"
    );
    assert!(
        page.matches("name=\"login\"").count() > 3,
        "more accounts follow"
    );

    let admin = format!("admin@{domain}");
    let response = http
        .post(&authorize)
        .query(&params)
        .form(&[("login", admin.as_str())])
        .send()
        .await
        .unwrap();
    let query = redirect_query_to(&response, redirect);
    let body = redeem_code_at(
        &http,
        &format!("{base}/{domain}/oauth2/v2.0/token"),
        &query["code"],
        redirect,
        &verifier,
    )
    .await;
    let token = body["access_token"].as_str().unwrap();

    let users = http
        .get(format!("{base}/v1.0/users?$top=3"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(users.status().as_u16(), 200);
    let me: serde_json::Value = http
        .get(format!("{base}/v1.0/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["userPrincipalName"], admin);
    emulator.shutdown().await;
}
