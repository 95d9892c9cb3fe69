//! `jobs_*` commands: the job history, one job with its per-row results, and what can be done to a
//! job (resume, cancel, follow up with its failed rows or an undo, delete, save its results).

use tauri::State;

use crate::ipc::{
    AppError, FollowUpDto, FollowUpRequest, JobDetail, JobDto, JobIdRequest, JobRef,
    JobsDeleteRequest, JobsGetRequest, JobsListRequest, JobsOpenRequest, JobsPage,
    JobsSaveResultsRequest, PathDto,
};
use crate::state::AppState;

/// Every job, newest first.
#[tauri::command]
pub async fn jobs_list(
    state: State<'_, AppState>,
    request: JobsListRequest,
) -> Result<JobsPage, AppError> {
    state.jobs_list(request).await
}

/// One job and a page of its per-row results.
#[tauri::command]
pub async fn jobs_get(
    state: State<'_, AppState>,
    request: JobsGetRequest,
) -> Result<JobDetail, AppError> {
    state.jobs_get(request).await
}

/// Continues a stopped job from its last checkpoint.
#[tauri::command]
pub async fn jobs_resume(
    state: State<'_, AppState>,
    request: JobIdRequest,
) -> Result<JobRef, AppError> {
    state.jobs_resume(request).await
}

/// Asks a job to stop (it can be resumed).
#[tauri::command]
pub async fn jobs_cancel(
    state: State<'_, AppState>,
    request: JobIdRequest,
) -> Result<JobDto, AppError> {
    state.jobs_cancel(request).await
}

/// A follow-up of a membership job (failed rows again, or undo), ready to preview like any import.
#[tauri::command]
pub async fn jobs_follow_up(
    state: State<'_, AppState>,
    request: FollowUpRequest,
) -> Result<FollowUpDto, AppError> {
    state.jobs_follow_up(request).await
}

/// Deletes a job, with or without its files.
#[tauri::command]
pub async fn jobs_delete(
    state: State<'_, AppState>,
    request: JobsDeleteRequest,
) -> Result<PathDto, AppError> {
    state.jobs_delete(request).await
}

/// Copies a job's results (or downloaded CSV) to a path chosen in the save dialog.
#[tauri::command]
pub async fn jobs_save_results(
    state: State<'_, AppState>,
    request: JobsSaveResultsRequest,
) -> Result<PathDto, AppError> {
    state.jobs_save_results(request).await
}

/// Opens a job's file (the downloaded CSV, or a membership job's results) with the default app, or
/// shows it in the file manager. Only a job's own files can be opened this way.
#[tauri::command]
pub async fn jobs_open<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    request: JobsOpenRequest,
) -> Result<PathDto, AppError> {
    use tauri_plugin_opener::OpenerExt;
    let path = state.job_file(&request.id).await?;
    let opened = if request.reveal {
        app.opener().reveal_item_in_dir(&path)
    } else {
        app.opener().open_path(path.to_string_lossy(), None::<&str>)
    };
    opened.map_err(|e| {
        crate::ipc::AppError::new(
            crate::ipc::ErrorCode::NotAvailable,
            format!(
                "No app could open {}. Open it from your file manager.",
                path.display()
            ),
        )
        .with_detail(e.to_string())
    })?;
    Ok(PathDto {
        path: path.to_string_lossy().into_owned(),
    })
}

/// Forwards every job event to the UI as the `job-event` Tauri event, and shows a native
/// notification when a job ends ("File is ready: users.csv", "Import finished: 10 added, 2 failed").
///
/// Clicking the notification opens the downloaded file (or a membership job's results) where the
/// platform reports the click: on Linux the notification server's `default` action (the plugin's
/// `tap`), on Windows while the toast is on screen, on macOS always.
pub fn forward_job_events<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    use std::collections::{HashMap, HashSet};
    use std::sync::{Arc, Mutex, PoisonError};
    use tauri::Manager;
    use tauri_plugin_notification::NotificationExt;
    use tauri_plugin_opener::OpenerExt;

    let targets: Arc<Mutex<HashMap<i32, String>>> = Arc::default();
    {
        let targets = Arc::clone(&targets);
        let opener = app.clone();
        let _ = app.notification().on_action(move |action| {
            if action.action_id() != "tap" {
                return;
            }
            let target = action.notification().and_then(|n| {
                targets
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .get(&n.id())
                    .cloned()
            });
            if let Some(path) = target
                && let Err(e) = opener.opener().open_path(&path, None::<&str>)
            {
                tracing::warn!("could not open {path}: {e}");
            }
        });
    }
    let mut rx = app.state::<AppState>().subscribe_jobs();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let mut notified: HashSet<(String, String)> = HashSet::new();
        let mut next_id: i32 = 1;
        loop {
            let event = match rx.recv().await {
                Ok(event) => event,
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            };
            if let Err(e) = crate::ipc::emit(&app, &event) {
                tracing::warn!("could not send a job event to the window: {e}");
            }
            let crate::ipc::JobEventDto::Status { job } = &event else {
                continue;
            };
            let Some(text) = app.state::<AppState>().job_end_message(job) else {
                continue;
            };
            let key = (job.id.clone(), job.finished_at.clone().unwrap_or_default());
            if !notified.insert(key) {
                continue;
            }
            let id = next_id;
            next_id = next_id.wrapping_add(1);
            if let Some(path) = job.output_path.clone().or(job.results_path.clone()) {
                targets
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(id, path);
            }
            let shown = app
                .notification()
                .builder()
                .id(id)
                .title("Roster")
                .body(text)
                .show();
            if let Err(e) = shown {
                tracing::warn!("could not show a notification: {e}");
            }
        }
    });
}
