//! Paging against the emulator: complete and exact listings, advanced query mode on every page,
//! resuming from a stored continuation, single reads and counts.

use std::collections::HashSet;

use crate::support::*;
use roster_graph::{Continuation, ErrorKind, GraphRequest, ListQuery, Resource};
use serde_json::Value;

#[tokio::test]
async fn users_are_listed_completely_and_exactly_once() {
    let emu = emulator(2_500, 60).await;
    let client = admin(&emu);
    let expected = tenant_user_ids(&emu);
    let mut pager = client
        .list_users(
            &ListQuery::new()
                .select(["id", "userPrincipalName"])
                .top(999),
        )
        .unwrap();
    let mut got = Vec::new();
    let mut pages = 0;
    while let Some(page) = pager.next_page().await {
        let page = page.unwrap();
        pages += 1;
        assert!(
            page.items
                .iter()
                .all(|u| u["userPrincipalName"].is_string())
        );
        got.extend(ids(&page.items));
        assert_eq!(pager.continuation().map(|c| c.next_link), page.next_link);
    }
    assert_eq!(pages, expected.len().div_ceil(999));
    assert_eq!(
        got, expected,
        "same users, same order, no duplicates or gaps"
    );
    assert!(pager.continuation().is_none());
    emu.shutdown().await;
}

#[tokio::test]
async fn typed_items_and_the_item_stream() {
    use futures::StreamExt;
    #[derive(serde::Deserialize)]
    struct User {
        id: String,
        #[serde(rename = "userPrincipalName")]
        upn: String,
    }
    let emu = emulator(700, 30).await;
    let client = admin(&emu);
    let query = ListQuery::new()
        .select(["id", "userPrincipalName"])
        .top(150);
    let users: Vec<User> = client
        .list::<User>("/users", &query, Resource::Users, &["User.Read.All"])
        .unwrap()
        .into_items()
        .map(|u| u.unwrap())
        .collect()
        .await;
    assert_eq!(
        users.iter().map(|u| u.id.clone()).collect::<Vec<_>>(),
        tenant_user_ids(&emu)
    );
    assert!(users.iter().all(|u| u.upn.ends_with(emu.domain())));
    emu.shutdown().await;
}

#[tokio::test]
async fn members_and_transitive_members_match_the_directory() {
    let emu = emulator(1_500, 80).await;
    let client = admin(&emu);
    let (group, expected) = largest_group(&emu);
    assert!(
        expected.len() > 100,
        "the largest group spans several pages of 100"
    );
    let members = client
        .list_members(&group, &ListQuery::new().top(100), false)
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    let got = ids(&members);
    assert_eq!(got.len(), expected.len(), "no duplicates");
    assert_eq!(got.iter().cloned().collect::<HashSet<_>>(), expected);
    assert!(members.iter().all(|m| {
        m["@odata.type"]
            .as_str()
            .is_some_and(|t| t.starts_with("#microsoft.graph."))
    }));

    let transitive = client
        .list_members(&group, &ListQuery::new().top(999), true)
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    let transitive: HashSet<String> = ids(&transitive).into_iter().collect();
    assert!(transitive.is_superset(&expected));
    emu.shutdown().await;
}

#[tokio::test]
async fn advanced_queries_send_consistency_level_on_every_page() {
    let emu = emulator(1_200, 40).await;
    let client = admin(&emu);
    let domain = emu.domain().to_owned();
    let query = ListQuery::new()
        .select(["id"])
        .filter(format!("endsWith(userPrincipalName,'@{domain}')"))
        .top(100);
    assert!(query.needs_advanced(Resource::Users));
    let mut pager = client.list_users(&query).unwrap();
    let first = pager.next_page().await.unwrap().unwrap();
    let total = first.count.expect("@odata.count on the first page");
    let next = first.next_link.clone().expect("several pages");
    let mut got = ids(&first.items);
    while let Some(page) = pager.next_page().await {
        got.extend(ids(&page.unwrap().items));
    }
    assert_eq!(got.len() as u64, total);
    assert_eq!(pager.count(), Some(total));

    // The emulator does check the header on nextLinks: the same link without it is refused.
    let err = client.send(GraphRequest::get(next)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnsupportedQuery, "{err}");
    emu.shutdown().await;
}

#[tokio::test]
async fn a_listing_resumes_from_a_stored_continuation() {
    let emu = emulator(1_000, 30).await;
    let client = admin(&emu);
    let query = ListQuery::new().select(["id"]).count().top(120);
    let mut pager = client.list_users(&query).unwrap();
    let mut got = Vec::new();
    for _ in 0..3 {
        got.extend(ids(&pager.next_page().await.unwrap().unwrap().items));
    }
    let stored = serde_json::to_string(&pager.continuation().unwrap()).unwrap();
    drop(pager);

    let restored: Continuation = serde_json::from_str(&stored).unwrap();
    assert!(restored.advanced);
    assert_eq!(restored.count, Some(1_000));
    let fresh = admin(&emu);
    let rest = fresh
        .resume::<Value>(&restored)
        .collect_all()
        .await
        .unwrap();
    got.extend(ids(&rest));
    assert_eq!(got, tenant_user_ids(&emu));
    emu.shutdown().await;
}

#[tokio::test]
async fn unpipelined_paging_gives_the_same_result() {
    let emu = emulator(900, 30).await;
    let client = admin(&emu);
    let pager = client
        .list_users(&ListQuery::new().select(["id"]).top(100))
        .unwrap()
        .pipelining(false);
    assert_eq!(
        ids(&pager.collect_all().await.unwrap()),
        tenant_user_ids(&emu)
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn single_objects_counts_and_id_resolution() {
    let emu = emulator(600, 30).await;
    let client = admin(&emu);
    let admin_upn = upn(&emu, "admin");
    let me = client
        .get_user(&admin_upn, &["id", "userPrincipalName", "displayName"])
        .await
        .unwrap();
    assert_eq!(me["userPrincipalName"].as_str(), Some(admin_upn.as_str()));
    let by_id = client
        .get_user(me["id"].as_str().unwrap(), &[])
        .await
        .unwrap();
    assert_eq!(by_id["id"], me["id"]);

    let (group_id, members) = largest_group(&emu);
    let group = client
        .get_group(&group_id, &["id", "displayName"])
        .await
        .unwrap();
    assert_eq!(group["id"].as_str(), Some(group_id.as_str()));

    assert_eq!(
        client.count("/users", &ListQuery::new()).await.unwrap(),
        tenant_user_ids(&emu).len() as u64
    );
    let member_count = client
        .count(&format!("/groups/{group_id}/members"), &ListQuery::new())
        .await
        .unwrap();
    assert_eq!(member_count, members.len() as u64);

    let mut wanted: Vec<String> = tenant_user_ids(&emu).into_iter().take(5).collect();
    wanted.push(group_id.clone());
    wanted.push("00000000-0000-0000-0000-000000000000".into());
    let objects = client.get_by_ids(&wanted, &[]).await.unwrap();
    assert_eq!(objects.len(), 6, "the unknown id is left out");
    assert!(
        objects
            .iter()
            .any(|o| o["@odata.type"] == "#microsoft.graph.group")
    );
    let only_users = client.get_by_ids(&wanted, &["user"]).await.unwrap();
    assert_eq!(only_users.len(), 5);
    let selected = client
        .get_by_ids_select(&wanted, &[], &["id", "userType", "groupTypes"])
        .await
        .unwrap();
    assert_eq!(selected.len(), 6);
    for object in &selected {
        let is_group = object["@odata.type"] == "#microsoft.graph.group";
        assert_eq!(object["userType"].is_string(), !is_group, "{object}");
        assert_eq!(object["groupTypes"].is_array(), is_group, "{object}");
        assert!(object.get("businessPhones").is_none(), "{object}");
    }

    let missing = client
        .get_user(&format!("nobody@{}", emu.domain()), &[])
        .await
        .unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound);
    emu.shutdown().await;
}

#[tokio::test]
async fn owned_groups_of_the_signed_in_user() {
    let emu = emulator(600, 60).await;
    let (client, _) = client(&emu, "owner", &["User.Read", "GroupMember.Read.All"]);
    let owned = client
        .owned_groups(&ListQuery::new())
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    let expected: HashSet<String> = {
        let tenant = emu.tenant().read();
        let owner = tenant.find_user(&upn(&emu, "owner")).unwrap();
        tenant
            .owned_groups(owner)
            .iter()
            .map(|&g| tenant.groups()[g as usize].id().to_owned())
            .collect()
    };
    assert!(!expected.is_empty());
    assert_eq!(ids(&owned).into_iter().collect::<HashSet<_>>(), expected);
    emu.shutdown().await;
}

#[tokio::test]
async fn graph_refusals_of_queries_are_explained() {
    let emu = emulator(300, 20).await;
    let client = admin(&emu);
    let url = format!(
        "/users?$filter=endsWith(userPrincipalName,'%23EXT%23@{}')",
        emu.domain()
    );
    let err = client.send(GraphRequest::get(url)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnsupportedQuery);
    assert_eq!(err.status, Some(400));
    assert!(err.advice().contains("'endsWith'"), "{}", err.advice());
    assert!(
        err.advice().contains("advanced query mode"),
        "{}",
        err.advice()
    );
    assert!(err.request_id.is_some());
    emu.shutdown().await;
}

#[tokio::test]
async fn the_next_page_is_requested_before_the_caller_asks_for_it() {
    let emu = emulator(600, 20).await;
    let client = admin(&emu);
    let before = emu.stats().requests_total;
    let mut pager = client
        .list_users(&ListQuery::new().select(["id"]).top(100))
        .unwrap();
    let first = pager.next_page().await.unwrap().unwrap();
    assert!(first.next_link.is_some());
    // Without another call to next_page, the request for page 2 reaches the emulator.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while emu.stats().requests_total < before + 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "page 2 was never requested ahead"
        );
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let rest = pager.collect_all().await.unwrap();
    assert_eq!(first.items.len() + rest.len(), 600);
    emu.shutdown().await;
}
