//! `column_choice_*` commands: the columns last chosen for each kind of download.

use tauri::State;

use crate::ipc::{AppError, ColumnChoiceDto, ColumnChoiceRequest, ColumnsRequest};
use crate::state::AppState;

/// The column spec last chosen for a kind of download.
#[tauri::command]
pub async fn column_choice_get(
    state: State<'_, AppState>,
    request: ColumnsRequest,
) -> Result<ColumnChoiceDto, AppError> {
    state.column_choice(request)
}

/// Keeps the column spec chosen for a kind of download.
#[tauri::command]
pub async fn column_choice_set(
    state: State<'_, AppState>,
    request: ColumnChoiceRequest,
) -> Result<(), AppError> {
    state.remember_column_choice(request)
}
