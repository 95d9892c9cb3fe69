//! With `--latency-ms`, a page costs its latency plus its items' cost before its first byte, as a
//! page Graph assembles before sending it (the unit tests of `server.rs` check the due time); the
//! pages themselves are the same as without latency, and a reset still breaks a body off.

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
