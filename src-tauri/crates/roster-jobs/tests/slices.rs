//! Users downloads read in `userPrincipalName` slices at once, against the emulator: every user
//! once whatever character their UPN starts with, the same rows as one chain in a stable order,
//! resume after a cancel, and the single chain when the counts do not add up.

use crate::support::{
    assert_same_rows_in_a_stable_order, column, env, notices_of, read_csv, users_spec,
    wait_for_pages,
};
use roster_core::job::{JobSpec, JobStatus, UserFilter};
use roster_jobs::RunnerConfig;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Every character Entra allows at the start of a user principal name besides letters and digits
/// (`A-Z a-z 0-9 ' . - _ ! # ^ ~`), an upper-case letter, and a guest's `#EXT#` form.
const ODD_STARTS: &[&str] = &[
    "'quote",
    ".dot",
    "-dash",
    "_under",
    "!bang",
    "#hash",
    "^caret",
    "~tilde",
    "Zed",
    "0zero",
    "zz.last",
    "guest_fabrikam.com#EXT#",
];

fn sliced(out: &Path, parallel: u32) -> JobSpec {
    let mut spec = users_spec(
        out,
        "userPrincipalName,objectId,displayName",
        UserFilter::default(),
    );
    if let JobSpec::DownloadUsers(users) = &mut spec {
        users.parallel = Some(parallel);
    }
    spec
}

fn add_odd_users(env: &crate::support::Env) {
    let domain = env.emu.domain().to_owned();
    let mut tenant = env.emu.tenant().write();
    for start in ODD_STARTS {
        tenant
            .add_user_like(3, &format!("{start}@{domain}"))
            .expect("a new UPN");
    }
}

#[tokio::test]
async fn slices_hold_every_user_once_like_one_chain_in_a_stable_order() {
    let env = env().await;
    add_odd_users(&env);
    let (chain, first, second) = (env.path("chain.csv"), env.path("a.csv"), env.path("b.csv"));
    for (out, parallel) in [(&chain, 1), (&first, 4), (&second, 4)] {
        let outcome = env.run(sliced(out, parallel)).await;
        assert_eq!(outcome.status, JobStatus::Completed, "{:?}", outcome.error);
        assert!(
            roster_csv::partial_files(out).is_empty(),
            "slices cleaned up"
        );
    }
    let (one, many) = (read_csv(&chain), read_csv(&first));
    assert_eq!(one[0], many[0], "same header");
    let ids: Vec<&str> = many[1..]
        .iter()
        .map(|r| r[column(&many, "objectId")].as_str())
        .collect();
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "every user once");
    let tenant = env.emu.tenant().read();
    let expected: HashSet<&str> = tenant.users().iter().map(|u| u.id()).collect();
    assert_eq!(unique, expected, "every user of the tenant");
    for start in ODD_STARTS {
        let upn = format!("{start}@{}", env.emu.domain());
        let user = tenant.find_user(&upn).expect("added");
        assert!(
            unique.contains(tenant.users()[user].id()),
            "{upn} is in the file"
        );
    }
    assert_same_rows_in_a_stable_order(&chain, &first, &second);
}

#[tokio::test]
async fn a_cancelled_sliced_download_resumes_to_the_same_file() {
    let env = env().await;
    let clean = env.path("clean.csv");
    let outcome = env.run(sliced(&clean, 4)).await;
    assert_eq!(outcome.status, JobStatus::Completed, "{:?}", outcome.error);

    let out = env.path("resumed.csv");
    let pace = Arc::new(Semaphore::new(6));
    let runner = env.runner(
        env.store(),
        RunnerConfig {
            pace: Some(Arc::clone(&pace)),
            ..RunnerConfig::default()
        },
    );
    let mut events = runner.subscribe();
    let id = runner.submit(sliced(&out, 4), env.client.clone()).unwrap();
    wait_for_pages(&mut events, id, 4).await;
    assert!(runner.cancel(id).unwrap());
    let stopped = runner.wait(id).await.unwrap();
    assert_eq!(stopped.status, JobStatus::Cancelled);
    assert!(!out.exists(), "no final file before the end");
    let parts = roster_csv::partial_files(&out);
    assert!(
        parts.iter().any(|p| p.to_string_lossy().contains(".s")),
        "slices kept for the resume: {parts:?}"
    );
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
}

#[tokio::test]
async fn counts_that_do_not_add_up_fall_back_to_one_chain_and_say_so() {
    let env = env().await;
    env.emu.tenant().write().set_count_lag(1);
    let out = env.path("users.csv");
    let runner = env.runner(env.store(), RunnerConfig::default());
    let mut events = runner.subscribe();
    let id = runner.submit(sliced(&out, 4), env.client.clone()).unwrap();
    let done = runner.wait(id).await.unwrap();
    assert_eq!(done.status, JobStatus::Completed, "{:?}", done.error);
    let notices = notices_of(&mut events, id);
    assert!(
        notices
            .iter()
            .any(|n| n.contains("reading one chain of pages instead")),
        "{notices:?}"
    );
    let rows = read_csv(&out);
    let tenant = env.emu.tenant().read();
    assert_eq!(
        rows.len() - 1,
        tenant.users().len(),
        "every user, read as one chain"
    );
}

#[tokio::test]
async fn slices_under_faults_give_the_clean_file() {
    let env = env().await;
    let clean = env.path("clean.csv");
    let outcome = env.run(sliced(&clean, 4)).await;
    assert_eq!(outcome.status, JobStatus::Completed, "{:?}", outcome.error);
    env.emu.set_faults(
        "429=0.1,503=0.02,reset=0.01"
            .parse::<roster_emulator::FaultSpec>()
            .unwrap(),
    );
    let faulty = env.path("faulty.csv");
    let outcome = env.run(sliced(&faulty, 4)).await;
    assert_eq!(outcome.status, JobStatus::Completed, "{:?}", outcome.error);
    assert_eq!(
        std::fs::read(&faulty).unwrap(),
        std::fs::read(&clean).unwrap(),
        "retried pages give the same file"
    );
}

#[tokio::test]
async fn a_sliced_download_deleted_with_its_files_leaves_no_slice_behind() {
    let env = env().await;
    let out = env.path("dropped.csv");
    let runner = env.runner(
        env.store(),
        RunnerConfig {
            pace: Some(Arc::new(Semaphore::new(6))),
            ..RunnerConfig::default()
        },
    );
    let mut events = runner.subscribe();
    let id = runner.submit(sliced(&out, 4), env.client.clone()).unwrap();
    wait_for_pages(&mut events, id, 4).await;
    assert!(runner.cancel(id).unwrap());
    runner.wait(id).await.unwrap();
    let slices = roster_csv::job_slice_files(&out, &id.to_string());
    assert!(!slices.is_empty(), "the cancelled download kept its slices");
    assert!(runner.delete(id, true).await.unwrap());
    assert!(
        roster_csv::partial_files(&out).is_empty(),
        "no partial file left behind: {:?}",
        roster_csv::partial_files(&out)
    );
}
