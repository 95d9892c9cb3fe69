//! `membership_*` commands: import or remove a group's members from a file (preview first).

use tauri::{AppHandle, Runtime, State};

use crate::ipc::{
    AppError, JobRef, MembershipPreviewRequest, MembershipPreviewRowsRequest,
    MembershipStartRequest, MembershipTemplateRequest, PathDto, PickFileRequest, PickedFile,
    PreviewDto, PreviewRowsPage,
};
use crate::native_dialog::{DialogSpec, pick_granted};
use crate::state::{AppState, FileUse};

/// The title of the member file picker (the end-to-end tests find the dialog by it).
const PICK_TITLE: &str = "Choose a file of members";

/// Reads the file and shows what would happen to every row; changes nothing.
#[tauri::command]
pub async fn membership_preview(
    state: State<'_, AppState>,
    request: MembershipPreviewRequest,
) -> Result<PreviewDto, AppError> {
    state.membership_preview(request).await
}

/// A page of a preview's rows (the preview crosses without them: a large file's rows are read as
/// the person scrolls).
#[tauri::command]
pub fn membership_preview_rows(
    state: State<'_, AppState>,
    request: MembershipPreviewRowsRequest,
) -> Result<PreviewRowsPage, AppError> {
    state.membership_preview_rows(&request)
}

/// The native file picker for a member file (CSV or XLSX), opening where `request.start` (a typed
/// path) says; answers a handle for the chosen file (`file` is `None` when the person cancelled).
#[tauri::command]
pub async fn membership_pick_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: PickFileRequest,
) -> Result<PickedFile, AppError> {
    let spec = DialogSpec {
        title: request.title.as_deref().unwrap_or(PICK_TITLE),
        filter: (
            request
                .filter_name
                .as_deref()
                .unwrap_or("CSV or Excel workbook"),
            FileUse::MemberFile.extensions(),
        ),
        start: request.start.map(std::path::PathBuf::from),
    };
    pick_granted(&app, &state, &spec, FileUse::MemberFile).await
}

/// Starts the job that applies a confirmed preview; its progress and results are on the job's page.
#[tauri::command]
pub async fn membership_start(
    state: State<'_, AppState>,
    request: MembershipStartRequest,
) -> Result<JobRef, AppError> {
    state.membership_start(request).await
}

/// Writes the member file template (the admin center's header and two example rows) to the file
/// the person chose in the save dialog (`request.file`, its handle).
#[tauri::command]
pub async fn membership_template(
    state: State<'_, AppState>,
    request: MembershipTemplateRequest,
) -> Result<PathDto, AppError> {
    state.membership_template(request).await
}
