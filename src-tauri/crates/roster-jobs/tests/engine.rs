//! The one engine's own promises, whatever the job kind: a cancel recorded by another process
//! stops a running job, and deleting a job with its files removes every file it made.

use crate::support::membership::{run_membership, runner};
use crate::support::{env, users_spec, wait_for_pages};
use roster_core::job::{JobStatus, UserFilter};
use roster_jobs::membership::{EngineConfig, MembershipOp, MembershipSpec, preview};
use roster_jobs::{Runner, RunnerConfig};
use roster_store::Store;
use roster_test_support::graph;
use roster_test_support::tenant::{WRITE, user_ids};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

#[tokio::test]
async fn a_cancel_recorded_by_another_process_stops_a_running_download() {
    let env = env().await;
    let db = env.path("jobs.sqlite");
    let pace = Arc::new(Semaphore::new(2));
    let app = Runner::new(
        Arc::new(Store::open(&db).unwrap()),
        RunnerConfig {
            pace: Some(Arc::clone(&pace)),
            page_size: Some(10),
            status_poll: Duration::from_millis(20),
            ..RunnerConfig::default()
        },
    );
    let mut events = app.subscribe();
    let out = env.path("users.csv");
    let id = app
        .submit(
            users_spec(&out, "portal", UserFilter::default()),
            env.client.clone(),
        )
        .unwrap();
    wait_for_pages(&mut events, id, 2).await;

    // The CLI beside the app: its own store handle on the same file, no Graph client at all.
    let cli = Runner::new(Arc::new(Store::open(&db).unwrap()), RunnerConfig::default());
    assert!(cli.cancel(id).unwrap(), "a running job can be cancelled");
    let outcome = tokio::time::timeout(Duration::from_secs(30), app.wait(id))
        .await
        .expect("the app's job stopped without another page")
        .unwrap();
    assert_eq!(outcome.status, JobStatus::Cancelled);
    assert_eq!(
        outcome.rows, 20,
        "stopped at the page it was waiting to read"
    );
    assert!(!out.exists(), "no file under the final name");
    let part = roster_csv::job_part_path(&out, &id.to_string());
    assert_eq!(
        roster_csv::partial_files(&out),
        vec![part.clone()],
        "the job's own partial file is kept for a resume"
    );
    assert_eq!(
        cli.stored_work(id).unwrap().files(id),
        vec![out.clone(), part, roster_csv::part_path(&out)]
    );
}

#[tokio::test]
async fn deleting_a_membership_job_with_its_files_removes_its_results_and_undo_file() {
    let env = env().await;
    let store = env.store();
    let group = env.group_id("Empty Group");
    let ids = &user_ids(&env.emu)[..3];
    let file = env.path("new-hires.csv");
    std::fs::write(&file, ids.join("\r\n")).unwrap();
    let members = roster_csv::read_member_file(&file).unwrap();
    let client = graph::client(&env.emu, "admin", WRITE);
    let mut p = preview(
        &client,
        &EngineConfig::default(),
        MembershipOp::Add,
        &group,
        &members,
    )
    .await
    .unwrap();
    let spec = MembershipSpec::new(MembershipOp::Add, &group, &file, env.path("results.csv"));
    let runner = runner(&store);
    let (id, report) = run_membership(
        &runner,
        &client,
        None,
        &spec,
        &mut p,
        EngineConfig::default(),
    )
    .await;
    let report = report.unwrap();
    let undo = report.undo.clone().expect("three members were added");
    assert!(report.results.exists() && undo.exists());

    // Deleted by another runner over the same store (the CLI's `jobs delete --with-files`).
    let other = Runner::new(Arc::clone(&store), RunnerConfig::default());
    assert!(other.delete(id, true).await.unwrap());
    assert!(!report.results.exists(), "results file deleted");
    assert!(!undo.exists(), "undo file deleted");
    assert!(file.exists(), "the admin's own member file stays");
    assert!(store.get_job(id).unwrap().is_none());
}
