//! `dialog_*` commands: the native save dialog and folder picker, opened from Rust. The save dialog
//! answers with a handle for the chosen file (what the exports, downloads and copies then write);
//! the folder picker with the folder, for the settings form.

use tauri::{AppHandle, Runtime, State};

use crate::ipc::{AppError, ChosenFolderDto, FolderRequest, PickedFile, SaveFileRequest};
use crate::native_dialog::{DialogSpec, pick_folder, save_file, start_in};
use crate::state::{AppState, FileUse};

/// The native save dialog for a CSV file, opening in the output folder (or where `suggested`
/// says); `file` is `None` when the person cancelled.
#[tauri::command]
pub async fn dialog_save_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: SaveFileRequest,
) -> Result<PickedFile, AppError> {
    let folder = state.output_folder().await?;
    let spec = DialogSpec {
        title: &request.title,
        filter: ("CSV", &["csv"]),
        start: start_in(&folder, &request.suggested),
    };
    let file = match save_file(&app, &spec).await? {
        Some(path) => Some(state.grant_file(&path, FileUse::SaveCsv)?),
        None => None,
    };
    Ok(PickedFile { file })
}

/// The native folder picker, opening in `start`; `path` is `None` when the person cancelled.
#[tauri::command]
pub async fn dialog_choose_folder<R: Runtime>(
    app: AppHandle<R>,
    request: FolderRequest,
) -> Result<ChosenFolderDto, AppError> {
    let spec = DialogSpec {
        title: "",
        filter: ("", &[]),
        start: request.start.map(std::path::PathBuf::from),
    };
    let path = pick_folder(&app, &spec).await?;
    Ok(ChosenFolderDto {
        path: path.map(|p| p.display().to_string()),
    })
}
