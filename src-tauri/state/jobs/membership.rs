//! Membership jobs (add or remove group members from a file) in the app: started from a confirmed
//! preview, resumed from a fresh preview of the stored spec (the CLI's way: rows already done are
//! never sent twice), cancelled, retried for their failed rows.

use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError};
use std::time::Instant;

use roster_core::job::{JobId, JobStatus};
use roster_graph::GraphClient;
use roster_jobs::Coalescer;
use roster_jobs::membership::{
    ApplyProgress, CancellationToken, EngineConfig, ErrorClass, MembershipError, MembershipSpec,
    Preview, create_job, preview, run_job,
};
use roster_store::{Job, JobUpdate, RowStatus, Store};
use tokio::sync::{broadcast, watch};

use super::{JobHost, publish, store_error};
use crate::ipc::{AppError, ErrorCode, JobEventDto, JobProgressDto, JobRef};
use crate::state::AppState;

/// Least time between two progress events of one membership job (at most 4 per second).
const PROGRESS_INTERVAL: std::time::Duration = std::time::Duration::from_millis(250);

/// A membership job running in this app: its cancel signal and whether its task has ended.
#[derive(Clone)]
pub(super) struct RunningMembership {
    cancel: CancellationToken,
    done: watch::Receiver<bool>,
}

impl AppState {
    /// Starts a membership job for a preview the person confirmed, and returns at once; progress
    /// and the end arrive as job events, the per-row results through `jobs_get`.
    ///
    /// `preview` must be the one made for `spec` (same operation, group and file). The job runs with
    /// the write-permitted Graph client of the session ([`AppState::write_graph`]).
    pub async fn start_membership_job(
        &self,
        spec: MembershipSpec,
        preview: Preview,
    ) -> Result<JobRef, AppError> {
        let store = self.job_store().await?;
        let client = self.write_graph().await?;
        let id = create_job(&store, &spec).map_err(membership_error)?;
        let job = store
            .get_job(id)
            .map_err(store_error)?
            .ok_or_else(|| AppError::new(ErrorCode::Internal, "The new job vanished."))?;
        self.publish_job(&store, id);
        spawn(&self.jobs, store, client, id, spec, preview);
        Ok(JobRef {
            id: id.to_string(),
            name: job.name,
        })
    }

    /// Resumes a stopped membership job: a fresh preview of its stored spec, then the same job goes on.
    pub(super) async fn resume_membership_job(
        &self,
        store: &Arc<Store>,
        job: &Job,
    ) -> Result<JobRef, AppError> {
        let spec = stored_spec(job)?;
        let client = self.write_graph().await?;
        let planned = fresh_preview(&client, &spec).await?;
        spawn(&self.jobs, Arc::clone(store), client, job.id, spec, planned);
        Ok(JobRef {
            id: job.id.to_string(),
            name: job.name.clone(),
        })
    }

    /// Starts a new membership job for the rows of job `id` that failed (same group and operation).
    pub async fn jobs_retry_failed(
        &self,
        request: crate::ipc::JobIdRequest,
    ) -> Result<JobRef, AppError> {
        let store = self.job_store().await?;
        let job = super::find(&store, &request.id)?;
        if !matches!(
            job.kind,
            roster_store::JobKind::AddMembers | roster_store::JobKind::RemoveMembers
        ) {
            return Err(AppError::new(
                ErrorCode::Validation,
                "Only member imports and removals have rows to retry; resume a download instead.",
            ));
        }
        let failed = failed_inputs(&store, job.id)?;
        if failed.is_empty() {
            return Err(AppError::new(
                ErrorCode::Validation,
                "No row of this job failed, so there is nothing to retry.",
            ));
        }
        let old = stored_spec(&job)?;
        let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S").to_string();
        let file = self
            .options
            .data_dir
            .join("retries")
            .join(format!("{}-retry-{stamp}.csv", job.id));
        write_member_list(&file, &failed)?;
        let results = sibling(&old.results, &format!("retry-{stamp}"));
        let spec = MembershipSpec::new(old.op, old.group.clone(), file, results);
        let client = self.write_graph().await?;
        let planned = fresh_preview(&client, &spec).await?;
        self.start_membership_job(spec, planned).await
    }

    /// Cancels a membership job running here and waits until its task has recorded the stop.
    pub(super) async fn stop_membership_job(&self, id: JobId) {
        let running = self
            .jobs
            .membership
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&id)
            .cloned();
        if let Some(mut running) = running {
            running.cancel.cancel();
            let _ = running.done.wait_for(|done| *done).await;
        }
    }

    /// The cancel signal of membership job `id` if it runs here.
    pub(super) fn membership_cancel(&self, id: JobId) -> Option<CancellationToken> {
        self.jobs
            .membership
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&id)
            .map(|r| r.cancel.clone())
    }
}

/// Runs membership job `id` in a task: marks it running, applies, records the end, reports.
fn spawn(
    host: &JobHost,
    store: Arc<Store>,
    client: GraphClient,
    id: JobId,
    spec: MembershipSpec,
    mut planned: Preview,
) {
    let cancel = CancellationToken::new();
    let (done_tx, done_rx) = watch::channel(false);
    host.membership
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(
            id,
            RunningMembership {
                cancel: cancel.clone(),
                done: done_rx,
            },
        );
    let running = Arc::clone(&host.membership);
    let events = host.events.clone();
    tokio::spawn(async move {
        let marked = store.update_job(
            id,
            &JobUpdate {
                status: Some(JobStatus::Running),
                error: Some(None),
                ..JobUpdate::default()
            },
        );
        let result = match marked {
            Ok(()) => {
                publish(&store, id, &events);
                let mut progress = progress_reporter(id, &planned, events.clone());
                let config = EngineConfig::default();
                run_job(
                    &client,
                    &config,
                    &store,
                    id,
                    &spec,
                    &mut planned,
                    &mut progress,
                    &cancel,
                )
                .await
                .map(|_| ())
            }
            Err(e) => Err(MembershipError::Store(e)),
        };
        if let Err(e) = result {
            record_failure(&store, id, &e);
        }
        running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&id);
        let _ = done_tx.send(true);
        publish(&store, id, &events);
    });
}

/// A job still `running` after an error (the engine leaves internal errors to the caller) is
/// marked `failed` with the reason, so it offers Resume.
fn record_failure(store: &Store, id: JobId, error: &MembershipError) {
    let still_running = store
        .get_job(id)
        .ok()
        .flatten()
        .is_some_and(|j| j.status == JobStatus::Running);
    if still_running {
        let _ = store.update_job(
            id,
            &JobUpdate {
                status: Some(JobStatus::Failed),
                error: Some(Some(error.to_string())),
                ..JobUpdate::default()
            },
        );
    }
}

/// The progress callback of a run: coalesced to [`PROGRESS_INTERVAL`], the last one always sent.
fn progress_reporter(
    id: JobId,
    planned: &Preview,
    events: broadcast::Sender<JobEventDto>,
) -> impl FnMut(&ApplyProgress) + Send + use<> {
    let already_done = (planned.rows.len() as u64).saturating_sub(planned.pending() as u64);
    let started = Instant::now();
    let mut coalescer = Coalescer::new(PROGRESS_INTERVAL);
    move |p: &ApplyProgress| {
        if !coalescer.admit(Instant::now()) && p.done < p.total {
            return;
        }
        let secs = started.elapsed().as_secs_f64();
        let this_run = p.done.saturating_sub(already_done);
        let rate = if secs > 0.0 {
            this_run as f64 / secs
        } else {
            0.0
        };
        let eta_secs =
            (rate > 0.0).then(|| (p.total.saturating_sub(p.done) as f64 / rate).ceil() as u64);
        let _ = events.send(JobEventDto::Progress {
            progress: JobProgressDto {
                id: id.to_string(),
                items: p.done,
                pages: 0,
                total: Some(p.total),
                rate,
                eta_secs,
                warnings: p.counts.errors(),
            },
        });
    }
}

/// The membership spec stored with a job.
fn stored_spec(job: &Job) -> Result<MembershipSpec, AppError> {
    serde_json::from_value(job.spec.clone()).map_err(|e| {
        AppError::new(
            ErrorCode::Validation,
            "This job was stored by another Roster version and cannot be continued here. Start it again from the group's page.",
        )
        .with_detail(e.to_string())
    })
}

/// Reads the spec's member file again and previews it against the group as it is now.
async fn fresh_preview(client: &GraphClient, spec: &MembershipSpec) -> Result<Preview, AppError> {
    let file = roster_csv::read_member_file(&spec.file).map_err(|e| {
        AppError::new(
            ErrorCode::Validation,
            format!(
                "The member file {} cannot be read: {e}. Put the file back, or start a new import.",
                spec.file.display()
            ),
        )
    })?;
    preview(
        client,
        &EngineConfig::default(),
        spec.op,
        &spec.group,
        &file,
    )
    .await
    .map_err(membership_error)
}

/// The inputs of every failed row of job `id`, in row order.
fn failed_inputs(store: &Store, id: JobId) -> Result<Vec<String>, AppError> {
    let mut inputs = Vec::new();
    let mut after = 0;
    loop {
        let page = store.row_results(id, after, 5000).map_err(store_error)?;
        let Some(last) = page.last() else { break };
        after = last.row_number;
        inputs.extend(
            page.into_iter()
                .filter(|r| r.status == RowStatus::Failed)
                .map(|r| r.input),
        );
    }
    Ok(inputs)
}

/// Writes a one-column member file (header `member`) through `.part`.
fn write_member_list(path: &Path, inputs: &[String]) -> Result<(), AppError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| {
            AppError::new(
                ErrorCode::Internal,
                format!("Could not create {}: {e}", dir.display()),
            )
        })?;
    }
    let write = || -> Result<PathBuf, roster_csv::WriteError> {
        let mut writer = roster_csv::CsvWriter::create(path, roster_csv::WriterOptions::default())?;
        writer.write_record(["member"])?;
        for input in inputs {
            writer.write_record([input.as_str()])?;
        }
        writer.finish()
    };
    write().map(|_| ()).map_err(|e| {
        AppError::new(
            ErrorCode::Internal,
            format!("Could not write the file of failed rows: {e}"),
        )
    })
}

/// `dir/results.csv` → `dir/results.TAG.csv`.
fn sibling(path: &Path, tag: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "results".into());
    path.with_file_name(format!("{stem}.{tag}.csv"))
}

/// Deletes a membership job's results and undo files (a missing file is fine).
pub(super) fn delete_files(job: &Job) -> Result<(), AppError> {
    let mut files: Vec<PathBuf> = job.results_path.iter().cloned().collect();
    if let Ok(spec) = stored_spec(job) {
        files.push(spec.results.clone());
        files.push(spec.undo_path());
    }
    for file in files {
        for path in [roster_csv::part_path(&file), file] {
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(AppError::new(
                        ErrorCode::Validation,
                        format!(
                            "Could not delete {}: {e}. Close it in other programs and try again.",
                            path.display()
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// A membership engine failure as the UI sees it.
pub(crate) fn membership_error(e: MembershipError) -> AppError {
    match e {
        MembershipError::Graph(g) => AppError::from(g),
        MembershipError::Store(s) => store_error(s),
        other => {
            let code = match other.class() {
                ErrorClass::Input => ErrorCode::Validation,
                ErrorClass::Auth => ErrorCode::Forbidden,
                ErrorClass::Graph => ErrorCode::Network,
                ErrorClass::Io => ErrorCode::Internal,
            };
            AppError::new(code, other.to_string())
        }
    }
}
