//! Shared setup: an in-process emulator, a Graph client signed in as its admin, a temp store.

pub mod membership;

use roster_core::job::{
    CsvOutput, DownloadMembers, DownloadUsers, GroupSelection, JobId, JobSpec, UserFilter,
};
use roster_emulator::{Emulator, EmulatorConfig, ThrottleMode};
use roster_graph::{AccessToken, GraphClient, StaticToken};
use roster_jobs::{JobEvent, JobOutcome, Runner, RunnerConfig};
use roster_store::Store;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Scopes the admin's token carries.
pub const ADMIN_SCOPES: &[&str] = &[
    "User.Read.All",
    "Group.Read.All",
    "GroupMember.Read.All",
    "Device.Read.All",
    "Application.Read.All",
    "OrgContact.Read.All",
    "UserAuthenticationMethod.Read.All",
    "Member.Read.Hidden",
];

/// An emulator, a client, a temp folder.
pub struct Env {
    pub emu: Emulator,
    pub client: GraphClient,
    pub dir: tempfile::TempDir,
}

/// A small tenant (400 users, 40 groups) without throttling.
pub async fn env() -> Env {
    env_with(EmulatorConfig {
        users: 400,
        groups: 40,
        throttle: ThrottleMode::Off,
        ..EmulatorConfig::default()
    })
    .await
}

pub async fn env_with(config: EmulatorConfig) -> Env {
    let emu = roster_emulator::start(config)
        .await
        .expect("emulator starts");
    let token = emu.mint_token(&format!("admin@{}", emu.domain()), ADMIN_SCOPES);
    let client = GraphClient::builder(
        emu.base_url(),
        Arc::new(StaticToken(AccessToken::new(token))),
    )
    .build()
    .expect("client");
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
        let tenant = self.emu.tenant().read();
        tenant
            .groups()
            .iter()
            .find(|g| g.display_name() == name)
            .expect(name)
            .id()
            .to_owned()
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

/// Parses a written CSV (BOM stripped) into rows of cells.
pub fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).expect("read csv");
    let text = String::from_utf8(bytes).expect("utf-8");
    let text = text.strip_prefix('\u{feff}').expect("BOM");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.expect("record").iter().map(str::to_owned).collect())
        .collect()
}

/// The index of a header.
pub fn column(rows: &[Vec<String>], header: &str) -> usize {
    rows[0].iter().position(|h| h == header).expect(header)
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
