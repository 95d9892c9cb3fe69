//! Download benchmark (`cargo bench -p roster-cli --bench download`): the `roster` binary
//! against the in-process emulator, compared in the same run with a plain Python script
//! (`benches/bench.py`: keep-alive HTTP, `$select`, `$top=999`, json + csv stdlib).
//!
//! 1. `ROSTER_BENCH_USERS` users (default 1,000,000), latency 0, throttling off: the portal's
//!    Graph columns (the 26 minus the three authentication-method ones), wall time and peak RSS
//!    of each client (targets: roster < 10 s, ≥ 3× faster than Python, < 100 MB).
//! 2. `ROSTER_BENCH_SLOW_USERS` users (default 50,000) at 100 ms latency per request: roster by
//!    default (a large download read in `userPrincipalName` slices at once) and with
//!    `--parallel 1` (one pipelined chain of nextLinks) against the chain's bound, pages x latency.
//!
//! 3. `ROSTER_BENCH_REAL_USERS` users (default 30,000) at a real tenant's pace: 200 ms per request
//!    plus 800 µs per user, paid before the first byte (about 1 s for a page of 999): roster by
//!    default against `--parallel 1` and the one-chain bound (no Python: it would take the bound).
//!
//! 4. `ROSTER_BENCH_PACE_USERS` users (default 1,000,000) at the same pace with Graph's throttling
//!    on (`--throttle graph`: the resource-unit bucket of a large tenant): roster by default only
//!    (one chain would take the bound, about 17 minutes), against the one-chain bound, with the
//!    requests and 429s the emulator counted, and a check of the file's ids.
//!    `ROSTER_BENCH_PACE_ARGS` adds arguments to that run (e.g. `--parallel 16`).
//!
//! Parts 1 to 3 run roster twice, by default and with `--parallel 1`, in the same run.
//! `ROSTER_BENCH_PARTS` (e.g. `3,4`) runs only some parts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

use roster_emulator::{EmulatorConfig, ThrottleMode};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const PORTAL_GRAPH_COLUMNS: &str = "userPrincipalName,displayName,surname,mail,givenName,objectId,userType,jobTitle,\
department,accountEnabled,usageLocation,streetAddress,state,country,physicalDeliveryOfficeName,city,postalCode,\
telephoneNumber,mobile,alternateEmailAddress,ageGroup,consentProvidedForMinor,legalAgeGroupClassification";

struct Run {
    wall: Duration,
    cpu: String,
    peak_rss_kb: Option<u64>,
    lines: usize,
}

/// Runs a command under `/usr/bin/time -f %M` (peak RSS in KiB) when available.
fn measure(program: &str, args: &[&str], token: &str, out: &Path) -> Run {
    let gnu_time = Path::new("/usr/bin/time").exists();
    let mut command = if gnu_time {
        let mut c = Command::new("/usr/bin/time");
        c.args(["-f", "RSS_KB=%M\nCPU=%U user + %S sys s", program]);
        c
    } else {
        Command::new(program)
    };
    command.args(args).env("ROSTER_ACCESS_TOKEN", token);
    let started = Instant::now();
    let output = command.output().expect("client runs");
    let wall = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{program} failed: {stderr}");
    let peak_rss_kb = stderr
        .lines()
        .find_map(|l| l.strip_prefix("RSS_KB="))
        .and_then(|v| v.trim().parse().ok());
    let cpu = stderr
        .lines()
        .find_map(|l| l.strip_prefix("CPU="))
        .unwrap_or("n/a")
        .to_owned();
    let bytes = std::fs::read(out).expect("output file");
    let lines = bytes.iter().filter(|b| **b == b'\n').count();
    Run {
        wall,
        cpu,
        peak_rss_kb,
        lines,
    }
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn rss(run: &Run) -> String {
    run.peak_rss_kb.map_or_else(
        || "n/a".to_owned(),
        |kb| format!("{:.1} MB", kb as f64 / 1024.0),
    )
}

/// `roster download users` of the portal's Graph columns from the emulator at `url` to `out`.
fn download_args(url: &str, data: &Path, out: &Path) -> Vec<String> {
    [
        "--graph-url",
        url,
        "--data-dir",
        data.to_str().unwrap(),
        "download",
        "users",
        "--columns",
        PORTAL_GRAPH_COLUMNS,
        "--out",
        out.to_str().unwrap(),
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

/// How slow the emulator answers: per request, and per object before the first byte.
struct Latency {
    request_ms: u64,
    item_us: u64,
}

async fn compare(label: &str, users: usize, latency: Latency, with_python: bool) {
    let started = Instant::now();
    let latency_ms = latency.request_ms;
    let emu = roster_emulator::start(EmulatorConfig {
        users,
        groups: 200,
        latency_ms,
        item_latency_us: latency.item_us,
        throttle: ThrottleMode::Off,
        ..EmulatorConfig::default()
    })
    .await
    .expect("emulator");
    println!(
        "[{label}] emulator with {users} users ready in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let token = emu.mint_token(&format!("admin@{}", emu.domain()), &["User.Read.All"]);
    let dir = tempfile::tempdir().unwrap();
    let roster_out = dir.path().join("roster.csv");
    let data = dir.path().join("data");
    let roster = env!("CARGO_BIN_EXE_roster");
    let url = emu.base_url().to_owned();
    let args = download_args(&url, &data, &roster_out);
    let run_roster = |extra: &'static [&'static str], out: std::path::PathBuf| {
        let token = token.clone();
        let mut args = args.clone();
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        if let Some(at) = args.iter().position(|a| a == "--out") {
            args[at + 1] = out.to_str().unwrap().to_owned();
        }
        tokio::task::spawn_blocking(move || {
            measure(
                roster,
                &args.iter().map(String::as_str).collect::<Vec<_>>(),
                &token,
                &out,
            )
        })
    };
    // Roster as it runs by default (a large download read in slices at once), then one chain of
    // pages (`--parallel 1`), in the same run.
    let ours = run_roster(&[], roster_out.clone()).await.unwrap();
    let chain = run_roster(&["--parallel", "1"], dir.path().join("chain.csv"))
        .await
        .unwrap();
    let rate = |run: &Run| users as f64 / run.wall.as_secs_f64();
    if !with_python {
        report_roster(label, &ours, &chain, rate(&ours), rate(&chain));
        chain_bound(label, users, &latency, &ours, &chain);
        emu.shutdown().await;
        return;
    }
    let python_out = dir.path().join("python.csv");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/bench.py");
    let theirs = tokio::task::spawn_blocking({
        let (token, out, url) = (token.clone(), python_out.clone(), url.clone());
        move || {
            measure(
                "python3",
                &[script, &url, out.to_str().unwrap()],
                &token,
                &out,
            )
        }
    })
    .await
    .unwrap();
    report_roster(label, &ours, &chain, rate(&ours), rate(&chain));
    println!(
        "[{label}] python: {:.2} s ({:.0} users/s), CPU {}, peak RSS {}, {} lines",
        theirs.wall.as_secs_f64(),
        rate(&theirs),
        theirs.cpu,
        rss(&theirs),
        theirs.lines
    );
    println!(
        "[{label}] roster is {:.1}x faster",
        theirs.wall.as_secs_f64() / ours.wall.as_secs_f64()
    );
    chain_bound(label, users, &latency, &ours, &chain);
    emu.shutdown().await;
}

fn report_roster(label: &str, ours: &Run, chain: &Run, ours_rate: f64, chain_rate: f64) {
    for (name, run, rate) in [
        ("roster", ours, ours_rate),
        ("roster --parallel 1", chain, chain_rate),
    ] {
        println!(
            "[{label}] {name}: {:.2} s ({rate:.0} users/s), CPU {}, peak RSS {}, {} lines",
            run.wall.as_secs_f64(),
            run.cpu,
            rss(run),
            run.lines
        );
    }
}

/// A sequential nextLink chain cannot beat the time to first byte of every page ($top=999): the
/// bound, and how roster by default and with `--parallel 1` compare with it.
fn chain_bound(label: &str, users: usize, latency: &Latency, ours: &Run, chain: &Run) {
    if latency.request_ms == 0 {
        return;
    }
    let pages = users.div_ceil(999).max(1);
    let page_s = latency.request_ms as f64 / 1000.0 + 999.0 * latency.item_us as f64 / 1e6;
    let floor = pages as f64 * page_s;
    println!(
        "[{label}] pages x time to first byte = {pages} x {page_s:.3} s = {floor:.2} s; roster --parallel 1 {:+.1}%; roster {:.1}x faster than that bound",
        (chain.wall.as_secs_f64() / floor - 1.0) * 100.0,
        floor / ours.wall.as_secs_f64()
    );
}

/// Part 4: a large download at a real tenant's pace under Graph's throttling, roster by default.
async fn large_at_pace(users: usize, latency: Latency) {
    let started = Instant::now();
    let emu = roster_emulator::start(EmulatorConfig {
        users,
        groups: 200,
        latency_ms: latency.request_ms,
        item_latency_us: latency.item_us,
        throttle: ThrottleMode::Graph,
        ..EmulatorConfig::default()
    })
    .await
    .expect("emulator");
    let label = "about 1 s per page, throttled";
    println!(
        "[{label}] emulator with {users} users ready in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let token = emu.mint_token(&format!("admin@{}", emu.domain()), &["User.Read.All"]);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("roster.csv");
    let data = dir.path().join("data");
    let url = emu.base_url().to_owned();
    let args: Vec<String> = download_args(&url, &data, &out)
        .into_iter()
        .chain(
            std::env::var("ROSTER_BENCH_PACE_ARGS")
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_owned),
        )
        .collect();
    let run = tokio::task::spawn_blocking({
        let (token, out) = (token.clone(), out.clone());
        move || {
            measure(
                env!("CARGO_BIN_EXE_roster"),
                &args.iter().map(String::as_str).collect::<Vec<_>>(),
                &token,
                &out,
            )
        }
    })
    .await
    .unwrap();
    let stats = emu.stats();
    let ids = distinct_ids(&out);
    println!(
        "[{label}] roster: {:.2} s ({:.0} users/s), CPU {}, peak RSS {}, {} lines, {ids} distinct ids",
        run.wall.as_secs_f64(),
        users as f64 / run.wall.as_secs_f64(),
        run.cpu,
        rss(&run),
        run.lines
    );
    println!(
        "[{label}] emulator: {} requests, {} answered 429 ({:.2}%), {} users served",
        stats.requests_total,
        stats.throttled,
        stats.throttled as f64 * 100.0 / stats.requests_total.max(1) as f64,
        stats.items_served
    );
    let pages = users.div_ceil(999).max(1);
    let page_s = latency.request_ms as f64 / 1000.0 + 999.0 * latency.item_us as f64 / 1e6;
    let floor = pages as f64 * page_s;
    println!(
        "[{label}] one chain's bound: {pages} pages x {page_s:.3} s = {floor:.0} s; roster {:.1}x faster",
        floor / run.wall.as_secs_f64()
    );
    emu.shutdown().await;
}

/// The distinct values of the file's `objectId` column (a users download's ids).
fn distinct_ids(path: &Path) -> usize {
    let mut reader = csv::Reader::from_path(path).expect("csv");
    let headers = reader.headers().expect("header").clone();
    let at = headers
        .iter()
        .position(|h| h.trim_start_matches('\u{feff}') == "objectId")
        .expect("objectId column");
    let mut ids = std::collections::HashSet::new();
    for record in reader.records() {
        ids.insert(record.expect("record")[at].to_owned());
    }
    ids.len()
}

/// Whether part `n` runs (`ROSTER_BENCH_PARTS`, default every part).
fn part(n: u32) -> bool {
    std::env::var("ROSTER_BENCH_PARTS").map_or(true, |parts| {
        parts.split(',').any(|p| p.trim() == n.to_string())
    })
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        if part(1) {
            let none = Latency {
                request_ms: 0,
                item_us: 0,
            };
            let users = env_number("ROSTER_BENCH_USERS", 1_000_000);
            compare("latency 0", users, none, true).await;
        }
        if part(2) {
            let hundred = Latency {
                request_ms: 100,
                item_us: 0,
            };
            let slow = env_number("ROSTER_BENCH_SLOW_USERS", 50_000);
            compare("latency 100 ms", slow, hundred, true).await;
        }
        // A real tenant's pace: about a second for a page of 999 users, before its first byte.
        let real = || Latency {
            request_ms: 200,
            item_us: 800,
        };
        if part(3) {
            let users = env_number("ROSTER_BENCH_REAL_USERS", 30_000);
            compare("about 1 s per page", users, real(), false).await;
        }
        if part(4) {
            let users = env_number("ROSTER_BENCH_PACE_USERS", 1_000_000);
            large_at_pace(users, real()).await;
        }
    });
}
