//! The app's side of jobs: roster-app's [`Jobs`] (the job history shared with the CLI and the one
//! job engine) per tenant kind, its events forwarded to the UI as [`JobEventDto`]s, and the IPC
//! mapping of every job command. No job logic lives here.

mod downloads;
mod membership;

use std::path::PathBuf;
use std::sync::Arc;

use roster_app::{DEFAULT_ROWS, JobHistories, Jobs};
use roster_core::job::JobId;
use roster_jobs::{JobEvent, RunnerConfig};
use roster_store::Store;
use tokio::sync::broadcast;

use super::{AppState, FileUse};
use crate::ipc::{
    AppError, JobDetail, JobDto, JobEventDto, JobIdRequest, JobRef, JobRowDto, JobsDeleteRequest,
    JobsGetRequest, JobsListRequest, JobsPage, JobsSaveResultsRequest, PathDto, parse_job_id,
};

/// Jobs listed when the request names no limit.
const DEFAULT_LIST_LIMIT: u32 = 200;

/// Everything about jobs that [`AppState`] holds: the histories, and the stream of events for the UI.
pub(crate) struct JobHost {
    histories: Arc<JobHistories>,
    events: broadcast::Sender<JobEventDto>,
}

impl JobHost {
    /// A host over the histories in `data_dir` (nothing is opened yet).
    pub(crate) fn new(data_dir: &std::path::Path) -> Self {
        let (events, _) = broadcast::channel(1024);
        Self {
            histories: Arc::new(JobHistories::new(data_dir)),
            events,
        }
    }

    /// The jobs of the real tenants or of the demo tenant; a history's events are forwarded to the
    /// UI from the moment it is opened.
    fn jobs(&self, demo: bool) -> Result<Arc<Jobs>, AppError> {
        Ok(self
            .histories
            .get(demo, |jobs| forward_events(jobs, self.events.clone()))?)
    }

    /// The histories, for the session to interrupt their running jobs when it ends.
    pub(crate) fn histories(&self) -> Arc<JobHistories> {
        Arc::clone(&self.histories)
    }
}

impl AppState {
    /// Every job event (status changes, coalesced progress, notices) from now on; the app forwards
    /// them to the UI as the `job-event` Tauri event.
    pub fn subscribe_jobs(&self) -> broadcast::Receiver<JobEventDto> {
        self.jobs.events.subscribe()
    }

    /// Replaces the job engine's tuning (page size, pacing) for the histories opened from now on.
    pub fn set_runner_config(&self, config: RunnerConfig) {
        self.jobs.histories.set_config(config);
    }

    /// The jobs of the current mode: the demo tenant's when signed in to it (or started with
    /// `--demo`), else the real ones.
    pub(crate) async fn job_list(&self) -> Result<Arc<Jobs>, AppError> {
        let demo = self.options.demo
            || self
                .session
                .current()
                .await
                .is_some_and(|c| c.account_info().demo);
        self.jobs.jobs(demo)
    }

    /// The database that holds the settings: always the real one, so they are the same in demo mode.
    pub(crate) fn settings_store(&self) -> Result<Arc<Store>, AppError> {
        Ok(Arc::clone(self.jobs.jobs(false)?.store()))
    }

    /// Sends the stored state of job `id` to the UI as a status event.
    pub(crate) fn publish_job(&self, store: &Store, id: JobId) {
        publish(store, id, &self.jobs.events);
    }

    /// Every job, newest first.
    pub async fn jobs_list(&self, request: JobsListRequest) -> Result<JobsPage, AppError> {
        let jobs = self.job_list().await?.list(
            request.limit.unwrap_or(DEFAULT_LIST_LIMIT),
            request.offset.unwrap_or(0),
        )?;
        Ok(JobsPage {
            items: jobs.iter().map(JobDto::from_job).collect(),
        })
    }

    /// One job and a page of its per-row results (membership changes).
    pub async fn jobs_get(&self, request: JobsGetRequest) -> Result<JobDetail, AppError> {
        let jobs = self.job_list().await?;
        let job = jobs.get(parse_job_id(&request.id)?)?;
        let page = jobs.rows(
            job.id,
            request.after.unwrap_or(0),
            request.limit.unwrap_or(DEFAULT_ROWS),
        )?;
        Ok(JobDetail {
            job: JobDto::from_job(&job),
            rows: page.rows.into_iter().map(JobRowDto::from).collect(),
            rows_total: page.total,
            next_after: page.next_after,
        })
    }

    /// Continues a failed, cancelled or interrupted job from its last checkpoint.
    pub async fn jobs_resume(&self, request: JobIdRequest) -> Result<JobRef, AppError> {
        let jobs = self.job_list().await?;
        let tenant = self.tenant().await?;
        let job = jobs.resume(parse_job_id(&request.id)?, &tenant).await?;
        self.publish_job(jobs.store(), job.id);
        Ok(JobRef::of(&job))
    }

    /// Asks a job to stop, wherever it runs (here or in the CLI); it ends `cancelled` and can be
    /// resumed.
    pub async fn jobs_cancel(&self, request: JobIdRequest) -> Result<JobDto, AppError> {
        let jobs = self.job_list().await?;
        let id = parse_job_id(&request.id)?;
        jobs.cancel(id)?;
        let job = jobs.get(id)?;
        self.publish_job(jobs.store(), id);
        Ok(JobDto::from_job(&job))
    }

    /// Deletes a job (stopping it first), with or without every file it made.
    pub async fn jobs_delete(&self, request: JobsDeleteRequest) -> Result<PathDto, AppError> {
        let jobs = self.job_list().await?;
        let job = jobs
            .delete(parse_job_id(&request.id)?, request.with_files)
            .await?;
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
        Ok(self.job_list().await?.file(parse_job_id(id)?)?)
    }

    /// Copies a job's file (a membership change's results, or a download's CSV) to the file the person
    /// chose in the save dialog,
    /// through `path.part` renamed when complete.
    pub async fn jobs_save_results(
        &self,
        request: JobsSaveResultsRequest,
    ) -> Result<PathDto, AppError> {
        let dest = self.chosen_file(&request.file, FileUse::SaveCsv)?;
        let saved = self
            .job_list()
            .await?
            .save_copy(parse_job_id(&request.id)?, &dest)?;
        Ok(PathDto {
            path: saved.to_string_lossy().into_owned(),
        })
    }
}

/// Forwards a history's events as DTOs while the app runs.
fn forward_events(jobs: &Jobs, events: broadcast::Sender<JobEventDto>) {
    let mut rx = jobs.subscribe();
    let store = Arc::clone(jobs.store());
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
                        message: crate::ipc::TextDto::from(&message),
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
                job: Box::new(JobDto::from_job(&job)),
            });
        }
        Ok(None) => {}
        Err(e) => tracing::warn!(job = %id, "could not read the job to report it: {e}"),
    }
}
