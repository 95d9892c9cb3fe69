//! `settings_*` commands: the output folder, CSV format and default columns.

use tauri::State;

use crate::ipc::{AppError, SettingsDto};
use crate::state::AppState;

/// The settings as saved.
#[tauri::command]
pub async fn settings_get(state: State<'_, AppState>) -> Result<SettingsDto, AppError> {
    state.settings().await
}

/// Checks and saves the settings.
#[tauri::command]
pub async fn settings_set(
    state: State<'_, AppState>,
    request: SettingsDto,
) -> Result<SettingsDto, AppError> {
    state.set_settings(request).await
}
