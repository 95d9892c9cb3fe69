//! DTOs of the `jobs_*` commands and of the `job-event` Tauri event: the job list, one job with the
//! per-row results of a membership change, and live progress.

use roster_store::{Job, JobCounts, RowResult, RowStatus};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::TextDto;

/// The name of the Tauri event that carries every [`JobEventDto`] to the UI.
pub const JOB_EVENT: &str = <JobEventDto as super::UiEvent>::NAME;

/// A job as the job list and the job page know it by: its id and its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JobRef {
    /// The job's id (a UUID); `/jobs/view?id=…` shows it.
    pub id: String,
    /// Its English name, e.g. "Download users (department is Sales)".
    pub name: String,
    /// The same as a message the UI words in the person's language (see [`JobDto::title`]).
    pub title: super::TextDto,
}

impl JobRef {
    /// The reference to a stored job.
    pub fn of(job: &Job) -> Self {
        Self {
            id: job.id.to_string(),
            name: job.name.clone(),
            title: super::TextDto::from(&roster_jobs::job_title(job)),
        }
    }
}

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum JobKindDto {
    /// Users to CSV.
    DownloadUsers,
    /// Groups to CSV.
    DownloadGroups,
    /// Members of one or more groups to CSV.
    DownloadMembers,
    /// Owners of one or more groups to CSV.
    DownloadOwners,
    /// The groups of one or more users to CSV.
    DownloadUserGroups,
    /// Members added to a group from a file.
    AddMembers,
    /// Members removed from a group from a file.
    RemoveMembers,
}

impl From<roster_store::JobKind> for JobKindDto {
    fn from(kind: roster_store::JobKind) -> Self {
        use roster_store::JobKind as K;
        match kind {
            K::DownloadUsers => Self::DownloadUsers,
            K::DownloadGroups => Self::DownloadGroups,
            K::DownloadMembers => Self::DownloadMembers,
            K::DownloadOwners => Self::DownloadOwners,
            K::DownloadUserGroups => Self::DownloadUserGroups,
            K::AddMembers => Self::AddMembers,
            K::RemoveMembers => Self::RemoveMembers,
        }
    }
}

/// Where a job is in its life (see `roster_core::job::JobStatus` for the allowed moves).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum JobStatusDto {
    /// Waiting for a free slot.
    Queued,
    /// Running now.
    Running,
    /// Finished; every row or object succeeded.
    Completed,
    /// Finished; some rows failed or some objects could not be read.
    CompletedWithErrors,
    /// Stopped by an error; can be resumed.
    Failed,
    /// Stopped on request; can be resumed.
    Cancelled,
    /// Roster stopped while it ran; can be resumed.
    Interrupted,
}

impl From<roster_store::JobStatus> for JobStatusDto {
    fn from(status: roster_store::JobStatus) -> Self {
        use roster_store::JobStatus as S;
        match status {
            S::Queued => Self::Queued,
            S::Running => Self::Running,
            S::Completed => Self::Completed,
            S::CompletedWithErrors => Self::CompletedWithErrors,
            S::Failed => Self::Failed,
            S::Cancelled => Self::Cancelled,
            S::Interrupted => Self::Interrupted,
        }
    }
}

/// A job's counters: rows (or objects) processed, succeeded, failed, skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JobCountsDto {
    /// Rows to process, when known.
    pub total: Option<u64>,
    /// Rows processed so far.
    pub done: u64,
    /// Rows written (downloads) or changes made (membership).
    pub succeeded: u64,
    /// Rows that failed (membership) or objects that could not be read (downloads).
    pub failed: u64,
    /// Rows with nothing to do.
    pub skipped: u64,
}

impl From<JobCounts> for JobCountsDto {
    fn from(c: JobCounts) -> Self {
        Self {
            total: c.total,
            done: c.done,
            succeeded: c.succeeded,
            failed: c.failed,
            skipped: c.skipped,
        }
    }
}

/// One job in the list and on its page.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JobDto {
    /// The job's id (a UUID).
    pub id: String,
    /// What it does.
    pub kind: JobKindDto,
    /// Its name in the list.
    pub name: String,
    /// The title as a message with a code and parameters (`job.title.KIND`), which the UI words
    /// in the person's language (`name` is its English sentence as stored).
    pub title: super::TextDto,
    /// Where it is in its life.
    pub status: JobStatusDto,
    /// Its counters as last saved.
    pub counts: JobCountsDto,
    /// When it was created (RFC 3339, UTC).
    pub created_at: String,
    /// When it first ran.
    pub started_at: Option<String>,
    /// When it reached a final status.
    pub finished_at: Option<String>,
    /// Run time in milliseconds: start to finish, or to the last update while it runs or stopped.
    pub duration_ms: Option<u64>,
    /// The CSV a download writes (complete once the job completed).
    pub output_path: Option<String>,
    /// The per-row results CSV of a membership change.
    pub results_path: Option<String>,
    /// Why it failed or stopped, or what the warnings were, as a code with parameters.
    pub error: Option<Box<TextDto>>,
    /// It can be resumed (failed, cancelled or interrupted).
    pub resumable: bool,
    /// It can be cancelled now.
    pub cancellable: bool,
}

impl JobDto {
    /// The DTO of a stored job.
    pub fn from_job(job: &Job) -> Self {
        let end = job.finished_at.unwrap_or(job.updated_at);
        let duration_ms = job
            .started_at
            .map(|start| u64::try_from((end - start).num_milliseconds()).unwrap_or(0));
        let path =
            |p: &Option<std::path::PathBuf>| p.as_ref().map(|p| p.to_string_lossy().into_owned());
        Self {
            id: job.id.to_string(),
            kind: job.kind.into(),
            name: job.name.clone(),
            title: super::TextDto::from(&roster_jobs::job_title(job)),
            status: job.status.into(),
            counts: job.counts.into(),
            created_at: job.created_at.to_rfc3339(),
            started_at: job.started_at.map(|t| t.to_rfc3339()),
            finished_at: job.finished_at.map(|t| t.to_rfc3339()),
            duration_ms,
            output_path: path(&job.output_path),
            results_path: path(&job.results_path),
            error: job
                .error
                .as_deref()
                .map(|e| Box::new(TextDto::from_stored(e))),
            resumable: job.status.is_resumable(),
            cancellable: job.status.can_become(roster_store::JobStatus::Cancelled),
        }
    }
}

/// Request of `jobs_list`: newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JobsListRequest {
    /// At most this many jobs (default 200).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Skip this many of the newest first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub offset: Option<u64>,
}

/// Response of `jobs_list`.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JobsPage {
    /// Jobs, newest first.
    pub items: Vec<JobDto>,
}

/// Request of the commands that act on one job (`jobs_resume`, `jobs_cancel`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JobIdRequest {
    /// The job's id.
    pub id: String,
}

/// Request of `jobs_get`: the job and one page of its per-row results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JobsGetRequest {
    /// The job's id.
    pub id: String,
    /// Rows after this row number (0 or absent: from the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub after: Option<u64>,
    /// At most this many rows (default 500, at most 5000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub limit: Option<u32>,
}

/// The outcome of one input row of a membership change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RowStatusDto {
    /// The change was made.
    Succeeded,
    /// Nothing to do (already a member, duplicate...).
    Skipped,
    /// The change could not be made; the reason says why.
    Failed,
}

/// One per-row result of a membership change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JobRowDto {
    /// Line (CSV) or sheet row of the input file.
    pub row_number: u64,
    /// The value read from the file.
    pub input: String,
    /// The object it resolved to.
    pub object_id: Option<String>,
    /// That object's name.
    pub display_name: Option<String>,
    /// Outcome.
    pub status: RowStatusDto,
    /// Why, in plain words.
    pub reason: Option<TextDto>,
}

impl From<RowResult> for JobRowDto {
    fn from(row: RowResult) -> Self {
        Self {
            row_number: row.row_number,
            input: row.input,
            object_id: row.object_id,
            display_name: row.display_name,
            status: match row.status {
                RowStatus::Succeeded => RowStatusDto::Succeeded,
                RowStatus::Skipped => RowStatusDto::Skipped,
                RowStatus::Failed => RowStatusDto::Failed,
            },
            reason: row.reason.as_deref().map(TextDto::from_stored),
        }
    }
}

/// Response of `jobs_get`.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JobDetail {
    /// The job.
    pub job: JobDto,
    /// One page of per-row results (membership changes; empty for downloads).
    pub rows: Vec<JobRowDto>,
    /// Rows stored for the job in all.
    pub rows_total: u64,
    /// Pass as `after` for the next page; `null` when this was the last.
    pub next_after: Option<u64>,
}

/// Request of `jobs_delete`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JobsDeleteRequest {
    /// The job's id.
    pub id: String,
    /// Also delete its files (the CSV and its `.part`, or the results and undo files).
    pub with_files: bool,
}

/// Request of `jobs_save_results`: copy the job's file to a file the person chose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JobsSaveResultsRequest {
    /// The job's id.
    pub id: String,
    /// Where to write the copy: the handle the save dialog answered.
    pub file: String,
}

/// Request of `jobs_open`: open a job's file, or show it in its folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JobsOpenRequest {
    /// The job's id.
    pub id: String,
    /// Show the file in the file manager instead of opening it.
    pub reveal: bool,
}

/// Response of `jobs_save_results` and `jobs_delete`: the file written or the job deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PathDto {
    /// The path.
    pub path: String,
}

/// Live progress of a running job (coalesced to at most 4 per second per job).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JobProgressDto {
    /// The job.
    pub id: String,
    /// Rows written (downloads) or rows done (membership), across runs.
    pub items: u64,
    /// Graph pages or `$batch` calls done, across runs (0 for membership changes).
    pub pages: u64,
    /// Rows expected, when known.
    pub total: Option<u64>,
    /// Rows per second in this run.
    pub rate: f64,
    /// Seconds left at this rate, when the total is known.
    pub eta_secs: Option<u64>,
    /// Objects that could not be read, or rows that failed.
    pub warnings: u64,
}

impl From<roster_jobs::Progress> for JobProgressDto {
    fn from(p: roster_jobs::Progress) -> Self {
        Self {
            id: p.id.to_string(),
            items: p.items,
            pages: p.pages,
            total: p.total,
            rate: p.rate,
            eta_secs: p.eta_secs,
            warnings: p.warnings,
        }
    }
}

/// Something that happened to a job: the payload of the `job-event` Tauri event.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum JobEventDto {
    /// The job was created or changed status; the whole job as stored now.
    Status {
        /// The job (boxed: the other events are small).
        job: Box<JobDto>,
    },
    /// Progress of a running job.
    Progress {
        /// The progress.
        progress: JobProgressDto,
    },
    /// A message to show about a job (e.g. the cost of authentication-method columns).
    Notice {
        /// The job's id.
        id: String,
        /// The message, as a code with parameters.
        message: TextDto,
    },
    /// The job was deleted.
    Deleted {
        /// The job's id.
        id: String,
    },
}

/// The job id the UI sent.
pub fn parse_job_id(text: &str) -> Result<roster_core::job::JobId, super::AppError> {
    text.parse().map_err(|_| {
        super::AppError::new(
            super::ErrorCode::Validation,
            format!("'{text}' is not a job id. Pick the job from the job list."),
        )
    })
}

/// The words of the native "job ended" notifications in the person's language, sent by the UI
/// from its catalogue (`app_notification_words`) because the notifications are shown from Rust;
/// `{file}`, `{added}`, `{removed}`, `{failed}` and `{name}` are filled in here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NotificationWordsDto {
    /// A download's file is ready: `File is ready: {file}`.
    pub file_ready: String,
    /// `Import finished: {added} added, {failed} failed`.
    pub import_finished: String,
    /// `Removal finished: {removed} removed, {failed} failed`.
    pub removal_finished: String,
    /// `Job failed: {name}` (the file the job wrote or read, else its name).
    pub job_failed: String,
    /// The language's thousands separator (`,` in English, `.` in Dutch).
    pub thousands: String,
}

impl Default for NotificationWordsDto {
    /// English, until the UI says which language the person reads.
    fn default() -> Self {
        Self {
            file_ready: "File is ready: {file}".into(),
            import_finished: "Import finished: {added} added, {failed} failed".into(),
            removal_finished: "Removal finished: {removed} removed, {failed} failed".into(),
            job_failed: "Job failed: {name}".into(),
            thousands: ",".into(),
        }
    }
}

impl NotificationWordsDto {
    fn fill(template: &str, values: &[(&str, String)]) -> String {
        values
            .iter()
            .fold(template.to_owned(), |text, (name, value)| {
                text.replace(&format!("{{{name}}}"), value)
            })
    }

    fn number(&self, n: u64) -> String {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(&self.thousands);
            }
            out.push(c);
        }
        out
    }
}

/// "File is ready: users.csv", "Import finished: 10 added, 2 failed", "Job failed: …" in `words`;
/// `None` while the job has not ended, or when it was stopped on request.
pub fn job_end_message(job: &JobDto, words: &NotificationWordsDto) -> Option<String> {
    let file_name = |path: &Option<String>| {
        path.as_deref().map(|p| {
            std::path::Path::new(p)
                .file_name()
                .map_or_else(|| p.to_owned(), |n| n.to_string_lossy().into_owned())
        })
    };
    let (succeeded, failed) = (
        words.number(job.counts.succeeded),
        words.number(job.counts.failed),
    );
    let fill = NotificationWordsDto::fill;
    match job.status {
        JobStatusDto::Completed | JobStatusDto::CompletedWithErrors => Some(match job.kind {
            JobKindDto::AddMembers => fill(
                &words.import_finished,
                &[("added", succeeded), ("failed", failed)],
            ),
            JobKindDto::RemoveMembers => fill(
                &words.removal_finished,
                &[("removed", succeeded), ("failed", failed)],
            ),
            _ => fill(
                &words.file_ready,
                &[("file", file_name(&job.output_path).unwrap_or_default())],
            ),
        }),
        JobStatusDto::Failed => {
            let name = file_name(&job.output_path)
                .or_else(|| file_name(&job.results_path))
                .unwrap_or_else(|| job.name.clone());
            Some(fill(&words.job_failed, &[("name", name)]))
        }
        _ => None,
    }
}

#[cfg(test)]
mod notification_tests {
    use super::NotificationWordsDto;

    #[test]
    fn counts_are_written_with_the_language_s_thousands_separator() {
        let dutch = NotificationWordsDto {
            thousands: ".".into(),
            ..NotificationWordsDto::default()
        };
        assert_eq!(dutch.number(1_234_567), "1.234.567");
        assert_eq!(dutch.number(999), "999");
        assert_eq!(NotificationWordsDto::default().number(12_000), "12,000");
    }
}
