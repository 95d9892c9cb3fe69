//! What can follow a finished membership job: its failed rows tried again, or what it changed
//! undone. Each is a group, an operation and a member file, which a front end previews and the
//! person confirms like any import (the desktop), or starts at once (`roster jobs retry`).

use std::path::{Path, PathBuf};

use roster_core::job::{JobId, JobKind};
use roster_core::text::Text;
use roster_jobs::membership::{MembershipOp, MembershipSpec};
use roster_store::RowStatus;

use crate::error::{AppError, ErrorCode};
use crate::jobs::{Jobs, MAX_ROWS};

/// Which follow-up of a membership job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUp {
    /// The rows that failed, the same operation on the same group.
    RetryFailed,
    /// The opposite operation for the members the job changed (its undo file).
    Undo,
}

/// A follow-up ready to preview: the group, the operation and the member file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpSource {
    /// The group's object id.
    pub group_id: String,
    /// Add or remove.
    pub op: MembershipOp,
    /// The member file to preview.
    pub file: PathBuf,
    /// The job's own spec (its results file names the follow-up's).
    pub spec: MembershipSpec,
    /// When the follow-up was made (`YYYYmmdd-HHMMSS`), for the names of its files.
    pub stamp: String,
}

impl Jobs {
    /// The follow-up `what` of membership job `id`: for a retry, its failed inputs written to a
    /// member file of their own in the data folder; for an undo, the undo file the job wrote.
    pub fn follow_up(&self, id: JobId, what: FollowUp) -> Result<FollowUpSource, AppError> {
        let job = self.get(id)?;
        if !matches!(job.kind, JobKind::AddMembers | JobKind::RemoveMembers) {
            return Err(AppError::coded(
                ErrorCode::Validation,
                Text::new(
                    "app.onlyMembershipRetry",
                    "Only member imports and removals have rows to retry; resume a download instead.",
                ),
            ));
        }
        let spec: MembershipSpec = serde_json::from_value(job.spec.clone()).map_err(|e| {
            AppError::coded(
                ErrorCode::Validation,
                Text::new(
                    "app.otherVersion",
                    "This job was stored by another Roster version and cannot be retried here.",
                ),
            )
            .with_detail(e.to_string())
        })?;
        let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S").to_string();
        let (op, file) = match what {
            FollowUp::RetryFailed => (spec.op, self.retry_file(id, &stamp)?),
            FollowUp::Undo => (spec.op.inverse(), undo_file(&spec)?),
        };
        Ok(FollowUpSource {
            group_id: spec.group.clone(),
            op,
            file,
            spec,
            stamp,
        })
    }

    /// The failed inputs of job `id` in `DATA/retries/ID-retry-STAMP.csv`.
    fn retry_file(&self, id: JobId, stamp: &str) -> Result<PathBuf, AppError> {
        let failed = self.failed_inputs(id)?;
        if failed.is_empty() {
            return Err(AppError::coded(
                ErrorCode::Validation,
                Text::new(
                    "app.nothingToRetry",
                    "No row of this job failed, so there is nothing to retry.",
                ),
            ));
        }
        let file = self
            .profile()
            .data_dir
            .join("retries")
            .join(format!("{id}-retry-{stamp}.csv"));
        write_member_list(&file, &failed)?;
        Ok(file)
    }

    fn failed_inputs(&self, id: JobId) -> Result<Vec<String>, AppError> {
        let mut inputs = Vec::new();
        let mut after = 0;
        loop {
            let page = self.store().row_results(id, after, MAX_ROWS)?;
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
}

/// The undo file a membership job wrote, when it changed anyone.
fn undo_file(spec: &MembershipSpec) -> Result<PathBuf, AppError> {
    let file = spec.undo_path();
    if file.is_file() {
        return Ok(file);
    }
    Err(AppError::coded(
        ErrorCode::NotFound,
        Text::new(
            "app.nothingToUndo",
            format!(
                "There is nothing to undo: this job changed no members, or its undo file {} was moved or deleted.",
                file.display()
            ),
        )
        .with("file", file.display()),
    ))
}

/// Writes a one-column member file (header `member`) through `.part`.
fn write_member_list(path: &Path, inputs: &[String]) -> Result<(), AppError> {
    let failed = |e: String| {
        AppError::new(
            ErrorCode::Io,
            format!(
                "Could not write the file of failed rows {}: {e}",
                path.display()
            ),
        )
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| failed(e.to_string()))?;
    }
    let write = || -> Result<PathBuf, roster_csv::WriteError> {
        let mut writer = roster_csv::CsvWriter::create(path, roster_csv::WriterOptions::default())?;
        writer.write_record(["member"])?;
        for input in inputs {
            writer.write_record([input.as_str()])?;
        }
        writer.finish()
    };
    write().map(|_| ()).map_err(|e| failed(e.to_string()))
}

/// `dir/results.csv` → `dir/results.TAG.csv`.
pub(crate) fn tagged(path: &Path, tag: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "results".into());
    path.with_file_name(format!("{stem}.{tag}.csv"))
}
