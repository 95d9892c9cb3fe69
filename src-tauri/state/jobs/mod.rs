//! The job host: the job history (roster-store, shared with the CLI), the download runner
//! (roster-jobs' `Runner`) and membership jobs, with one stream of [`JobEventDto`]s for the UI.
//!
//! The history lives where the CLI keeps it (`DATA_DIR/jobs.sqlite`; the demo tenant's jobs in
//! `DATA_DIR/demo/jobs.sqlite`, so demo jobs never mix with real ones). Each database is opened on
//! first use, and jobs a crash left `running` are marked `interrupted` then, so they offer Resume.

mod downloads;
mod membership;
mod messages;

pub use messages::job_end_message;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use roster_core::job::JobId;
use roster_jobs::{JobError, JobEvent, Runner, RunnerConfig};
use roster_store::{Job, Store, StoreError};
use tokio::sync::broadcast;

use super::AppState;
use crate::ipc::{
    AppError, ErrorCode, JobDetail, JobDto, JobEventDto, JobIdRequest, JobRef, JobRowDto,
    JobsDeleteRequest, JobsGetRequest, JobsListRequest, JobsPage, JobsSaveResultsRequest, PathDto,
};

/// Jobs listed when the request names no limit.
const DEFAULT_LIST_LIMIT: u32 = 200;

/// Row results per page when the request names no limit, and the most one page may hold.
const DEFAULT_ROWS: u32 = 500;
const MAX_ROWS: u32 = 5000;

/// How long a replaced runner's jobs get to record that they were interrupted.
const RUNNER_HANDOVER: Duration = Duration::from_secs(5);

/// The download runner of the current session, with what it was built for.
struct RunnerSlot {
    /// Account and Graph root: a different one means another session.
    key: String,
    runner: Arc<Runner>,
    /// Downloads started by this runner (interrupted when the session changes).
    started: HashSet<JobId>,
}

/// Everything about jobs that [`AppState`] holds.
pub(crate) struct JobHost {
    data_dir: PathBuf,
    stores: Mutex<HashMap<bool, Arc<Store>>>,
    runner: tokio::sync::Mutex<Option<RunnerSlot>>,
    runner_config: Mutex<RunnerConfig>,
    /// Cancel signals of the membership jobs running in this app.
    membership: Arc<Mutex<HashMap<JobId, membership::RunningMembership>>>,
    events: broadcast::Sender<JobEventDto>,
}

impl JobHost {
    /// A host over the history in `data_dir` (nothing is opened yet).
    pub(crate) fn new(data_dir: &Path) -> Self {
        let (events, _) = broadcast::channel(1024);
        Self {
            data_dir: data_dir.to_owned(),
            stores: Mutex::new(HashMap::new()),
            runner: tokio::sync::Mutex::new(None),
            runner_config: Mutex::new(RunnerConfig::default()),
            membership: Arc::new(Mutex::new(HashMap::new())),
            events,
        }
    }

    /// The job database of the real tenants (`demo == false`) or of the demo tenant, opened on first
    /// use; jobs left `running` by a crash are marked `interrupted` then.
    fn store(&self, demo: bool) -> Result<Arc<Store>, AppError> {
        let mut stores = self.stores.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(store) = stores.get(&demo) {
            return Ok(Arc::clone(store));
        }
        let path = store_path(&self.data_dir, demo);
        let store = Arc::new(Store::open(&path).map_err(|e| {
            AppError::new(
                ErrorCode::Internal,
                format!(
                    "The job history at {} could not be opened. Check that the folder is writable.",
                    path.display()
                ),
            )
            .with_detail(e.to_string())
        })?);
        let marked = store.mark_interrupted().map_err(store_error)?;
        if !marked.is_empty() {
            tracing::info!(
                count = marked.len(),
                "jobs left running are now interrupted"
            );
        }
        stores.insert(demo, Arc::clone(&store));
        Ok(store)
    }
}

/// Where the job history of the real tenants or of the demo tenant lives: the CLI's file names.
pub fn store_path(data_dir: &Path, demo: bool) -> PathBuf {
    if demo {
        data_dir.join("demo").join("jobs.sqlite")
    } else {
        data_dir.join("jobs.sqlite")
    }
}

impl AppState {
    /// Every job event (status changes, coalesced progress, notices) from now on; the app forwards
    /// them to the UI as the `job-event` Tauri event.
    pub fn subscribe_jobs(&self) -> broadcast::Receiver<JobEventDto> {
        self.jobs.events.subscribe()
    }

    /// Replaces the download runner's tuning (page size, pacing) for the runners built from now on.
    pub fn set_runner_config(&self, config: RunnerConfig) {
        *self
            .jobs
            .runner_config
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = config;
    }

    /// The job database of the current mode: the demo tenant's when signed in to it (or started
    /// with `--demo`), else the real one.
    pub(crate) async fn job_store(&self) -> Result<Arc<Store>, AppError> {
        let demo = self.options.demo
            || self
                .session
                .read()
                .await
                .as_ref()
                .is_some_and(|c| c.account.demo);
        self.jobs.store(demo)
    }

    /// The database that holds the settings: always the real one, so they are the same in demo mode.
    pub(crate) fn settings_store(&self) -> Result<Arc<Store>, AppError> {
        self.jobs.store(false)
    }

    /// The download runner of the signed-in session, built again when the session changed (its
    /// running downloads are interrupted first, so they offer Resume).
    pub(crate) async fn runner(&self) -> Result<Arc<Runner>, AppError> {
        let graph = self.read_graph().await?;
        let key = {
            let session = self.session.read().await;
            let account = session.as_ref().ok_or_else(AppError::unauthenticated)?;
            format!("{}|{}", account.account.username, graph.version_root())
        };
        let store = self.job_store().await?;
        let mut slot = self.jobs.runner.lock().await;
        if let Some(current) = slot.as_ref().filter(|s| s.key == key) {
            return Ok(Arc::clone(&current.runner));
        }
        let config = self
            .jobs
            .runner_config
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let runner = Arc::new(Runner::new(Arc::clone(&store), graph, config));
        forward_runner_events(&runner, store, self.jobs.events.clone());
        if let Some(old) = slot.replace(RunnerSlot {
            key,
            runner: Arc::clone(&runner),
            started: HashSet::new(),
        }) {
            retire(old);
        }
        Ok(runner)
    }

    /// Records that the current runner started `id` (so a session change interrupts it).
    pub(crate) async fn note_started(&self, id: JobId) {
        if let Some(slot) = self.jobs.runner.lock().await.as_mut() {
            slot.started.insert(id);
        }
    }

    /// Sends the stored state of job `id` to the UI as a status event.
    pub(crate) fn publish_job(&self, store: &Store, id: JobId) {
        publish(store, id, &self.jobs.events);
    }

    /// Every job, newest first.
    pub async fn jobs_list(&self, request: JobsListRequest) -> Result<JobsPage, AppError> {
        let store = self.job_store().await?;
        let jobs = store
            .list_jobs(
                request.limit.unwrap_or(DEFAULT_LIST_LIMIT),
                request.offset.unwrap_or(0),
            )
            .map_err(store_error)?;
        Ok(JobsPage {
            items: jobs.iter().map(JobDto::from_job).collect(),
        })
    }

    /// One job and a page of its per-row results (membership changes).
    pub async fn jobs_get(&self, request: JobsGetRequest) -> Result<JobDetail, AppError> {
        let store = self.job_store().await?;
        let job = find(&store, &request.id)?;
        let limit = request.limit.unwrap_or(DEFAULT_ROWS).clamp(1, MAX_ROWS);
        let after = request.after.unwrap_or(0);
        let rows = store
            .row_results(job.id, after, limit)
            .map_err(store_error)?;
        let rows_total = store.count_row_results(job.id).map_err(store_error)?;
        let next_after = rows
            .last()
            .filter(|_| rows.len() == limit as usize)
            .map(|r| r.row_number);
        Ok(JobDetail {
            job: JobDto::from_job(&job),
            rows: rows.into_iter().map(JobRowDto::from).collect(),
            rows_total,
            next_after,
        })
    }

    /// Continues a failed, cancelled or interrupted job from its last checkpoint.
    pub async fn jobs_resume(&self, request: JobIdRequest) -> Result<JobRef, AppError> {
        let store = self.job_store().await?;
        let job = find(&store, &request.id)?;
        if !job.status.is_resumable() {
            return Err(AppError::new(
                ErrorCode::Validation,
                format!(
                    "This job is {}; only failed, cancelled or interrupted jobs can be resumed.",
                    job.status
                ),
            ));
        }
        if is_membership(job.kind) {
            return self.resume_membership_job(&store, &job).await;
        }
        let runner = self.runner().await?;
        runner.resume(job.id).map_err(job_error)?;
        self.note_started(job.id).await;
        Ok(JobRef {
            id: job.id.to_string(),
            name: job.name,
        })
    }

    /// Asks a job to stop; it ends `cancelled` and can be resumed.
    pub async fn jobs_cancel(&self, request: JobIdRequest) -> Result<JobDto, AppError> {
        let store = self.job_store().await?;
        let job = find(&store, &request.id)?;
        if let Some(token) = self.membership_cancel(job.id) {
            token.cancel();
        } else if is_membership(job.kind) {
            if job.status.can_become(roster_store::JobStatus::Cancelled) {
                store
                    .update_job(
                        job.id,
                        &roster_store::JobUpdate {
                            status: Some(roster_store::JobStatus::Cancelled),
                            ..roster_store::JobUpdate::default()
                        },
                    )
                    .map_err(store_error)?;
            }
        } else {
            let runner = self.offline_runner(&store).await?;
            runner.cancel(job.id).map_err(job_error)?;
        }
        let job = find(&store, &request.id)?;
        self.publish_job(&store, job.id);
        Ok(JobDto::from_job(&job))
    }

    /// Deletes a job (cancelling it first), with or without its files.
    pub async fn jobs_delete(&self, request: JobsDeleteRequest) -> Result<PathDto, AppError> {
        let store = self.job_store().await?;
        let job = find(&store, &request.id)?;
        if is_membership(job.kind) {
            self.stop_membership_job(job.id).await;
            if request.with_files {
                membership::delete_files(&job)?;
            }
            store.delete_job(job.id).map_err(store_error)?;
        } else {
            let runner = self.offline_runner(&store).await?;
            runner
                .delete(job.id, request.with_files)
                .await
                .map_err(job_error)?;
        }
        let _ = self.jobs.events.send(JobEventDto::Deleted {
            id: job.id.to_string(),
        });
        Ok(PathDto {
            path: job
                .output_path
                .or(job.results_path)
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default(),
        })
    }

    /// The file a job left that exists now: a membership job's results, or a download's CSV.
    pub async fn job_file(&self, id: &str) -> Result<PathBuf, AppError> {
        let store = self.job_store().await?;
        let job = find(&store, id)?;
        job.results_path
            .or(job.output_path)
            .filter(|p| p.is_file())
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::NotFound,
                    "This job's file does not exist (yet, or any more). Resume the job, or start it again.",
                )
            })
    }

    /// Copies a job's file (a membership change's results, or a download's CSV) to `request.path`,
    /// through `path.part` renamed when complete.
    pub async fn jobs_save_results(
        &self,
        request: JobsSaveResultsRequest,
    ) -> Result<PathDto, AppError> {
        let store = self.job_store().await?;
        let job = find(&store, &request.id)?;
        let source = job
            .results_path
            .clone()
            .or_else(|| job.output_path.clone())
            .filter(|p| p.is_file())
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::NotFound,
                    "This job has no results file (yet). Wait until it has finished, or resume it.",
                )
            })?;
        let dest = absolute_path(&request.path)?;
        copy_through_part(&source, &dest)?;
        Ok(PathDto {
            path: dest.to_string_lossy().into_owned(),
        })
    }

    /// The current session's runner for cancel and delete, or one that only touches the store when
    /// nobody is signed in (a job running elsewhere is then marked in the store and stops there).
    async fn offline_runner(&self, store: &Arc<Store>) -> Result<Arc<Runner>, AppError> {
        if let Ok(runner) = self.runner().await {
            return Ok(runner);
        }
        let no_token = roster_graph::StaticToken(roster_graph::AccessToken::new(String::new()));
        let client = roster_graph::GraphClient::builder(
            roster_graph::Cloud::Global.service_root(),
            Arc::new(no_token),
        )
        .build()?;
        Ok(Arc::new(Runner::new(
            Arc::clone(store),
            client,
            RunnerConfig::default(),
        )))
    }
}

/// Interrupts the downloads of a runner that is being replaced, then lets it go.
fn retire(old: RunnerSlot) {
    for id in &old.started {
        old.runner.interrupt(*id);
    }
    tokio::spawn(async move {
        for id in old.started {
            let _ = tokio::time::timeout(RUNNER_HANDOVER, old.runner.wait(id)).await;
        }
    });
}

/// Forwards a runner's events as DTOs until the runner is gone.
fn forward_runner_events(
    runner: &Runner,
    store: Arc<Store>,
    events: broadcast::Sender<JobEventDto>,
) {
    let mut rx = runner.subscribe();
    tokio::spawn(async move {
        loop {
            match rx.recv().await {
                Ok(JobEvent::Status { id, .. }) => publish(&store, id, &events),
                Ok(JobEvent::Progress(p)) => {
                    let _ = events.send(JobEventDto::Progress { progress: p.into() });
                }
                Ok(JobEvent::Notice { id, message }) => {
                    let _ = events.send(JobEventDto::Notice {
                        id: id.to_string(),
                        message,
                    });
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => break,
            }
        }
    });
}

/// Sends job `id` as stored now.
fn publish(store: &Store, id: JobId, events: &broadcast::Sender<JobEventDto>) {
    match store.get_job(id) {
        Ok(Some(job)) => {
            let _ = events.send(JobEventDto::Status {
                job: JobDto::from_job(&job),
            });
        }
        Ok(None) => {}
        Err(e) => tracing::warn!(job = %id, "could not read the job to report it: {e}"),
    }
}

/// The stored job with this id.
fn find(store: &Store, id: &str) -> Result<Job, AppError> {
    let parsed: JobId = id.parse().map_err(|_| {
        AppError::new(
            ErrorCode::Validation,
            format!("'{id}' is not a job id. Pick the job from the job list."),
        )
    })?;
    store.get_job(parsed).map_err(store_error)?.ok_or_else(|| {
        AppError::new(
            ErrorCode::NotFound,
            "This job is not in the job history (any more). Pick one from the job list.",
        )
    })
}

/// A path the UI sent, which must be absolute (the save dialog gives absolute paths).
pub(crate) fn absolute_path(text: &str) -> Result<PathBuf, AppError> {
    let path = PathBuf::from(text.trim());
    if path.as_os_str().is_empty() || !path.is_absolute() {
        return Err(AppError::new(
            ErrorCode::Validation,
            format!("'{text}' is not a full file path. Choose the file in the save dialog."),
        ));
    }
    Ok(path)
}

/// Copies `source` to `dest` through `dest.part`, so no half file carries the final name.
fn copy_through_part(source: &Path, dest: &Path) -> Result<(), AppError> {
    let part = roster_csv::part_path(dest);
    let io = |action: &str, path: &Path, e: std::io::Error| {
        AppError::new(
            ErrorCode::Validation,
            format!(
                "Could not {action} {}: {e}. Choose a folder you can write to.",
                path.display()
            ),
        )
    };
    std::fs::copy(source, &part).map_err(|e| io("write", &part, e))?;
    std::fs::rename(&part, dest).map_err(|e| {
        let _ = std::fs::remove_file(&part);
        io("write", dest, e)
    })
}

/// A job history failure as the UI sees it.
pub(crate) fn store_error(e: StoreError) -> AppError {
    AppError::new(
        ErrorCode::Internal,
        "The job history could not be read or saved. Try again; restart Roster if it keeps failing.",
    )
    .with_detail(e.to_string())
}

/// A download runner failure as the UI sees it.
pub(crate) fn job_error(e: JobError) -> AppError {
    match e {
        JobError::Graph(g) => AppError::from(g),
        JobError::Columns(c) => AppError::new(ErrorCode::Validation, c.to_string()),
        JobError::Input(text) => AppError::new(ErrorCode::Validation, text),
        JobError::State(t) => AppError::new(
            ErrorCode::Validation,
            format!("The job cannot do that now: {t}."),
        ),
        JobError::NotFound(_) => AppError::new(
            ErrorCode::NotFound,
            "This job is not in the job history (any more).",
        ),
        JobError::Write(w) => AppError::new(ErrorCode::Validation, w.to_string()),
        JobError::Store(s) => store_error(s),
        other => AppError::new(ErrorCode::Internal, other.to_string()),
    }
}

/// Whether the membership engine (not the download runner) runs jobs of this kind.
fn is_membership(kind: roster_store::JobKind) -> bool {
    matches!(
        kind,
        roster_store::JobKind::AddMembers | roster_store::JobKind::RemoveMembers
    )
}
