//! `review_*` and `comparison_*` commands: open CSV files for review (no sign-in), page through a
//! filtered and sorted view, summary and charts, copy and export, recent files, and comparing two
//! snapshots.

use tauri::{AppHandle, Runtime, State};

use crate::ipc::{
    AppError, ComparisonDto, ComparisonExportRequest, ComparisonLinesDto, ComparisonLinesRequest,
    ComparisonRequest, ComparisonRunRequest, FileRefDto, JobIdRequest, PeekDto, PickFileRequest,
    PickedFile, RecentFilesDto, ReviewCopiedDto, ReviewCopyRequest, ReviewExportRequest,
    ReviewExportedDto, ReviewFileDto, ReviewFileRequest, ReviewHandleRequest, ReviewPageDto,
    ReviewPageRequest, ReviewSummaryDto, ReviewValuesDto, ReviewValuesRequest,
};
use crate::native_dialog::{DialogSpec, pick_granted};
use crate::state::{AppState, FileUse};

/// The title of the open dialog (the end-to-end tests find the dialog by it).
const PICK_TITLE: &str = "Open a CSV file to review";

/// Reads and indexes a CSV file; says what was detected.
#[tauri::command]
pub async fn review_open(
    state: State<'_, AppState>,
    request: ReviewFileRequest,
) -> Result<ReviewFileDto, AppError> {
    state.review_open(request).await
}

/// The header and first rows of a file, read in milliseconds, shown while `review_open` reads it
/// whole.
#[tauri::command]
pub async fn review_peek(
    state: State<'_, AppState>,
    request: ReviewFileRequest,
) -> Result<PeekDto, AppError> {
    state.review_peek(request).await
}

/// The native file picker for a CSV file, opening where `request.start` (a typed path) says;
/// answers a handle for the chosen file (`file` is `None` when the person cancelled).
#[tauri::command]
pub async fn review_pick_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: PickFileRequest,
) -> Result<PickedFile, AppError> {
    let spec = DialogSpec {
        title: request.title.as_deref().unwrap_or(PICK_TITLE),
        filter: (
            request.filter_name.as_deref().unwrap_or("CSV"),
            FileUse::ReviewFile.extensions(),
        ),
        start: request.start.map(std::path::PathBuf::from),
    };
    pick_granted(&app, &state, &spec, FileUse::ReviewFile).await
}

/// A handle to review a finished download's file ("Open in Roster" on its job page).
#[tauri::command]
pub async fn review_job_file(
    state: State<'_, AppState>,
    request: JobIdRequest,
) -> Result<FileRefDto, AppError> {
    state.review_job_file(request).await
}

/// Forgets an open file (and the comparisons made of it).
#[tauri::command]
pub async fn review_close(
    state: State<'_, AppState>,
    request: ReviewHandleRequest,
) -> Result<(), AppError> {
    state.review_close(request).await
}

/// Per column figures and the charts of an open file.
#[tauri::command]
pub async fn review_summary(
    state: State<'_, AppState>,
    request: ReviewHandleRequest,
) -> Result<ReviewSummaryDto, AppError> {
    state.review_summary(request).await
}

/// A page of a view: rows with their file row numbers, and the view's size.
#[tauri::command]
pub async fn review_page(
    state: State<'_, AppState>,
    request: ReviewPageRequest,
) -> Result<ReviewPageDto, AppError> {
    state.review_page(request).await
}

/// A column's values in a view, with counts (for the value list of a column filter).
#[tauri::command]
pub async fn review_values(
    state: State<'_, AppState>,
    request: ReviewValuesRequest,
) -> Result<ReviewValuesDto, AppError> {
    state.review_values(request).await
}

/// Writes a view to a CSV file chosen in the save dialog.
#[tauri::command]
pub async fn review_export(
    state: State<'_, AppState>,
    request: ReviewExportRequest,
) -> Result<ReviewExportedDto, AppError> {
    state.review_export(request).await
}

/// Rows of a view as tab-separated text, for the clipboard.
#[tauri::command]
pub async fn review_copy(
    state: State<'_, AppState>,
    request: ReviewCopyRequest,
) -> Result<ReviewCopiedDto, AppError> {
    state.review_copy(request).await
}

/// The files opened lately, newest first (missing ones marked).
#[tauri::command]
pub async fn review_recent(state: State<'_, AppState>) -> Result<RecentFilesDto, AppError> {
    state.review_recent().await
}

/// Takes a file off the recent list.
#[tauri::command]
pub async fn review_forget_recent(
    state: State<'_, AppState>,
    request: ReviewFileRequest,
) -> Result<RecentFilesDto, AppError> {
    state.review_forget_recent(request).await
}

/// Compares an older and a newer open file.
#[tauri::command]
pub async fn comparison_run(
    state: State<'_, AppState>,
    request: ComparisonRunRequest,
) -> Result<ComparisonDto, AppError> {
    state.comparison_run(request).await
}

/// A page of a comparison's differences.
#[tauri::command]
pub async fn comparison_lines(
    state: State<'_, AppState>,
    request: ComparisonLinesRequest,
) -> Result<ComparisonLinesDto, AppError> {
    state.comparison_lines(request).await
}

/// Writes a comparison's differences to a CSV file chosen in the save dialog.
#[tauri::command]
pub async fn comparison_export(
    state: State<'_, AppState>,
    request: ComparisonExportRequest,
) -> Result<ReviewExportedDto, AppError> {
    state.comparison_export(request).await
}

/// Forgets a comparison.
#[tauri::command]
pub async fn comparison_close(
    state: State<'_, AppState>,
    request: ComparisonRequest,
) -> Result<(), AppError> {
    state.comparison_close(request).await
}
