//! A cancel across processes, every party a process of its own: the `roster-emulator` binary serves a
//! slow Graph, one `roster download users` runs against it, and `roster jobs cancel ID` run as a second
//! process (the same `--data-dir`) records the cancel. The download notices it in the job history, stops
//! by itself with exit code 5 and leaves no file under the final name; `roster jobs resume ID` then
//! completes the file.

use crate::support::{code, download_users_args, read_csv, roster, text};
use roster_test_support::emulator_process::EmulatorProcess;
use std::time::Duration;

/// Users in the tenant: eleven pages of up to 999, each slowed by the emulator's latency, so the
/// download is still reading when the cancel arrives.
const USERS: usize = 10_000;

/// The longest any one step may take (a bounded wait, not a timing assertion).
const DEADLINE: Duration = Duration::from_secs(120);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancel_from_another_process_stops_a_running_download_which_then_resumes() {
    let users = USERS.to_string();
    let emulator = EmulatorProcess::start(&[
        "--users",
        &users,
        "--groups",
        "10",
        "--latency-ms",
        "600",
        "--throttle",
        "off",
    ]);
    let token = emulator.token("admin", &["User.Read.All"]).await;
    let dir = tempfile::tempdir().unwrap();
    let roster = roster(&dir.path().join("data")).with_token(&emulator.base_url, &token);
    let out = dir.path().join("users.csv");

    let mut download = roster.spawn(&download_users_args(&out));
    let job = roster
        .wait_for_job(DEADLINE, |job| {
            job["status"] == "running" && job["counts"]["succeeded"].as_u64().unwrap_or(0) > 0
        })
        .await;
    let id = job["id"].as_str().unwrap().to_owned();

    let cancel = roster.run(&["--json", "jobs", "cancel", &id]).await;
    assert_eq!(code(&cancel), 0, "{}", text(&cancel.stderr));
    let cancelled: serde_json::Value = serde_json::from_slice(&cancel.stdout).unwrap();
    assert_eq!(
        cancelled["cancelled"], true,
        "the download was still running when the cancel came: {cancelled}"
    );

    let stopped = download.exits_within(DEADLINE).await;
    assert_eq!(stopped.code(), Some(5), "exit code 5: stopped, resumable");
    let listed = roster.jobs().await;
    assert_eq!(listed[0]["id"], id.as_str());
    assert_eq!(listed[0]["status"], "cancelled", "{}", listed[0]);
    let rows_before_resume = listed[0]["counts"]["succeeded"].as_u64().unwrap();
    assert!(
        rows_before_resume < USERS as u64,
        "stopped before the end: {}",
        listed[0]
    );
    assert!(!out.exists(), "no file under the final name");
    assert!(
        roster_csv::job_part_path(&out, &id).exists(),
        "the partial file is kept for the resume"
    );

    let resumed = roster.run(&["jobs", "resume", &id]).await;
    assert_eq!(code(&resumed), 0, "{}", text(&resumed.stderr));
    assert!(roster_csv::partial_files(&out).is_empty());
    let rows = read_csv(&out);
    assert_eq!(rows.len(), USERS + 1, "a header and every user");
    let listed = roster.jobs().await;
    assert_eq!(listed[0]["status"], "completed", "{}", listed[0]);
    assert_eq!(listed[0]["counts"]["succeeded"], USERS);
    drop(download);
    drop(emulator);
}
