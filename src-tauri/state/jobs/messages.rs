//! The sentence a finished job is announced with (native notification and in-app toast).

use crate::ipc::{JobDto, JobKindDto, JobStatusDto};

/// "File is ready: users.csv", "Import finished: 10 added, 2 failed", "Job failed: …"; `None` while
/// the job has not ended, or when it was stopped on request.
pub fn job_end_message(job: &JobDto) -> Option<String> {
    let file_name = |path: &Option<String>| {
        path.as_deref()
            .map(|p| {
                std::path::Path::new(p)
                    .file_name()
                    .map_or_else(|| p.to_owned(), |n| n.to_string_lossy().into_owned())
            })
            .unwrap_or_default()
    };
    match job.status {
        JobStatusDto::Completed | JobStatusDto::CompletedWithErrors => Some(match job.kind {
            JobKindDto::AddMembers => format!(
                "Import finished: {} added, {} failed",
                job.counts.succeeded, job.counts.failed
            ),
            JobKindDto::RemoveMembers => format!(
                "Removal finished: {} removed, {} failed",
                job.counts.succeeded, job.counts.failed
            ),
            _ => format!("File is ready: {}", file_name(&job.output_path)),
        }),
        JobStatusDto::Failed => Some(format!("Job failed: {}", job.name)),
        _ => None,
    }
}
