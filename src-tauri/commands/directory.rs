//! `users_*` and `groups_*` commands: read the directory for the tables.

use tauri::State;

use crate::ipc::{
    AppError, GroupDetails, GroupMembersRequest, GroupRequest, GroupsListRequest, GroupsPage,
    ListingRequest, MembersPage, UserFacets, UsersListRequest, UsersPage,
};
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

/// The next page of a users listing (the table scrolled near its end).
#[tauri::command]
pub async fn users_more(
    state: State<'_, AppState>,
    request: ListingRequest,
) -> Result<UsersPage, AppError> {
    state.users_more(request).await
}

/// The departments and countries the Users screen's pickers offer.
#[tauri::command]
pub async fn users_facets(state: State<'_, AppState>) -> Result<UserFacets, AppError> {
    state.user_facets().await
}

/// The next page of a groups listing.
#[tauri::command]
pub async fn groups_more(
    state: State<'_, AppState>,
    request: ListingRequest,
) -> Result<GroupsPage, AppError> {
    state.groups_more(request).await
}

/// A group's details for its page.
#[tauri::command]
pub async fn group_get(
    state: State<'_, AppState>,
    request: GroupRequest,
) -> Result<GroupDetails, AppError> {
    state.group(request).await
}

/// The first page of a group's members (direct or transitive).
#[tauri::command]
pub async fn group_members(
    state: State<'_, AppState>,
    request: GroupMembersRequest,
) -> Result<MembersPage, AppError> {
    state.group_members(request).await
}

/// The next page of a group's members.
#[tauri::command]
pub async fn group_members_more(
    state: State<'_, AppState>,
    request: ListingRequest,
) -> Result<MembersPage, AppError> {
    state.group_members_more(request).await
}
