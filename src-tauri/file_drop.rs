//! Files dropped on the window. The drop is handled here, from the window's own drag-and-drop event,
//! not from the webview: the paths come from the platform (the person dragged those files), Roster
//! grants a review handle for each regular CSV file among them, and the UI receives the handles as
//! the `file-drop` event. The webview never hands Rust a path, so a page cannot fake a drop.

use tauri::{DragDropEvent, Manager, Runtime, Window, WindowEvent};

use crate::ipc::{FileDropDto, emit};
use crate::state::{AppState, FileUse};

/// Forwards the window's drag-and-drop events to the UI as `file-drop` events (registered with
/// `on_window_event` in [`crate::run`]).
pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    let WindowEvent::DragDrop(drag) = event else {
        return;
    };
    let payload = match drag {
        DragDropEvent::Enter { .. } | DragDropEvent::Over { .. } => FileDropDto::Over,
        DragDropEvent::Leave => FileDropDto::Leave,
        DragDropEvent::Drop { paths, .. } => dropped(&window.state::<AppState>(), paths),
        _ => return,
    };
    if let Err(error) = emit(window, &payload) {
        tracing::warn!(%error, "could not tell the window about dropped files");
    }
}

/// The `Drop` event for `paths`: a review handle for each file Roster can review, and why each other
/// one was refused.
pub fn dropped(state: &AppState, paths: &[std::path::PathBuf]) -> FileDropDto {
    let mut files = Vec::new();
    let mut refused = Vec::new();
    for path in paths {
        match state.grant_file(path, FileUse::ReviewFile) {
            Ok(file) => files.push(file),
            Err(error) => refused.push(error),
        }
    }
    FileDropDto::Drop { files, refused }
}
