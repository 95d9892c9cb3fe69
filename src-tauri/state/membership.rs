//! Importing or removing a group's members from a file: the preview (every row resolved and given a
//! state before anything changes), kept so the job that follows applies exactly what was shown.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::PoisonError;

use roster_jobs::membership::{
    EngineConfig, MembershipError, MembershipOp, MembershipSpec, Preview, find_group, preview,
};

use super::AppState;
use crate::ipc::{
    AppError, ErrorCode, JobRef, MembershipPreviewRequest, MembershipStartRequest, PreviewDto,
    sentence,
};

/// Previews kept for their job to start from; an older one is forgotten (preview again).
const KEPT_PREVIEWS: usize = 8;

/// A preview the person has seen, with what it was made from.
#[derive(Debug, Clone)]
pub struct StoredPreview {
    /// The group's object id.
    pub group_id: String,
    /// Add or remove.
    pub op: MembershipOp,
    /// The file read.
    pub file: PathBuf,
    /// The engine's preview.
    pub preview: Preview,
}

/// The session's previews, by id.
#[derive(Debug, Default)]
pub(super) struct Previews {
    next_id: u64,
    kept: VecDeque<(String, StoredPreview)>,
}

impl Previews {
    /// Takes preview `id` out: a preview starts one job at most.
    fn take(&mut self, id: &str) -> Option<StoredPreview> {
        let index = self.kept.iter().position(|(key, _)| key == id)?;
        self.kept.remove(index).map(|(_, preview)| preview)
    }

    fn insert(&mut self, preview: StoredPreview) -> String {
        self.next_id += 1;
        let id = format!("preview-{}", self.next_id);
        if self.kept.len() >= KEPT_PREVIEWS {
            self.kept.pop_front();
        }
        self.kept.push_back((id.clone(), preview));
        id
    }
}

impl AppState {
    /// Reads the file, finds and checks the group, resolves every row and checks membership; nothing
    /// changes. Refused groups (dynamic, synced, Exchange-managed) fail with the reason.
    pub async fn membership_preview(
        &self,
        request: MembershipPreviewRequest,
    ) -> Result<PreviewDto, AppError> {
        let path = PathBuf::from(request.file.trim());
        if request.file.trim().is_empty() {
            return Err(AppError::new(
                ErrorCode::Validation,
                "Choose a CSV or XLSX file with one member per row (object ID, user principal name or mail address).",
            ));
        }
        let graph = self.read_graph().await?;
        let group = find_group(&graph, &request.group_id)
            .await
            .map_err(membership_error)?;
        if let Some(reason) = group.refusal() {
            return Err(AppError::new(ErrorCode::Forbidden, reason));
        }
        let read_path = path.clone();
        let file = tokio::task::spawn_blocking(move || roster_csv::read_member_file(&read_path))
            .await
            .map_err(|e| {
                AppError::new(
                    ErrorCode::Internal,
                    "Reading the file stopped unexpectedly.",
                )
                .with_detail(e.to_string())
            })?
            .map_err(|e| AppError::new(ErrorCode::Validation, sentence(&e.to_string())))?;
        let op: MembershipOp = request.op.into();
        let planned = preview(&graph, &EngineConfig::default(), op, &group.id, &file)
            .await
            .map_err(membership_error)?;
        let stored = StoredPreview {
            group_id: group.id.clone(),
            op,
            file: path.clone(),
            preview: planned,
        };
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

    /// Starts the job that applies the preview shown under `request.preview_id`, exactly as shown; the
    /// results go beside the member file (`F.add-results.csv`, as the CLI writes them). A preview
    /// starts one job at most: confirming twice does not apply the change twice.
    pub async fn membership_start(
        &self,
        request: MembershipStartRequest,
    ) -> Result<JobRef, AppError> {
        let stored = self
            .previews
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take(&request.preview_id)
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::NotFound,
                    "This preview was already started or has expired; preview the file again.",
                )
            })?;
        let results = results_path(&stored.file, stored.op);
        let spec = MembershipSpec::new(stored.op, stored.group_id, stored.file, results);
        self.start_membership_job(spec, stored.preview).await
    }

    /// The preview shown under `id`, for the job that applies it.
    pub fn stored_preview(&self, id: &str) -> Option<StoredPreview> {
        self.previews
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .kept
            .iter()
            .find(|(key, _)| key == id)
            .map(|(_, p)| p.clone())
    }
}

/// The engine's errors as the UI acts on them; the engine's message already says what to do.
fn membership_error(error: MembershipError) -> AppError {
    let message = sentence(&error.to_string());
    match error {
        MembershipError::Graph(e) => AppError::from(e),
        MembershipError::Read(_) => AppError::new(ErrorCode::Validation, message),
        MembershipError::Group(_) => AppError::new(ErrorCode::NotFound, message),
        MembershipError::Refused(_) => AppError::new(ErrorCode::Forbidden, message),
        _ => AppError::new(ErrorCode::Internal, message),
    }
}

/// Where the results of a job on `file` go: beside it, `F.add-results.csv` or `F.remove-results.csv`.
pub fn results_path(file: &Path, op: MembershipOp) -> PathBuf {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "members".into());
    file.with_file_name(format!("{stem}.{}-results.csv", op.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_sit_beside_the_member_file() {
        assert_eq!(
            results_path(Path::new("/data/new-hires.xlsx"), MembershipOp::Add),
            PathBuf::from("/data/new-hires.add-results.csv")
        );
        assert_eq!(
            results_path(Path::new("leavers.csv"), MembershipOp::Remove),
            PathBuf::from("leavers.remove-results.csv")
        );
    }
}
