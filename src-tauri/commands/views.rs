//! `views_*` commands: the saved views of the Users and Groups screens.

use tauri::State;

use crate::ipc::{AppError, SavedViewsDto, ViewDeleteRequest, ViewSaveRequest};
use crate::state::AppState;

/// Both screens' saved views.
#[tauri::command]
pub async fn views_get(state: State<'_, AppState>) -> Result<SavedViewsDto, AppError> {
    state.saved_views()
}

/// Saves one view, replacing a view of the same name on its screen.
#[tauri::command]
pub async fn views_save(
    state: State<'_, AppState>,
    request: ViewSaveRequest,
) -> Result<SavedViewsDto, AppError> {
    state.save_view(request)
}

/// Deletes one view.
#[tauri::command]
pub async fn views_delete(
    state: State<'_, AppState>,
    request: ViewDeleteRequest,
) -> Result<SavedViewsDto, AppError> {
    state.delete_view(request)
}
