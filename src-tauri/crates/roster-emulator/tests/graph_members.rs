//! Group members, casts, transitive members, owned objects, getByIds, authentication methods, and who
//! may read what (owners, the restricted reader, limited information, hidden membership).

use crate::support::graph::env;
use serde_json::{Value, json};

fn ids(body: &Value) -> Vec<String> {
    body["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn members_carry_odata_type_and_casts_need_advanced_queries() {
    let env = env().await;
    let token = env.admin();
    let mixed = env.group_id("Mixed Members");
    let reply = env
        .get(&format!("/v1.0/groups/{mixed}/members"), &token)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let body = reply.json();
    assert_eq!(
        body["@odata.context"],
        format!("{}/v1.0/$metadata#directoryObjects", env.emu.base_url())
    );
    let types: Vec<&str> = body["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["@odata.type"].as_str().unwrap())
        .collect();
    for t in ["user", "group", "device", "servicePrincipal", "orgContact"] {
        assert!(
            types.contains(&format!("#microsoft.graph.{t}").as_str()),
            "no {t} in {types:?}"
        );
    }
    let user = body["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["@odata.type"] == "#microsoft.graph.user")
        .unwrap();
    assert!(user.get("userPrincipalName").is_some());

    let cast = format!("/v1.0/groups/{mixed}/members/microsoft.graph.user");
    let without_aq = env.get(&cast, &token).await;
    assert_eq!(without_aq.status, 400, "{}", without_aq.text);
    let with_aq = env.get_aq(&format!("{cast}?$count=true"), &token).await;
    assert_eq!(with_aq.status, 200, "{}", with_aq.text);
    let users = with_aq.json();
    assert_eq!(
        users["@odata.context"],
        format!("{}/v1.0/$metadata#users", env.emu.base_url())
    );
    assert_eq!(users["@odata.count"], 4);
    assert!(
        users["value"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["@odata.type"] == "#microsoft.graph.user")
    );
    let count = env
        .get_aq(&format!("/v1.0/groups/{mixed}/members/$count"), &token)
        .await;
    assert_eq!((count.status, count.text.as_str()), (200, "8"));
    let device_count = env
        .get_aq(
            &format!("/v1.0/groups/{mixed}/members/microsoft.graph.device/$count"),
            &token,
        )
        .await;
    assert_eq!(device_count.text, "1");

    let m365 = env.group_id("Owner Team (Microsoft 365)");
    let bad_cast = env
        .get_aq(
            &format!("/v1.0/groups/{m365}/members/microsoft.graph.group?$count=true"),
            &token,
        )
        .await;
    assert_eq!(bad_cast.status, 400);
    assert_eq!(bad_cast.error_code(), "Request_UnsupportedQuery");
}

#[tokio::test]
async fn transitive_members_include_nested_groups_and_their_members() {
    let env = env().await;
    let token = env.admin();
    let level1 = env.group_id("Nested Level 1");
    let direct = env
        .get(&format!("/v1.0/groups/{level1}/members?$select=id"), &token)
        .await
        .json();
    let all = env
        .get(
            &format!("/v1.0/groups/{level1}/transitiveMembers?$select=id&$top=999"),
            &token,
        )
        .await
        .json();
    let direct_ids = ids(&direct);
    let all_ids = ids(&all);
    assert!(all_ids.len() > direct_ids.len());
    for level in ["Nested Level 2", "Nested Level 3", "Nested Level 4"] {
        assert!(all_ids.contains(&env.group_id(level)), "{level} missing");
    }
    let unique: std::collections::HashSet<_> = all_ids.iter().collect();
    assert_eq!(unique.len(), all_ids.len());
    let groups_only = env
        .get_aq(
            &format!("/v1.0/groups/{level1}/transitiveMembers/microsoft.graph.group?$count=true"),
            &token,
        )
        .await
        .json();
    assert_eq!(groups_only["@odata.count"], 3);
}

#[tokio::test]
async fn large_group_pages_through_all_members() {
    let env = env().await;
    let token = env.admin();
    let all = env.group_id("All Company");
    let expected = env
        .emu
        .tenant()
        .read()
        .groups()
        .iter()
        .find(|g| g.id() == all)
        .unwrap()
        .members()
        .len();
    let pages = env
        .all_pages(
            &format!("/v1.0/groups/{all}/members?$select=id&$top=7"),
            &token,
            false,
        )
        .await;
    let total: usize = pages
        .iter()
        .map(|p| p["value"].as_array().unwrap().len())
        .sum();
    assert_eq!(total, expected);
}

#[tokio::test]
async fn get_by_ids_resolves_types_and_limits() {
    let env = env().await;
    let token = env.token("admin", &["Directory.Read.All"]);
    let user = env.user_id(4);
    let group = env.group_id("Empty Group");
    let body = json!({"ids": [user, group, "00000000-0000-4000-8000-000000000000"]});
    let reply = env
        .post("/v1.0/directoryObjects/getByIds", &token, body)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let value = reply.json();
    assert_eq!(
        value["@odata.context"],
        format!("{}/v1.0/$metadata#directoryObjects", env.emu.base_url())
    );
    assert_eq!(ids(&value), [user.clone(), group.clone()]);
    assert_eq!(value["value"][1]["@odata.type"], "#microsoft.graph.group");
    let only_groups = env
        .post(
            "/v1.0/directoryObjects/getByIds",
            &token,
            json!({"ids": [user, group], "types": ["Group"]}),
        )
        .await;
    assert_eq!(ids(&only_groups.json()), [group]);
    let too_many: Vec<String> = (0..1001).map(|_| env.user_id(1)).collect();
    let reply = env
        .post(
            "/v1.0/directoryObjects/getByIds",
            &token,
            json!({ "ids": too_many }),
        )
        .await;
    assert_eq!(reply.status, 400);
}

#[tokio::test]
async fn owner_reads_and_lists_only_own_groups() {
    let env = env().await;
    let token = env.token(
        "owner",
        &[
            "User.Read.All",
            "Group.Read.All",
            "GroupMember.ReadWrite.All",
        ],
    );
    let owned = env
        .get("/v1.0/me/ownedObjects?$select=id,displayName", &token)
        .await;
    assert_eq!(owned.status, 200, "{}", owned.text);
    let owned_ids = ids(&owned.json());
    assert!(owned_ids.len() >= 8);
    assert!(
        owned.json()["value"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["@odata.type"] == "#microsoft.graph.group")
    );
    let cast = env
        .get_aq(
            "/v1.0/me/ownedObjects/microsoft.graph.group?$select=id&$count=true",
            &token,
        )
        .await;
    assert_eq!(cast.status, 200, "{}", cast.text);
    let own = env.group_id("Owner Security Group");
    assert!(owned_ids.contains(&own));
    assert_eq!(
        env.get(&format!("/v1.0/groups/{own}/members"), &token)
            .await
            .status,
        200
    );
    let other = env.group_id("All Company");
    let denied = env
        .get(&format!("/v1.0/groups/{other}/members"), &token)
        .await;
    assert_eq!(denied.status, 403);
    assert_eq!(denied.error_code(), "Authorization_RequestDenied");
    assert_eq!(
        env.get(&format!("/v1.0/groups/{other}"), &token)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn reader_gets_limited_information_about_other_users() {
    let env = env().await;
    let token = env.token("reader", &["User.Read.All", "Group.Read.All"]);
    let body = env
        .get("/v1.0/users?$select=id,displayName,mail&$top=5", &token)
        .await
        .json();
    let users = body["value"].as_array().unwrap();
    let reader_id = env.user_id(2);
    for user in users {
        if user["id"] == reader_id.as_str() {
            assert!(user["displayName"].is_string());
        } else {
            assert_eq!(user["@odata.type"], "#microsoft.graph.user");
            assert!(user["id"].is_string());
            assert!(
                user["displayName"].is_null() && user["mail"].is_null(),
                "{user}"
            );
        }
    }
    let me = env.get("/v1.0/me", &token).await.json();
    assert_eq!(me["displayName"], "Rita Reader");
}

#[tokio::test]
async fn members_of_types_without_read_scope_come_back_limited() {
    let env = env().await;
    let token = env.token("admin", &["User.Read.All", "GroupMember.Read.All"]);
    let mixed = env.group_id("Mixed Members");
    let body = env
        .get(&format!("/v1.0/groups/{mixed}/members"), &token)
        .await
        .json();
    let device = body["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["@odata.type"] == "#microsoft.graph.device")
        .unwrap();
    assert!(device["id"].is_string());
    assert!(
        device["displayName"].is_null() && device["operatingSystem"].is_null(),
        "{device}"
    );
    let user = body["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["@odata.type"] == "#microsoft.graph.user")
        .unwrap();
    assert!(user["userPrincipalName"].is_string());
}

#[tokio::test]
async fn hidden_membership_needs_member_read_hidden() {
    let env = env().await;
    let hidden = env.group_id("Owner Hidden Membership");
    let without = env.token("admin", &["User.Read.All", "Group.Read.All"]);
    let expanded = env
        .get(&format!("/v1.0/groups/{hidden}?$expand=members"), &without)
        .await;
    assert_eq!(expanded.status, 200, "{}", expanded.text);
    assert_eq!(expanded.json()["members"], serde_json::json!([]));
    let allowed = env
        .get(
            &format!("/v1.0/groups/{hidden}?$expand=members"),
            &env.admin(),
        )
        .await;
    assert_eq!(allowed.json()["members"].as_array().unwrap().len(), 20);
    assert_eq!(
        env.get(&format!("/v1.0/groups/{hidden}/members"), &without)
            .await
            .status,
        403
    );
    assert_eq!(
        env.get(&format!("/v1.0/groups/{hidden}/members"), &env.admin())
            .await
            .status,
        200
    );
    let group = env
        .get(
            &format!("/v1.0/groups/{hidden}?$select=visibility,groupTypes"),
            &without,
        )
        .await
        .json();
    assert_eq!(group["visibility"], "Hiddenmembership");
}

#[tokio::test]
async fn authentication_methods_use_fixed_ids_and_need_their_scope() {
    let env = env().await;
    let user = env.user_id(5);
    let token = env.admin();
    let mut seen_mobile = false;
    for i in 3..60 {
        let id = env.user_id(i);
        let phones = env
            .get(
                &format!("/v1.0/users/{id}/authentication/phoneMethods"),
                &token,
            )
            .await;
        assert_eq!(phones.status, 200, "{}", phones.text);
        for method in phones.json()["value"].as_array().unwrap() {
            match method["phoneType"].as_str().unwrap() {
                "mobile" => {
                    seen_mobile = true;
                    assert_eq!(method["id"], "3179e48a-750b-4051-897c-87b9720928f7");
                }
                "alternateMobile" => {
                    assert_eq!(method["id"], "b6332ec1-7057-4abe-9331-3d72feddfe41")
                }
                "office" => assert_eq!(method["id"], "e37fc753-ff3b-4958-9484-eaa9425c82bc"),
                other => panic!("unexpected phone type {other}"),
            }
        }
        let emails = env
            .get(
                &format!("/v1.0/users/{id}/authentication/emailMethods"),
                &token,
            )
            .await
            .json();
        assert!(emails["value"].as_array().unwrap().len() <= 1);
    }
    assert!(seen_mobile);
    let without = env.token("admin", &["User.Read.All"]);
    assert_eq!(
        env.get(
            &format!("/v1.0/users/{user}/authentication/phoneMethods"),
            &without
        )
        .await
        .status,
        403
    );
}
