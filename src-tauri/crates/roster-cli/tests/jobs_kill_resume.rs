//! A `roster download users` process killed with SIGKILL in the middle of its download: while it
//! runs, other roster processes see its job `running` (its owner is alive); once it is killed,
//! `roster jobs list` shows it `interrupted`, and `roster jobs resume ID` finishes it to a file
//! byte-identical to an uninterrupted download. The real binary, against an in-process emulator.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use roster_emulator::{Emulator, EmulatorConfig, ThrottleMode};
use serde_json::Value;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const COLUMNS: &str =
    "objectId,userPrincipalName,displayName,department,accountEnabled,telephoneNumber";

fn command(emu: &Emulator, token: &str, data: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_roster"));
    command
        .args(["--data-dir", data.to_str().unwrap()])
        .args(args)
        .env("ROSTER_GRAPH_URL", emu.base_url())
        .env("ROSTER_ACCESS_TOKEN", token)
        .stdin(Stdio::null());
    command
}

/// Runs the real binary off the async runtime, so the in-process emulator keeps serving.
async fn roster(emu: &Emulator, token: &str, data: &Path, args: &[&str]) -> Output {
    let mut command = command(emu, token, data, args);
    tokio::task::spawn_blocking(move || command.output().expect("roster runs"))
        .await
        .unwrap()
}

async fn jobs(emu: &Emulator, token: &str, data: &Path) -> Vec<Value> {
    let out = roster(emu, token, data, &["--json", "jobs", "list"]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    list.as_array().unwrap().clone()
}

async fn download(emu: &Emulator, token: &str, data: &Path, out: &Path) -> Child {
    let mut command = command(
        emu,
        token,
        data,
        &[
            "download",
            "users",
            "--columns",
            COLUMNS,
            "--out",
            out.to_str().unwrap(),
        ],
    );
    command.stdout(Stdio::null()).stderr(Stdio::null());
    tokio::task::spawn_blocking(move || command.spawn().expect("roster starts"))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_download_shows_interrupted_and_resumes_to_an_identical_file() {
    let emu = roster_emulator::start(EmulatorConfig {
        users: 8000,
        groups: 10,
        latency_ms: 400,
        throttle: ThrottleMode::Off,
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let token = emu.mint_token(&format!("admin@{}", emu.domain()), &["User.Read.All"]);
    let dir = tempfile::tempdir().unwrap();

    let reference = dir.path().join("reference.csv");
    let clean = download(&emu, &token, &dir.path().join("clean-data"), &reference).await;
    let status = tokio::task::spawn_blocking(move || {
        let mut clean = clean;
        clean.wait().unwrap()
    })
    .await
    .unwrap();
    assert!(status.success());
    let want = std::fs::read(&reference).unwrap();

    let data = dir.path().join("data");
    let out = dir.path().join("users.csv");
    let mut child = download(&emu, &token, &data, &out).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    let job = loop {
        assert!(
            Instant::now() < deadline,
            "no page was checkpointed in 60 s"
        );
        let listed = jobs(&emu, &token, &data).await;
        if let Some(job) = listed.first() {
            assert!(
                job["status"] == "queued" || job["status"] == "running",
                "a job whose process is alive is never marked interrupted: {job}"
            );
            if job["counts"]["succeeded"].as_u64().unwrap_or(0) >= 999 {
                break job.clone();
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    child.kill().unwrap(); // SIGKILL: no chance to record anything
    child.wait().unwrap();
    assert!(
        !out.exists(),
        "killed before the end: no file under the final name"
    );
    assert!(roster_csv::part_path(&out).exists());

    let id = job["id"].as_str().unwrap().to_owned();
    let listed = jobs(&emu, &token, &data).await;
    assert_eq!(listed[0]["id"], id.as_str());
    assert_eq!(listed[0]["status"], "interrupted", "{}", listed[0]);

    let resumed = roster(&emu, &token, &data, &["jobs", "resume", &id]).await;
    assert!(
        resumed.status.success(),
        "{}",
        String::from_utf8_lossy(&resumed.stderr)
    );
    assert!(
        std::fs::read(&out).unwrap() == want,
        "the resumed file differs from an uninterrupted download"
    );
    assert!(!roster_csv::part_path(&out).exists());
    let listed = jobs(&emu, &token, &data).await;
    assert_eq!(listed[0]["status"], "completed");
    assert_eq!(listed[0]["counts"]["succeeded"], 8000);
    emu.shutdown().await;
}
