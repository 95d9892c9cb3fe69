//! Owners of groups and the groups of users, as Graph documents them: `GET /groups/{id}/owners`
//! (users and service principals, `$select`, paging) and `GET /users/{id}/memberOf` and
//! `/transitiveMemberOf` (the `microsoft.graph.group` cast needs advanced queries; who may read
//! another user's memberships).

use crate::support::graph::env;
use roster_emulator::tenant::model::{Kind, Ref};
use serde_json::Value;
use std::collections::BTreeSet;

fn ids(pages: &[Value]) -> Vec<String> {
    pages
        .iter()
        .flat_map(|p| p["value"].as_array().unwrap().iter())
        .map(|v| v["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn owners_are_users_and_service_principals_typed_selected_and_paged() {
    let env = env().await;
    let token = env.admin();
    let (with_app, without) = {
        let t = env.emu.tenant().read();
        let with_app = t
            .groups()
            .iter()
            .find(|g| {
                g.owners()
                    .iter()
                    .any(|o| o.kind() == Kind::ServicePrincipal)
            })
            .map(|g| {
                let owners: Vec<String> =
                    g.owners().iter().map(|o| t.id_of(*o).to_owned()).collect();
                (g.id().to_owned(), owners)
            })
            .expect("the demo tenant has a group owned by an app");
        let without = t
            .groups()
            .iter()
            .find(|g| g.owners().is_empty())
            .map(|g| g.id().to_owned())
            .expect("the demo tenant has a group without owners");
        (with_app, without)
    };
    let (group, expected) = with_app;
    let pages = env
        .all_pages(
            &format!("/v1.0/groups/{group}/owners?$select=id,displayName&$top=1"),
            &token,
            false,
        )
        .await;
    assert_eq!(pages.len(), expected.len(), "one owner per page of 1");
    assert_eq!(ids(&pages), expected);
    let types: BTreeSet<&str> = pages
        .iter()
        .flat_map(|p| p["value"].as_array().unwrap().iter())
        .map(|o| o["@odata.type"].as_str().unwrap())
        .collect();
    assert!(
        types.contains("#microsoft.graph.servicePrincipal"),
        "{types:?}"
    );
    let first = &pages[0]["value"][0];
    assert!(
        first.get("mail").is_none(),
        "$select keeps only id and displayName: {first}"
    );
    let empty = env
        .get(&format!("/v1.0/groups/{without}/owners"), &token)
        .await;
    assert_eq!(empty.status, 200, "{}", empty.text);
    assert_eq!(empty.json()["value"], serde_json::json!([]));
    let too_big = env
        .get(&format!("/v1.0/groups/{group}/owners?$top=1000"), &token)
        .await;
    assert_eq!(too_big.status, 400, "{}", too_big.text);
    let no_scope = env.token("admin", &["User.Read"]);
    let refused = env
        .get(&format!("/v1.0/groups/{group}/owners"), &no_scope)
        .await;
    assert_eq!(refused.status, 403, "{}", refused.text);
}

#[tokio::test]
async fn member_of_lists_direct_groups_and_transitive_adds_the_nested_ones() {
    let env = env().await;
    let token = env.admin();
    let (user, direct, transitive) = {
        let t = env.emu.tenant().read();
        let ids = |groups: Vec<usize>| -> Vec<String> {
            groups
                .iter()
                .map(|&g| t.groups()[g].id().to_owned())
                .collect()
        };
        (0..t.users().len())
            .map(|u| {
                let me = Ref::new(Kind::User, u);
                (u, ids(t.member_of(me)), ids(t.transitive_member_of(me)))
            })
            .find(|(_, d, tr)| !d.is_empty() && tr.len() > d.len())
            .map(|(u, d, tr)| (t.users()[u].id().to_owned(), d, tr))
            .expect("a user in a nested group")
    };
    let pages = env
        .all_pages(
            &format!("/v1.0/users/{user}/memberOf?$top=2"),
            &token,
            false,
        )
        .await;
    assert_eq!(ids(&pages), direct);
    assert_eq!(
        pages[0]["value"][0]["@odata.type"],
        "#microsoft.graph.group"
    );
    let nested = env
        .all_pages(
            &format!("/v1.0/users/{user}/transitiveMemberOf?$select=id"),
            &token,
            false,
        )
        .await;
    let nested = ids(&nested);
    assert_eq!(nested, transitive);
    assert!(direct.iter().all(|g| nested.contains(g)));

    let cast = format!("/v1.0/users/{user}/memberOf/microsoft.graph.group?$select=id,displayName");
    let without_aq = env.get(&cast, &token).await;
    assert_eq!(without_aq.status, 400, "{}", without_aq.text);
    let with_aq = env.get_aq(&format!("{cast}&$count=true"), &token).await;
    assert_eq!(with_aq.status, 200, "{}", with_aq.text);
    let body = with_aq.json();
    assert_eq!(body["@odata.count"], direct.len());
    assert_eq!(
        body["@odata.context"],
        format!(
            "{}/v1.0/$metadata#groups(id,displayName)",
            env.emu.base_url()
        )
    );
    let count = env
        .get_aq(
            &format!("/v1.0/users/{user}/transitiveMemberOf/microsoft.graph.group/$count"),
            &token,
        )
        .await;
    assert_eq!(count.text, transitive.len().to_string());
    let no_header = env
        .get(&format!("/v1.0/users/{user}/memberOf/$count"), &token)
        .await;
    assert_eq!(no_header.status, 400, "{}", no_header.text);
    let missing = env
        .get("/v1.0/users/nobody@nowhere.example/memberOf", &token)
        .await;
    assert_eq!(missing.status, 404, "{}", missing.text);
}

#[tokio::test]
async fn another_users_memberships_need_the_documented_permissions() {
    let env = env().await;
    let other = env.user_id(40);
    let basic = env.token("admin", &["User.Read"]);
    let refused = env
        .get(&format!("/v1.0/users/{other}/memberOf"), &basic)
        .await;
    assert_eq!(refused.status, 403, "{}", refused.text);
    let own = env.get("/v1.0/me/memberOf", &basic).await;
    assert_eq!(own.status, 200, "{}", own.text);
    let delegated = env.token("admin", &["User.Read.All"]);
    for relation in ["memberOf", "transitiveMemberOf"] {
        let reply = env
            .get(&format!("/v1.0/users/{other}/{relation}"), &delegated)
            .await;
        assert_eq!(reply.status, 200, "{relation}: {}", reply.text);
    }
    let app = env.emu.mint_app_token(&["User.Read.All"]);
    let direct = env
        .get(&format!("/v1.0/users/{other}/memberOf"), &app)
        .await;
    assert_eq!(direct.status, 403, "{}", direct.text);
    let nested = env
        .get(&format!("/v1.0/users/{other}/transitiveMemberOf"), &app)
        .await;
    assert_eq!(nested.status, 200, "{}", nested.text);
    let directory = env.emu.mint_app_token(&["Directory.Read.All"]);
    let allowed = env
        .get(&format!("/v1.0/users/{other}/memberOf"), &directory)
        .await;
    assert_eq!(allowed.status, 200, "{}", allowed.text);
}
