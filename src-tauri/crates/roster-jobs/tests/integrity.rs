//! A membership job does what it reports, once: bound to its input file, claimed by one run,
//! one job per group at a time, and no change made when its results cannot be written.

use crate::support::membership::{run_membership, runner};
use roster_core::job::JobStatus;
use roster_jobs::membership::{
    EngineConfig, MembershipJob, MembershipOp, MembershipSpec, input_digest, preview,
};
use roster_jobs::{JobEvent, RunnerConfig};
use roster_store::Store;
use roster_test_support::graph::client;
use roster_test_support::tenant::{WRITE, adds_per_member, group_id, start_small, user_ids};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::Semaphore;

fn write_ids(path: &Path, ids: &[String]) {
    let text: String = ids.iter().map(|id| format!("{id}\r\n")).collect();
    std::fs::write(path, text).unwrap();
}

fn bound_spec(path: &Path, group: &str, results: PathBuf) -> MembershipSpec {
    MembershipSpec::new(MembershipOp::Add, group, path, results)
        .with_input_digest(input_digest(path).unwrap())
}

#[tokio::test]
async fn resuming_with_an_edited_file_is_refused_and_sends_nothing() {
    let emu = start_small(1200, 40).await;
    let client = client(&emu, "admin", WRITE);
    let dir = tempfile::tempdir().unwrap();
    let group = group_id(&emu, "Empty Group");
    // 1,000 adds: 400 per $batch call, so three chunks.
    let ids = user_ids(&emu)[5..1005].to_vec();
    let path = dir.path().join("members.csv");
    write_ids(&path, &ids);
    let spec = bound_spec(&path, &group, dir.path().join("results.csv"));
    let store = Arc::new(Store::open_in_memory().unwrap());
    // Stop the first run after its first chunk: a paced runner given no second permit.
    let pace = Arc::new(Semaphore::new(1));
    let paced = roster_jobs::Runner::new(
        Arc::clone(&store),
        RunnerConfig {
            pace: Some(Arc::clone(&pace)),
            ..RunnerConfig::default()
        },
    );
    let config = EngineConfig {
        concurrency: 1,
        ..EngineConfig::default()
    };
    let file = roster_csv::read_member_file(&path).unwrap();
    let p = preview(&client, &config, MembershipOp::Add, &group, &file)
        .await
        .unwrap();
    let mut events = paced.subscribe();
    let job = paced
        .submit(
            MembershipJob::with_preview(spec.clone(), p).engine(config.clone()),
            client.clone(),
        )
        .unwrap();
    loop {
        if let JobEvent::Progress(progress) = events.recv().await.unwrap()
            && progress.items > 0
        {
            break;
        }
    }
    assert!(paced.cancel(job).unwrap());
    assert_eq!(paced.wait(job).await.unwrap().status, JobStatus::Cancelled);
    let added_before = adds_per_member(&emu, &group).len();
    assert!(added_before > 0 && added_before < 1000, "{added_before}");

    // The admin deletes the rows already done and reorders the rest, then resumes.
    let mut edited = ids[added_before..].to_vec();
    edited.reverse();
    write_ids(&path, &edited);
    let file = roster_csv::read_member_file(&path).unwrap();
    let mut p = preview(&client, &config, MembershipOp::Add, &group, &file)
        .await
        .unwrap();
    let (_, result) =
        run_membership(&runner(&store), &client, Some(job), &spec, &mut p, config).await;
    let outcome = result.unwrap_err();
    assert_eq!(outcome.status, JobStatus::Failed);
    let error = outcome.error.unwrap_or_default();
    assert!(error.contains("changed since this job started"), "{error}");
    assert!(error.contains("Put the original file back"), "{error}");
    assert_eq!(
        adds_per_member(&emu, &group).len(),
        added_before,
        "nothing more was sent"
    );
}

#[tokio::test]
async fn two_runs_of_one_job_apply_each_row_once() {
    let emu = start_small(300, 20).await;
    let client = client(&emu, "admin", WRITE);
    let dir = tempfile::tempdir().unwrap();
    let group = group_id(&emu, "Empty Group");
    let ids = user_ids(&emu)[5..105].to_vec();
    let path = dir.path().join("members.csv");
    write_ids(&path, &ids);
    let spec = bound_spec(&path, &group, dir.path().join("results.csv"));
    let db = dir.path().join("jobs.db");
    // The app and the CLI: two stores and runners on one job database, both held at their first
    // chunk (no pace permits yet) so that their runs overlap.
    let (app_store, cli_store) = (
        Arc::new(Store::open(&db).unwrap()),
        Arc::new(Store::open(&db).unwrap()),
    );
    let pace = Arc::new(Semaphore::new(0));
    let paced = |store: &Arc<Store>| {
        roster_jobs::Runner::new(
            Arc::clone(store),
            RunnerConfig {
                pace: Some(Arc::clone(&pace)),
                ..RunnerConfig::default()
            },
        )
    };
    let (app, cli) = (paced(&app_store), paced(&cli_store));
    let config = EngineConfig::default();
    let file = roster_csv::read_member_file(&path).unwrap();
    let p = preview(&client, &config, MembershipOp::Add, &group, &file)
        .await
        .unwrap();
    let work = || MembershipJob::with_preview(spec.clone(), p.clone());
    // A stopped job, resumed from both at once (a double click, or the CLI beside the app).
    let job = app.submit(work(), client.clone()).unwrap();
    app.cancel(job).unwrap();
    assert_eq!(app.wait(job).await.unwrap().status, JobStatus::Cancelled);
    app.resume_with(job, Box::new(work()), client.clone())
        .unwrap();
    cli.resume_with(job, Box::new(work()), client.clone())
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    pace.add_permits(1000);
    let (a, b) = (app.wait(job).await.unwrap(), cli.wait(job).await.unwrap());
    let completed: Vec<_> = [&a, &b]
        .into_iter()
        .filter(|o| o.status == JobStatus::Completed)
        .collect();
    assert_eq!(
        completed.len(),
        1,
        "exactly one run applies the job: {a:?} {b:?}"
    );
    let loser = if a.status == JobStatus::Completed {
        &b
    } else {
        &a
    };
    assert!(
        loser
            .error
            .as_deref()
            .unwrap_or_default()
            .contains("already running"),
        "{loser:?}"
    );
    let adds = adds_per_member(&emu, &group);
    assert_eq!(adds.len(), 100);
    assert!(adds.values().all(|&n| n == 1), "no member added twice");
    let report: roster_jobs::membership::JobReport =
        serde_json::from_value(completed[0].report.clone().unwrap()).unwrap();
    assert_eq!(report.counts.added, 100, "every add recorded as this job's");
    let undo = std::fs::read_to_string(report.undo.unwrap()).unwrap();
    assert_eq!(
        undo.lines().count(),
        101,
        "the undo file lists every member added"
    );
    assert_eq!(
        app_store.get_job(job).unwrap().unwrap().status,
        JobStatus::Completed
    );
}

#[tokio::test]
async fn two_jobs_on_one_group_run_one_after_the_other() {
    let emu = start_small(300, 20).await;
    let client = client(&emu, "admin", WRITE);
    let dir = tempfile::tempdir().unwrap();
    let group = group_id(&emu, "Empty Group");
    let all = user_ids(&emu);
    let store = Arc::new(Store::open_in_memory().unwrap());
    let pace = Arc::new(Semaphore::new(0));
    let paced = roster_jobs::Runner::new(
        Arc::clone(&store),
        RunnerConfig {
            pace: Some(Arc::clone(&pace)),
            ..RunnerConfig::default()
        },
    );
    let config = EngineConfig {
        concurrency: 1,
        ..EngineConfig::default()
    };
    let mut jobs = Vec::new();
    for (n, ids) in [&all[5..45], &all[45..85]].into_iter().enumerate() {
        let path = dir.path().join(format!("m{n}.csv"));
        write_ids(&path, ids);
        let spec = bound_spec(&path, &group, dir.path().join(format!("r{n}.csv")));
        let file = roster_csv::read_member_file(&path).unwrap();
        let p = preview(&client, &config, MembershipOp::Add, &group, &file)
            .await
            .unwrap();
        let work = MembershipJob::with_preview(spec, p).engine(config.clone());
        jobs.push(paced.submit(work, client.clone()).unwrap());
    }
    // Both were submitted; while the first holds the group, the second stays queued.
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let status = |i: usize| store.get_job(jobs[i]).unwrap().unwrap().status;
    let running: Vec<JobStatus> = (0..2).map(status).collect();
    assert_eq!(
        running.iter().filter(|s| **s == JobStatus::Running).count(),
        1,
        "{running:?}"
    );
    assert!(running.contains(&JobStatus::Queued), "{running:?}");
    pace.add_permits(1000);
    for &job in &jobs {
        assert_eq!(paced.wait(job).await.unwrap().status, JobStatus::Completed);
    }
    assert_eq!(adds_per_member(&emu, &group).len(), 80);
}

#[tokio::test]
async fn results_that_cannot_be_written_mean_nothing_changes() {
    let emu = start_small(300, 20).await;
    let client = client(&emu, "admin", WRITE);
    let dir = tempfile::tempdir().unwrap();
    let group = group_id(&emu, "Empty Group");
    let path = dir.path().join("members.csv");
    write_ids(&path, &user_ids(&emu)[5..25]);
    // A file where the results folder should be: no one can create files in it, root included.
    let locked = dir.path().join("not-a-folder");
    std::fs::write(&locked, b"x").unwrap();
    let spec = bound_spec(&path, &group, locked.join("results.csv"));
    let store = Arc::new(Store::open_in_memory().unwrap());
    let config = EngineConfig::default();
    let file = roster_csv::read_member_file(&path).unwrap();
    let mut p = preview(&client, &config, MembershipOp::Add, &group, &file)
        .await
        .unwrap();
    let (_, result) = run_membership(&runner(&store), &client, None, &spec, &mut p, config).await;
    let outcome = result.unwrap_err();
    assert_eq!(outcome.status, JobStatus::Failed);
    assert!(
        adds_per_member(&emu, &group).is_empty(),
        "no member was added"
    );
}
