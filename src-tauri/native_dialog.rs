//! The native file dialogs (tauri-plugin-dialog's Rust API; on Linux GTK's file chooser), opened
//! from Rust so the path the person chooses never has to come from the webview. The one place that
//! opens them: the pickers of the review and membership screens, the save dialog and the folder
//! picker all go through here. The end-to-end tests find each dialog by its title.

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder, FilePath};

use crate::ipc::{AppError, ErrorCode};

/// What a dialog shows: its title, the file filter, and where it opens.
pub struct DialogSpec<'a> {
    /// The window title (none when empty).
    pub title: &'a str,
    /// The filter's name ("CSV") and its extensions (without dots).
    pub filter: (&'a str, &'a [&'a str]),
    /// Where it opens: a folder, or a file (selected in an open dialog, suggested in a save
    /// dialog).
    pub start: Option<PathBuf>,
}

/// Which dialog to show.
#[derive(Clone, Copy)]
enum Kind {
    Open,
    Save,
    Folder,
}

/// The native open dialog for one file; `None` when the person cancelled.
pub async fn pick_file<R: Runtime>(
    app: &AppHandle<R>,
    spec: &DialogSpec<'_>,
) -> Result<Option<PathBuf>, AppError> {
    show(app, spec, Kind::Open).await
}

/// The native open dialog for a file of `use_`, answered with a handle the UI may use for that
/// alone (`file` is `None` when the person cancelled).
pub async fn pick_granted<R: Runtime>(
    app: &AppHandle<R>,
    state: &crate::state::AppState,
    spec: &DialogSpec<'_>,
    use_: crate::state::FileUse,
) -> Result<crate::ipc::PickedFile, AppError> {
    let file = match pick_file(app, spec).await? {
        Some(path) => Some(state.grant_file(&path, use_)?),
        None => None,
    };
    Ok(crate::ipc::PickedFile { file })
}

/// The native save dialog; `None` when the person cancelled.
pub async fn save_file<R: Runtime>(
    app: &AppHandle<R>,
    spec: &DialogSpec<'_>,
) -> Result<Option<PathBuf>, AppError> {
    show(app, spec, Kind::Save).await
}

/// The native folder picker; `None` when the person cancelled.
pub async fn pick_folder<R: Runtime>(
    app: &AppHandle<R>,
    spec: &DialogSpec<'_>,
) -> Result<Option<PathBuf>, AppError> {
    show(app, spec, Kind::Folder).await
}

async fn show<R: Runtime>(
    app: &AppHandle<R>,
    spec: &DialogSpec<'_>,
    kind: Kind,
) -> Result<Option<PathBuf>, AppError> {
    let builder = app.dialog().file();
    let builder = if spec.title.is_empty() {
        builder
    } else {
        builder.set_title(spec.title)
    };
    let builder = starting_at(builder, spec, kind);
    let (tx, rx) = tokio::sync::oneshot::channel();
    let answer = move |path: Option<FilePath>| {
        let _ = tx.send(path.map(FilePath::into_path));
    };
    match kind {
        Kind::Open => builder
            .add_filter(spec.filter.0, spec.filter.1)
            .pick_file(answer),
        Kind::Save => builder
            .add_filter(spec.filter.0, spec.filter.1)
            .save_file(answer),
        Kind::Folder => builder.pick_folder(answer),
    }
    let chosen = rx.await.map_err(|_| {
        AppError::new(
            ErrorCode::Internal,
            "The file dialog closed unexpectedly; try again.",
        )
    })?;
    chosen.transpose().map_err(|e| {
        AppError::new(
            ErrorCode::Validation,
            "That is not a file on this computer. Choose a local file.",
        )
        .with_detail(e.to_string())
    })
}

/// Opens the dialog at `spec.start`: a folder as the starting folder, a file's folder with its name
/// (only absolute paths; anything else opens where the platform chooses).
fn starting_at<R: Runtime>(
    builder: FileDialogBuilder<R>,
    spec: &DialogSpec<'_>,
    kind: Kind,
) -> FileDialogBuilder<R> {
    let Some(start) = spec.start.as_deref().filter(|p| p.is_absolute()) else {
        return builder;
    };
    if start.is_dir() || matches!(kind, Kind::Folder) {
        return builder.set_directory(start);
    }
    let builder = match start.parent().filter(|p| p.is_dir()) {
        Some(folder) => builder.set_directory(folder),
        None => builder,
    };
    match start.file_name() {
        Some(name) => builder.set_file_name(name.to_string_lossy()),
        None => builder,
    }
}

/// A starting point the UI suggested: a path when it is absolute, else a name in `folder`.
pub fn start_in(folder: &Path, suggested: &str) -> Option<PathBuf> {
    let suggested = suggested.trim();
    if suggested.is_empty() {
        return Some(folder.to_owned());
    }
    let path = Path::new(suggested);
    if path.is_absolute() {
        return Some(path.to_owned());
    }
    path.file_name().map(|name| folder.join(name))
}
