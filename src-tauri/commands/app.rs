//! `app_*` commands.

use tauri::State;

use crate::ipc::AppInfo;
use crate::state::AppState;

/// The app's version and whether it runs on the demo tenant.
#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    state.info()
}
