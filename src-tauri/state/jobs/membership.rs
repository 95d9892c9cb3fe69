//! Membership jobs in the app: started from a confirmed preview, and followed up (failed rows
//! again, or undone) through a preview of their own, through roster-app (the CLI's code path).

use roster_app::membership::MembershipPreview;

use roster_app::FollowUp;

use crate::ipc::{AppError, FollowUpDto, FollowUpKindDto, FollowUpRequest, JobRef};
use crate::state::{AppState, FileUse};

impl AppState {
    /// Starts the job applying `confirmed` exactly as shown, with the session's write-permitted
    /// client, and returns at once; progress and the end arrive as job events.
    pub async fn start_membership_job(
        &self,
        confirmed: MembershipPreview,
    ) -> Result<JobRef, AppError> {
        let jobs = self.job_list().await?;
        let tenant = self.tenant().await?;
        let job = roster_app::membership::start_membership(&jobs, confirmed, None, &tenant).await?;
        self.publish_job(jobs.store(), job.id);
        Ok(JobRef::of(&job))
    }

    /// A follow-up of membership job `request.id` (its failed rows again, or the undo of what it
    /// changed), ready to preview like any import: the member file is granted for that use only.
    pub async fn jobs_follow_up(&self, request: FollowUpRequest) -> Result<FollowUpDto, AppError> {
        let jobs = self.job_list().await?;
        let id = crate::ipc::parse_job_id(&request.id)?;
        let what = match request.what {
            FollowUpKindDto::RetryFailed => FollowUp::RetryFailed,
            FollowUpKindDto::Undo => FollowUp::Undo,
        };
        let source = jobs.follow_up(id, what)?;
        Ok(FollowUpDto {
            group_id: source.group_id,
            op: source.op.into(),
            file: self.grant_file(&source.file, FileUse::MemberFile)?,
        })
    }
}
