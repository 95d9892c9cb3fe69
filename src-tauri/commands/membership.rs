//! `membership_*` commands: import or remove a group's members from a file (preview first).

use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::ipc::{
    AppError, ErrorCode, JobRef, MembershipPreviewRequest, MembershipStartRequest, PickedFile,
    PreviewDto,
};
use crate::state::AppState;

/// Reads the file and shows what would happen to every row; changes nothing.
#[tauri::command]
pub async fn membership_preview(
    state: State<'_, AppState>,
    request: MembershipPreviewRequest,
) -> Result<PreviewDto, AppError> {
    state.membership_preview(request).await
}

/// The native file picker for a member file (CSV or XLSX) (`path` is `None` when the person cancelled).
#[tauri::command]
pub async fn membership_pick_file<R: Runtime>(app: AppHandle<R>) -> Result<PickedFile, AppError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .add_filter("CSV or Excel workbook", &["csv", "txt", "xlsx"])
        .pick_file(move |path| {
            let _ = tx.send(path.map(|p| p.to_string()));
        });
    let path = rx.await.map_err(|_| {
        AppError::new(
            ErrorCode::Internal,
            "The file picker closed unexpectedly; try again.",
        )
    })?;
    Ok(PickedFile { path })
}

/// Starts the job that applies a confirmed preview; its progress and results are on the job's page.
#[tauri::command]
pub async fn membership_start(
    state: State<'_, AppState>,
    request: MembershipStartRequest,
) -> Result<JobRef, AppError> {
    state.membership_start(request).await
}
