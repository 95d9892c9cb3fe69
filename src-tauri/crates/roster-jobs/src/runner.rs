//! The job queue: starts jobs under a concurrency limit, runs them as tokio tasks, records every
//! status change in the store, and lets callers cancel, interrupt, resume, wait and subscribe.

use crate::event::{Coalescer, JobEvent};
use crate::sink::{Ctx, Finished};
use crate::{FailureKind, JobError, groups, members, users};
use roster_core::job::{JobId, JobSpec, JobStatus, TransitionError};
use roster_graph::GraphClient;
use roster_store::{Job, JobUpdate, NewJob, RunLease, Store};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Semaphore, broadcast, watch};
use tokio::task::AbortHandle;
use tokio_util::sync::CancellationToken;

/// How the runner behaves.
#[derive(Debug, Clone)]
pub struct RunnerConfig {
    /// Jobs running at once; more wait `queued`.
    pub max_concurrent_jobs: usize,
    /// Least time between two progress events of one job (250 ms = at most 4 per second).
    pub progress_interval: Duration,
    /// Page size (`$top`) override; `None` = the largest Graph allows for the columns.
    pub page_size: Option<u32>,
    /// Member downloads: `$batch` calls of first pages fetched ahead of the one being written.
    pub group_lookahead: usize,
    /// When set, every page (or batch) of every job takes one permit first: lets tests and
    /// step-by-step demos stop a job at an exact page. Progress is flushed before waiting.
    pub pace: Option<Arc<Semaphore>>,
}

impl Default for RunnerConfig {
    fn default() -> Self {
        Self {
            max_concurrent_jobs: 2,
            progress_interval: Duration::from_millis(250),
            page_size: None,
            group_lookahead: 2,
            pace: None,
        }
    }
}

/// How a job ended (or where it stopped).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobOutcome {
    /// The job.
    pub id: JobId,
    /// Its status now.
    pub status: JobStatus,
    /// The completed file, when the job completed.
    pub output: Option<PathBuf>,
    /// Rows written (header excluded).
    pub rows: u64,
    /// Bytes of the file.
    pub bytes: u64,
    /// Objects that could not be read.
    pub warnings: u64,
    /// Why it failed or stopped, or what the warnings were, in plain words.
    pub error: Option<String>,
    /// The failure class, for failed/cancelled/interrupted jobs.
    pub failure: Option<FailureKind>,
}

struct Running {
    cancel: CancellationToken,
    interrupt: Arc<AtomicBool>,
    done: watch::Receiver<Option<JobOutcome>>,
    task: Option<AbortHandle>,
    /// Tells the store this process runs the job; released when the task ends or the runner
    /// is dropped, whichever comes first.
    lease: Arc<Mutex<Option<RunLease>>>,
}

struct Inner {
    store: Arc<Store>,
    client: GraphClient,
    config: RunnerConfig,
    events: broadcast::Sender<JobEvent>,
    jobs: Mutex<HashMap<JobId, Running>>,
    slots: Arc<Semaphore>,
}

/// Runs download jobs. Dropping the runner aborts its running jobs at once, as a crash would:
/// they stay `running` in the store until [`Store::mark_interrupted`] and can then be resumed.
pub struct Runner {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Runner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runner")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        if let Ok(jobs) = self.inner.jobs.lock() {
            for running in jobs.values() {
                if let Some(task) = &running.task {
                    task.abort();
                }
                if let Ok(mut lease) = running.lease.lock() {
                    lease.take();
                }
            }
        }
    }
}

impl Runner {
    /// A runner over `store`, calling Graph through `client`.
    pub fn new(store: Arc<Store>, client: GraphClient, config: RunnerConfig) -> Self {
        let (events, _) = broadcast::channel(1024);
        let slots = Arc::new(Semaphore::new(config.max_concurrent_jobs.max(1)));
        Self {
            inner: Arc::new(Inner {
                store,
                client,
                config,
                events,
                jobs: Mutex::new(HashMap::new()),
                slots,
            }),
        }
    }

    /// The job database.
    pub fn store(&self) -> &Arc<Store> {
        &self.inner.store
    }

    /// Events of every job this runner runs. Slow subscribers miss old events (broadcast lag),
    /// never block the jobs.
    pub fn subscribe(&self) -> broadcast::Receiver<JobEvent> {
        self.inner.events.subscribe()
    }

    /// Checks `spec` (columns, filters), stores it as a new `queued` job and starts it when a
    /// slot is free. Bad parameters fail here, before any job is created.
    pub fn submit(&self, spec: JobSpec) -> Result<JobId, JobError> {
        validate(&spec)?;
        let new = NewJob {
            kind: spec.kind(),
            name: spec.describe(),
            spec: serde_json::to_value(&spec)
                .map_err(|e| JobError::Internal(format!("could not encode the job ({e})")))?,
            output_path: Some(spec.output().path.clone()),
        };
        let job = self.inner.store.create_job(&new)?;
        self.start(job.id, spec)?;
        Ok(job.id)
    }

    /// Continues a failed, interrupted or cancelled job from its last checkpoint.
    pub fn resume(&self, id: JobId) -> Result<(), JobError> {
        let job = self.job(id)?;
        if self.is_running_here(id) {
            return Err(TransitionError {
                from: JobStatus::Running,
                to: JobStatus::Running,
            }
            .into());
        }
        if job.status != JobStatus::Queued {
            job.status.transition(JobStatus::Running)?;
        }
        let spec: JobSpec = serde_json::from_value(job.spec.clone()).map_err(|e| {
            JobError::Input(format!(
                "job {id} was stored by another Roster version and cannot be read ({e}); start it again"
            ))
        })?;
        self.start(id, spec)
    }

    /// Asks a job to stop; it ends `cancelled`, keeping its partial file and checkpoint. A job
    /// run by another process is marked `cancelled` in the store and stops at its next page.
    /// Returns false when the job had already ended.
    pub fn cancel(&self, id: JobId) -> Result<bool, JobError> {
        if let Some(token) = self.token(id) {
            token.cancel();
            return Ok(true);
        }
        let job = self.job(id)?;
        if job.status.can_become(JobStatus::Cancelled) {
            self.inner.store.update_job(
                id,
                &JobUpdate {
                    status: Some(JobStatus::Cancelled),
                    ..JobUpdate::default()
                },
            )?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Stops a job running here so that it ends `interrupted` (resumable), as on Ctrl-C.
    pub fn interrupt(&self, id: JobId) -> bool {
        let jobs = self.inner.jobs.lock();
        let Ok(jobs) = jobs else { return false };
        match jobs.get(&id) {
            Some(r) if r.done.borrow().is_none() => {
                r.interrupt.store(true, Ordering::SeqCst);
                r.cancel.cancel();
                true
            }
            _ => false,
        }
    }

    /// Waits until the job ends (or stops) and says how. For a job not running here, reads
    /// its stored state.
    pub async fn wait(&self, id: JobId) -> Result<JobOutcome, JobError> {
        let rx = self
            .inner
            .jobs
            .lock()
            .ok()
            .and_then(|jobs| jobs.get(&id).map(|r| r.done.clone()));
        if let Some(mut rx) = rx {
            loop {
                if let Some(outcome) = rx.borrow_and_update().clone() {
                    return Ok(outcome);
                }
                rx.changed().await.map_err(|_| {
                    JobError::Internal("the job's task ended without an outcome".into())
                })?;
            }
        }
        let job = self.job(id)?;
        Ok(outcome_of(&job))
    }

    /// Deletes a job (cancelling it first if it runs here); with `with_files` also its CSV and
    /// `.part` file. Returns false when no such job exists.
    pub async fn delete(&self, id: JobId, with_files: bool) -> Result<bool, JobError> {
        if self.cancel(id).is_ok() && self.is_running_here(id) {
            let _ = self.wait(id).await;
        }
        let Some(job) = self.inner.store.get_job(id)? else {
            return Ok(false);
        };
        if with_files && let Some(path) = &job.output_path {
            for file in [path.clone(), roster_csv::part_path(path)] {
                match std::fs::remove_file(&file) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(source) => {
                        return Err(roster_csv::WriteError::Io {
                            action: "delete",
                            path: file,
                            source,
                        }
                        .into());
                    }
                }
            }
        }
        members::forget(&self.inner.store, id)?;
        self.inner.jobs.lock().map(|mut j| j.remove(&id)).ok();
        Ok(self.inner.store.delete_job(id)?)
    }

    fn job(&self, id: JobId) -> Result<Job, JobError> {
        self.inner.store.get_job(id)?.ok_or(JobError::NotFound(id))
    }

    fn token(&self, id: JobId) -> Option<CancellationToken> {
        let jobs = self.inner.jobs.lock().ok()?;
        jobs.get(&id)
            .filter(|r| r.done.borrow().is_none())
            .map(|r| r.cancel.clone())
    }

    fn is_running_here(&self, id: JobId) -> bool {
        self.token(id).is_some()
    }

    fn start(&self, id: JobId, spec: JobSpec) -> Result<(), JobError> {
        let cancel = CancellationToken::new();
        let interrupt = Arc::new(AtomicBool::new(false));
        let (tx, rx) = watch::channel(None);
        let ctx = Ctx {
            id,
            client: self.inner.client.clone(),
            store: Arc::clone(&self.inner.store),
            cancel: cancel.clone(),
            events: self.inner.events.clone(),
            pace: self.inner.config.pace.clone(),
            page_size: self.inner.config.page_size,
            group_lookahead: self.inner.config.group_lookahead.max(1),
            coalescer: Mutex::new(Coalescer::new(self.inner.config.progress_interval)),
        };
        let slots = Arc::clone(&self.inner.slots);
        let flag = Arc::clone(&interrupt);
        let mut jobs = self
            .inner
            .jobs
            .lock()
            .map_err(|_| JobError::Internal("the job table lock was poisoned".into()))?;
        let lease = Arc::new(Mutex::new(Some(self.inner.store.lease(id))));
        let held = Arc::clone(&lease);
        let task = tokio::spawn(async move {
            let outcome = drive(ctx, spec, slots, flag).await;
            if let Ok(mut lease) = held.lock() {
                lease.take();
            }
            let _ = tx.send(Some(outcome));
        });
        jobs.insert(
            id,
            Running {
                cancel,
                interrupt,
                done: rx,
                task: Some(task.abort_handle()),
                lease,
            },
        );
        Ok(())
    }
}

/// Checks what can be checked before a job exists.
fn validate(spec: &JobSpec) -> Result<(), JobError> {
    match spec {
        JobSpec::DownloadUsers(s) => {
            roster_core::columns::parse_user_columns(&s.columns)?;
        }
        JobSpec::DownloadGroups(s) => {
            roster_core::columns::parse_group_columns(&s.columns)?;
        }
        JobSpec::DownloadMembers(s) => {
            members::columns(s)?;
        }
        _ => {
            return Err(JobError::Input(
                "this job kind is not supported by this Roster version".into(),
            ));
        }
    }
    if spec.output().path.as_os_str().is_empty() {
        return Err(JobError::Input(
            "no output file given: name the CSV file to write".into(),
        ));
    }
    Ok(())
}

async fn drive(
    ctx: Ctx,
    spec: JobSpec,
    slots: Arc<Semaphore>,
    interrupt: Arc<AtomicBool>,
) -> JobOutcome {
    let id = ctx.id;
    let result = run(&ctx, &spec, &slots).await;
    let (status, error, failure, finished) = match result {
        Ok(f) if f.warnings > 0 => {
            let mut text = format!("{} requested object(s) could not be read", f.warnings);
            if !f.notes.is_empty() {
                text.push_str(": ");
                text.push_str(&f.notes.join("; "));
            }
            (JobStatus::CompletedWithErrors, Some(text), None, Some(f))
        }
        Ok(f) => (JobStatus::Completed, None, None, Some(f)),
        Err(JobError::Cancelled) if interrupt.load(Ordering::SeqCst) => (
            JobStatus::Interrupted,
            Some(
                "stopped before the end; resume the job to continue from its last checkpoint"
                    .to_owned(),
            ),
            Some(FailureKind::Cancelled),
            None,
        ),
        Err(e) => {
            let failure = e.failure_kind();
            let status = if failure == FailureKind::Cancelled {
                JobStatus::Cancelled
            } else {
                JobStatus::Failed
            };
            (status, Some(e.to_string()), Some(failure), None)
        }
    };
    let update = JobUpdate {
        status: Some(status),
        counts: finished.as_ref().map(|f| f.counts),
        output_path: finished.as_ref().map(|f| f.path.clone()),
        error: Some(error.clone()),
        ..JobUpdate::default()
    };
    let store = Arc::clone(&ctx.store);
    let saved = tokio::task::spawn_blocking(move || store.update_job(id, &update)).await;
    if let Ok(Err(e)) = saved {
        tracing::warn!(job = %id, "could not record the job's end: {e}");
    }
    let _ = ctx.events.send(JobEvent::Status {
        id,
        status,
        error: error.clone(),
    });
    let stored = ctx
        .store
        .load_checkpoint::<crate::sink::Checkpoint>(id)
        .ok()
        .flatten();
    JobOutcome {
        id,
        status,
        output: finished.as_ref().map(|f| f.path.clone()),
        rows: finished
            .as_ref()
            .map_or_else(|| stored.as_ref().map_or(0, |c| c.rows), |f| f.rows),
        bytes: finished.as_ref().map_or_else(
            || stored.as_ref().map_or(0, |c| c.write.bytes_written),
            |f| f.bytes,
        ),
        warnings: finished
            .as_ref()
            .map_or_else(|| stored.as_ref().map_or(0, |c| c.warnings), |f| f.warnings),
        error,
        failure,
    }
}

async fn run(ctx: &Ctx, spec: &JobSpec, slots: &Semaphore) -> Result<Finished, JobError> {
    let _slot = ctx
        .or_cancel(slots.acquire())
        .await?
        .map_err(|_| JobError::Cancelled)?;
    let id = ctx.id;
    ctx.store(move |s| {
        s.update_job(
            id,
            &JobUpdate {
                status: Some(JobStatus::Running),
                error: Some(None),
                ..JobUpdate::default()
            },
        )
    })
    .await?;
    let _ = ctx.events.send(JobEvent::Status {
        id,
        status: JobStatus::Running,
        error: None,
    });
    match spec {
        JobSpec::DownloadUsers(s) => users::run(ctx, s).await,
        JobSpec::DownloadGroups(s) => groups::run(ctx, s).await,
        JobSpec::DownloadMembers(s) => members::run(ctx, s).await,
        _ => Err(JobError::Input(
            "this job kind is not supported by this Roster version".into(),
        )),
    }
}

/// The outcome of a stored job that is not running here.
pub(crate) fn outcome_of(job: &Job) -> JobOutcome {
    let done = matches!(
        job.status,
        JobStatus::Completed | JobStatus::CompletedWithErrors
    );
    let bytes = job
        .output_path
        .as_ref()
        .filter(|_| done)
        .and_then(|p| std::fs::metadata(p).ok())
        .map_or(0, |m| m.len());
    JobOutcome {
        id: job.id,
        status: job.status,
        output: job.output_path.clone().filter(|_| done),
        rows: job.counts.succeeded,
        bytes,
        warnings: job.counts.failed,
        error: job.error.clone(),
        failure: None,
    }
}
