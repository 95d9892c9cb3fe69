//! Membership jobs in the app: started from a confirmed preview, and retried for their failed rows,
//! through roster-app (the CLI's code path).

use roster_app::membership::MembershipPreview;

use crate::ipc::{AppError, JobIdRequest, JobRef};
use crate::state::AppState;

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
        Ok(JobRef {
            id: job.id.to_string(),
            name: job.name,
        })
    }

    /// Starts a new membership job for the rows of job `id` that failed (same group and operation).
    pub async fn jobs_retry_failed(&self, request: JobIdRequest) -> Result<JobRef, AppError> {
        let jobs = self.job_list().await?;
        let tenant = self.tenant().await?;
        let id = crate::ipc::parse_job_id(&request.id)?;
        let job = jobs.retry_failed(id, &tenant).await?;
        self.publish_job(jobs.store(), job.id);
        Ok(JobRef {
            id: job.id.to_string(),
            name: job.name,
        })
    }
}
