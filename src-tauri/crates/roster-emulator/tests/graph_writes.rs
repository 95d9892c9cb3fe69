//! Membership writes and their errors (graph-api.md §6.2, §6.3), PATCH binds, `$batch`, and the audit log.

use crate::support::graph::{Env, Reply, env};
use reqwest::Method;
use serde_json::{Value, json};

fn reference(id: &str) -> Value {
    json!({ "@odata.id": format!("https://graph.microsoft.com/v1.0/directoryObjects/{id}") })
}

async fn add(env: &Env, token: &str, group: &str, member: &str) -> Reply {
    env.post(
        &format!("/v1.0/groups/{group}/members/$ref"),
        token,
        reference(member),
    )
    .await
}

async fn remove(env: &Env, token: &str, group: &str, member: &str) -> Reply {
    env.send(
        Method::DELETE,
        &format!("/v1.0/groups/{group}/members/{member}/$ref"),
        Some(token),
        false,
        None,
    )
    .await
}

async fn member_ids(env: &Env, group: &str) -> Vec<String> {
    let body = env
        .get(
            &format!("/v1.0/groups/{group}/members?$select=id&$top=999"),
            &env.admin(),
        )
        .await
        .json();
    body["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn add_and_remove_are_applied_and_audited() {
    let env = env().await;
    let token = env.admin();
    let group = env.group_id("Empty Group");
    let user = env.user_id(20);
    let added = add(&env, &token, &group, &user).await;
    assert_eq!(added.status, 204, "{}", added.text);
    assert!(added.text.is_empty());
    assert_eq!(member_ids(&env, &group).await, std::slice::from_ref(&user));

    let duplicate = add(&env, &token, &group, &user).await;
    assert_eq!(duplicate.status, 400);
    assert_eq!(duplicate.error_code(), "Request_BadRequest");
    assert_eq!(
        duplicate.error_message(),
        "One or more added object references already exist for the following modified properties: 'members'."
    );
    let unknown = "6e8d0d5c-0000-4000-8000-000000000000";
    let missing = add(&env, &token, &group, unknown).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.error_code(), "Request_ResourceNotFound");
    assert_eq!(
        missing.error_message(),
        format!(
            "Resource '{unknown}' does not exist or one of its queried reference-property objects are not present."
        )
    );

    assert_eq!(remove(&env, &token, &group, &user).await.status, 204);
    assert!(member_ids(&env, &group).await.is_empty());
    let not_member = remove(&env, &token, &group, &user).await;
    assert_eq!(not_member.status, 400);
    assert_eq!(
        not_member.error_message(),
        "One or more removed object references do not exist for the following modified properties: 'members'."
    );

    let audit = env
        .send(Method::GET, "/_emulator/audit", None, false, None)
        .await
        .json();
    let entries = audit["value"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["action"], "addMember");
    assert_eq!(entries[0]["actor"], env.upn("admin"));
    assert_eq!(entries[1]["action"], "removeMember");
    assert_eq!(env.emu.stats().writes_applied, 2);
}

#[tokio::test]
async fn groups_managed_elsewhere_or_dynamic_refuse_writes() {
    let env = env().await;
    let token = env.token("admin", &["GroupMember.ReadWrite.All", "Group.Read.All"]);
    let user = env.user_id(21);
    let dynamic = add(&env, &token, &env.group_id("Owner Dynamic Sales"), &user).await;
    assert_eq!(
        (dynamic.status, dynamic.error_code().as_str()),
        (400, "Request_BadRequest")
    );
    for name in [
        "Owner Synced Group",
        "Owner Mail-enabled Security",
        "Owner Distribution List",
    ] {
        let reply = add(&env, &token, &env.group_id(name), &user).await;
        assert_eq!(reply.status, 403, "{name}: {}", reply.text);
        assert_eq!(reply.error_code(), "Authorization_RequestDenied");
    }
    let device_id = env.emu.tenant().read().devices()[2].id().to_owned();
    let m365 = add(
        &env,
        &token,
        &env.group_id("Owner Team (Microsoft 365)"),
        &device_id,
    )
    .await;
    assert_eq!(m365.status, 400, "{}", m365.text);
    let security = env.group_id("Owner Security Group");
    let no_device_scope = add(&env, &token, &security, &device_id).await;
    assert_eq!(no_device_scope.status, 403, "{}", no_device_scope.text);
    let with_device = env.token("admin", &["GroupMember.ReadWrite.All", "Device.Read.All"]);
    let added = add(&env, &with_device, &security, &device_id).await;
    assert_eq!(added.status, 204, "{}", added.text);
    let app = env
        .emu
        .mint_app_token(&["GroupMember.ReadWrite.All", "Device.Read.All"]);
    let other_device = env.emu.tenant().read().devices()[3].id().to_owned();
    let app_device = add(&env, &app, &security, &other_device).await;
    assert_eq!(app_device.status, 403, "apps need Device.ReadWrite.All");
}

#[tokio::test]
async fn role_assignable_groups_need_role_management() {
    let env = env().await;
    let group = env.group_id("Owner Role Admins");
    let user = env.user_id(22);
    let plain = env.token("admin", &["GroupMember.ReadWrite.All"]);
    assert_eq!(add(&env, &plain, &group, &user).await.status, 403);
    let privileged = env.token(
        "admin",
        &[
            "GroupMember.ReadWrite.All",
            "RoleManagement.ReadWrite.Directory",
        ],
    );
    assert_eq!(add(&env, &privileged, &group, &user).await.status, 204);
    let owner = env.token(
        "owner",
        &[
            "GroupMember.ReadWrite.All",
            "RoleManagement.ReadWrite.Directory",
        ],
    );
    assert_eq!(
        add(&env, &owner, &group, &env.user_id(23)).await.status,
        403
    );
}

#[tokio::test]
async fn owners_change_only_their_own_groups_and_reads_need_write_scope() {
    let env = env().await;
    let owner = env.token("owner", &["Group.Read.All", "GroupMember.ReadWrite.All"]);
    let user = env.user_id(24);
    assert_eq!(
        add(&env, &owner, &env.group_id("Owner Security Group"), &user)
            .await
            .status,
        204
    );
    assert_eq!(
        add(&env, &owner, &env.group_id("Empty Group"), &user)
            .await
            .status,
        403
    );
    let read_only = env.token("admin", &["Group.Read.All"]);
    assert_eq!(
        add(&env, &read_only, &env.group_id("Empty Group"), &user)
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn patch_binds_at_most_twenty_all_or_nothing() {
    let env = env().await;
    let token = env.admin();
    let group = env.group_id("Empty Group");
    let bind = |ids: Vec<String>| json!({ "members@odata.bind": ids.iter().map(|id| format!("https://graph.microsoft.com/v1.0/directoryObjects/{id}")).collect::<Vec<_>>() });
    let path = format!("/v1.0/groups/{group}");
    let patch = |body: Value| env.send(Method::PATCH, &path, Some(&token), false, Some(body));
    let too_many = patch(bind((30..51).map(|i| env.user_id(i)).collect())).await;
    assert_eq!(too_many.status, 400);
    let mut with_bad: Vec<String> = (30..35).map(|i| env.user_id(i)).collect();
    with_bad.push("00000000-0000-4000-8000-00000000abcd".into());
    assert_eq!(patch(bind(with_bad)).await.status, 404);
    assert!(member_ids(&env, &group).await.is_empty());
    let twenty: Vec<String> = (30..50).map(|i| env.user_id(i)).collect();
    assert_eq!(patch(bind(twenty.clone())).await.status, 204);
    assert_eq!(member_ids(&env, &group).await, twenty);
}

#[tokio::test]
async fn batch_runs_items_with_their_own_status_headers_and_dependencies() {
    let env = env().await;
    let token = env.admin();
    let group = env.group_id("Empty Group");
    let user = env.user_id(60);
    let body = json!({ "requests": [
        { "id": "1", "method": "POST", "url": format!("/groups/{group}/members/$ref"),
          "headers": { "Content-Type": "application/json" }, "body": reference(&user) },
        { "id": "2", "method": "POST", "url": format!("/groups/{group}/members/$ref"),
          "headers": { "Content-Type": "application/json" }, "body": reference(&user), "dependsOn": ["1"] },
        { "id": "3", "method": "GET", "url": "/users?$select=id&$top=2", "dependsOn": ["2"] },
        { "id": "4", "method": "GET", "url": "/users/$count", "headers": { "ConsistencyLevel": "eventual" } },
        { "id": "5", "method": "GET", "url": format!("/groups/{group}/members?$select=id") }
    ]});
    let reply = env.post("/v1.0/$batch", &token, body).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let responses = reply.json()["responses"].as_array().unwrap().clone();
    let by_id = |id: &str| responses.iter().find(|r| r["id"] == id).unwrap().clone();
    assert_eq!(by_id("1")["status"], 204);
    assert_eq!(by_id("2")["status"], 400);
    assert_eq!(by_id("2")["body"]["error"]["code"], "Request_BadRequest");
    assert_eq!(by_id("3")["status"], 424);
    assert_eq!(by_id("4")["status"], 200);
    assert_eq!(by_id("4")["body"], "300");
    let members = by_id("5");
    assert_eq!(members["status"], 200);
    assert!(members["headers"]["x-ms-resource-unit"].is_string());
    assert!(
        members["headers"]["Content-Type"]
            .as_str()
            .unwrap()
            .starts_with("application/json")
    );
    assert_eq!(members["body"]["value"][0]["id"], user.as_str());
}

#[tokio::test]
async fn batch_limits_are_enforced() {
    let env = env().await;
    let token = env.admin();
    let requests: Vec<Value> = (0..21)
        .map(|i| json!({"id": i.to_string(), "method": "GET", "url": "/users"}))
        .collect();
    assert_eq!(
        env.post("/v1.0/$batch", &token, json!({ "requests": requests }))
            .await
            .status,
        400
    );
    let duplicate = json!({"requests": [
        {"id": "a", "method": "GET", "url": "/users"}, {"id": "A", "method": "GET", "url": "/groups"}]});
    assert_eq!(
        env.post("/v1.0/$batch", &token, duplicate).await.status,
        400
    );
    let unknown_dep =
        json!({"requests": [{"id": "a", "method": "GET", "url": "/users", "dependsOn": ["b"]}]});
    assert_eq!(
        env.post("/v1.0/$batch", &token, unknown_dep).await.status,
        400
    );
    assert_eq!(
        env.post("/v1.0/$batch", "garbage", json!({"requests": []}))
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn deleting_through_members_without_ref_deletes_the_member_object_given_rights() {
    let env = env().await;
    let group = env.group_id("Empty Group");
    let user = env.user_id(21);
    let admin = env.admin();
    assert_eq!(add(&env, &admin, &group, &user).await.status, 204);
    let path = format!("/v1.0/groups/{group}/members/{user}");
    let count = |reply: Reply| reply.text.parse::<usize>().unwrap();
    let users_before = count(env.get_aq("/v1.0/users/$count", &admin).await);

    // Membership rights alone do not reach the user object.
    let denied = env
        .send(Method::DELETE, &path, Some(&admin), false, None)
        .await;
    assert_eq!(denied.status, 403, "{}", denied.text);
    assert_eq!(denied.error_code(), "Authorization_RequestDenied");
    assert_eq!(
        env.get(&format!("/v1.0/users/{user}"), &admin).await.status,
        200
    );
    assert_eq!(member_ids(&env, &group).await, std::slice::from_ref(&user));

    let mut scopes = roster_test_support::tenant::ADMIN.to_vec();
    scopes.push("User.ReadWrite.All");
    let writer = env.token("admin", &scopes);
    let deleted = env
        .send(Method::DELETE, &path, Some(&writer), false, None)
        .await;
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    assert_eq!(
        env.get(&format!("/v1.0/users/{user}"), &admin).await.status,
        404
    );
    assert!(member_ids(&env, &group).await.is_empty());
    assert_eq!(
        count(env.get_aq("/v1.0/users/$count", &admin).await),
        users_before - 1
    );
    let listed = env
        .all_pages("/v1.0/users?$select=id&$top=999", &admin, false)
        .await;
    assert!(
        listed
            .iter()
            .flat_map(|p| p["value"].as_array().unwrap())
            .all(|u| u["id"] != user.as_str())
    );
    // It is gone, so a second delete finds nothing.
    let again = env
        .send(Method::DELETE, &path, Some(&writer), false, None)
        .await;
    assert_eq!(again.status, 404, "{}", again.text);
    env.emu.shutdown().await;
}

async fn patch_rule(env: &Env, token: &str, group: &str, rule: &str) -> Reply {
    env.send(
        Method::PATCH,
        &format!("/v1.0/groups/{group}"),
        Some(token),
        false,
        Some(json!({ "membershipRule": rule })),
    )
    .await
}

#[tokio::test]
async fn a_dynamic_groups_rule_is_replaced_and_its_members_follow() {
    let env = env().await;
    let group = env.group_id("Sales (dynamic)");
    let writer = env.token("admin", &["Group.ReadWrite.All"]);
    let rule = r#"user.department -eq "Marketing""#;
    let saved = patch_rule(&env, &writer, &group, rule).await;
    assert_eq!(saved.status, 204, "{}", saved.text);
    let stored = env
        .get(
            &format!("/v1.0/groups/{group}?$select=membershipRule"),
            &env.admin(),
        )
        .await
        .json();
    assert_eq!(stored["membershipRule"], rule);
    let members = member_ids(&env, &group).await;
    assert!(!members.is_empty());
    for id in &members {
        let user = env
            .get(
                &format!("/v1.0/users/{id}?$select=department"),
                &env.admin(),
            )
            .await
            .json();
        assert_eq!(user["department"], "Marketing");
    }
    // Only GroupMember.ReadWrite.All: not enough to change a group's own properties.
    let members_only = env.token("admin", &["GroupMember.ReadWrite.All"]);
    assert_eq!(
        patch_rule(&env, &members_only, &group, rule).await.status,
        403
    );
    // A group with assigned members has no rule to change.
    let assigned = patch_rule(&env, &writer, &env.group_id("Empty Group"), rule).await;
    assert_eq!(assigned.status, 400, "{}", assigned.text);
    assert_eq!(assigned.error_code(), "Request_BadRequest");
    let broken = patch_rule(&env, &writer, &group, "user.department -eq").await;
    assert_eq!(broken.status, 400, "{}", broken.text);
}
