//! A `roster download users` process killed with SIGKILL in the middle of its download: while it
//! runs, other roster processes see its job `running` (its owner is alive); once it is killed,
//! `roster jobs list` shows it `interrupted`, and `roster jobs resume ID` finishes it to a file
//! byte-identical to an uninterrupted download. The real binary, against an in-process emulator.

use crate::support::{code, roster, text};
use roster_emulator::EmulatorConfig;
use roster_test_support::tenant::{small_tenant, start, token};
use std::time::Duration;

const COLUMNS: &str =
    "objectId,userPrincipalName,displayName,department,accountEnabled,telephoneNumber";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_download_shows_interrupted_and_resumes_to_an_identical_file() {
    killed_and_resumed(&[]).await;
}

/// The same with the download read in four `userPrincipalName` slices at once: every slice's
/// partial file is kept, and the resume continues each where its checkpoint left it.
#[tokio::test]
async fn a_killed_sliced_download_resumes_every_slice_to_an_identical_file() {
    killed_and_resumed(&["--parallel", "4"]).await;
}

async fn killed_and_resumed(extra: &[&str]) {
    let emu = start(EmulatorConfig {
        latency_ms: 400,
        ..small_tenant(8000, 10)
    })
    .await;
    let token = token(&emu, "admin", &["User.Read.All"]);
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("reference.csv");
    let clean = roster(&dir.path().join("clean-data")).with_token(emu.base_url(), &token);
    let run = clean
        .run(
            &[
                &["download", "users", "--columns", COLUMNS, "--out"][..],
                &[reference.to_str().unwrap()],
                extra,
            ]
            .concat(),
        )
        .await;
    assert_eq!(code(&run), 0, "{}", text(&run.stderr));
    let want = std::fs::read(&reference).unwrap();

    let roster = roster(&dir.path().join("data")).with_token(emu.base_url(), &token);
    let out = dir.path().join("users.csv");
    let mut child = roster.spawn(
        &[
            &["download", "users", "--columns", COLUMNS, "--out"][..],
            &[out.to_str().unwrap()],
            extra,
        ]
        .concat(),
    );
    let job = roster
        .wait_for_job(Duration::from_secs(60), |job| {
            assert!(
                job["status"] == "queued" || job["status"] == "running",
                "a job whose process is alive is never marked interrupted: {job}"
            );
            job["counts"]["succeeded"].as_u64().unwrap_or(0) >= 999
        })
        .await;
    child.kill(); // SIGKILL: no chance to record anything
    assert!(
        !out.exists(),
        "killed before the end: no file under the final name"
    );
    assert!(
        !roster_csv::partial_files(&out).is_empty(),
        "partial files kept"
    );

    let id = job["id"].as_str().unwrap().to_owned();
    let listed = roster.jobs().await;
    assert_eq!(listed[0]["id"], id.as_str());
    assert_eq!(listed[0]["status"], "interrupted", "{}", listed[0]);

    let resumed = roster.run(&["jobs", "resume", &id]).await;
    assert_eq!(code(&resumed), 0, "{}", text(&resumed.stderr));
    assert!(
        std::fs::read(&out).unwrap() == want,
        "the resumed file differs from an uninterrupted download"
    );
    assert!(roster_csv::partial_files(&out).is_empty());
    let listed = roster.jobs().await;
    assert_eq!(listed[0]["status"], "completed");
    assert_eq!(listed[0]["counts"]["succeeded"], 8000);
    emu.shutdown().await;
}
