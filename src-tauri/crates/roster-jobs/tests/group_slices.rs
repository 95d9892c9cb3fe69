//! Groups downloads read in `displayName` slices at once, against the emulator: every group once,
//! the same rows as one chain in a stable order, groups named exactly like a bound (the single
//! chain when they exist at planning, written once when they appear after it), resume after a
//! cancel, and faults.

use crate::support::{
    Env, assert_same_rows_in_a_stable_order, env, notices_of, read_csv, wait_for_pages,
};
use roster_core::job::{CsvOutput, DownloadGroups, GroupFilter, JobId, JobSpec, JobStatus};
use roster_jobs::{JobOutcome, RunnerConfig};
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use tokio::sync::Semaphore;

const FALLBACK: &str = "reading one chain of pages instead";

fn groups_sliced(out: &Path, columns: &str, parallel: u32) -> JobSpec {
    JobSpec::DownloadGroups(DownloadGroups {
        filter: GroupFilter::default(),
        columns: columns.into(),
        output: CsvOutput::new(out),
        parallel: Some(parallel),
    })
}

/// Runs `spec` to its end and returns its outcome and notices.
async fn run_noting(env: &Env, spec: JobSpec) -> (JobOutcome, Vec<String>) {
    let runner = env.runner(env.store(), RunnerConfig::default());
    let mut events = runner.subscribe();
    let id = runner.submit(spec, env.client.clone()).unwrap();
    let outcome = runner.wait(id).await.unwrap();
    assert_eq!(outcome.status, JobStatus::Completed, "{:?}", outcome.error);
    (outcome, notices_of(&mut events, id))
}

/// The ids of the file's first column, checked to be every group of the tenant, each once.
fn assert_every_group_once(env: &Env, out: &Path) -> Vec<String> {
    let rows = read_csv(out);
    assert_eq!(rows[0][0], "id");
    let ids: Vec<String> = rows[1..].iter().map(|r| r[0].clone()).collect();
    let unique: HashSet<&str> = ids.iter().map(String::as_str).collect();
    assert_eq!(unique.len(), ids.len(), "every group once");
    let tenant = env.emu.tenant().read();
    let expected: HashSet<&str> = tenant.groups().iter().map(|g| g.id()).collect();
    assert_eq!(unique, expected, "every group of the tenant");
    ids
}

fn add_groups_named(env: &Env, names: &[String]) {
    let mut tenant = env.emu.tenant().write();
    for name in names {
        tenant.add_group_like(0, name).expect("a template group");
    }
}

#[tokio::test]
async fn group_slices_hold_every_group_once_like_one_chain_in_a_stable_order() {
    let env = env().await;
    let columns = "id,displayName,mailNickname";
    let (chain, first, second) = (env.path("chain.csv"), env.path("a.csv"), env.path("b.csv"));
    run_noting(&env, groups_sliced(&chain, columns, 1)).await;
    for out in [&first, &second] {
        let (_, notices) = run_noting(&env, groups_sliced(out, columns, 4)).await;
        assert!(!notices.iter().any(|n| n.contains(FALLBACK)), "{notices:?}");
        assert!(
            roster_csv::partial_files(out).is_empty(),
            "slices cleaned up"
        );
    }
    assert_every_group_once(&env, &first);
    assert_same_rows_in_a_stable_order(&chain, &first, &second);
}

#[tokio::test]
async fn groups_named_like_bounds_at_planning_fall_back_to_one_chain_and_say_so() {
    let env = env().await;
    let names: Vec<String> = ["b", "M", "0", "z"].map(str::to_owned).to_vec();
    add_groups_named(&env, &names);
    let out = env.path("groups.csv");
    let (_, notices) = run_noting(&env, groups_sliced(&out, "id,displayName", 4)).await;
    assert!(
        notices
            .iter()
            .any(|n| n.contains("displayName ranges counted") && n.contains(FALLBACK)),
        "{notices:?}"
    );
    assert_every_group_once(&env, &out);
}

/// The lower bounds of the slices a paused download planned, from its checkpoint.
fn planned_lower_bounds(store: &roster_store::Store, id: JobId) -> Vec<String> {
    let checkpoint: serde_json::Value = store.load_checkpoint(id).unwrap().expect("planned");
    let slices = checkpoint["position"]["slices"]
        .as_array()
        .expect("read in slices")
        .clone();
    assert!(slices.len() >= 2, "{slices:?}");
    slices
        .iter()
        .filter_map(|s| s["range"]["lower"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn groups_named_like_bounds_after_planning_are_written_once() {
    let env = env().await;
    let out = env.path("groups.csv");
    let pace = Arc::new(Semaphore::new(0));
    let store = env.store();
    let runner = env.runner(
        Arc::clone(&store),
        RunnerConfig {
            pace: Some(Arc::clone(&pace)),
            ..RunnerConfig::default()
        },
    );
    let mut events = runner.subscribe();
    // displayName is not a column: the slices still select it to tell shared groups apart.
    let spec = groups_sliced(&out, "id,mailNickname", 4);
    let id = runner.submit(spec, env.client.clone()).unwrap();
    wait_for_pages(&mut events, id, 0).await;
    let bounds = planned_lower_bounds(&store, id);
    // Each bound twice, as it is and in capitals: `le` and `ge` compare case-insensitively.
    let names: Vec<String> = bounds
        .iter()
        .flat_map(|b| [b.clone(), b.to_uppercase()])
        .collect();
    add_groups_named(&env, &names);
    pace.add_permits(1_000_000);
    let done = runner.wait(id).await.unwrap();
    assert_eq!(done.status, JobStatus::Completed, "{:?}", done.error);
    let notices = notices_of(&mut events, id);
    assert!(!notices.iter().any(|n| n.contains(FALLBACK)), "{notices:?}");
    assert!(
        notices.iter().any(|n| n.contains("groups were added")),
        "the added groups are said: {notices:?}"
    );
    assert_every_group_once(&env, &out);
}

#[tokio::test]
async fn a_cancelled_sliced_groups_download_resumes_to_the_same_file() {
    let env = env().await;
    let columns = "id,displayName,groupType";
    let clean = env.path("clean.csv");
    run_noting(&env, groups_sliced(&clean, columns, 4)).await;

    let out = env.path("resumed.csv");
    let pace = Arc::new(Semaphore::new(2));
    let runner = env.runner(
        env.store(),
        RunnerConfig {
            pace: Some(Arc::clone(&pace)),
            ..RunnerConfig::default()
        },
    );
    let mut events = runner.subscribe();
    let id = runner
        .submit(groups_sliced(&out, columns, 4), env.client.clone())
        .unwrap();
    wait_for_pages(&mut events, id, 2).await;
    assert!(runner.cancel(id).unwrap());
    let stopped = runner.wait(id).await.unwrap();
    assert_eq!(stopped.status, JobStatus::Cancelled);
    assert!(!out.exists(), "no final file before the end");
    let parts = roster_csv::job_slice_files(&out, &id.to_string());
    assert!(!parts.is_empty(), "slices kept for the resume");
    pace.add_permits(1_000_000);
    runner.resume(id, env.client.clone()).unwrap();
    let done = runner.wait(id).await.unwrap();
    assert_eq!(done.status, JobStatus::Completed, "{:?}", done.error);
    assert_eq!(
        std::fs::read(&out).unwrap(),
        std::fs::read(&clean).unwrap(),
        "resumed file identical to a clean run"
    );
    assert!(roster_csv::partial_files(&out).is_empty());
    assert_every_group_once(&env, &out);
}

#[tokio::test]
async fn group_slices_under_faults_give_the_clean_file() {
    let env = env().await;
    let columns = "id,displayName";
    let clean = env.path("clean.csv");
    run_noting(&env, groups_sliced(&clean, columns, 4)).await;
    env.emu.set_faults(
        "429=0.1,503=0.02,reset=0.01"
            .parse::<roster_emulator::FaultSpec>()
            .unwrap(),
    );
    let faulty = env.path("faulty.csv");
    run_noting(&env, groups_sliced(&faulty, columns, 4)).await;
    assert_eq!(
        std::fs::read(&faulty).unwrap(),
        std::fs::read(&clean).unwrap(),
        "retried pages give the same file"
    );
    assert_every_group_once(&env, &faulty);
}
