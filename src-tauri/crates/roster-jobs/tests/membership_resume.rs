//! Crash, cancel and resume of membership jobs against the in-process emulator: no row is
//! applied twice, rows whose chunk was in flight are judged by a fresh membership check.

use crate::support::membership::{run_membership, runner};
use roster_core::job::JobStatus;
use roster_csv::MemberFile;
use roster_emulator::Emulator;
use roster_graph::GraphClient;
use roster_jobs::membership::{
    ApplyCheckpoint, EngineConfig, MembershipOp, MembershipSpec, RowState, preview,
};
use roster_jobs::{JobEvent, Runner, RunnerConfig};
use roster_store::Store;
use roster_test_support::graph::client;
use roster_test_support::tenant::{WRITE, adds_per_member, group_id, start_small};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::Semaphore;

async fn setup() -> (Emulator, GraphClient, tempfile::TempDir) {
    let emu = start_small(1200, 40).await;
    let client = client(&emu, "admin", WRITE);
    (emu, client, tempfile::tempdir().unwrap())
}

/// Ids of `n` users (none is a member of the empty group).
fn user_ids(emu: &Emulator, n: usize) -> Vec<String> {
    roster_test_support::tenant::user_ids(emu)[5..5 + n].to_vec()
}

fn file_of(dir: &tempfile::TempDir, ids: &[String]) -> PathBuf {
    let path = dir.path().join("members.csv");
    let text: String = ids.iter().map(|id| format!("{id}\r\n")).collect();
    std::fs::write(&path, text).unwrap();
    path
}

/// The spec applying the file at `path` to `group`, and the file as read.
fn spec_and_file(
    op: MembershipOp,
    group: &str,
    path: &Path,
    results: PathBuf,
) -> (MembershipSpec, MemberFile) {
    let spec = MembershipSpec::new(op, group, path, results);
    let file = roster_csv::read_member_file(path).unwrap();
    (spec, file)
}

/// A runner whose membership jobs send one chunk per permit of the returned semaphore.
fn paced_runner(store: &Arc<Store>) -> (Runner, Arc<Semaphore>) {
    let pace = Arc::new(Semaphore::new(1));
    let config = RunnerConfig {
        pace: Some(Arc::clone(&pace)),
        ..RunnerConfig::default()
    };
    (Runner::new(Arc::clone(store), config), pace)
}

#[tokio::test]
async fn a_crash_with_a_chunk_in_flight_resumes_without_applying_any_row_twice() {
    let (emu, client, dir) = setup().await;
    let group = group_id(&emu, "Empty Group");
    let ids = user_ids(&emu, 1000); // adds: 400 rows per $batch call, so 3 chunks
    let path = file_of(&dir, &ids);
    let store = Arc::new(Store::open(dir.path().join("jobs.db")).unwrap());
    let (spec, file) = spec_and_file(
        MembershipOp::Add,
        &group,
        &path,
        dir.path().join("results.csv"),
    );

    let crashing = EngineConfig {
        concurrency: 1,
        simulate_crash_after_chunk: Some(2),
        ..EngineConfig::default()
    };
    let mut p = preview(&client, &crashing, MembershipOp::Add, &group, &file)
        .await
        .unwrap();
    let first = runner(&store);
    let (job, result) = run_membership(&first, &client, None, &spec, &mut p, crashing).await;
    let crash = result.unwrap_err().error.unwrap_or_default();
    assert!(crash.contains("simulated crash"), "{crash}");
    // The second chunk reached Graph, but its outcomes were never stored: it is in flight.
    let cp: ApplyCheckpoint = store.load_checkpoint(job).unwrap().unwrap();
    assert_eq!(cp.in_flight.len(), 400);
    assert_eq!(store.count_row_results(job).unwrap(), 400);
    assert_eq!(adds_per_member(&emu, &group).len(), 800);
    assert!(
        !std::path::Path::new(&spec.results).exists(),
        "no results file before the end"
    );
    drop(first);
    drop(store);

    // Restart: reopen the database, mark the job interrupted, preview again and resume.
    let store = Arc::new(Store::open(dir.path().join("jobs.db")).unwrap());
    assert_eq!(store.mark_interrupted().unwrap(), vec![job]);
    let config = EngineConfig::default();
    let mut p = preview(&client, &config, MembershipOp::Add, &group, &file)
        .await
        .unwrap();
    assert_eq!(
        p.counts.already_member, 800,
        "the fresh check sees what the crashed run did"
    );
    let restarted = runner(&store);
    let (_, result) = run_membership(&restarted, &client, Some(job), &spec, &mut p, config).await;
    let report = result.unwrap();

    assert_eq!(report.status, JobStatus::Completed);
    assert_eq!(
        report.counts.added, 1000,
        "in-flight rows confirmed as added by this job"
    );
    let adds = adds_per_member(&emu, &group);
    assert_eq!(adds.len(), 1000);
    assert!(adds.values().all(|&n| n == 1), "no member was added twice");
    let confirmed = p
        .rows
        .iter()
        .filter(|r| r.reason.contains("confirmed on resume"))
        .count();
    assert_eq!(confirmed, 400);
    let undo = std::fs::read_to_string(report.undo.unwrap()).unwrap();
    assert_eq!(
        undo.lines().count(),
        1001,
        "the undo file lists every member this job added"
    );
    let cp: ApplyCheckpoint = store.load_checkpoint(job).unwrap().unwrap();
    assert!(cp.in_flight.is_empty());
}

#[tokio::test]
async fn a_cancelled_remove_resumes_where_it_stopped() {
    let (emu, client, dir) = setup().await;
    let group = group_id(&emu, "Empty Group");
    let ids = user_ids(&emu, 100);
    client.add_members(&group, &ids[..20]).await.unwrap();
    for chunk in ids[20..].chunks(20) {
        client.add_members(&group, chunk).await.unwrap();
    }
    let path = file_of(&dir, &ids);
    let store = Arc::new(Store::open_in_memory().unwrap());
    let (spec, file) = spec_and_file(
        MembershipOp::Remove,
        &group,
        &path,
        dir.path().join("removed.csv"),
    );
    let config = EngineConfig {
        concurrency: 1,
        ..EngineConfig::default()
    };

    // Cancel as soon as the first chunk (20 removes) is reported: the paced runner sends the
    // next chunk only for a new permit, which the test never gives.
    let p = preview(&client, &config, MembershipOp::Remove, &group, &file)
        .await
        .unwrap();
    let (first, _pace) = paced_runner(&store);
    let mut events = first.subscribe();
    let job = first
        .submit(
            roster_jobs::membership::MembershipJob::with_preview(spec.clone(), p.clone())
                .engine(config.clone()),
            client.clone(),
        )
        .unwrap();
    loop {
        match events.recv().await.unwrap() {
            JobEvent::Progress(progress) if progress.items > 0 => break,
            _ => {}
        }
    }
    assert!(first.cancel(job).unwrap());
    let stopped = first.wait(job).await.unwrap();
    assert_eq!(stopped.status, JobStatus::Cancelled);
    let removed_first = store.get_job(job).unwrap().unwrap().counts.succeeded;
    assert_eq!(removed_first, 20, "one chunk of removes, then the cancel");
    assert_eq!(
        store.get_job(job).unwrap().unwrap().status,
        JobStatus::Cancelled
    );

    let mut p = preview(&client, &config, MembershipOp::Remove, &group, &file)
        .await
        .unwrap();
    let (_, result) =
        run_membership(&runner(&store), &client, Some(job), &spec, &mut p, config).await;
    let report = result.unwrap();
    assert_eq!(report.status, JobStatus::Completed);
    assert_eq!(
        report.counts.removed, 100,
        "rows stored by the first run keep their outcome"
    );
    let removes: Vec<String> = emu
        .tenant()
        .read()
        .audit()
        .iter()
        .filter(|e| e.group_id == group && e.action == "removeMember")
        .map(|e| e.member_id.clone())
        .collect();
    assert_eq!(removes.len(), 100);
    assert_eq!(removes.iter().collect::<HashSet<_>>().len(), 100);
    assert!(p.rows.iter().all(|r| r.state == RowState::Removed));
}

#[tokio::test]
async fn a_running_membership_job_is_not_marked_interrupted_by_its_own_process() {
    let (emu, client, dir) = setup().await;
    let group = group_id(&emu, "Empty Group");
    let ids = user_ids(&emu, 1_000);
    let path = file_of(&dir, &ids);
    let store = Arc::new(Store::open_in_memory().unwrap());
    let (spec, file) = spec_and_file(
        MembershipOp::Add,
        &group,
        &path,
        dir.path().join("added.csv"),
    );
    let config = EngineConfig {
        concurrency: 1,
        ..EngineConfig::default()
    };
    let mut p = preview(&client, &config, MembershipOp::Add, &group, &file)
        .await
        .unwrap();

    // What a second start-up in this process (the app reopening its history) would mark, looked
    // at after each chunk while the paced job waits for the next permit.
    let (paced, pace) = paced_runner(&store);
    let mut events = paced.subscribe();
    let job = paced
        .submit(
            roster_jobs::membership::MembershipJob::with_preview(spec.clone(), p.clone())
                .engine(config.clone()),
            client.clone(),
        )
        .unwrap();
    let mut marked_while_running = Vec::new();
    let mut looked_mid_run = 0;
    loop {
        match events.recv().await.unwrap() {
            JobEvent::Progress(progress)
                if progress.items > 0 && Some(progress.items) < progress.total =>
            {
                looked_mid_run += 1;
                marked_while_running.extend(store.mark_interrupted().unwrap());
                pace.add_permits(1);
            }
            JobEvent::Status { status, .. } if status.is_final() => break,
            _ => {}
        }
    }
    let outcome = paced.wait(job).await.unwrap();
    let report: roster_jobs::membership::JobReport =
        serde_json::from_value(outcome.report.unwrap()).unwrap();
    let _ = &mut p;
    assert_eq!(report.status, JobStatus::Completed);
    assert_eq!(report.counts.added, 1_000);
    assert!(
        looked_mid_run > 0,
        "the job reported no progress before its end"
    );
    assert!(marked_while_running.is_empty(), "{marked_while_running:?}");
}
