//! With `--latency-ms`, collection responses stream as Graph's do: the opening (through
//! `@odata.nextLink`) arrives at once after the latency, the items follow.

use crate::support::graph::env_with;
use roster_emulator::{EmulatorConfig, FaultSpec, ThrottleMode};

fn streaming_config(item_latency_us: u64) -> EmulatorConfig {
    EmulatorConfig {
        users: 300,
        groups: 20,
        throttle: ThrottleMode::Off,
        latency_ms: 1,
        item_latency_us,
        ..EmulatorConfig::default()
    }
}

#[tokio::test]
async fn the_next_link_arrives_before_the_items_are_complete() {
    // 20 ms per item: each run of 100 items follows the opening by 2 s, so the whole page of 250
    // cannot be there when the opening is.
    let env = env_with(streaming_config(20_000)).await;
    let mut response = env
        .http
        .get(env.url("/v1.0/users?$top=250&$select=id"))
        .bearer_auth(env.admin())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let mut received = Vec::new();
    while !received.windows(9).any(|w| w == br#""value":["#) {
        let chunk = response.chunk().await.unwrap().expect("body not over yet");
        received.extend_from_slice(&chunk);
    }
    let text = String::from_utf8(received).unwrap();
    let link_at = text.find("\"@odata.nextLink\":").expect("nextLink first");
    assert!(link_at < text.find("\"value\":[").unwrap(), "{text}");
    assert!(
        text.contains("$skiptoken="),
        "the link is whole in the opening: {text}"
    );
    assert!(
        text.ends_with("\"value\":["),
        "the opening comes on its own, the items are still to come: {text}"
    );
    assert!(text.matches("\"id\":").count() < 250, "{text}");
    drop(response);
    env.emu.shutdown().await;
}

#[tokio::test]
async fn streamed_pages_are_whole_and_identical_to_unstreamed_ones() {
    let streamed = env_with(streaming_config(5)).await;
    let plain = env_with(EmulatorConfig {
        latency_ms: 0,
        ..streaming_config(5)
    })
    .await;
    let path = "/v1.0/users?$top=120&$select=id,displayName&$count=true";
    let (a, b) = (
        streamed.all_pages(path, &streamed.admin(), true).await,
        plain.all_pages(path, &plain.admin(), true).await,
    );
    assert_eq!(a.len(), 3);
    assert_eq!(a[0]["@odata.count"], 300);
    let items = |pages: &[serde_json::Value]| -> Vec<serde_json::Value> {
        pages
            .iter()
            .flat_map(|p| p["value"].as_array().unwrap().clone())
            .collect()
    };
    assert_eq!(items(&a).len(), 300);
    assert_eq!(items(&a), items(&b));
    streamed.emu.shutdown().await;
    plain.emu.shutdown().await;
}

#[tokio::test]
async fn a_reset_breaks_off_a_streamed_body() {
    let env = env_with(streaming_config(5)).await;
    env.emu.set_faults(FaultSpec {
        reset: 1.0,
        ..FaultSpec::none()
    });
    let response = env
        .http
        .get(env.url("/v1.0/users?$top=250"))
        .bearer_auth(env.admin())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.bytes().await.is_err(), "the body must break off");
    assert_eq!(env.emu.stats().faults_injected, 1);
    env.emu.shutdown().await;
}
