//! `update_*` commands: the update-check setting, a check, and the install the person clicked.

use tauri::{AppHandle, Runtime, State};

use crate::ipc::{
    AppError, UpdateCheckDto, UpdateChoiceRequest, UpdateInstallRequest, UpdateStatusDto,
};
use crate::state::AppState;

/// Whether update checks are on, who decided, and whether this build has a channel.
#[tauri::command]
pub async fn update_status<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<UpdateStatusDto, AppError> {
    state.update_status(&app).await
}

/// Saves the person's choice to check for new releases.
#[tauri::command]
pub async fn update_choose<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: UpdateChoiceRequest,
) -> Result<UpdateStatusDto, AppError> {
    state.update_choose(&app, request.check).await
}

/// Looks for a newer release. Nothing is downloaded.
#[tauri::command]
pub async fn update_check<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<UpdateCheckDto, AppError> {
    state.update_check(&app).await
}

/// Downloads, verifies and installs the release the person was shown, then restarts the app.
#[tauri::command]
pub async fn update_install<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: UpdateInstallRequest,
) -> Result<(), AppError> {
    state.update_install(&app, &request.version).await
}
