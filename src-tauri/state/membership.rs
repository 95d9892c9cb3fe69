//! Importing or removing a group's members from a file: the preview (every row resolved and given a
//! state before anything changes), kept so the job that follows applies exactly what was shown.

use std::sync::PoisonError;

use roster_app::membership::{MembershipPreview, preview_membership};

use super::{AppState, FileUse};
use crate::ipc::{
    AppError, JobRef, MembershipPreviewRequest, MembershipPreviewRowsRequest,
    MembershipStartRequest, MembershipTemplateRequest, PathDto, PreviewDto, PreviewRowsPage,
};

impl AppState {
    /// Reads the file (the handle of one the person chose), finds and checks the group, resolves every row and checks membership; nothing
    /// changes. Refused groups (dynamic, synced, Exchange-managed) fail with the reason.
    pub async fn membership_preview(
        &self,
        request: MembershipPreviewRequest,
    ) -> Result<PreviewDto, AppError> {
        let path = self.chosen_file(&request.file, FileUse::MemberFile)?;
        let tenant = self.tenant().await?;
        let stored =
            preview_membership(&tenant, request.op.into(), &request.group_id, &path).await?;
        let dto_source = stored.preview.clone();
        let id = self
            .previews
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(stored);
        Ok(PreviewDto::from_preview(
            id,
            path.display().to_string(),
            &dto_source,
        ))
    }

    /// A page of the rows of the preview shown under `request.preview_id`.
    pub fn membership_preview_rows(
        &self,
        request: &MembershipPreviewRowsRequest,
    ) -> Result<PreviewRowsPage, AppError> {
        let previews = self.previews.lock().unwrap_or_else(PoisonError::into_inner);
        let stored = previews.find(&request.preview_id)?;
        Ok(PreviewRowsPage::of(
            &stored.preview,
            request.offset,
            request.limit,
        ))
    }

    /// Starts the job that applies the preview shown under `request.preview_id`, exactly as shown; the
    /// results go beside the member file (`F.add-results.csv`, as the CLI writes them). A preview
    /// starts one job at most: confirming twice does not apply the change twice. A start that fails
    /// before any job exists keeps the preview.
    pub async fn membership_start(
        &self,
        request: MembershipStartRequest,
    ) -> Result<JobRef, AppError> {
        let stored = self
            .previews
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take(&request.preview_id)?;
        let kept = stored.clone();
        let started = self.start_membership_job(stored).await;
        if started.is_err() {
            // No job started: the preview stays, so "Allow changes" then confirming again works.
            self.previews
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .put_back(request.preview_id, kept);
        }
        started
    }

    /// Writes the member file template to the file the person chose in the save dialog (its
    /// handle), with the settings' byte order mark, through `F.part` renamed when complete.
    pub async fn membership_template(
        &self,
        request: MembershipTemplateRequest,
    ) -> Result<PathDto, AppError> {
        let dest = self.chosen_file(&request.file, FileUse::SaveCsv)?;
        let options = self.writer_options(&dest).await?;
        let written = super::review::off_thread(move || {
            roster_jobs::membership::write_template(&dest, options)
                .map_err(roster_app::AppError::from)
        })
        .await?;
        Ok(PathDto {
            path: written.display().to_string(),
        })
    }

    /// The preview shown under `id`, for the job that applies it.
    pub fn stored_preview(&self, id: &str) -> Option<MembershipPreview> {
        self.previews
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(id)
            .cloned()
    }
}
