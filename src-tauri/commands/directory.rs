//! `users_*` and `groups_*` commands: read the directory for the tables.

use tauri::State;

use crate::ipc::{AppError, GroupsListRequest, GroupsPage, UsersListRequest, UsersPage};
use crate::state::AppState;

/// The signed-in tenant's users.
#[tauri::command]
pub async fn users_list(
    state: State<'_, AppState>,
    request: UsersListRequest,
) -> Result<UsersPage, AppError> {
    state.users(request).await
}

/// The signed-in tenant's groups.
#[tauri::command]
pub async fn groups_list(
    state: State<'_, AppState>,
    request: GroupsListRequest,
) -> Result<GroupsPage, AppError> {
    state.groups(request).await
}
