//! The client against a hostile or broken server: a `Retry-After` beyond any clock or a year long, a
//! body that drips one byte at a time, a head that never ends, and answers larger than any Graph
//! response. Each ends in a typed error within bounded time; nothing panics or waits for hours.

use std::sync::Arc;
use std::time::Duration;

use crate::support::hostile_server::{HostileServer, drip_headers, terabyte_content_length};
use crate::support::*;
use roster_emulator::Emulator;
use roster_graph::retry::MAX_RETRY_AFTER;
use roster_graph::{
    AccessToken, BatchRequest, ErrorKind, GraphClient, GraphError, ListQuery, Method, RetryPolicy,
    StaticToken, VirtualClock,
};

/// How long a test waits for the client before calling it stuck: far beyond the short deadlines the
/// tests set, far below the hours a hostile server could hold an undefended client.
const STUCK: Duration = Duration::from_secs(30);

async fn bounded<T>(work: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(STUCK, work)
        .await
        .expect("the client gave up within its deadline instead of waiting on the server")
}

fn client_on(root: &str, token: String, clock: Arc<VirtualClock>) -> GraphClient {
    GraphClient::builder(root, Arc::new(StaticToken(AccessToken::new(token))))
        .clock(clock)
        .build()
        .unwrap()
}

async fn throttled_with_retry_after(emu: &Emulator, spec: &str) -> (GraphError, Vec<Duration>) {
    emu.set_faults(faults(spec));
    let clock = Arc::new(VirtualClock::default());
    let client = client_on(
        emu.base_url(),
        emu.mint_token(&upn(emu, "admin"), READ),
        clock.clone(),
    );
    let err = bounded(client.get_user(&upn(emu, "admin"), &[]))
        .await
        .unwrap_err();
    let first = bounded(client.limiter().acquire()).await;
    drop(first);
    (err, clock.sleeps())
}

#[tokio::test]
async fn a_retry_after_beyond_any_clock_neither_panics_nor_stalls() {
    let emu = emulator(50, 5).await;
    let (err, sleeps) =
        throttled_with_retry_after(&emu, "429=1,retry-after=18446744073709551615").await;
    assert_eq!(err.kind(), ErrorKind::Throttled, "{err}");
    assert!(
        sleeps.iter().all(|s| *s <= MAX_RETRY_AFTER),
        "every wait is capped: {sleeps:?}"
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn a_year_long_retry_after_waits_at_most_the_cap() {
    let emu = emulator(50, 5).await;
    for spec in ["429=1,retry-after=31536000", "503=1,retry-after=31536000"] {
        let (err, sleeps) = throttled_with_retry_after(&emu, spec).await;
        assert!(err.kind().is_retryable(), "{spec}: {err}");
        assert!(
            sleeps.iter().all(|s| *s <= MAX_RETRY_AFTER),
            "{spec}: every wait is capped: {sleeps:?}"
        );
        let total: Duration = sleeps.iter().sum();
        assert!(
            total <= RetryPolicy::default().max_elapsed + MAX_RETRY_AFTER,
            "{spec}: the retry budget bounds the whole wait: {total:?}"
        );
    }
    emu.shutdown().await;
}

fn short_deadline_client(root: &str, token: String) -> GraphClient {
    GraphClient::builder(root, Arc::new(StaticToken(AccessToken::new(token))))
        .retry(RetryPolicy::none())
        .request_deadline(Duration::from_secs(1))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_body_dripping_one_byte_at_a_time_ends_at_the_request_deadline() {
    let emu = emulator(50, 5).await;
    emu.set_faults(faults("drip=1"));
    let client = short_deadline_client(emu.base_url(), emu.mint_token(&upn(&emu, "admin"), READ));
    let err = bounded(client.get_user(&upn(&emu, "admin"), &[]))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    assert!(err.message.contains("deadline"), "{err}");
    let pages = client.list_users(&ListQuery::new().top(5)).unwrap();
    let err = bounded(pages.collect_all()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    emu.shutdown().await;
}

#[tokio::test]
async fn a_head_that_never_ends_ends_at_the_request_deadline() {
    let server = HostileServer::start(drip_headers).await;
    let client = short_deadline_client(&server.url, "t".into());
    let err = bounded(client.get_json::<serde_json::Value>("/me"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    assert!(err.message.contains("deadline"), "{err}");
}

#[tokio::test]
async fn answers_larger_than_any_graph_response_are_refused() {
    let emu = emulator(50, 5).await;
    emu.set_faults(faults("huge=1"));
    let client = admin(&emu);
    let err = bounded(client.get_user(&upn(&emu, "admin"), &[]))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
    assert!(err.message.contains("MiB"), "names the cap: {err}");
    let pages = client.list_users(&ListQuery::new().top(5)).unwrap();
    let err = bounded(pages.collect_all()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
    let batch = vec![BatchRequest::new("1", Method::GET, "/users?$top=1")];
    let err = bounded(client.batch(batch)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
    emu.shutdown().await;
}

#[tokio::test]
async fn an_announced_terabyte_is_refused_before_reading() {
    let server = HostileServer::start(terabyte_content_length).await;
    let client = GraphClient::builder(
        server.url.as_str(),
        Arc::new(StaticToken(AccessToken::new("t"))),
    )
    .retry(RetryPolicy::none())
    .build()
    .unwrap();
    let err = bounded(client.get_json::<serde_json::Value>("/me"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
    let pages = client.list_users(&ListQuery::new()).unwrap();
    let err = bounded(pages.collect_all()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
}
