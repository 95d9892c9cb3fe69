//! A membership change as a stored job: created `queued`, run (or resumed) to `completed` or
//! `completed_with_errors`, with counts, the results file and the undo file.

use super::apply::{ApplyEnd, ApplyProgress, apply};
use super::outcome::{MembershipOp, RowState, StateCounts};
use super::preview::Preview;
use super::results::{undo_path, write_results, write_undo};
use super::{EngineConfig, MembershipError};
use roster_core::job::{JobId, JobKind, JobStatus};
use roster_graph::GraphClient;
use roster_store::{JobCounts, JobUpdate, NewJob, Store};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// The admin center's code for a job where some rows failed.
pub const NOT_ALL_ROWS: &str = "NotAllRowsSuccessfullyProcessed";

/// A membership job's parameters, stored with the job so a resume runs the same change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MembershipSpec {
    /// Add or remove.
    pub op: MembershipOp,
    /// The group's object id or display name, as given.
    pub group: String,
    /// The member file.
    pub file: PathBuf,
    /// Where the per-row results CSV goes.
    pub results: PathBuf,
    /// Where the undo file goes; `None` = beside the results ([`undo_path`]).
    #[serde(default)]
    pub undo: Option<PathBuf>,
}

impl MembershipSpec {
    /// A spec with the default undo path.
    pub fn new(
        op: MembershipOp,
        group: impl Into<String>,
        file: impl Into<PathBuf>,
        results: impl Into<PathBuf>,
    ) -> Self {
        Self {
            op,
            group: group.into(),
            file: file.into(),
            results: results.into(),
            undo: None,
        }
    }

    /// The undo file's path.
    pub fn undo_path(&self) -> PathBuf {
        self.undo
            .clone()
            .unwrap_or_else(|| undo_path(&self.results, self.op))
    }

    fn kind(&self) -> JobKind {
        match self.op {
            MembershipOp::Add => JobKind::AddMembers,
            MembershipOp::Remove => JobKind::RemoveMembers,
        }
    }

    fn describe(&self) -> String {
        let file = self
            .file
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        match self.op {
            MembershipOp::Add => format!("Add members to {} from {file}", self.group),
            MembershipOp::Remove => format!("Remove members from {} from {file}", self.group),
        }
    }
}

/// How a run of a membership job ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobReport {
    /// The job.
    pub id: JobId,
    /// Its status now: completed, completed_with_errors or cancelled.
    pub status: JobStatus,
    /// Row tallies.
    pub counts: StateCounts,
    /// The results file.
    pub results: PathBuf,
    /// The undo file, when something changed.
    pub undo: Option<PathBuf>,
    /// For completed_with_errors: `NotAllRowsSuccessfullyProcessed` and the counts.
    pub error: Option<String>,
}

/// Stores a new `queued` job for `spec`.
pub fn create_job(store: &Store, spec: &MembershipSpec) -> Result<JobId, MembershipError> {
    let job = store.create_job(&NewJob {
        kind: spec.kind(),
        name: spec.describe(),
        spec: serde_json::to_value(spec)
            .map_err(|e| MembershipError::Internal(format!("could not encode the job ({e})")))?,
        output_path: None,
    })?;
    store.update_job(
        job.id,
        &JobUpdate {
            results_path: Some(spec.results.clone()),
            ..JobUpdate::default()
        },
    )?;
    Ok(job.id)
}

fn job_counts(counts: &StateCounts, op: MembershipOp) -> JobCounts {
    let pending = counts.get(RowState::planned(op));
    let total = counts.rows();
    let failed = counts.errors();
    let succeeded = counts.get(RowState::done(op));
    JobCounts {
        total: Some(total),
        done: total - pending,
        succeeded,
        failed,
        skipped: total - pending - failed - succeeded,
    }
}

/// Runs (or resumes) job `job` with a fresh `preview` of `spec`: moves it to `running`, applies,
/// writes the results and undo files and records the final status and counts. While it runs, this
/// process holds the job's lease, so [`Store::mark_interrupted`] elsewhere leaves it running. A failure marks
/// the job `failed` with the reason (resumable); a cancel marks it `cancelled`.
#[allow(clippy::too_many_arguments)]
pub async fn run_job(
    client: &GraphClient,
    config: &EngineConfig,
    store: &Arc<Store>,
    job: JobId,
    spec: &MembershipSpec,
    preview: &mut Preview,
    progress: &mut (dyn FnMut(&ApplyProgress) + Send),
    cancel: &CancellationToken,
) -> Result<JobReport, MembershipError> {
    let op = spec.op;
    let _lease = store.lease(job);
    let current = store
        .get_job(job)?
        .ok_or_else(|| MembershipError::Internal(format!("job {job} is not in the job list")))?;
    if current.status != JobStatus::Running {
        store.update_job(
            job,
            &JobUpdate {
                status: Some(JobStatus::Running),
                error: Some(None),
                ..JobUpdate::default()
            },
        )?;
    }
    let mut last = std::time::Instant::now();
    let mut tracked = |p: &ApplyProgress| {
        if last.elapsed() >= std::time::Duration::from_millis(250) || p.done == p.total {
            last = std::time::Instant::now();
            let _ = store.update_job(
                job,
                &JobUpdate {
                    counts: Some(job_counts(&p.counts, op)),
                    ..JobUpdate::default()
                },
            );
        }
        progress(p);
    };
    let end = apply(client, config, store, job, preview, &mut tracked, cancel).await;
    let end = match end {
        Ok(end) => end,
        Err(e) => {
            if !matches!(e, MembershipError::Internal(_)) {
                let _ = store.update_job(
                    job,
                    &JobUpdate {
                        status: Some(JobStatus::Failed),
                        counts: Some(job_counts(&preview.counts, op)),
                        error: Some(Some(e.to_string())),
                        ..JobUpdate::default()
                    },
                );
            }
            return Err(e);
        }
    };
    let counts = preview.counts;
    if end == ApplyEnd::Cancelled {
        store.update_job(
            job,
            &JobUpdate {
                status: Some(JobStatus::Cancelled),
                counts: Some(job_counts(&counts, op)),
                error: Some(Some(
                    "Cancelled; resume the job to process the remaining rows.".into(),
                )),
                ..JobUpdate::default()
            },
        )?;
        return Ok(JobReport {
            id: job,
            status: JobStatus::Cancelled,
            counts,
            results: spec.results.clone(),
            undo: None,
            error: None,
        });
    }
    let results = write_results(preview, &spec.results)?;
    let undo = write_undo(preview, &spec.undo_path())?;
    let (status, error) = if counts.errors() == 0 {
        (JobStatus::Completed, None)
    } else {
        (
            JobStatus::CompletedWithErrors,
            Some(format!(
                "{NOT_ALL_ROWS}: {} of {} rows were not processed ({}); see {}",
                counts.errors(),
                counts.rows(),
                counts.summary(),
                results.display()
            )),
        )
    };
    store.update_job(
        job,
        &JobUpdate {
            status: Some(status),
            counts: Some(job_counts(&counts, op)),
            results_path: Some(results.clone()),
            error: Some(error.clone()),
            ..JobUpdate::default()
        },
    )?;
    Ok(JobReport {
        id: job,
        status,
        counts,
        results,
        undo,
        error,
    })
}
