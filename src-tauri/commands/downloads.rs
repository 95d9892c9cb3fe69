//! `downloads_*` commands: start a users, groups, members, owners or users' groups download; the
//! column catalogue.

use tauri::State;

use crate::ipc::{
    AppError, ColumnCatalogue, ColumnsRequest, DownloadGroupsRequest, DownloadMembersRequest,
    DownloadOwnersRequest, DownloadUserGroupsRequest, DownloadUsersRequest, JobRef,
};
use crate::state::AppState;

/// Starts a users download (filter or ids, columns, path); progress arrives as job events.
#[tauri::command]
pub async fn downloads_users(
    state: State<'_, AppState>,
    request: DownloadUsersRequest,
) -> Result<JobRef, AppError> {
    state.download_users(request).await
}

/// Starts a groups download.
#[tauri::command]
pub async fn downloads_groups(
    state: State<'_, AppState>,
    request: DownloadGroupsRequest,
) -> Result<JobRef, AppError> {
    state.download_groups(request).await
}

/// Starts a download of the members of the selected groups into one file.
#[tauri::command]
pub async fn downloads_members(
    state: State<'_, AppState>,
    request: DownloadMembersRequest,
) -> Result<JobRef, AppError> {
    state.download_members(request).await
}

/// Starts a download of the owners of the selected groups into one file.
#[tauri::command]
pub async fn downloads_owners(
    state: State<'_, AppState>,
    request: DownloadOwnersRequest,
) -> Result<JobRef, AppError> {
    state.download_owners(request).await
}

/// Starts a download of the groups of the selected or filtered users into one file.
#[tauri::command]
pub async fn downloads_user_groups(
    state: State<'_, AppState>,
    request: DownloadUserGroupsRequest,
) -> Result<JobRef, AppError> {
    state.download_user_groups(request).await
}

/// The columns the column picker offers for a download.
#[tauri::command]
pub async fn downloads_columns(
    state: State<'_, AppState>,
    request: ColumnsRequest,
) -> Result<ColumnCatalogue, AppError> {
    Ok(state.download_columns(request))
}
