//! What roster-jobs' tests share beyond roster-test-support: an emulator with a Graph client signed in
//! as its admin and a temp folder, runners on a store there, job specs, and waiting for a job's pages.

pub mod membership;

use roster_core::job::{
    CsvOutput, DownloadMembers, DownloadOwners, DownloadUserGroups, DownloadUsers, GroupFilter,
    GroupSelection, JobId, JobSpec, UserFilter,
};
use roster_emulator::{Emulator, EmulatorConfig};
use roster_graph::GraphClient;
use roster_jobs::{JobEvent, JobOutcome, Runner, RunnerConfig};
use roster_store::Store;
pub use roster_test_support::files::{column, read_csv};
use roster_test_support::graph;
use roster_test_support::tenant::{self, ADMIN, small_tenant};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// An emulator, a client signed in as its admin, a temp folder.
pub struct Env {
    pub emu: Emulator,
    pub client: GraphClient,
    pub dir: tempfile::TempDir,
}

/// A small tenant (400 users, 40 groups) without throttling.
pub async fn env() -> Env {
    env_with(small_tenant(400, 40)).await
}

/// An emulator with `config`, its admin's client (every read scope and membership writes).
pub async fn env_with(config: EmulatorConfig) -> Env {
    let emu = tenant::start(config).await;
    let client = graph::client(&emu, "admin", ADMIN);
    Env {
        emu,
        client,
        dir: tempfile::tempdir().expect("temp dir"),
    }
}

impl Env {
    /// A file path in the temp folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A store file in the temp folder (shared by runners of one test).
    pub fn store(&self) -> Arc<Store> {
        Arc::new(Store::open(self.path("jobs.sqlite")).expect("store"))
    }

    /// A runner with small pages (more pages, more checkpoints, groups with several pages).
    pub fn runner(&self, store: Arc<Store>, config: RunnerConfig) -> Runner {
        Runner::new(
            store,
            RunnerConfig {
                page_size: Some(10),
                ..config
            },
        )
    }

    /// The id of the group with this display name.
    pub fn group_id(&self, name: &str) -> String {
        tenant::group_id(&self.emu, name)
    }

    /// Runs one job to its end on a fresh runner and returns the outcome.
    pub async fn run(&self, spec: JobSpec) -> JobOutcome {
        let runner = self.runner(self.store(), RunnerConfig::default());
        let id = runner.submit(spec, self.client.clone()).expect("submit");
        runner.wait(id).await.expect("wait")
    }
}

pub fn users_spec(out: &Path, columns: &str, filter: UserFilter) -> JobSpec {
    JobSpec::DownloadUsers(DownloadUsers {
        filter,
        columns: columns.into(),
        output: CsvOutput::new(out),
        parallel: None,
    })
}

pub fn members_spec(out: &Path, groups: &[&str], transitive: bool) -> JobSpec {
    JobSpec::DownloadMembers(DownloadMembers {
        groups: GroupSelection::Groups {
            groups: groups.iter().map(|g| (*g).to_owned()).collect(),
        },
        transitive,
        columns: None,
        output: CsvOutput::new(out),
    })
}

/// Owners of the groups `filter` selects.
pub fn owners_spec(out: &Path, filter: GroupFilter) -> JobSpec {
    JobSpec::DownloadOwners(DownloadOwners {
        groups: GroupSelection::Filter { filter },
        columns: None,
        output: CsvOutput::new(out),
    })
}

/// The groups of the users `users` selects, nested ones too when `transitive`.
pub fn user_groups_spec(out: &Path, users: UserFilter, transitive: bool) -> JobSpec {
    JobSpec::DownloadUserGroups(DownloadUserGroups {
        users,
        transitive,
        columns: None,
        output: CsvOutput::new(out),
    })
}

/// Waits (bounded) for a progress event of `id` with at least `pages` pages.
pub async fn wait_for_pages(
    events: &mut tokio::sync::broadcast::Receiver<JobEvent>,
    id: JobId,
    pages: u64,
) {
    tokio::time::timeout(Duration::from_secs(60), async {
        loop {
            match events.recv().await {
                Ok(JobEvent::Progress(p)) if p.id == id && p.pages >= pages => return,
                Ok(JobEvent::Status {
                    id: job,
                    status,
                    error,
                }) if job == id && !status.is_active() => {
                    panic!("the job ended ({status}: {error:?}) before page {pages}")
                }
                Ok(_) => {}
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(e) => panic!("event channel closed: {e}"),
            }
        }
    })
    .await
    .expect("the job reached the page in time");
}

/// The notices of job `id` among the events received so far, in English.
pub fn notices_of(
    events: &mut tokio::sync::broadcast::Receiver<JobEvent>,
    id: JobId,
) -> Vec<String> {
    let mut notices = Vec::new();
    while let Ok(event) = events.try_recv() {
        if let JobEvent::Notice { id: job, message } = event
            && job == id
        {
            notices.push(message.to_string());
        }
    }
    notices
}

/// `one` (read as one chain) and `many` (read in slices) hold the same rows, and two sliced runs
/// wrote the same bytes: a stable order.
pub fn assert_same_rows_in_a_stable_order(chain: &Path, first: &Path, second: &Path) {
    let (one, many) = (read_csv(chain), read_csv(first));
    assert_eq!(one[0], many[0], "same header");
    let (mut a, mut b) = (one[1..].to_vec(), many[1..].to_vec());
    a.sort();
    b.sort();
    assert_eq!(a, b, "the same rows as one chain");
    assert_eq!(
        std::fs::read(first).unwrap(),
        std::fs::read(second).unwrap(),
        "the same file twice: a stable order"
    );
}
