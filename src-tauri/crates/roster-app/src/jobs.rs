//! Jobs, for both front ends: one runner over the profile's job database, and every operation on
//! jobs (start, list, show, resume, cancel, delete, retry failed rows, save a copy of a job's file).
//! A cancel or delete from one process reaches a job running in another through the shared store.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use roster_core::job::{JobId, JobSpec};
use roster_core::text::Text;
use roster_jobs::membership::{MembershipJob, MembershipOp, MembershipSpec, input_digest};
use roster_jobs::{JobEvent, JobOutcome, JobWork, Runner, RunnerConfig};
use roster_store::{Job, RowResult, Store};
use tokio::sync::broadcast;

use crate::connection::Connection;
use crate::error::{AppError, ErrorCode};
use crate::follow_up::{FollowUp, tagged};
use crate::membership::MembershipPreview;
use crate::profile::Profile;

/// Row results per page when the caller names no limit, and the most one page may hold.
pub const DEFAULT_ROWS: u32 = 500;
/// The largest page of row results.
pub const MAX_ROWS: u32 = 5000;

/// A page of a job's per-row results (membership changes).
#[derive(Debug, Clone, PartialEq)]
pub struct RowsPage {
    /// The rows, in input order.
    pub rows: Vec<RowResult>,
    /// Rows stored for the job.
    pub total: u64,
    /// The row number to continue after, when there are more.
    pub next_after: Option<u64>,
}

/// The jobs of one profile.
pub struct Jobs {
    profile: Profile,
    store: Arc<Store>,
    runner: Runner,
}

impl std::fmt::Debug for Jobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Jobs")
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

impl Jobs {
    /// Opens the profile's job history (jobs a crash left running become `interrupted`).
    pub fn open(profile: &Profile, config: RunnerConfig) -> Result<Self, AppError> {
        let store = profile.open_store()?;
        Ok(Self {
            profile: profile.clone(),
            runner: Runner::new(Arc::clone(&store), config),
            store,
        })
    }

    /// The profile.
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The job database.
    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// Events of every job run here: status changes, coalesced progress with rate and ETA, notices.
    pub fn subscribe(&self) -> broadcast::Receiver<JobEvent> {
        self.runner.subscribe()
    }

    /// Starts `work` with the connection's client for the access it needs; returns the new job.
    pub async fn start(
        &self,
        work: impl JobWork,
        connection: &Connection,
    ) -> Result<Job, AppError> {
        let client = connection.graph(work.access()).await?;
        let id = self.runner.submit(work, client)?;
        self.get(id)
    }

    /// Starts a download, creating the output file's folder first. The file is recorded by its
    /// absolute path (a CLI's relative `--out` resolved against its working folder), so a resume
    /// from anywhere writes the same file, and a second download to a file another queued or running
    /// job writes is refused before it starts (whether from this window, another or the CLI).
    pub async fn download(
        &self,
        mut spec: JobSpec,
        connection: &Connection,
    ) -> Result<Job, AppError> {
        let output = &mut spec.output_mut().path;
        AppError::require_unicode(output)?;
        if !output.as_os_str().is_empty()
            && let Ok(absolute) = std::path::absolute(&*output)
        {
            *output = absolute;
        }
        if let Some(dir) = spec
            .output()
            .path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).map_err(|e| {
                AppError::coded(
                    ErrorCode::Validation,
                    Text::new(
                        "app.folderNotCreated",
                        format!(
                            "The folder {} cannot be created: {e}. Choose another place for the file.",
                            dir.display()
                        ),
                    )
                    .with("folder", dir.display())
                    .with("error", e),
                )
            })?;
        }
        self.start(spec, connection).await
    }

    /// Every job, newest first.
    pub fn list(&self, limit: u32, offset: u64) -> Result<Vec<Job>, AppError> {
        Ok(self.store.list_jobs(limit, offset)?)
    }

    /// One job.
    pub fn get(&self, id: JobId) -> Result<Job, AppError> {
        self.store.get_job(id)?.ok_or_else(AppError::job_not_found)
    }

    /// A job by its full id or a unique start of it (as typed on a command line).
    pub fn find(&self, text: &str) -> Result<Job, AppError> {
        if let Ok(id) = text.trim().parse::<JobId>() {
            return self.get(id);
        }
        let wanted = text.trim().to_ascii_lowercase();
        let matches: Vec<Job> = self
            .store
            .list_jobs(10_000, 0)?
            .into_iter()
            .filter(|j| !wanted.is_empty() && j.id.to_string().starts_with(&wanted))
            .collect();
        match matches.len() {
            1 => Ok(matches.into_iter().next().unwrap_or_else(|| unreachable!())),
            0 => Err(AppError::coded(
                ErrorCode::NotFound,
                Text::new(
                    "app.noJobWithId",
                    format!("No job has the id '{text}'. The job list shows the known jobs."),
                )
                .with("id", text),
            )),
            n => Err(AppError::coded(
                ErrorCode::Validation,
                Text::new(
                    "app.ambiguousJobId",
                    format!("'{text}' matches {n} jobs; give more of the id."),
                )
                .with("id", text)
                .with("count", n),
            )),
        }
    }

    /// A page of a job's per-row results, after row number `after`.
    pub fn rows(&self, id: JobId, after: u64, limit: u32) -> Result<RowsPage, AppError> {
        let limit = limit.clamp(1, MAX_ROWS);
        let rows = self.store.row_results(id, after, limit)?;
        let total = self.store.count_row_results(id)?;
        let next_after = rows
            .last()
            .filter(|_| rows.len() == limit as usize)
            .map(|r| r.row_number);
        Ok(RowsPage {
            rows,
            total,
            next_after,
        })
    }

    /// Continues a failed, cancelled or interrupted job from its last checkpoint (a membership
    /// change previews its file afresh, so rows already done are never sent twice).
    pub async fn resume(&self, id: JobId, connection: &Connection) -> Result<Job, AppError> {
        let job = self.resumable(id)?;
        let work = self.runner.stored_work(job.id)?;
        let client = connection.graph(work.access()).await?;
        self.runner.resume_with(job.id, work, client)?;
        self.get(id)
    }

    /// Continues stopped job `id` with `work` (its own work with a preview the person confirmed).
    pub async fn resume_with(
        &self,
        id: JobId,
        work: Box<dyn JobWork>,
        connection: &Connection,
    ) -> Result<Job, AppError> {
        self.resumable(id)?;
        let client = connection.graph(work.access()).await?;
        self.runner.resume_with(id, work, client)?;
        self.get(id)
    }

    fn resumable(&self, id: JobId) -> Result<Job, AppError> {
        let job = self.get(id)?;
        if !job.status.is_resumable() {
            return Err(AppError::coded(
                ErrorCode::Validation,
                Text::new(
                    "app.notResumable",
                    format!(
                        "This job is {}; only failed, cancelled or interrupted jobs can be resumed.",
                        job.status
                    ),
                )
                .with("status", job.status.as_str()),
            ));
        }
        Ok(job)
    }

    /// Marks a job that the store says is running, but that no process runs, `interrupted`, so it
    /// can be resumed (for `--force` when the person knows better than the store).
    pub fn mark_interrupted_by_hand(&self, id: JobId) -> Result<(), AppError> {
        self.store.update_job(
            id,
            &roster_store::JobUpdate {
                status: Some(roster_core::job::JobStatus::Interrupted),
                ..roster_store::JobUpdate::default()
            },
        )?;
        Ok(())
    }

    /// Asks a job to stop, wherever it runs; it ends `cancelled` and can be resumed. False when
    /// it had already ended.
    pub fn cancel(&self, id: JobId) -> Result<bool, AppError> {
        Ok(self.runner.cancel(id)?)
    }

    /// Stops a job running here so that it ends `interrupted` (Ctrl-C, a session that ends).
    pub fn interrupt(&self, id: JobId) -> bool {
        self.runner.interrupt(id)
    }

    /// Interrupts every job running here (the session that started them ended): they end
    /// `interrupted` and offer Resume.
    pub fn interrupt_running(&self) {
        self.runner.interrupt_all();
    }

    /// Waits for a job to end (or stop) and says how.
    pub async fn wait(&self, id: JobId) -> Result<JobOutcome, AppError> {
        Ok(self.runner.wait(id).await?)
    }

    /// Deletes a job (stopping it first), with or without every file it made. Returns the job as
    /// it was.
    pub async fn delete(&self, id: JobId, with_files: bool) -> Result<Job, AppError> {
        let job = self.get(id)?;
        self.runner.delete(id, with_files).await?;
        Ok(job)
    }

    /// Starts a new membership job for the rows of job `id` that failed (same group and operation):
    /// the failed inputs go to a member file of their own in the data folder. The desktop previews
    /// the same file first ([`Jobs::follow_up`]); the CLI's `roster jobs retry` starts it at once.
    pub async fn retry_failed(&self, id: JobId, connection: &Connection) -> Result<Job, AppError> {
        let source = self.follow_up(id, FollowUp::RetryFailed)?;
        let results = tagged(&source.spec.results, &format!("retry-{}", source.stamp));
        let digest = input_digest(&source.file).map_err(|e| {
            AppError::new(
                ErrorCode::Io,
                format!("The retry file cannot be read: {e}."),
            )
        })?;
        let spec = MembershipSpec::new(source.op, source.group_id, source.file, results)
            .with_input_digest(digest);
        self.start(MembershipJob::new(spec), connection).await
    }

    /// The file a job left that exists now: a membership change's results, or a download's CSV.
    pub fn file(&self, id: JobId) -> Result<PathBuf, AppError> {
        let job = self.get(id)?;
        job.results_path
            .or(job.output_path)
            .filter(|p| p.is_file())
            .ok_or_else(|| {
                AppError::coded(
                    ErrorCode::NotFound,
                    Text::new(
                        "app.noJobFile",
                        "This job's file does not exist (yet, or any more). Resume the job, or start it again.",
                    ),
                )
            })
    }

    /// Copies a job's file to `dest` through `dest.part`, so no half file carries the final name.
    pub fn save_copy(&self, id: JobId, dest: &Path) -> Result<PathBuf, AppError> {
        let source = self.file(id)?;
        let part = roster_csv::part_path(dest);
        let failed = |path: &Path, e: std::io::Error| {
            AppError::coded(
                ErrorCode::Io,
                Text::new(
                    "app.cannotWrite",
                    format!(
                        "Could not write {}: {e}. Choose a folder you can write to.",
                        path.display()
                    ),
                )
                .with("file", path.display())
                .with("error", e),
            )
        };
        std::fs::copy(&source, &part).map_err(|e| failed(&part, e))?;
        roster_csv::replace(&part, dest).map_err(|e| {
            let _ = std::fs::remove_file(&part);
            match e {
                roster_csv::WriteError::TargetInUse { .. } => AppError::coded(
                    ErrorCode::Io,
                    Text::new(
                        "app.copyTargetInUse",
                        format!(
                            "{} is open in another program (Excel?). Close it there and save the copy again, or choose another name.",
                            dest.display()
                        ),
                    )
                    .with("file", dest.display()),
                ),
                roster_csv::WriteError::Io { source, .. } => failed(dest, source),
                other => failed(dest, std::io::Error::other(other.to_string())),
            }
        })?;
        Ok(dest.to_owned())
    }

    /// An unfinished membership job (failed, interrupted, cancelled) with exactly this spec: what
    /// running the same command again continues.
    pub fn unfinished_membership(
        &self,
        previewed: &MembershipPreview,
        results: Option<&Path>,
    ) -> Result<Option<(JobId, MembershipSpec)>, AppError> {
        let kind = previewed.spec(None).kind();
        Ok(self
            .store
            .list_jobs(1000, 0)?
            .into_iter()
            .filter(|j| j.kind == kind && j.status.is_resumable())
            .filter_map(|j| {
                let spec: MembershipSpec = serde_json::from_value(j.spec).ok()?;
                let same = spec.op == previewed.op
                    && spec.group.eq_ignore_ascii_case(&previewed.group_id)
                    && spec.file == previewed.file
                    && spec.input_sha256.as_deref() == Some(previewed.input_sha256.as_str())
                    && results.is_none_or(|r| spec.results == r);
                same.then_some((j.id, spec))
            })
            .next())
    }

    /// A results file name for a new membership job on `file`: `F.add-results.csv`, or
    /// `F.add-results (2).csv` and so on when a file of that name (or its undo file) exists or
    /// another job records it, so that no two jobs share results or undo files.
    pub fn free_results_path(&self, file: &Path, op: MembershipOp) -> Result<PathBuf, AppError> {
        let base = crate::membership::results_path(file, op);
        let used: std::collections::HashSet<PathBuf> = self
            .store
            .list_jobs(10_000, 0)?
            .into_iter()
            .filter_map(|j| j.results_path)
            .collect();
        let stem = base
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        (1..10_000)
            .map(|n| match n {
                1 => base.clone(),
                n => base.with_file_name(format!("{stem} ({n}).csv")),
            })
            .find(|candidate| {
                !used.contains(candidate)
                    && !candidate.exists()
                    && !roster_jobs::membership::undo_path(candidate, op).exists()
            })
            .ok_or_else(|| {
                AppError::validation(format!(
                    "No free name for the results of {}: choose the results file.",
                    file.display()
                ))
            })
    }
}

/// The job histories of one data folder, the real tenants' and the demo tenant's, each opened on first
/// use with one runner: what a front end that switches between the two keeps.
pub struct JobHistories {
    data_dir: PathBuf,
    open: Mutex<HashMap<bool, Arc<Jobs>>>,
    config: Mutex<RunnerConfig>,
}

impl std::fmt::Debug for JobHistories {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobHistories")
            .field("data_dir", &self.data_dir)
            .finish_non_exhaustive()
    }
}

impl JobHistories {
    /// The histories in `data_dir` (nothing is opened yet).
    pub fn new(data_dir: &Path) -> Self {
        Self {
            data_dir: data_dir.to_owned(),
            open: Mutex::new(HashMap::new()),
            config: Mutex::new(RunnerConfig::default()),
        }
    }

    /// The demo tenant's jobs (`demo`) or the real tenants', opened on first use (jobs a crash left
    /// running become `interrupted` then); `opened` is called with a history the first time.
    pub fn get(&self, demo: bool, opened: impl FnOnce(&Jobs)) -> Result<Arc<Jobs>, AppError> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(jobs) = open.get(&demo) {
            return Ok(Arc::clone(jobs));
        }
        let config = self
            .config
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let jobs = Arc::new(Jobs::open(&Profile::new(&self.data_dir, demo), config)?);
        opened(&jobs);
        open.insert(demo, Arc::clone(&jobs));
        Ok(jobs)
    }

    /// Replaces the job engine's tuning for the histories opened from now on (the open ones are
    /// let go).
    pub fn set_config(&self, config: RunnerConfig) {
        *self.config.lock().unwrap_or_else(PoisonError::into_inner) = config;
        self.open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// Interrupts every job running here in either history (the session that started them ended).
    pub fn interrupt_running(&self) {
        for jobs in self
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
        {
            jobs.interrupt_running();
        }
    }
}
