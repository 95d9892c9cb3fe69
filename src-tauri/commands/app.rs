//! `app_*` commands.

use tauri::State;

use crate::ipc::{AppError, AppInfo, NotificationWordsDto};
use crate::state::AppState;

/// The app's version and whether it runs on the demo tenant.
#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    state.info()
}

/// The words of the native notifications in the language the UI shows (sent at start and whenever
/// the person changes the language).
#[tauri::command]
pub fn app_notification_words(
    state: State<'_, AppState>,
    request: NotificationWordsDto,
) -> Result<(), AppError> {
    state.set_notification_words(request);
    Ok(())
}
