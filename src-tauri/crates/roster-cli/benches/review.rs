//! Review benchmark (`scripts/bench-review`, or `cargo bench -p roster-cli --bench review`): a
//! users file made by Roster itself (the emulator's tenant, downloaded with 26 columns: the
//! portal's 23 Graph columns plus companyName, createdDateTime and lastSignInDateTime), then
//!
//! 1. the engine in this process: first rows on screen, the whole index with its summary, sort
//!    and filter on every column (the slowest reported), index size against the file's size;
//! 2. the command line beside its peers in the same run: `roster review stats` against
//!    `xsv stats` (plain and `--everything`, which adds cardinality and mode) and pandas
//!    `read_csv` + `describe`; `roster diff` of two snapshots; `roster rule eval`.
//!
//! Peers are skipped with a note when missing (`scripts/bench-review` installs them).
//! `ROSTER_BENCH_REVIEW_USERS` sets the size (default 1,000,000); the files are kept in
//! `$ROSTER_CACHE/bench/review` (default `~/.cache/roster`) and reused.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

use roster_emulator::{EmulatorConfig, ThrottleMode};
use roster_review::view::{self, ColumnFilter, FilterTest, SortKey, ViewQuery};
use roster_review::{Table, stats};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const COLUMNS: &str = "userPrincipalName,displayName,surname,mail,givenName,objectId,userType,jobTitle,\
department,accountEnabled,usageLocation,streetAddress,state,country,physicalDeliveryOfficeName,city,postalCode,\
telephoneNumber,mobile,alternateEmailAddress,ageGroup,consentProvidedForMinor,legalAgeGroupClassification,\
companyName,createdDateTime,lastSignInDateTime";

const RULE: &str = r#"(user.department -eq "Sales" -or user.department -eq "Marketing") -and user.accountEnabled -eq true -and user.userType -ne "Guest""#;

fn cache_dir() -> PathBuf {
    let root = std::env::var_os("ROSTER_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| dirs::cache_dir().unwrap().join("roster"));
    root.join("bench").join("review")
}

fn users() -> usize {
    std::env::var("ROSTER_BENCH_REVIEW_USERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

/// Downloads the users file with Roster from an emulator of `users` users (once).
fn make_snapshot(path: &Path, users: usize) {
    if path.exists() {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let emu = roster_emulator::start(EmulatorConfig {
            users,
            groups: 50,
            throttle: ThrottleMode::Off,
            ..EmulatorConfig::default()
        })
        .await
        .expect("emulator");
        let token = emu.mint_token(
            &format!("admin@{}", emu.domain()),
            &["User.Read.All", "AuditLog.Read.All"],
        );
        let data = tempfile::tempdir().unwrap();
        let part = path.with_extension("download.csv");
        let status = Command::new(env!("CARGO_BIN_EXE_roster"))
            .args(["--graph-url", emu.base_url(), "--data-dir"])
            .arg(data.path())
            .args(["download", "users", "--columns", COLUMNS, "--out"])
            .arg(&part)
            .env("ROSTER_ACCESS_TOKEN", token)
            .status()
            .unwrap();
        assert!(status.success(), "download failed");
        std::fs::rename(&part, path).unwrap();
        emu.shutdown().await;
    });
}

/// The next month's snapshot: every 100th user's department changed, every 200th removed, 5,000
/// new users, rows in another order (read and written with the csv crate, not Roster).
fn make_next(old: &Path, new: &Path) {
    if new.exists() {
        return;
    }
    let mut reader = csv::Reader::from_path(old).unwrap();
    let headers = reader.headers().unwrap().clone();
    let dept = headers.iter().position(|h| h == "department").unwrap();
    let id = headers.iter().position(|h| h == "objectId").unwrap();
    let mut rows: Vec<csv::StringRecord> = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let row = row.unwrap();
        if i % 200 == 0 {
            continue;
        }
        let mut cells: Vec<String> = row.iter().map(str::to_owned).collect();
        if i % 100 == 1 {
            cells[dept] = "Reorganised".to_owned();
        }
        rows.push(csv::StringRecord::from(cells));
    }
    let template = rows[0].clone();
    for n in 0..5000 {
        let mut cells: Vec<String> = template.iter().map(str::to_owned).collect();
        cells[id] = format!("00000000-0000-4000-8000-{n:012}");
        rows.push(csv::StringRecord::from(cells));
    }
    rows.reverse();
    let mut writer = csv::Writer::from_path(new).unwrap();
    writer.write_record(&headers).unwrap();
    for row in &rows {
        writer.write_record(row).unwrap();
    }
    writer.flush().unwrap();
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn engine(path: &Path) {
    let size = std::fs::metadata(path).unwrap().len();
    let started = Instant::now();
    let peek = roster_review::peek(path, 200).unwrap();
    let first_rows = started.elapsed();
    assert_eq!(peek.rows.len(), 200);
    let started = Instant::now();
    let table = Table::open(path).unwrap();
    let indexed = started.elapsed();
    let summary = stats::stats(&table, 10);
    let charts = stats::charts(&table, chrono::Utc::now());
    let with_summary = started.elapsed();
    assert_eq!(summary.rows as usize, table.rows());
    println!(
        "engine: {} rows x {} columns, {:.0} MB: first 200 rows in {:.3} s; indexed in {}; with summary ({} charts) in {}",
        table.rows(),
        table.columns.len(),
        size as f64 / 1e6,
        first_rows.as_secs_f64(),
        secs(indexed),
        charts.len(),
        secs(with_summary)
    );
    println!(
        "engine: index holds {:.0} MB = {:.2}x the file",
        table.heap_bytes() as f64 / 1e6,
        table.heap_bytes() as f64 / size as f64
    );
    let mut slowest_sort = (Duration::ZERO, String::new());
    let mut slowest_filter = (Duration::ZERO, String::new());
    for (c, column) in table.columns.iter().enumerate() {
        let started = Instant::now();
        let sorted = view::select(
            &table,
            &ViewQuery {
                sort: Some(SortKey {
                    column: c,
                    descending: false,
                }),
                ..ViewQuery::default()
            },
        );
        let took = started.elapsed();
        assert_eq!(sorted.len(), table.rows());
        if took > slowest_sort.0 {
            slowest_sort = (took, column.name.clone());
        }
        let started = Instant::now();
        let filtered = view::select(
            &table,
            &ViewQuery {
                filters: vec![ColumnFilter {
                    column: c,
                    test: FilterTest::Contains("a".to_owned()),
                }],
                sort: Some(SortKey {
                    column: c,
                    descending: true,
                }),
                ..ViewQuery::default()
            },
        );
        let took = started.elapsed();
        assert!(filtered.len() <= table.rows());
        if took > slowest_filter.0 {
            slowest_filter = (took, column.name.clone());
        }
    }
    let started = Instant::now();
    let found = view::select(
        &table,
        &ViewQuery {
            search: Some("müller".to_owned()),
            ..ViewQuery::default()
        },
    );
    println!(
        "engine: slowest first sort {} ({}); slowest contains filter + sort {} ({}); global search {} ({} rows)",
        secs(slowest_sort.0),
        slowest_sort.1,
        secs(slowest_filter.0),
        slowest_filter.1,
        secs(started.elapsed()),
        found.len()
    );
}

/// Runs a command under `/usr/bin/time` and returns (wall, peak RSS in MB); None when the
/// program is missing.
fn run(program: &str, args: &[&str]) -> Option<(Duration, f64)> {
    if !Path::new(program).exists() && which(program).is_none() {
        println!("  {program}: not installed, skipped (scripts/bench-review installs it)");
        return None;
    }
    let started = Instant::now();
    let output = Command::new("/usr/bin/time")
        .args(["-f", "RSS_KB=%M", program])
        .args(args)
        .output()
        .unwrap();
    let wall = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{program} {args:?} failed: {stderr}"
    );
    let rss = stderr
        .lines()
        .find_map(|l| l.strip_prefix("RSS_KB="))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .unwrap_or(0.0);
    Some((wall, rss / 1024.0))
}

fn which(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(program))
            .find(|p| p.exists())
    })
}

fn report(label: &str, result: Option<(Duration, f64)>) -> Option<f64> {
    let (wall, rss) = result?;
    println!("  {label:38} {:>8}  peak RSS {rss:>6.0} MB", secs(wall));
    Some(wall.as_secs_f64())
}

fn peers(old: &Path, new: &Path) {
    let roster = env!("CARGO_BIN_EXE_roster");
    let dir = cache_dir();
    let xsv = dir.join("../tools/bin/xsv");
    let xsv = xsv.to_str().unwrap();
    let python = dir.join("../venv/bin/python");
    let python = python.to_str().unwrap();
    let old_s = old.to_str().unwrap();
    println!("stats of {old_s}:");
    let ours = report(
        "roster review stats",
        run(roster, &["review", "stats", old_s]),
    );
    let plain = report("xsv stats", run(xsv, &["stats", old_s]));
    let everything = report(
        "xsv stats --everything",
        run(xsv, &["stats", "--everything", old_s]),
    );
    let script = "import sys, pandas as pd\n\
df = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)\n\
print(df.describe())";
    let pandas = report(
        "pandas read_csv + describe",
        run(python, &["-c", script, old_s]),
    );
    if let Some(ours) = ours {
        for (name, theirs) in [
            ("xsv stats", plain),
            ("xsv stats --everything", everything),
            ("pandas", pandas),
        ] {
            if let Some(theirs) = theirs {
                println!("  roster is {:.1}x faster than {name}", theirs / ours);
            }
        }
    }
    let out = dir.join("diff.csv");
    println!("diff of two snapshots:");
    report(
        "roster diff --out",
        run(
            roster,
            &[
                "diff",
                old_s,
                new.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
        ),
    );
    println!("rule eval: {RULE}");
    report(
        "roster rule eval",
        run(roster, &["rule", "eval", RULE, "--users", old_s]),
    );
}

fn main() {
    let dir = cache_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let n = users();
    let old = dir.join(format!("users-{n}.csv"));
    let new = dir.join(format!("users-{n}-next.csv"));
    make_snapshot(&old, n);
    make_next(&old, &new);
    engine(&old);
    peers(&old, &new);
}
