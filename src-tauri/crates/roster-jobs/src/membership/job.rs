//! A membership change as a stored job: created `queued`, run (or resumed) to `completed` or
//! `completed_with_errors`, with counts, the results file and the undo file.

use super::apply::{ApplyEnd, ApplyProgress, apply};
use super::outcome::{MembershipOp, RowState, StateCounts};
use super::preview::{Preview, preview};
use super::results::{undo_path, write_results, write_undo};
use super::{EngineConfig, MembershipError};
use crate::JobError;
use crate::context::JobContext;
use crate::event::{Progress, rate_and_eta};
use crate::work::{Finished, GraphAccess, JobWork, WorkFuture};
use roster_core::job::{JobId, JobKind, JobStatus};
use roster_core::text::Text;
use roster_graph::GraphClient;
use roster_store::{JobCounts, JobUpdate, Store};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

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
    /// The member file's SHA-256 when the preview was made ([`super::input_digest`]): every run
    /// checks the file is still the same. `None` for jobs of older versions (not checked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_sha256: Option<String>,
    /// The group's display name when the preview found it, for the job's title (`None` for jobs
    /// of older versions and specs made without a preview).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
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
            input_sha256: None,
            group_name: None,
        }
    }

    /// The spec bound to the member file's digest (see [`super::input_digest`]).
    #[must_use]
    pub fn with_input_digest(mut self, digest: impl Into<String>) -> Self {
        self.input_sha256 = Some(digest.into());
        self
    }

    /// Checks that the member file is the one the job was started with.
    async fn check_input(&self) -> Result<(), MembershipError> {
        let Some(expected) = self.input_sha256.clone() else {
            return Ok(());
        };
        let path = self.file.clone();
        let found = tokio::task::spawn_blocking(move || super::input_digest(&path))
            .await
            .map_err(|e| MembershipError::Internal(format!("reading the member file stopped ({e})")))?
            .map_err(|e| {
                MembershipError::Group(format!(
                    "the member file {} cannot be read: {e}; put the file back, or start a new import",
                    self.file.display()
                ))
            })?;
        if found == expected {
            Ok(())
        } else {
            Err(MembershipError::InputChanged {
                file: self.file.display().to_string(),
            })
        }
    }

    /// The undo file's path.
    pub fn undo_path(&self) -> PathBuf {
        self.undo
            .clone()
            .unwrap_or_else(|| undo_path(&self.results, self.op))
    }

    /// The stored kind of a job with this spec.
    pub fn kind(&self) -> JobKind {
        match self.op {
            MembershipOp::Add => JobKind::AddMembers,
            MembershipOp::Remove => JobKind::RemoveMembers,
        }
    }

    /// "Add members to GROUP from FILE", naming the group as `group`.
    /// Names the group in the title (its display name from the preview).
    pub fn with_group_name(mut self, name: impl Into<String>) -> Self {
        self.group_name = Some(name.into());
        self
    }

    /// The job's title: `job.title.addMembers` or `job.title.removeMembers` with the group's
    /// name (`group`) and the member file's name (`file`).
    pub fn title(&self) -> Text {
        let group = self.group_name.as_deref().unwrap_or(&self.group);
        let file = self
            .file
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let code = match self.op {
            MembershipOp::Add => "job.title.addMembers",
            MembershipOp::Remove => "job.title.removeMembers",
        };
        Text::new(code, self.describe_group(group))
            .with("group", group)
            .with("file", file)
    }

    fn describe_group(&self, group: &str) -> String {
        let file = self
            .file
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        match self.op {
            MembershipOp::Add => format!("Add members to {group} from {file}"),
            MembershipOp::Remove => format!("Remove members from {group} from {file}"),
        }
    }
}

/// How a run of a membership job ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// Checks, before the first change, that the results and undo files can be written (their
/// `.part` files are created and removed): a read-only folder must mean nothing was changed,
/// not changes made with no record of them.
fn writable(files: &[PathBuf]) -> Result<(), MembershipError> {
    for file in files {
        let part = roster_csv::part_path(file);
        let probe = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&part);
        match probe {
            Ok(_) => {
                let _ = std::fs::remove_file(&part);
            }
            Err(e) => {
                return Err(MembershipError::Write(roster_csv::WriteError::Io {
                    action: "create",
                    path: part,
                    source: e,
                }));
            }
        }
    }
    Ok(())
}

/// Least time between two saves of a running membership job's counters.
const COUNTS_INTERVAL: Duration = Duration::from_millis(250);

/// A membership change as a job kind of the one [`Runner`](crate::Runner): applies a preview,
/// stores every row's outcome, writes the results and undo files.
#[derive(Debug, Clone)]
pub struct MembershipJob {
    spec: MembershipSpec,
    preview: Option<Preview>,
    engine: EngineConfig,
}

impl MembershipJob {
    /// The job for `spec`; each run previews the stored file afresh against the group as it is
    /// then (how a stopped job is resumed: rows already done show up as done).
    pub fn new(spec: MembershipSpec) -> Self {
        Self {
            spec,
            preview: None,
            engine: EngineConfig::default(),
        }
    }

    /// The job for `spec` that applies `preview`, the one the person confirmed, on its first
    /// run (it must be a preview of the same operation, group and file).
    pub fn with_preview(spec: MembershipSpec, preview: Preview) -> Self {
        Self {
            preview: Some(preview),
            ..Self::new(spec)
        }
    }

    /// Replaces the engine's tuning (tests and benchmarks).
    pub fn engine(mut self, engine: EngineConfig) -> Self {
        self.engine = engine;
        self
    }

    /// The job's parameters.
    pub fn membership_spec(&self) -> &MembershipSpec {
        &self.spec
    }

    /// The preview to apply: the confirmed one, or a fresh one of the stored file.
    async fn planned(&mut self, client: &GraphClient) -> Result<Preview, MembershipError> {
        if let Some(planned) = self.preview.take() {
            return Ok(planned);
        }
        let path = self.spec.file.clone();
        let file = tokio::task::spawn_blocking(move || roster_csv::read_member_file(&path))
            .await
            .map_err(|e| MembershipError::Internal(format!("reading the member file stopped ({e})")))?
            .map_err(|e| {
                MembershipError::Group(format!(
                    "the member file {} cannot be read: {e}; put the file back, or start a new import",
                    self.spec.file.display()
                ))
            })?;
        preview(client, &self.engine, self.spec.op, &self.spec.group, &file).await
    }

    async fn execute(&mut self, context: &JobContext) -> Result<Finished, JobError> {
        let op = self.spec.op;
        let id = context.id();
        let client = context.client().clone();
        self.spec.check_input().await?;
        writable(&[self.spec.results.clone(), self.spec.undo_path()])?;
        let mut planned = self.planned(&client).await?;
        let store = Arc::clone(context.job_store());
        let already_done = (planned.rows.len() as u64).saturating_sub(planned.pending() as u64);
        let started = Instant::now();
        let mut saved = Instant::now();
        let pace = self.engine.pace.clone().or_else(|| context.pace.clone());
        let mut tracked = |p: &ApplyProgress| {
            let last = p.done == p.total;
            if last || saved.elapsed() >= COUNTS_INTERVAL {
                saved = Instant::now();
                let _ = store.update_job(
                    id,
                    &JobUpdate {
                        counts: Some(job_counts(&p.counts, op)),
                        ..JobUpdate::default()
                    },
                );
            }
            // About to wait for the pace (tests, demos): subscribers see where the job stands.
            let waiting = pace.as_ref().is_some_and(|p| p.available_permits() == 0);
            context.report_progress(last || waiting, |now| {
                let (rate, eta_secs) = rate_and_eta(
                    p.done.saturating_sub(already_done),
                    now.saturating_duration_since(started),
                    p.done,
                    Some(p.total),
                );
                Progress {
                    id,
                    items: p.done,
                    pages: 0,
                    total: Some(p.total),
                    rate,
                    eta_secs,
                    warnings: p.counts.errors(),
                    bytes: 0,
                }
            });
        };
        let cancel = context.cancel_token().clone();
        let engine = EngineConfig {
            pace: pace.clone(),
            ..self.engine.clone()
        };
        let end = apply(
            &client,
            &engine,
            &store,
            id,
            &mut planned,
            &mut tracked,
            &cancel,
        )
        .await;
        let counts = planned.counts;
        let save_counts = |store: &Store| {
            store.update_job(
                id,
                &JobUpdate {
                    counts: Some(job_counts(&counts, op)),
                    ..JobUpdate::default()
                },
            )
        };
        match end {
            Ok(ApplyEnd::Finished) => {}
            Ok(ApplyEnd::Cancelled) => {
                save_counts(&store)?;
                return Err(JobError::Cancelled);
            }
            Err(MembershipError::SimulatedCrash) => {
                return Err(JobError::Abandoned(
                    MembershipError::SimulatedCrash.to_string(),
                ));
            }
            Err(e) => {
                let _ = save_counts(&store);
                return Err(e.into());
            }
        }
        let results = write_results(&planned, &self.spec.results)?;
        let undo = write_undo(&planned, &self.spec.undo_path())?;
        let summary = (counts.errors() > 0).then(|| {
            Text::new(
                "job.note.notAllRows",
                format!(
                    "{NOT_ALL_ROWS}: {} of {} rows were not processed ({}); see {}",
                    counts.errors(),
                    counts.rows(),
                    counts.summary(),
                    results.display()
                ),
            )
            .with("failed", counts.errors())
            .with("rows", counts.rows())
            .with("file", results.display())
        });
        let status = if counts.errors() == 0 {
            JobStatus::Completed
        } else {
            JobStatus::CompletedWithErrors
        };
        let report = JobReport {
            id,
            status,
            counts,
            results,
            undo,
            error: summary.as_ref().map(|s| s.english.clone()),
        };
        Ok(Finished {
            output: None,
            rows: counts.rows(),
            bytes: 0,
            warnings: counts.errors(),
            summary,
            counts: job_counts(&counts, op),
            report: serde_json::to_value(&report).ok(),
        })
    }
}

impl JobWork for MembershipJob {
    fn kind(&self) -> JobKind {
        self.spec.kind()
    }

    fn describe(&self) -> String {
        match &self.preview {
            Some(p) => self.spec.describe_group(&p.group.display_name),
            None => self.spec.describe_group(&self.spec.group),
        }
    }

    fn spec(&self) -> Result<serde_json::Value, JobError> {
        serde_json::to_value(&self.spec)
            .map_err(|e| JobError::Internal(format!("could not encode the job ({e})")))
    }

    fn access(&self) -> GraphAccess {
        GraphAccess::Write
    }

    fn validate(&self) -> Result<(), JobError> {
        if self.spec.file.as_os_str().is_empty() {
            return Err(JobError::Input(
                "no member file given: name the CSV or XLSX file to read".into(),
            ));
        }
        if self.spec.results.is_dir() {
            return Err(JobError::Input(format!(
                "{} is a folder: name the results file to write inside it",
                self.spec.results.display()
            )));
        }
        Ok(())
    }

    fn results_path(&self) -> Option<PathBuf> {
        Some(self.spec.results.clone())
    }

    fn exclusive(&self) -> Option<String> {
        let group = match &self.preview {
            Some(p) => &p.group.id,
            None => &self.spec.group,
        };
        Some(format!("group:{}", group.to_ascii_lowercase()))
    }

    fn files(&self, _id: JobId) -> Vec<PathBuf> {
        [self.spec.results.clone(), self.spec.undo_path()]
            .into_iter()
            .flat_map(|f| [roster_csv::part_path(&f), f])
            .collect()
    }

    fn run<'a>(&'a mut self, context: &'a JobContext) -> WorkFuture<'a> {
        Box::pin(self.execute(context))
    }
}
