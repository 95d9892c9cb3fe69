//! Stopping a download at any point and resuming it gives the same file as one uninterrupted
//! run: cancel + resume, a simulated crash (runner dropped mid-job, torn write in the partial
//! file) + resume in a new runner over the same store, and Graph faults along the way.

use crate::support::{
    Env, env_with, members_spec, owners_spec, user_groups_spec, users_spec, wait_for_pages,
};
use roster_core::job::{CsvOutput, DownloadGroups, GroupFilter, JobSpec, JobStatus, UserFilter};
use roster_emulator::FaultSpec;
use roster_jobs::RunnerConfig;
use roster_test_support::tenant::small_tenant;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// A tenant with groups enough for an owners download of several `$batch` calls (a step each).
async fn resume_env() -> Env {
    env_with(small_tenant(400, 120)).await
}

/// The specs exercised, each writing to `dir/<tag>-<name>.csv`.
fn specs(env: &Env, tag: &str) -> Vec<(String, JobSpec)> {
    let path = |name: &str| env.path(&format!("{tag}-{name}.csv"));
    vec![
        (
            "users".into(),
            users_spec(&path("users"), "portal", UserFilter::default()),
        ),
        (
            // Columns that each read one property: rendered straight from the page bodies.
            "users-streamed".into(),
            users_spec(
                &path("users-streamed"),
                "objectId,userPrincipalName,displayName,accountEnabled,telephoneNumber,alternateEmailAddress,createdDateTime",
                UserFilter::default(),
            ),
        ),
        (
            "groups".into(),
            JobSpec::DownloadGroups(DownloadGroups {
                filter: GroupFilter::default(),
                columns: "default,memberCount,ownerCount,hasNoOwner".into(),
                output: CsvOutput::new(path("groups")),
                parallel: None,
            }),
        ),
        (
            "members".into(),
            members_spec(
                &path("members"),
                &[
                    "Mixed Members",
                    "All Company",
                    "Empty Group",
                    "Nested Level 2",
                ],
                false,
            ),
        ),
        (
            "transitive".into(),
            members_spec(
                &path("transitive"),
                &["All Company", "Nested Level 1"],
                true,
            ),
        ),
        (
            "owners".into(),
            owners_spec(&path("owners"), GroupFilter::default()),
        ),
        (
            "user-groups".into(),
            user_groups_spec(&path("user-groups"), UserFilter::default(), true),
        ),
    ]
}

fn output(spec: &JobSpec) -> &Path {
    &spec.output().path
}

/// Clean runs of every spec: the reference files.
async fn reference(env: &Env) -> Vec<Vec<u8>> {
    let mut files = Vec::new();
    for (name, spec) in specs(env, "reference") {
        let out = output(&spec).to_owned();
        let outcome = env.run(spec).await;
        assert_eq!(
            outcome.status,
            JobStatus::Completed,
            "{name}: {:?}",
            outcome.error
        );
        files.push(std::fs::read(out).unwrap());
    }
    files
}

#[tokio::test]
async fn cancel_then_resume_gives_an_identical_file() {
    let env = resume_env().await;
    let reference = reference(&env).await;
    for ((name, spec), want) in specs(&env, "cancelled").into_iter().zip(reference) {
        let out = output(&spec).to_owned();
        let pace = Arc::new(Semaphore::new(2));
        let runner = env.runner(
            env.store(),
            RunnerConfig {
                pace: Some(Arc::clone(&pace)),
                ..RunnerConfig::default()
            },
        );
        let mut events = runner.subscribe();
        let id = runner.submit(spec, env.client.clone()).unwrap();
        wait_for_pages(&mut events, id, 2).await;
        assert!(runner.cancel(id).unwrap());
        let stopped = runner.wait(id).await.unwrap();
        assert_eq!(stopped.status, JobStatus::Cancelled, "{name}");
        assert!(!out.exists(), "{name}: no final file before the end");
        assert!(
            roster_csv::job_part_path(&out, &id.to_string()).exists(),
            "{name}: partial file kept"
        );
        assert_eq!(
            runner.store().get_job(id).unwrap().unwrap().status,
            JobStatus::Cancelled
        );

        pace.add_permits(1_000_000);
        runner.resume(id, env.client.clone()).unwrap();
        let done = runner.wait(id).await.unwrap();
        assert_eq!(
            done.status,
            JobStatus::Completed,
            "{name}: {:?}",
            done.error
        );
        assert!(
            std::fs::read(&out).unwrap() == want,
            "{name}: resumed file differs from a clean run"
        );
    }
}

#[tokio::test]
async fn a_crash_then_resume_in_a_new_runner_gives_an_identical_file() {
    let env = resume_env().await;
    let reference = reference(&env).await;
    let store = env.store();
    for ((name, spec), want) in specs(&env, "crashed").into_iter().zip(reference) {
        let out = output(&spec).to_owned();
        let pace = Arc::new(Semaphore::new(3));
        let runner = env.runner(
            Arc::clone(&store),
            RunnerConfig {
                pace: Some(pace),
                ..RunnerConfig::default()
            },
        );
        let mut events = runner.subscribe();
        let id = runner.submit(spec, env.client.clone()).unwrap();
        wait_for_pages(&mut events, id, 3).await;
        drop(runner);
        // A torn write after the last checkpoint, as a kill in the middle of a page leaves.
        let mut part = std::fs::OpenOptions::new()
            .append(true)
            .open(roster_csv::job_part_path(&out, &id.to_string()))
            .unwrap();
        part.write_all(b"half a row,\"unterminated").unwrap();
        drop(part);

        assert_eq!(
            store.get_job(id).unwrap().unwrap().status,
            JobStatus::Running
        );
        assert_eq!(store.mark_interrupted().unwrap(), vec![id]);
        let runner = env.runner(Arc::clone(&store), RunnerConfig::default());
        runner.resume(id, env.client.clone()).unwrap();
        let done = runner.wait(id).await.unwrap();
        assert_eq!(
            done.status,
            JobStatus::Completed,
            "{name}: {:?}",
            done.error
        );
        assert!(
            std::fs::read(&out).unwrap() == want,
            "{name}: resumed file differs from a clean run"
        );
        assert_eq!(
            store.get_job(id).unwrap().unwrap().counts.succeeded,
            done.rows
        );
    }
}

#[tokio::test]
async fn a_partial_file_changed_by_something_else_restarts_and_gives_an_identical_file() {
    let env = resume_env().await;
    let reference = reference(&env).await;
    let store = env.store();
    let specs = specs(&env, "tampered");
    let ((name, spec), want) = specs.into_iter().zip(reference).next().unwrap();
    let out = output(&spec).to_owned();
    let runner = env.runner(
        Arc::clone(&store),
        RunnerConfig {
            pace: Some(Arc::new(Semaphore::new(2))),
            ..RunnerConfig::default()
        },
    );
    let mut events = runner.subscribe();
    let id = runner.submit(spec, env.client.clone()).unwrap();
    wait_for_pages(&mut events, id, 2).await;
    assert!(runner.cancel(id).unwrap());
    runner.wait(id).await.unwrap();
    // Overwrite bytes inside the checkpointed part, keeping its length.
    let part = roster_csv::job_part_path(&out, &id.to_string());
    let mut bytes = std::fs::read(&part).unwrap();
    let at = bytes.len() / 2;
    bytes[at] = if bytes[at] == b'Z' { b'Y' } else { b'Z' };
    std::fs::write(&part, &bytes).unwrap();
    let resumed = env.runner(Arc::clone(&store), RunnerConfig::default());
    let mut resumed_events = resumed.subscribe();
    resumed.resume(id, env.client.clone()).unwrap();
    let done = resumed.wait(id).await.unwrap();
    assert_eq!(
        done.status,
        JobStatus::Completed,
        "{name}: {:?}",
        done.error
    );
    assert!(
        std::fs::read(&out).unwrap() == want,
        "{name}: the file is a clean run's"
    );
    let mut notices = Vec::new();
    while let Ok(event) = resumed_events.try_recv() {
        if let roster_jobs::JobEvent::Notice { message, .. } = event {
            notices.push(message.code.clone());
        }
    }
    assert!(
        notices
            .iter()
            .any(|c| c == "download.notice.partialFileChanged"),
        "{notices:?}"
    );
}

#[tokio::test]
async fn graph_faults_give_the_same_file_as_a_clean_run() {
    let env = resume_env().await;
    let reference = reference(&env).await;
    env.emu
        .set_faults("429=0.1,503=0.02,reset=0.01".parse::<FaultSpec>().unwrap());
    for ((name, spec), want) in specs(&env, "faulty").into_iter().zip(reference) {
        let out = output(&spec).to_owned();
        let outcome = env.run(spec).await;
        assert_eq!(
            outcome.status,
            JobStatus::Completed,
            "{name}: {:?}",
            outcome.error
        );
        assert!(
            std::fs::read(&out).unwrap() == want,
            "{name}: file differs from a clean run"
        );
    }
    let stats = env.emu.stats();
    assert!(stats.faults_injected > 0, "{stats:?}");
}

#[tokio::test]
async fn deleting_a_job_with_its_files_removes_them() {
    let env = resume_env().await;
    let store = env.store();
    let runner = env.runner(Arc::clone(&store), RunnerConfig::default());
    let out = env.path("gone.csv");
    let id = runner
        .submit(
            users_spec(&out, "portal", UserFilter::default()),
            env.client.clone(),
        )
        .unwrap();
    assert_eq!(runner.wait(id).await.unwrap().status, JobStatus::Completed);
    assert!(out.exists());
    assert!(runner.delete(id, true).await.unwrap());
    assert!(!out.exists());
    assert!(store.get_job(id).unwrap().is_none());
    assert!(!runner.delete(id, true).await.unwrap());
}
