//! The job queue: starts jobs of every kind under a concurrency limit, runs them as tokio tasks,
//! records every status change in the store, and lets callers cancel (also from another process,
//! through the shared store), interrupt, resume, wait, delete and subscribe. Operations on stored
//! jobs alone (cancel, delete, wait for a job run elsewhere) need no Graph client.

use crate::context::JobContext;
use crate::event::{Coalescer, JobEvent};
use crate::work::{Finished, JobWork, stored_work};
use crate::{FailureKind, JobError};
use roster_core::job::{JobId, JobStatus, TransitionError};
use roster_core::text::Text;
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
    /// How often a running job's stored status is read, so that a cancel recorded by another
    /// process (the CLI beside the app, or the other way round) stops it here.
    pub status_poll: Duration,
}

impl Default for RunnerConfig {
    fn default() -> Self {
        Self {
            max_concurrent_jobs: 2,
            progress_interval: Duration::from_millis(250),
            page_size: None,
            group_lookahead: 2,
            pace: None,
            status_poll: Duration::from_millis(500),
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
    /// The job kind's own account of a completed run (a membership job's
    /// [`JobReport`](crate::membership::JobReport)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<serde_json::Value>,
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
    config: RunnerConfig,
    events: broadcast::Sender<JobEvent>,
    jobs: Mutex<HashMap<JobId, Running>>,
    slots: Arc<Semaphore>,
}

/// Runs jobs of every kind. Dropping the runner aborts its running jobs at once, as a crash would:
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
    /// A runner over `store`. Each job runs with the Graph client it is started with.
    pub fn new(store: Arc<Store>, config: RunnerConfig) -> Self {
        let (events, _) = broadcast::channel(1024);
        let slots = Arc::new(Semaphore::new(config.max_concurrent_jobs.max(1)));
        Self {
            inner: Arc::new(Inner {
                store,
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

    /// Checks `work` (columns, filters, paths), stores it as a new `queued` job and starts it with
    /// `client` (which must allow the work's [`GraphAccess`](crate::GraphAccess)) when a slot is
    /// free. Bad parameters fail here, before any job is created.
    pub fn submit(&self, work: impl JobWork, client: GraphClient) -> Result<JobId, JobError> {
        work.validate()?;
        let new = NewJob {
            kind: work.kind(),
            name: work.describe(),
            spec: work.spec()?,
            output_path: work.output_path(),
            exclusive: work.exclusive(),
        };
        let job = self.inner.store.create_job(&new)?;
        if let Some(results) = work.results_path() {
            self.inner.store.update_job(
                job.id,
                &JobUpdate {
                    results_path: Some(results),
                    ..JobUpdate::default()
                },
            )?;
        }
        self.start(job.id, Box::new(work), client)?;
        Ok(job.id)
    }

    /// The work of stored job `id` (to know which Graph access its resume needs).
    pub fn stored_work(&self, id: JobId) -> Result<Box<dyn JobWork>, JobError> {
        stored_work(&self.job(id)?)
    }

    /// Continues a failed, interrupted or cancelled job from its last checkpoint with `client`.
    pub fn resume(&self, id: JobId, client: GraphClient) -> Result<(), JobError> {
        let work = self.stored_work(id)?;
        self.resume_with(id, work, client)
    }

    /// Continues stopped job `id` running `work` (the stored job's own work with a fresh preview
    /// the person confirmed, for instance).
    pub fn resume_with(
        &self,
        id: JobId,
        work: Box<dyn JobWork>,
        client: GraphClient,
    ) -> Result<(), JobError> {
        let job = self.job(id)?;
        if self.is_running_here(id) {
            return Err(TransitionError {
                from: JobStatus::Running,
                to: JobStatus::Running,
            }
            .into());
        }
        if job.status != JobStatus::Queued {
            self.inner.store.update_job(
                id,
                &JobUpdate {
                    status: Some(JobStatus::Queued),
                    ..JobUpdate::default()
                },
            )?;
        }
        self.start(id, work, client)
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

    /// Interrupts every job running here (see [`Runner::interrupt`]); returns how many.
    pub fn interrupt_all(&self) -> usize {
        let ids: Vec<JobId> = self
            .inner
            .jobs
            .lock()
            .map(|jobs| jobs.keys().copied().collect())
            .unwrap_or_default();
        ids.into_iter().filter(|id| self.interrupt(*id)).count()
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

    /// Deletes a job (cancelling it first and waiting for it if it runs here); with `with_files`
    /// also every file it made ([`JobWork::files`]: a download's CSV and `.part`, a membership
    /// change's results and undo files). Returns false when no such job exists.
    pub async fn delete(&self, id: JobId, with_files: bool) -> Result<bool, JobError> {
        if self.cancel(id).is_ok() && self.is_running_here(id) {
            let _ = self.wait(id).await;
        }
        let Some(job) = self.inner.store.get_job(id)? else {
            return Ok(false);
        };
        let work = stored_work(&job).ok();
        if with_files {
            let mut files: Vec<PathBuf> = work.as_ref().map(|w| w.files(id)).unwrap_or_default();
            files.extend(job.output_path.iter().cloned());
            files.extend(job.results_path.iter().cloned());
            for file in files {
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
        if let Some(work) = &work {
            work.forget(&self.inner.store, id)?;
        }
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

    fn start(
        &self,
        id: JobId,
        work: Box<dyn JobWork>,
        client: GraphClient,
    ) -> Result<(), JobError> {
        let cancel = CancellationToken::new();
        let interrupt = Arc::new(AtomicBool::new(false));
        let (tx, rx) = watch::channel(None);
        let context = JobContext {
            id,
            client,
            store: Arc::clone(&self.inner.store),
            cancel: cancel.clone(),
            events: self.inner.events.clone(),
            pace: self.inner.config.pace.clone(),
            page_size: self.inner.config.page_size,
            group_lookahead: self.inner.config.group_lookahead.max(1),
            coalescer: Mutex::new(Coalescer::new(self.inner.config.progress_interval)),
            busy_poll: self.inner.config.status_poll.max(Duration::from_millis(10)),
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
        let ended = CancellationToken::new();
        watch_stored_cancel(
            Arc::clone(&self.inner.store),
            id,
            cancel.clone(),
            ended.clone(),
            self.inner.config.status_poll,
        );
        let task = tokio::spawn(async move {
            // Ends the status watcher however this task ends, aborted by a dropped runner included.
            let _ended = ended.drop_guard();
            let outcome = drive(context, work, slots, flag).await;
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

/// Reads job `id`'s stored status every `poll` until `ended`, and sets `cancel` once the store
/// says `cancelled` after this run was seen queued or running: how a cancel from another process
/// (which can only write the shared store) reaches the job.
fn watch_stored_cancel(
    store: Arc<Store>,
    id: JobId,
    cancel: CancellationToken,
    ended: CancellationToken,
    poll: Duration,
) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(poll.max(Duration::from_millis(10)));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut armed = false;
        loop {
            tokio::select! {
                () = ended.cancelled() => break,
                () = cancel.cancelled() => break,
                _ = tick.tick() => {}
            }
            let store = Arc::clone(&store);
            let status = tokio::task::spawn_blocking(move || store.get_job(id)).await;
            match status {
                Ok(Ok(Some(job))) => match job.status {
                    JobStatus::Queued | JobStatus::Running => armed = true,
                    JobStatus::Cancelled if armed => {
                        cancel.cancel();
                        break;
                    }
                    _ => {}
                },
                Ok(Ok(None)) => {
                    cancel.cancel();
                    break;
                }
                Ok(Err(e)) => tracing::debug!(job = %id, "could not read the job's status: {e}"),
                Err(_) => break,
            }
        }
    });
}

/// Runs `work` to its end and records how it ended: the one place where a job's final status,
/// counts and failure are stored and announced.
async fn drive(
    context: JobContext,
    mut work: Box<dyn JobWork>,
    slots: Arc<Semaphore>,
    interrupt: Arc<AtomicBool>,
) -> JobOutcome {
    let id = context.id;
    let result = run(&context, work.as_mut(), &slots).await;
    let not_ours = match &result {
        Err(JobError::Abandoned(reason)) => Some(reason.clone()),
        Err(e @ JobError::Store(roster_store::StoreError::AlreadyRunning(_))) => {
            Some(e.to_string())
        }
        _ => None,
    };
    if let Some(reason) = not_ours {
        // A simulated crash records nothing, as nothing would be after a real one; a run that
        // lost the claim to another run leaves the job to that run.
        return JobOutcome {
            id,
            status: JobStatus::Running,
            output: None,
            rows: 0,
            bytes: 0,
            warnings: 0,
            error: Some(reason),
            failure: Some(FailureKind::Internal),
            report: None,
        };
    }
    let (status, note, failure, finished) = match result {
        Ok(f) if f.warnings > 0 => (
            JobStatus::CompletedWithErrors,
            f.summary.clone(),
            None,
            Some(f),
        ),
        Ok(f) => (JobStatus::Completed, None, None, Some(f)),
        Err(JobError::Cancelled) if interrupt.load(Ordering::SeqCst) => (
            JobStatus::Interrupted,
            Some(Text::new(
                "job.note.interrupted",
                "stopped before the end; resume the job to continue from its last checkpoint",
            )),
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
            (
                status,
                Some(Text::plain(e.to_string())),
                Some(failure),
                None,
            )
        }
    };
    // The stored note keeps its code (plain words are stored as they are); subscribers and the
    // outcome get the English sentence.
    let stored_note = note.as_ref().map(|n| {
        if n.code == roster_core::text::PLAIN {
            n.english.clone()
        } else {
            n.to_stored()
        }
    });
    let error = note.map(|n| n.english);
    let update = JobUpdate {
        status: Some(status),
        counts: finished.as_ref().map(|f| f.counts),
        output_path: finished.as_ref().and_then(|f| f.output.clone()),
        error: Some(stored_note),
        ..JobUpdate::default()
    };
    let store = Arc::clone(&context.store);
    let saved = tokio::task::spawn_blocking(move || store.update_job(id, &update)).await;
    if let Ok(Err(e)) = saved {
        tracing::warn!(job = %id, "could not record the job's end: {e}");
    }
    let _ = context.events.send(JobEvent::Status {
        id,
        status,
        error: error.clone(),
    });
    let stored = context
        .store
        .load_checkpoint::<crate::sink::Checkpoint>(id)
        .ok()
        .flatten();
    JobOutcome {
        id,
        status,
        output: finished.as_ref().and_then(|f| f.output.clone()),
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
        report: finished.and_then(|f| f.report),
    }
}

/// Waits for a slot, marks the job running and runs its work.
async fn run(
    context: &JobContext,
    work: &mut dyn JobWork,
    slots: &Semaphore,
) -> Result<Finished, JobError> {
    let _slot = context
        .or_cancel(slots.acquire())
        .await?
        .map_err(|_| JobError::Cancelled)?;
    let id = context.id;
    claim(context).await?;
    let _ = context.events.send(JobEvent::Status {
        id,
        status: JobStatus::Running,
        error: None,
    });
    work.run(context).await
}

/// Marks the job running with one conditional update (see `Store::claim_job`). While another
/// running job changes the same group, waits (the job stays `queued`) and tries again; a job
/// whose owner process died does not hold the group (its run is marked interrupted first).
async fn claim(context: &JobContext) -> Result<(), JobError> {
    let id = context.id;
    let mut told = false;
    loop {
        let claimed = context
            .store(move |s| {
                s.mark_interrupted()?;
                s.claim_job(id)
            })
            .await;
        match claimed {
            Ok(()) => return Ok(()),
            // Cancelled (here or by another process) while it waited for a slot.
            Err(JobError::Store(roster_store::StoreError::Transition(t)))
                if t.from == JobStatus::Cancelled =>
            {
                return Err(JobError::Cancelled);
            }
            Err(JobError::Store(roster_store::StoreError::Busy { holder, .. })) => {
                if !told {
                    told = true;
                    tracing::info!(job = %id, holder = %holder, "waiting for the job changing the same group");
                }
                context
                    .or_cancel(tokio::time::sleep(context.busy_poll()))
                    .await?;
            }
            Err(e) => return Err(e),
        }
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
        error: job
            .error
            .as_deref()
            .map(|e| roster_core::text::Text::from_stored(e).english),
        failure: None,
        report: None,
    }
}
