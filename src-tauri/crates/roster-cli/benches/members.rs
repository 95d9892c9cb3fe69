//! Members of many groups under Graph throttling, as a real job run
//! (`cargo bench -p roster-cli --bench members`): the job runner `roster download members
//! --groups-file F` uses, with the CLI's Graph client settings, against the in-process emulator
//! with `--throttle graph` (a tenant this size gets 8,000 resource units per 10 s).
//!
//! The tenant: `ROSTER_BENCH_MEMBER_USERS` users (default 60,000) and `ROSTER_BENCH_GROUPS`
//! groups (default 5,000; the generator gives sizes from 0 to 5,000, log-uniform), then the
//! first assigned groups are filled up to 50,000, 20,000 and 10,000 members so sizes span 0 to
//! 50,000. Every group is listed in one job and one CSV.
//!
//! Printed: wall time; resource units the job spent (summed from `x-ms-resource-unit`); the
//! bound that budget allows, `(RU spent − one full bucket) / RU per second`; requests and 429s
//! (share of requests); client CPU time.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

use roster_core::job::{
    CsvDelimiter, CsvFormulaGuard, CsvOutput, DownloadMembers, GroupSelection, JobSpec, JobStatus,
};
use roster_emulator::{EmulatorConfig, ThrottleMode};
use roster_graph::{AccessToken, GraphClient, StaticToken};
use roster_jobs::{Runner, RunnerConfig};
use roster_store::Store;
use std::sync::Arc;
use std::time::Instant;

const SCOPES: &[&str] = &[
    "GroupMember.Read.All",
    "User.Read.All",
    "Directory.Read.All",
    "Member.Read.Hidden",
];
/// Resource units per 10 s for a tenant of more than 500 users (graph-api.md §8.3).
const RU_PER_WINDOW: f64 = 8_000.0;
const WINDOW_SECS: f64 = 10.0;
const LARGE_GROUPS: [usize; 3] = [50_000, 20_000, 10_000];

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

async fn run() {
    let users = env_number("ROSTER_BENCH_MEMBER_USERS", 60_000);
    let groups = env_number("ROSTER_BENCH_GROUPS", 5_000);
    let started = Instant::now();
    let emu = roster_emulator::start(EmulatorConfig {
        users,
        groups,
        throttle: ThrottleMode::Graph,
        ..EmulatorConfig::default()
    })
    .await
    .expect("emulator");
    let ids: Vec<String> = {
        let mut tenant = emu.tenant().write();
        let user_ids: Vec<String> = tenant.users().iter().map(|u| u.id().to_owned()).collect();
        let fillable: Vec<usize> = (15..tenant.groups().len())
            .filter(|&g| tenant.check_writable(g).is_ok())
            .take(LARGE_GROUPS.len())
            .collect();
        for (&group, &size) in fillable.iter().zip(&LARGE_GROUPS) {
            let current: std::collections::HashSet<String> = {
                let t = &*tenant;
                t.groups()[group]
                    .members()
                    .iter()
                    .map(|&r| t.id_of(r).to_owned())
                    .collect()
            };
            let wanted = size.saturating_sub(current.len());
            let add: Vec<String> = user_ids
                .iter()
                .filter(|id| !current.contains(*id))
                .take(wanted)
                .cloned()
                .collect();
            for chunk in add.chunks(5_000) {
                tenant
                    .add_members(group, chunk, "bench")
                    .expect("fill group");
            }
        }
        tenant.groups().iter().map(|g| g.id().to_owned()).collect()
    };
    let (sizes, total): (Vec<usize>, usize) = {
        let t = emu.tenant().read();
        let sizes: Vec<usize> = t.groups().iter().map(|g| g.members().len()).collect();
        let total = sizes.iter().sum();
        (sizes, total)
    };
    println!(
        "tenant: {users} users, {} groups (sizes {} to {}, {} empty), {total} memberships; ready in {:.1} s",
        ids.len(),
        sizes.iter().min().unwrap_or(&0),
        sizes.iter().max().unwrap_or(&0),
        sizes.iter().filter(|&&s| s == 0).count(),
        started.elapsed().as_secs_f64()
    );

    let token = emu.mint_token(&format!("admin@{}", emu.domain()), SCOPES);
    let client = GraphClient::builder(
        emu.base_url(),
        Arc::new(StaticToken(AccessToken::new(token))),
    )
    .user_agent("roster-bench")
    .build()
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(dir.path().join("jobs.sqlite")).unwrap());
    let runner = Runner::new(store, RunnerConfig::default());
    let out = dir.path().join("members.csv");
    let spec = JobSpec::DownloadMembers(DownloadMembers {
        groups: GroupSelection::Groups { groups: ids },
        transitive: false,
        columns: None,
        output: CsvOutput {
            path: out.clone(),
            bom: true,
            delimiter: CsvDelimiter::Comma,
            formula_guard: CsvFormulaGuard::Standard,
        },
    });
    let before = emu.stats();
    let cpu_before = cpu_seconds();
    let started = Instant::now();
    let id = runner.submit(spec, client.clone()).unwrap();
    let outcome = runner.wait(id).await.unwrap();
    let wall = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu_before;
    assert_eq!(outcome.status, JobStatus::Completed, "{:?}", outcome.error);
    let after = emu.stats();
    let requests = after.requests_total - before.requests_total;
    let throttled = after.throttled - before.throttled;
    let ru = client.limiter().stats().resource_units as f64;
    let rate = RU_PER_WINDOW / WINDOW_SECS;
    let bound = ((ru - RU_PER_WINDOW) / rate).max(0.0);
    println!(
        "members job: {} rows in {wall:.2} s ({:.0} rows/s); {ru:.0} RU spent, bound (RU - {RU_PER_WINDOW:.0}) / {rate:.0} RU/s = {bound:.2} s, \
         wall {:+.1}% over the bound; {requests} requests, {throttled} x 429 ({:.2}%); CPU (client + emulator) {cpu:.2} s",
        outcome.rows,
        outcome.rows as f64 / wall,
        (wall / bound.max(f64::EPSILON) - 1.0) * 100.0,
        throttled as f64 * 100.0 / requests.max(1) as f64,
    );
    assert_eq!(outcome.rows as usize, total, "one row per membership");
    emu.shutdown().await;
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run());
}
