//! `roster jobs resume ID` on an add-members job that crashed with a chunk in flight: the real
//! binary, against an in-process emulator (through `ROSTER_GRAPH_URL` and `ROSTER_ACCESS_TOKEN`)
//! and the job database the crashed run left in `--data-dir`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use roster_core::job::JobStatus;
use roster_emulator::{Emulator, EmulatorConfig, ThrottleMode};
use roster_graph::{AccessToken, GraphClient, StaticToken};
use roster_jobs::membership::{EngineConfig, MembershipJob, MembershipOp, MembershipSpec, preview};
use roster_jobs::{Runner, RunnerConfig};
use roster_store::Store;
use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

const WRITE: &[&str] = &[
    "User.Read.All",
    "GroupMember.ReadWrite.All",
    "Directory.Read.All",
];

fn adds_per_member(emu: &Emulator, group: &str) -> HashMap<String, usize> {
    let mut adds = HashMap::new();
    for entry in emu.tenant().read().audit() {
        if entry.group_id == group && entry.action == "addMember" {
            *adds.entry(entry.member_id.clone()).or_default() += 1;
        }
    }
    adds
}

/// Runs the real binary off the async runtime, so the in-process emulator keeps serving.
async fn roster(emu: &Emulator, token: &str, data: &Path, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_roster"));
    command
        .args(["--data-dir", data.to_str().unwrap()])
        .args(args)
        .env("ROSTER_GRAPH_URL", emu.base_url())
        .env("ROSTER_ACCESS_TOKEN", token)
        .stdin(Stdio::null());
    tokio::task::spawn_blocking(move || command.output().expect("roster runs"))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_resume_finishes_a_crashed_members_job_without_applying_any_row_twice() {
    let emu = roster_emulator::start(EmulatorConfig {
        users: 1200,
        groups: 40,
        throttle: ThrottleMode::Off,
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let token = emu.mint_token(&format!("admin@{}", emu.domain()), WRITE);
    let client = GraphClient::builder(
        emu.base_url(),
        Arc::new(StaticToken(AccessToken::new(token.clone()))),
    )
    .build()
    .unwrap();
    let group = {
        let t = emu.tenant().read();
        let g = t
            .groups()
            .iter()
            .find(|g| g.display_name() == "Empty Group");
        g.unwrap().id().to_owned()
    };
    let ids: Vec<String> = {
        let t = emu.tenant().read();
        t.users()
            .iter()
            .skip(5)
            .take(1000)
            .map(|u| u.id().to_owned())
            .collect()
    };
    let data = tempfile::tempdir().unwrap();
    let path = data.path().join("members.csv");
    let text: String = ids.iter().map(|id| format!("{id}\r\n")).collect();
    std::fs::write(&path, text).unwrap();
    let results = data.path().join("results.csv");

    // The first run crashes right after its second chunk (400 adds per `$batch` call) was sent,
    // before that chunk's outcome was stored: 800 members added, 400 rows recorded.
    let store = Arc::new(Store::open(data.path().join("jobs.sqlite")).unwrap());
    let spec = MembershipSpec::new(MembershipOp::Add, &group, &path, &results);
    let file = roster_csv::read_member_file(&path).unwrap();
    let crashing = EngineConfig {
        concurrency: 1,
        simulate_crash_after_chunk: Some(2),
        ..EngineConfig::default()
    };
    let p = preview(&client, &crashing, MembershipOp::Add, &group, &file)
        .await
        .unwrap();
    let runner = Runner::new(Arc::clone(&store), RunnerConfig::default());
    let job = runner
        .submit(
            MembershipJob::with_preview(spec, p).engine(crashing),
            client.clone(),
        )
        .unwrap();
    let crash = runner.wait(job).await.unwrap().error.unwrap_or_default();
    assert!(crash.contains("simulated crash"), "{crash}");
    assert_eq!(adds_per_member(&emu, &group).len(), 800);
    drop(runner);
    drop(store);

    let id = job.to_string();
    // The crashed run's owner (its job database handle) is gone: any roster command now shows
    // the job interrupted, and it resumes without --force.
    let listed = roster(&emu, &token, data.path(), &["--json", "jobs", "list"]).await;
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed[0]["status"], "interrupted", "{listed}");

    let out = roster(
        &emu,
        &token,
        data.path(),
        &["--json", "jobs", "resume", "--force", &id[..8]],
    )
    .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["id"], id.as_str(), "the same job went on");

    let adds = adds_per_member(&emu, &group);
    assert_eq!(adds.len(), 1000, "every row applied");
    assert!(adds.values().all(|&n| n == 1), "no row applied twice");
    let store = Store::open(data.path().join("jobs.sqlite")).unwrap();
    assert_eq!(
        store.get_job(job).unwrap().unwrap().status,
        JobStatus::Completed
    );
    let rows = std::fs::read_to_string(&results).unwrap();
    assert_eq!(
        rows.lines().count(),
        1001,
        "a results row for every input row"
    );

    let again = roster(&emu, &token, data.path(), &["jobs", "resume", &id]).await;
    assert_ne!(
        again.status.code(),
        Some(0),
        "a completed job is not run again"
    );
    assert_eq!(adds_per_member(&emu, &group), adds);
    emu.shutdown().await;
}
