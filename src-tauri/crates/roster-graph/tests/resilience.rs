//! Failures the client absorbs: injected 429/503/504 and connections dropped mid-body, `$batch` items
//! throttled on their own, rejected tokens.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use crate::support::*;
use roster_graph::{
    AccessToken, BatchRequest, ErrorKind, GraphClient, ListQuery, Method, Resource, RetryPolicy,
    StaticToken,
};

#[tokio::test]
async fn faults_give_the_same_listing_as_a_clean_run() {
    let emu = emulator(2_000, 80).await;
    let client = admin(&emu);
    let clean_users = all_users(&client, 100).await;
    let (group, _) = largest_group(&emu);
    let clean_members = client
        .list_members(&group, &ListQuery::new().top(50), false)
        .unwrap()
        .collect_all()
        .await
        .unwrap();

    emu.set_faults(faults("429=0.1,503=0.03,504=0.03,reset=0.08"));
    let before = emu.stats().faults_injected;
    let (client, clock) = crate::support::client(&emu, "admin", READ);
    let users = all_users(&client, 100).await;
    let members = client
        .list_members(&group, &ListQuery::new().top(50), false)
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    let injected = emu.stats().faults_injected - before;

    assert!(injected >= 3, "faults were injected ({injected})");
    assert!(
        !clock.sleeps().is_empty(),
        "the client waited before retrying"
    );
    assert_eq!(users, clean_users, "no duplicates, no gaps, same order");
    assert_eq!(members, clean_members);
    emu.shutdown().await;
}

#[tokio::test]
async fn resets_alone_are_re_requested_transparently() {
    let emu = emulator(1_000, 30).await;
    let clean = all_users(&admin(&emu), 50).await;
    emu.set_faults(faults("reset=0.3"));
    let users = all_users(&admin(&emu), 50).await;
    assert!(emu.stats().faults_injected > 0);
    assert_eq!(users, clean);
    emu.shutdown().await;
}

#[tokio::test]
async fn exhausted_retries_report_throttling_in_plain_words() {
    let emu = emulator(300, 20).await;
    emu.set_faults(faults("429=1.0"));
    let token = emu.mint_token(&upn(&emu, "admin"), READ);
    let clock = Arc::new(roster_graph::VirtualClock::default());
    let client = GraphClient::builder(
        emu.base_url(),
        Arc::new(StaticToken(AccessToken::new(token))),
    )
    .clock(clock.clone())
    .retry(RetryPolicy {
        max_attempts: 4,
        ..RetryPolicy::default()
    })
    .build()
    .unwrap();
    let err = client.get_user(&upn(&emu, "admin"), &[]).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Throttled);
    assert_eq!(err.attempts, 4);
    assert_eq!(
        clock.sleeps(),
        [std::time::Duration::from_secs(2); 3],
        "the emulator's Retry-After: 2 is honoured"
    );
    assert!(err.advice().contains("over 4 attempts"), "{}", err.advice());
    assert!(client.limiter().stats().throttled >= 4);
    emu.shutdown().await;
}

#[tokio::test]
async fn batch_returns_per_item_results_and_retries_only_throttled_items() {
    let emu = emulator(400, 20).await;
    let client = admin(&emu);
    let user_ids = tenant_user_ids(&emu);
    let mut requests: Vec<BatchRequest> = user_ids
        .iter()
        .take(18)
        .enumerate()
        .map(|(i, id)| {
            BatchRequest::new(
                format!("u{i}"),
                Method::GET,
                format!("/users/{id}?$select=id"),
            )
        })
        .collect();
    requests.push(BatchRequest::new(
        "missing",
        Method::GET,
        "/users/00000000-0000-0000-0000-000000000000",
    ));
    requests.push(BatchRequest::list(
        "count",
        "/users",
        &ListQuery::new().select(["id"]).count().top(5),
        Resource::Users,
    ));

    emu.set_faults(faults("429=0.3,503=0.1"));
    let results = client.batch(requests.clone()).await.unwrap();
    assert_eq!(results.len(), requests.len());
    for (request, result) in requests.iter().zip(&results) {
        assert_eq!(request.id, result.id, "results come back in request order");
    }
    for (i, result) in results.iter().take(18).enumerate() {
        assert_eq!(
            result.status, 200,
            "item {i} was retried until it succeeded"
        );
        assert_eq!(
            result.body.as_ref().unwrap()["id"].as_str(),
            Some(user_ids[i].as_str())
        );
    }
    let missing = &results[18];
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.error(&requests[18]).unwrap().kind(),
        ErrorKind::NotFound
    );
    let counted = &results[19];
    assert_eq!(counted.status, 200);
    assert_eq!(
        counted.body.as_ref().unwrap()["@odata.count"].as_u64(),
        Some(user_ids.len() as u64)
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn batch_dependencies_fail_with_424_when_their_dependency_fails() {
    let emu = emulator(300, 20).await;
    let client = admin(&emu);
    let requests = vec![
        BatchRequest::new(
            "1",
            Method::GET,
            "/groups/00000000-0000-0000-0000-000000000000",
        ),
        BatchRequest::new("2", Method::GET, "/users?$top=1").depends_on(["1"]),
    ];
    let results = client.batch(requests).await.unwrap();
    assert_eq!((results[0].status, results[1].status), (404, 424));
    emu.shutdown().await;
}

#[tokio::test]
async fn a_rejected_token_is_invalidated_and_replaced() {
    let emu = emulator(300, 20).await;
    let good = emu.mint_token(&upn(&emu, "admin"), READ);
    let tokens = Arc::new(RotatingTokens::new("not-a-valid-token", good));
    let (client, _) = client_with_tokens(&emu, tokens.clone());
    let users = all_users(&client, 999).await;
    assert_eq!(ids(&users), tenant_user_ids(&emu));
    assert_eq!(tokens.invalidated.load(Ordering::SeqCst), 1);
    emu.shutdown().await;
}

#[tokio::test]
async fn a_token_that_stays_rejected_asks_to_sign_in_again() {
    let emu = emulator(300, 20).await;
    let (client, _) = client_with_tokens(&emu, Arc::new(StaticToken(AccessToken::new("garbage"))));
    let err = client
        .list_users(&ListQuery::new())
        .unwrap()
        .collect_all()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(err.status, Some(401));
    assert_eq!(
        err.attempts, 2,
        "one retry with a fresh token, then give up"
    );
    assert!(err.to_string().contains("Sign in again"));
    assert!(
        !err.to_string().contains("garbage"),
        "the token never shows in messages"
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn many_member_streams_share_one_limiter() {
    use futures::StreamExt;
    let emu = emulator(1_500, 120).await;
    let client = admin(&emu);
    let groups: Vec<(String, HashSet<String>)> = {
        let tenant = emu.tenant().read();
        tenant
            .groups()
            .iter()
            .map(|g| {
                (
                    g.id().to_owned(),
                    g.members()
                        .iter()
                        .map(|&m| tenant.id_of(m).to_owned())
                        .collect(),
                )
            })
            .collect()
    };
    emu.set_faults(faults("429=0.05,reset=0.02"));
    let results: Vec<(HashSet<String>, HashSet<String>)> = futures::stream::iter(groups)
        .map(|(group, expected)| {
            let client = client.clone();
            async move {
                let members = client
                    .list_members(&group, &ListQuery::new().top(100), false)
                    .unwrap()
                    .collect_all()
                    .await
                    .unwrap();
                (ids(&members).into_iter().collect(), expected)
            }
        })
        .buffer_unordered(32)
        .collect()
        .await;
    assert_eq!(results.len(), 120);
    for (got, expected) in results {
        assert_eq!(got, expected);
    }
    let stats = client.limiter().stats();
    assert!(stats.responses >= 120);
    assert!(stats.in_flight == 0);
    emu.shutdown().await;
}

#[tokio::test]
async fn raw_batch_bodies_are_the_parsed_bodies_as_text() {
    let emu = emulator(300, 20).await;
    let client = admin(&emu);
    let (group, _) = largest_group(&emu);
    let requests = vec![
        BatchRequest::list(
            "members",
            &format!("/groups/{group}/members"),
            &ListQuery::new().select(["id", "displayName"]).top(5),
            Resource::Members,
        ),
        BatchRequest::new(
            "missing",
            Method::GET,
            "/groups/00000000-0000-0000-0000-000000000000/members",
        ),
    ];
    let parsed = client.batch(requests.clone()).await.unwrap();
    let raw = client.batch_raw(requests.clone()).await.unwrap();
    assert_eq!(parsed.len(), raw.len());
    for ((request, parsed), raw) in requests.iter().zip(&parsed).zip(&raw) {
        assert_eq!((&parsed.id, parsed.status), (&raw.id, raw.status));
        let text = raw.body.as_ref().map(|b| b.get()).unwrap();
        let reparsed: serde_json::Value = serde_json::from_str(text).unwrap();
        if parsed.is_success() {
            assert_eq!(Some(&reparsed), parsed.body.as_ref());
        } else {
            // Error envelopes differ only in their request ids.
            assert_eq!(
                reparsed["error"]["code"],
                parsed.body.as_ref().unwrap()["error"]["code"]
            );
        }
        assert_eq!(
            raw.error(request).map(|e| e.kind()),
            parsed.error(request).map(|e| e.kind())
        );
    }
    assert!(parsed[0].body.as_ref().unwrap()["@odata.nextLink"].is_string());
    assert_eq!(raw[1].status, 404);
    emu.shutdown().await;
}
