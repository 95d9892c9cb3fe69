//! `roster jobs resume ID` on an add-members job that crashed with a chunk in flight: the real
//! binary, against an in-process emulator (through `ROSTER_GRAPH_URL` and `ROSTER_ACCESS_TOKEN`)
//! and the job database the crashed run left in `--data-dir`.

use crate::support::{code, roster, text};
use roster_core::job::JobStatus;
use roster_jobs::membership::{EngineConfig, MembershipJob, MembershipOp, MembershipSpec, preview};
use roster_jobs::{Runner, RunnerConfig};
use roster_store::Store;
use roster_test_support::graph;
use roster_test_support::tenant::{WRITE, adds_per_member, group_id, start_small, token, user_ids};
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_resume_finishes_a_crashed_members_job_without_applying_any_row_twice() {
    let emu = start_small(1200, 40).await;
    let client = graph::client(&emu, "admin", WRITE);
    let group = group_id(&emu, "Empty Group");
    let ids = &user_ids(&emu)[5..1005];
    let data = tempfile::tempdir().unwrap();
    let path = data.path().join("members.csv");
    let lines: String = ids.iter().map(|id| format!("{id}\r\n")).collect();
    std::fs::write(&path, lines).unwrap();
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
    let roster = roster(data.path()).with_token(emu.base_url(), &token(&emu, "admin", WRITE));
    // The crashed run's owner (its job database handle) is gone: any roster command now shows
    // the job interrupted, and it resumes without --force.
    let listed = roster.jobs().await;
    assert_eq!(listed[0]["status"], "interrupted", "{}", listed[0]);

    let out = roster
        .run(&["--json", "jobs", "resume", "--force", &id[..8]])
        .await;
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
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

    let again = roster.run(&["jobs", "resume", &id]).await;
    assert_ne!(
        again.status.code(),
        Some(0),
        "a completed job is not run again"
    );
    assert_eq!(adds_per_member(&emu, &group), adds);
    emu.shutdown().await;
}
