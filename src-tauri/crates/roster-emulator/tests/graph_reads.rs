//! Graph reads against the in-process emulator: the collection envelope, paging, page sizes, `$count`,
//! `$select`, single objects, tokens and determinism.

use std::collections::HashSet;

use crate::support::graph::{env, env_with};
use roster_emulator::{EmulatorConfig, ThrottleMode};
use sha2::{Digest, Sha256};

#[tokio::test]
async fn paging_envelope_writes_next_link_before_value_and_round_trips_every_user_once() {
    let env = env().await;
    let token = env.admin();
    let first = env
        .get("/v1.0/users?$top=37&$select=id,displayName", &token)
        .await;
    assert_eq!(first.status, 200, "{}", first.text);
    let next_at = first
        .text
        .find("\"@odata.nextLink\"")
        .expect("nextLink present");
    let value_at = first.text.find("\"value\"").expect("value present");
    assert!(first.text.starts_with("{\"@odata.context\""));
    assert!(next_at < value_at, "nextLink must come before value");
    let body = first.json();
    assert_eq!(
        body["@odata.context"],
        format!(
            "{}/v1.0/$metadata#users(id,displayName)",
            env.emu.base_url()
        )
    );
    let next = body["@odata.nextLink"].as_str().unwrap();
    assert!(next.starts_with(&format!("{}/v1.0/users?", env.emu.base_url())));
    assert!(
        next.contains("$top=37")
            && next.contains("$select=id,displayName")
            && next.contains("$skiptoken=")
    );

    let pages = env
        .all_pages("/v1.0/users?$top=37&$select=id,displayName", &token, false)
        .await;
    assert_eq!(pages.len(), 300usize.div_ceil(37));
    let mut seen = HashSet::new();
    for page in &pages {
        for user in page["value"].as_array().unwrap() {
            assert!(
                seen.insert(user["id"].as_str().unwrap().to_owned()),
                "user served twice"
            );
            assert_eq!(user.as_object().unwrap().len(), 2);
        }
    }
    assert_eq!(seen.len(), 300);
    assert!(pages.last().unwrap().get("@odata.nextLink").is_none());
}

#[tokio::test]
async fn default_page_size_and_default_properties() {
    let env = env().await;
    let body = env.get("/v1.0/users", &env.admin()).await.json();
    let users = body["value"].as_array().unwrap();
    assert_eq!(users.len(), 100);
    let keys: Vec<&str> = users[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "businessPhones",
            "displayName",
            "givenName",
            "jobTitle",
            "mail",
            "mobilePhone",
            "officeLocation",
            "preferredLanguage",
            "surname",
            "userPrincipalName",
            "id"
        ]
    );
    let groups = env.get("/v1.0/groups", &env.admin()).await.json();
    let group = groups["value"][0].as_object().unwrap();
    for key in [
        "id",
        "displayName",
        "groupTypes",
        "mailEnabled",
        "securityEnabled",
        "membershipRule",
        "visibility",
    ] {
        assert!(group.contains_key(key), "group default set lacks {key}");
    }
    assert_eq!(groups["value"].as_array().unwrap().len(), 40);
    assert!(groups.get("@odata.nextLink").is_none());
}

#[tokio::test]
async fn top_bounds_and_collection_only_properties() {
    let env = env().await;
    let token = env.admin();
    for top in ["0", "1000"] {
        let reply = env.get(&format!("/v1.0/users?$top={top}"), &token).await;
        assert_eq!(reply.status, 400, "{}", reply.text);
        assert_eq!(reply.error_code(), "Request_UnsupportedQuery");
        assert!(
            reply
                .error_message()
                .contains(&format!("Invalid page size specified: '{top}'"))
        );
    }
    let max = env.get("/v1.0/users?$top=999", &token).await.json();
    assert_eq!(max["value"].as_array().unwrap().len(), 300);
    assert_eq!(
        env.get("/v1.0/users?$top=501&$select=id,signInActivity", &token)
            .await
            .status,
        400
    );
    assert_eq!(
        env.get("/v1.0/users?$top=500&$select=id,signInActivity", &token)
            .await
            .status,
        200
    );
    assert_eq!(
        env.get("/v1.0/users?$select=aboutMe", &token).await.status,
        501
    );
    let single = env
        .get(
            &format!("/v1.0/users/{}?$select=id,aboutMe", env.user_id(5)),
            &token,
        )
        .await;
    assert_eq!(single.status, 200, "{}", single.text);
}

#[tokio::test]
async fn count_only_with_advanced_query_and_only_on_the_first_page() {
    let env = env().await;
    let token = env.admin();
    let silent = env
        .get("/v1.0/users?$count=true&$top=100", &token)
        .await
        .json();
    assert!(silent.get("@odata.count").is_none());
    let pages = env
        .all_pages("/v1.0/users?$count=true&$top=100", &token, true)
        .await;
    assert_eq!(pages[0]["@odata.count"], 300);
    assert!(pages[1..].iter().all(|p| p.get("@odata.count").is_none()));

    let no_header = env.get("/v1.0/users/$count", &token).await;
    assert_eq!(no_header.status, 400);
    assert_eq!(
        no_header.error_message(),
        "$count is not currently supported."
    );
    let count = env.get_aq("/v1.0/users/$count", &token).await;
    assert_eq!(count.status, 200);
    assert!(
        count
            .header("content-type")
            .unwrap()
            .starts_with("text/plain")
    );
    assert_eq!(count.text, "300");
}

#[tokio::test]
async fn filters_run_through_the_query_engine() {
    let env = env().await;
    let token = env.admin();
    let guests = env
        .all_pages(
            "/v1.0/users?$filter=userType%20eq%20'Guest'&$select=id,userPrincipalName,userType",
            &token,
            false,
        )
        .await;
    let items: Vec<_> = guests
        .iter()
        .flat_map(|p| p["value"].as_array().unwrap().clone())
        .collect();
    assert!(!items.is_empty());
    assert!(
        items
            .iter()
            .all(|u| u["userPrincipalName"].as_str().unwrap().contains("#EXT#"))
    );
    let ends = env
        .get(
            "/v1.0/users?$filter=endsWith(userPrincipalName,'%23EXT%23@contoso.onmicrosoft.com')",
            &token,
        )
        .await;
    assert_eq!(ends.status, 400);
    assert!(
        ends.error_message()
            .starts_with("Operator 'endsWith' is not supported")
    );
    let aq = env
        .get_aq("/v1.0/users?$filter=endsWith(userPrincipalName,'%23EXT%23@contoso.onmicrosoft.com')&$count=true", &token)
        .await;
    assert_eq!(aq.status, 200, "{}", aq.text);
    assert_eq!(
        aq.json()["@odata.count"].as_u64().unwrap() as usize,
        items.len()
    );
    let m365 = env
        .get(
            "/v1.0/groups?$filter=groupTypes/any(c:c+eq+'Unified')&$select=id,groupTypes",
            &token,
        )
        .await
        .json();
    assert!(
        m365["value"]
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g["groupTypes"][0] == "Unified")
    );
    let ordered = env
        .get(
            "/v1.0/users?$orderby=displayName&$select=displayName&$top=999",
            &token,
        )
        .await
        .json();
    let names: Vec<String> = ordered["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["displayName"].as_str().unwrap().to_lowercase())
        .collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]));
}

#[tokio::test]
async fn single_objects_by_id_upn_and_guest_upn() {
    let env = env().await;
    let token = env.admin();
    let admin = env
        .get(&format!("/v1.0/users/{}", env.upn("ADMIN")), &token)
        .await;
    assert_eq!(admin.status, 200, "{}", admin.text);
    let body = admin.json();
    assert_eq!(
        body["@odata.context"],
        format!("{}/v1.0/$metadata#users/$entity", env.emu.base_url())
    );
    assert_eq!(body["userPrincipalName"], env.upn("admin"));
    let guest = {
        let tenant = env.emu.tenant().read();
        tenant
            .users()
            .iter()
            .find(|u| u.upn().contains("#EXT#"))
            .unwrap()
            .upn()
            .to_owned()
    };
    let encoded = guest.replace('#', "%23");
    let reply = env
        .get(
            &format!("/v1.0/users/{encoded}?$select=id,userType,creationType,externalUserState"),
            &token,
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json()["userType"], "Guest");
    assert_eq!(reply.json()["creationType"], "Invitation");
    let missing = env
        .get("/v1.0/users/nobody@contoso.onmicrosoft.com", &token)
        .await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.error_code(), "Request_ResourceNotFound");
    assert!(missing.json()["error"]["innerError"]["request-id"].is_string());
    let me = env
        .get("/v1.0/me?$select=userPrincipalName", &token)
        .await
        .json();
    assert_eq!(me["userPrincipalName"], env.upn("admin"));
    let manager = env
        .get(
            &format!(
                "/v1.0/users/{}?$expand=manager($select=id)",
                env.user_id(50)
            ),
            &token,
        )
        .await;
    assert_eq!(manager.status, 200, "{}", manager.text);
    let group = env
        .get(
            &format!("/v1.0/groups/{}", env.group_id("All Company")),
            &token,
        )
        .await
        .json();
    assert_eq!(
        group["@odata.context"],
        format!("{}/v1.0/$metadata#groups/$entity", env.emu.base_url())
    );
}

#[tokio::test]
async fn tokens_are_checked_and_permissions_enforced() {
    let env = env().await;
    let missing = env
        .send(reqwest::Method::GET, "/v1.0/users", None, false, None)
        .await;
    assert_eq!(missing.status, 401);
    assert_eq!(missing.error_code(), "InvalidAuthenticationToken");
    assert_eq!(missing.error_message(), "Access token is empty.");
    let garbled = env.get("/v1.0/users", "garbage").await;
    assert_eq!(garbled.status, 401);
    assert_eq!(
        garbled.error_message(),
        "CompactToken parsing failed with error code: 80049217"
    );
    let expired = env
        .post("/_emulator/token", "", serde_json::json!({"upn": env.upn("admin"), "scopes": ["User.Read.All"], "lifetimeSecs": -10}))
        .await
        .json();
    let reply = env
        .get("/v1.0/users", expired["access_token"].as_str().unwrap())
        .await;
    assert_eq!(reply.status, 401);
    assert!(reply.error_message().contains("expired"), "{}", reply.text);
    let no_scope = env
        .get("/v1.0/users", &env.token("admin", &["Group.Read.All"]))
        .await;
    assert_eq!(no_scope.status, 403);
    assert_eq!(no_scope.error_code(), "Authorization_RequestDenied");
    assert_eq!(
        no_scope.error_message(),
        "Insufficient privileges to complete the operation."
    );
    let app = env.emu.mint_app_token(&["User.Read.All"]);
    assert_eq!(env.get("/v1.0/users?$top=1", &app).await.status, 200);
    assert_eq!(env.get("/v1.0/me", &app).await.status, 400);
}

#[tokio::test]
async fn response_headers_carry_ids_and_resource_units() {
    let env = env().await;
    let reply = env
        .http
        .get(env.url("/v1.0/users?$select=id"))
        .bearer_auth(env.admin())
        .header("client-request-id", "a1556ddf-4794-929d-0105-b753a78b4c68")
        .send()
        .await
        .unwrap();
    let headers = reply.headers();
    assert!(headers.contains_key("request-id"));
    assert_eq!(
        headers["client-request-id"],
        "a1556ddf-4794-929d-0105-b753a78b4c68"
    );
    assert_eq!(headers["x-ms-resource-unit"], "1");
    assert!(headers.contains_key("date"));
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
}

async fn users_hash(seed: u64) -> (String, String) {
    let env = env_with(EmulatorConfig {
        seed,
        users: 400,
        groups: 30,
        throttle: ThrottleMode::Off,
        ..EmulatorConfig::default()
    })
    .await;
    let select = "id,userPrincipalName,displayName,surname,mail,givenName,userType,jobTitle,department,accountEnabled,usageLocation,streetAddress,state,country,officeLocation,city,postalCode,businessPhones,mobilePhone,otherMails,ageGroup,consentProvidedForMinor,legalAgeGroupClassification";
    let pages = env
        .all_pages(
            &format!("/v1.0/users?$top=999&$select={select}"),
            &env.admin(),
            false,
        )
        .await;
    let mut hasher = Sha256::new();
    for page in pages {
        hasher.update(serde_json::to_vec(&page["value"]).unwrap());
    }
    let tenant = env.emu.tenant_id().to_owned();
    env.emu.shutdown().await;
    (format!("{:x}", hasher.finalize()), tenant)
}

#[tokio::test]
async fn same_seed_same_tenant_byte_for_byte() {
    let (a, tenant_a) = users_hash(42).await;
    let (b, tenant_b) = users_hash(42).await;
    let (c, tenant_c) = users_hash(43).await;
    assert_eq!(a, b);
    assert_eq!(tenant_a, tenant_b);
    assert_ne!(a, c);
    assert_ne!(tenant_a, tenant_c);
}

#[tokio::test]
async fn contacts_list_filters_by_mail_and_one_contact_shares_a_guests_mail() {
    let env = env().await;
    let (guest_id, contact_id, mail) = {
        let t = env.emu.tenant().read();
        let contact = &t.contacts()[0];
        let mail = contact.mail().unwrap().to_owned();
        let guest = t
            .users()
            .iter()
            .find(|u| u.mail() == Some(mail.as_str()))
            .expect("a user shares the contact's mail");
        assert!(guest.is_guest(), "the pair is a guest and a contact");
        (guest.id().to_owned(), contact.id().to_owned(), mail)
    };
    let token = env.admin();
    let all = env.all_pages("/v1.0/contacts?$top=3", &token, false).await;
    let listed: usize = all
        .iter()
        .map(|p| p["value"].as_array().unwrap().len())
        .sum();
    assert_eq!(listed, env.emu.tenant().read().contacts().len());

    let upper = mail.to_uppercase();
    for filter in [
        format!("mail eq '{upper}'"),
        format!("mail in ('x@y.com','{mail}')"),
    ] {
        let reply = env
            .get(
                &format!("/v1.0/contacts?$select=id,mail&$filter={filter}"),
                &token,
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let value = reply.json()["value"].as_array().unwrap().clone();
        let ids: Vec<&str> = value.iter().map(|c| c["id"].as_str().unwrap()).collect();
        assert_eq!(ids, [contact_id.as_str()], "{filter}");
        assert!(
            reply.json()["@odata.context"]
                .as_str()
                .unwrap()
                .ends_with("#contacts(id,mail)")
        );
    }
    let users = env
        .get(
            &format!("/v1.0/users?$select=id&$filter=mail eq '{mail}'"),
            &token,
        )
        .await
        .json();
    assert_eq!(users["value"][0]["id"], guest_id.as_str());

    let no_contacts = env.token("admin", &["User.Read.All"]);
    let refused = env.get("/v1.0/contacts", &no_contacts).await;
    assert_eq!(refused.status, 403, "{}", refused.text);
}

/// The pages of `list` (a collection with `$top`) under `filter` list exactly the ids `expected`,
/// each once, and its `$count` under the same filter agrees.
async fn assert_listed_and_counted(
    env: &crate::support::graph::Env,
    token: &str,
    list: &str,
    filter: &str,
    expected: &HashSet<&str>,
) {
    let encoded = filter.replace(' ', "%20");
    let pages = env
        .all_pages(
            &format!("{list}&$select=id&$filter={encoded}"),
            token,
            false,
        )
        .await;
    let listed: Vec<&str> = pages
        .iter()
        .flat_map(|p| p["value"].as_array().unwrap())
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(listed.len(), expected.len(), "{filter}: each once");
    assert_eq!(
        &listed.into_iter().collect::<HashSet<_>>(),
        expected,
        "{filter}"
    );
    let collection = list.split('?').next().unwrap();
    let count = env
        .get_aq(&format!("{collection}/$count?$filter={encoded}"), token)
        .await;
    assert_eq!(
        count.text,
        expected.len().to_string(),
        "{filter}: $count agrees"
    );
}

/// `displayName ge` / `le` on groups (default query operators: Learn "group resource type",
/// graph-api.md §3.1) select exactly the groups in the range, case-insensitively, without advanced
/// query; `$count` agrees; a group named exactly like a bound is in both ranges that share it.
#[tokio::test]
async fn group_name_ranges_select_exactly_the_groups_between_their_bounds() {
    let env = env().await;
    let token = env.admin();
    for name in ["b", "B", "m"] {
        env.emu.tenant().write().add_group_like(0, name).unwrap();
    }
    let groups: Vec<(String, String)> = env
        .emu
        .tenant()
        .read()
        .groups()
        .iter()
        .map(|g| (g.id().to_owned(), g.display_name().to_lowercase()))
        .collect();
    type Wanted = Box<dyn Fn(&str) -> bool>;
    let cases: [(&str, Wanted); 4] = [
        (
            "displayName ge 'a' and displayName le 'B'",
            Box::new(|n| ("a"..="b").contains(&n)),
        ),
        (
            "displayName ge 'b' and displayName le 'n'",
            Box::new(|n| ("b"..="n").contains(&n)),
        ),
        ("displayName le 'M'", Box::new(|n| n <= "m")),
        (
            "securityEnabled eq true and displayName ge 'c'",
            Box::new(|n| n >= "c"),
        ),
    ];
    let security: HashSet<String> = env
        .emu
        .tenant()
        .read()
        .groups()
        .iter()
        .filter(|g| g.security_enabled())
        .map(|g| g.id().to_owned())
        .collect();
    for (filter, wanted) in &cases {
        let expected: HashSet<&str> = groups
            .iter()
            .filter(|(id, name)| {
                wanted(name) && (!filter.starts_with("security") || security.contains(id))
            })
            .map(|(id, _)| id.as_str())
            .collect();
        assert!(!expected.is_empty(), "{filter} selects some group");
        assert_listed_and_counted(&env, &token, "/v1.0/groups?$top=3", filter, &expected).await;
    }
    let named_b = groups.iter().filter(|(_, n)| n == "b").count();
    assert_eq!(named_b, 2, "b and B are both the bound 'b'");
}

/// `userPrincipalName ge` / `le` (default query operators on users: graph-api.md) select exactly
/// the users in the range, case-insensitively, alone or with another test; listed pages and
/// `$count` agree; ranges that share a bound without `@` never share a user.
#[tokio::test]
async fn upn_ranges_select_exactly_the_users_between_their_bounds() {
    let env = env().await;
    let token = env.admin();
    let tenant_users = env.emu.tenant().read().users().len();
    let all = env
        .all_pages(
            "/v1.0/users?$top=999&$select=id,userPrincipalName,accountEnabled",
            &token,
            false,
        )
        .await;
    let users: Vec<(String, String, bool)> = all
        .iter()
        .flat_map(|p| p["value"].as_array().unwrap().clone())
        .map(|u| {
            (
                u["id"].as_str().unwrap().to_owned(),
                u["userPrincipalName"].as_str().unwrap().to_lowercase(),
                u["accountEnabled"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(users.len(), tenant_users);
    type Listed = (String, String, bool);
    type Wanted = Box<dyn Fn(&Listed) -> bool>;
    let cases: [(&str, Wanted); 4] = [
        (
            "userPrincipalName ge 'm' and userPrincipalName le 'n'",
            Box::new(|u| u.1.as_str() >= "m" && u.1.as_str() <= "n"),
        ),
        (
            "userPrincipalName le 'B'",
            Box::new(|u| u.1.as_str() <= "b"),
        ),
        (
            "userPrincipalName ge 'S'",
            Box::new(|u| u.1.as_str() >= "s"),
        ),
        (
            "accountEnabled eq false and userPrincipalName ge 'a' and userPrincipalName le 'k'",
            Box::new(|u| !u.2 && u.1.as_str() >= "a" && u.1.as_str() <= "k"),
        ),
    ];
    for (filter, wanted) in &cases {
        let expected: HashSet<&str> = users
            .iter()
            .filter(|u| wanted(u))
            .map(|u| u.0.as_str())
            .collect();
        assert!(!expected.is_empty(), "{filter} selects someone");
        assert_listed_and_counted(&env, &token, "/v1.0/users?$top=7", filter, &expected).await;
    }
}

#[tokio::test]
async fn sign_in_activity_needs_audit_log_and_pages_of_at_most_500() {
    let env = env().await;
    let over = env
        .get(
            "/v1.0/users?$top=501&$select=id,signInActivity",
            &env.admin(),
        )
        .await;
    assert_eq!(over.status, 400, "{}", over.text);
    assert_eq!(over.error_code(), "Request_UnsupportedQuery");
    assert_eq!(
        over.error_message(),
        "Cannot query data for more than 500 users at a time."
    );
    let without_audit_log = env.token("admin", &["User.Read.All", "Directory.Read.All"]);
    for path in [
        "/v1.0/users?$top=500&$select=id,signInActivity".to_owned(),
        format!("/v1.0/users/{}?$select=id,signInActivity", env.user_id(3)),
    ] {
        let refused = env.get(&path, &without_audit_log).await;
        assert_eq!(refused.status, 403, "{path}: {}", refused.text);
        assert_eq!(refused.error_code(), "Authorization_RequestDenied");
    }
    let plain = env
        .get("/v1.0/users?$top=999&$select=id", &without_audit_log)
        .await;
    assert_eq!(plain.status, 200);
    let with_audit_log = env.token("admin", &["User.Read.All", "AuditLog.Read.All"]);
    let page = env
        .get(
            "/v1.0/users?$top=500&$select=id,signInActivity",
            &with_audit_log,
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.text);
    let signed_in = page.json()["value"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["signInActivity"]["lastSignInDateTime"].is_string())
        .count();
    assert!(signed_in > 0);
}

#[tokio::test]
async fn subscribed_skus_name_the_skus_users_hold_for_callers_allowed_to_read_them() {
    let env = env().await;
    let reply = env
        .http
        .get(env.url("/v1.0/subscribedSkus"))
        .bearer_auth(env.token("admin", &["Organization.Read.All"]))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.headers()["x-ms-resource-unit"], "3");
    let skus: serde_json::Value = reply.json().await.unwrap();
    let skus = skus["value"].as_array().unwrap().clone();
    let users: Vec<serde_json::Value> = env
        .all_pages(
            "/v1.0/users?$top=999&$select=id,assignedLicenses",
            &env.admin(),
            false,
        )
        .await
        .iter()
        .flat_map(|page| page["value"].as_array().unwrap().clone())
        .collect();
    let mut held = 0;
    let mut disabled = 0;
    for license in users
        .iter()
        .flat_map(|u| u["assignedLicenses"].as_array().unwrap())
    {
        held += 1;
        let sku = skus
            .iter()
            .find(|s| s["skuId"] == license["skuId"])
            .expect("every assigned SKU is subscribed");
        for plan in license["disabledPlans"].as_array().unwrap() {
            disabled += 1;
            assert!(
                sku["servicePlans"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|p| p["servicePlanId"] == *plan)
            );
        }
    }
    let consumed: u64 = skus
        .iter()
        .map(|s| s["consumedUnits"].as_u64().unwrap())
        .sum();
    assert_eq!(consumed, held);
    assert!(disabled > 0);
    assert!(skus.iter().all(|s| s["skuPartNumber"].is_string()));
    for scopes in [
        &["User.Read.All"][..],
        &["Group.Read.All", "AuditLog.Read.All"],
    ] {
        let refused = env
            .get("/v1.0/subscribedSkus", &env.token("admin", scopes))
            .await;
        assert_eq!(refused.status, 403, "{scopes:?}");
        assert_eq!(refused.error_code(), "Authorization_RequestDenied");
    }
    let directory = env
        .get(
            "/v1.0/subscribedSkus",
            &env.token("admin", &["Directory.Read.All"]),
        )
        .await;
    assert_eq!(directory.status, 200);
}
