//! Bulk membership benchmark (`cargo bench -p roster-jobs --bench membership`): 40,000 adds
//! against the in-process emulator with Graph throttling on (`--throttle graph`), measured
//! against the bound its write limit sets.
//!
//! The emulator models Graph's write bucket: 3,000 writes per 150 s per app and tenant, i.e. a
//! bucket of B = 3,000 that refills at r = 20 writes/s and starts full. One `PATCH` with
//! `members@odata.bind` adds 20 members and costs one write (inside `$batch`, each item is
//! charged on its own; the outer `$batch` is not). Writing W PATCHes therefore takes at least
//! `max(0, (W - B) / r)` seconds from a full bucket.
//!
//! 1. Fresh bucket: N adds (default 40,000 → W = 2,000 ≤ B): the write limit does not bind; the
//!    bound is 0 s of throttling and the time is the engine's own cost.
//! 2. Drained bucket: right after, N more adds to a second group; over both runs
//!    W = 4,000 > B, so the bound is (4,000 - 3,000) / 20 = 50 s from the start of run 1.
//!
//! `ROSTER_BENCH_MEMBERS` changes N; `ROSTER_BENCH_DEFAULT_LIMITER=1` uses the Graph client's
//! default limiter instead of [`write_limiter_config`] (to compare).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use roster_emulator::{Emulator, EmulatorConfig, ThrottleMode};
use roster_graph::{AccessToken, ConcurrencyLimiter, GraphClient, LimiterConfig, StaticToken};
use roster_jobs::membership::{
    EngineConfig, JobReport, MembershipJob, MembershipOp, MembershipSpec, preview,
    write_limiter_config,
};
use roster_jobs::{Runner, RunnerConfig};
use roster_store::Store;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

const BUCKET: f64 = 3_000.0;
const REFILL_PER_SEC: f64 = 20.0;
const BIND: usize = 20;

fn write_bound(writes: usize) -> Duration {
    Duration::from_secs_f64(((writes as f64 - BUCKET) / REFILL_PER_SEC).max(0.0))
}

/// Runs one add job of `ids` into `group`; returns (preview time, apply time, PATCHes needed).
async fn add_job(
    client: &GraphClient,
    store: &Arc<Store>,
    dir: &Path,
    group: &str,
    ids: &[String],
    name: &str,
) -> (Duration, Duration, usize) {
    let file = dir.join(format!("{name}.csv"));
    let text: String = ids.iter().map(|id| format!("{id}\r\n")).collect();
    std::fs::write(&file, text).unwrap();
    let config = EngineConfig::default();
    let started = Instant::now();
    let members = roster_csv::read_member_file(&file).unwrap();
    let p = preview(client, &config, MembershipOp::Add, group, &members)
        .await
        .unwrap();
    let preview_time = started.elapsed();
    let pending = p.pending();
    let spec = MembershipSpec::new(
        MembershipOp::Add,
        group,
        &file,
        dir.join(format!("{name}-results.csv")),
    );
    let runner = Runner::new(Arc::clone(store), RunnerConfig::default());
    let started = Instant::now();
    let job = runner
        .submit(MembershipJob::with_preview(spec, p), client.clone())
        .unwrap();
    let outcome = runner.wait(job).await.unwrap();
    let apply_time = started.elapsed();
    let report: JobReport = serde_json::from_value(outcome.report.unwrap()).unwrap();
    assert_eq!(report.counts.added as usize, pending, "{:?}", report.counts);
    (preview_time, apply_time, pending.div_ceil(BIND))
}

fn group_named(emu: &Emulator, name: &str) -> String {
    let t = emu.tenant().read();
    t.groups()
        .iter()
        .find(|g| g.display_name() == name)
        .unwrap()
        .id()
        .to_owned()
}

fn main() {
    let n: usize = std::env::var("ROSTER_BENCH_MEMBERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let started = Instant::now();
        let emu = roster_emulator::start(EmulatorConfig {
            users: n + 50,
            groups: 40,
            throttle: ThrottleMode::Graph,
            ..EmulatorConfig::default()
        })
        .await
        .unwrap();
        println!(
            "tenant: {} users generated in {:.1} s",
            n + 50,
            started.elapsed().as_secs_f64()
        );
        let token = emu.mint_token(
            &format!("admin@{}", emu.domain()),
            &["User.Read.All", "GroupMember.ReadWrite.All", "Directory.Read.All"],
        );
        let limiter = if std::env::var_os("ROSTER_BENCH_DEFAULT_LIMITER").is_some() {
            LimiterConfig::default()
        } else {
            write_limiter_config()
        };
        println!("client limiter: {limiter:?}");
        let client = GraphClient::builder(
            emu.base_url(),
            Arc::new(StaticToken(AccessToken::new(token))),
        )
        .limiter(ConcurrencyLimiter::new(limiter))
        .build()
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(dir.path().join("jobs.db")).unwrap());
        let ids: Vec<String> = emu
            .tenant()
            .read()
            .users()
            .iter()
            .take(n)
            .map(|u| u.id().to_owned())
            .collect();
        let first = group_named(&emu, "Empty Group");
        let second = group_named(&emu, "Owner Security Group");

        let t0 = Instant::now();
        let (p1, a1, w1) = add_job(&client, &store, dir.path(), &first, &ids, "first").await;
        let (p2, a2, w2) = add_job(&client, &store, dir.path(), &second, &ids, "second").await;
        let total = t0.elapsed();
        let stats = emu.stats();
        let patches = stats
            .requests_by_route
            .get("PATCH /groups/{id}")
            .copied()
            .unwrap_or(0);

        println!("run 1 (fresh bucket): {n} adds = {w1} PATCH writes; preview {:.2} s, apply {:.2} s ({:.0} adds/s); write-limit bound {:.1} s", p1.as_secs_f64(), a1.as_secs_f64(), n as f64 / a1.as_secs_f64(), write_bound(w1).as_secs_f64());
        println!("run 2 (drained bucket): {} PATCH writes; preview {:.2} s, apply {:.2} s", w2, p2.as_secs_f64(), a2.as_secs_f64());
        let bound = write_bound(w1 + w2);
        println!(
            "runs 1+2: {} writes, {:.1} s measured vs {:.1} s bound ((W - 3000) / 20 per s) = {:.1}% over the bound",
            w1 + w2,
            total.as_secs_f64(),
            bound.as_secs_f64(),
            (total.as_secs_f64() / bound.as_secs_f64().max(f64::EPSILON) - 1.0) * 100.0
        );
        println!(
            "emulator: {patches} PATCH responses (429s included), {} throttled responses, {} writes applied, {} requests",
            stats.throttled, stats.writes_applied, stats.requests_total
        );
        emu.shutdown().await;
    });
}
