//! Benchmarks of the Graph client against the in-process emulator (a bench binary, `harness = false`).
//!
//! ```text
//! cargo bench -p roster-graph --bench graph_client                      # all scenarios, 100k users
//! ROSTER_BENCH_USERS=1000000 cargo bench -p roster-graph --bench graph_client -- throughput
//! cargo bench -p roster-graph --bench graph_client -- pipelining        # 100 ms latency per request
//! cargo bench -p roster-graph --bench graph_client -- throttle          # members of many groups, Graph limits
//! ```
//!
//! Scenarios:
//! - `throughput`: download every user (`$select` of 6 properties, `$top=999`) at 0 ms latency, with
//!   and without pipelining; users per second.
//! - `pipelining`: the same at `ROSTER_BENCH_LATENCY_MS` (default 100) per request; wall time against
//!   pages × latency (the floor for a sequential nextLink chain).
//! - `throttle`: members of every group (`ROSTER_BENCH_GROUPS`, pages of `ROSTER_BENCH_TOP`) with
//!   `ROSTER_BENCH_PARALLEL` (48) listings in parallel under the emulator's Graph throttling (8,000 RU per 10 s); share of 429s.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use roster_emulator::{Emulator, EmulatorConfig, ThrottleMode};
use roster_graph::{AccessToken, GraphClient, ListQuery, StaticToken};

const SCOPES: &[&str] = &[
    "User.Read.All",
    "GroupMember.Read.All",
    "Directory.Read.All",
    "Member.Read.Hidden",
];

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn start(
    users: usize,
    groups: usize,
    latency_ms: u64,
    throttle: ThrottleMode,
) -> (Emulator, GraphClient) {
    let started = Instant::now();
    let emu = roster_emulator::start(EmulatorConfig {
        users,
        groups,
        latency_ms,
        throttle,
        ..EmulatorConfig::default()
    })
    .await
    .expect("emulator starts");
    println!(
        "  tenant of {users} users / {groups} groups generated in {:.1?}",
        started.elapsed()
    );
    let token = emu.mint_token(&format!("admin@{}", emu.domain()), SCOPES);
    let client = GraphClient::builder(
        emu.base_url(),
        Arc::new(StaticToken(AccessToken::new(token))),
    )
    .build()
    .expect("client builds");
    (emu, client)
}

/// Downloads all users; returns (users, pages, wall time).
async fn download_users(client: &GraphClient, pipelining: bool) -> (usize, usize, Duration) {
    let query = ListQuery::new()
        .select([
            "id",
            "userPrincipalName",
            "displayName",
            "mail",
            "accountEnabled",
            "department",
        ])
        .top(999);
    let started = Instant::now();
    let mut pager = client.list_users(&query).unwrap().pipelining(pipelining);
    let (mut users, mut pages) = (0, 0);
    while let Some(page) = pager.next_page().await {
        users += page.unwrap().items.len();
        pages += 1;
    }
    (users, pages, started.elapsed())
}

async fn throughput() {
    let users = env_or("ROSTER_BENCH_USERS", 100_000) as usize;
    println!("throughput: download {users} users, latency 0 ms");
    let (emu, client) = start(users, 50, 0, ThrottleMode::Off).await;
    for pipelining in [true, false, true] {
        let (n, pages, took) = download_users(&client, pipelining).await;
        println!(
            "  pipelining {:<5}: {n} users in {pages} pages, {took:.2?} = {:.0} users/s",
            pipelining,
            n as f64 / took.as_secs_f64()
        );
    }
    emu.shutdown().await;
}

async fn pipelining() {
    let latency = env_or("ROSTER_BENCH_LATENCY_MS", 100);
    let users = env_or("ROSTER_BENCH_PIPELINE_USERS", 20_000) as usize;
    println!("pipelining: download {users} users, latency {latency} ms per request");
    let (emu, client) = start(users, 50, latency, ThrottleMode::Off).await;
    for pipelining in [true, false] {
        let (n, pages, took) = download_users(&client, pipelining).await;
        let floor = Duration::from_millis(latency * pages as u64);
        // The emulator also waits 20 µs per item before it answers (headers and body together).
        let emulator_floor = floor + Duration::from_micros(20 * n as u64);
        println!(
            "  pipelining {:<5}: {n} users in {pages} pages, {took:.2?}; pages x latency = {floor:.2?} ({:+.1}%); \
             with the emulator's per-item delay {emulator_floor:.2?} ({:+.1}%)",
            pipelining,
            (took.as_secs_f64() / floor.as_secs_f64() - 1.0) * 100.0,
            (took.as_secs_f64() / emulator_floor.as_secs_f64() - 1.0) * 100.0
        );
    }
    emu.shutdown().await;
}

async fn throttle() {
    let users = env_or("ROSTER_BENCH_THROTTLE_USERS", 20_000) as usize;
    let groups = env_or("ROSTER_BENCH_GROUPS", 1_500) as usize;
    let latency = env_or("ROSTER_BENCH_THROTTLE_LATENCY_MS", 10);
    let top = env_or("ROSTER_BENCH_TOP", 100) as u32;
    let parallel = env_or("ROSTER_BENCH_PARALLEL", 48) as usize;
    println!(
        "throttle: members of {groups} groups (pages of {top}), {parallel} in parallel, Graph throttling on, latency {latency} ms"
    );
    let (emu, client) = start(users, groups, latency, ThrottleMode::Graph).await;
    let ids: Vec<String> = emu
        .tenant()
        .read()
        .groups()
        .iter()
        .map(|g| g.id().to_owned())
        .collect();
    let before = emu.stats();
    let started = Instant::now();
    let members: usize = futures::stream::iter(ids)
        .map(|group| {
            let client = client.clone();
            async move {
                let query = ListQuery::new().select(["id"]).top(top);
                client
                    .list_members(&group, &query, false)
                    .unwrap()
                    .collect_all()
                    .await
                    .map(|m| m.len())
            }
        })
        .buffer_unordered(parallel)
        .map(|r| r.expect("listing succeeds"))
        .fold(0, |sum, n| async move { sum + n })
        .await;
    let took = started.elapsed();
    let after = emu.stats();
    let requests = after.requests_total - before.requests_total;
    let throttled = after.throttled - before.throttled;
    let stats = client.limiter().stats();
    println!(
        "  {members} members in {took:.2?}: {requests} requests, {throttled} throttled ({:.2}%), {} RU ({:.0} RU/s), final limit {} in flight, spacing {:?}",
        throttled as f64 * 100.0 / requests.max(1) as f64,
        stats.resource_units,
        stats.resource_units as f64 / took.as_secs_f64(),
        stats.limit,
        stats.interval
    );
    emu.shutdown().await;
}

fn main() {
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let wanted = |name: &str| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str()));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        if wanted("throughput") {
            throughput().await;
        }
        if wanted("pipelining") {
            pipelining().await;
        }
        if wanted("throttle") {
            throttle().await;
        }
    });
}
