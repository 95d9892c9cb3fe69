//! The demo tenant: sign in, list users and groups through the Graph client, sign out.

use roster_desktop::AppState;
use roster_desktop::ipc::{ErrorCode, GroupsListRequest, UsersListRequest};

use crate::support::demo_state;

/// A state signed in to the demo tenant as its admin, and the guard of its data folder.
async fn signed_in_demo() -> (AppState, tempfile::TempDir) {
    let (state, data) = demo_state().await;
    let account = state.session().await.account.expect("signed in");
    assert!(account.demo);
    assert!(
        account.username.starts_with("admin@"),
        "{}",
        account.username
    );
    assert_eq!(account.username, format!("admin@{}", account.tenant_domain));
    (state, data)
}

#[tokio::test]
async fn demo_sign_in_lists_the_tenants_users_and_groups() {
    let (state, _data) = signed_in_demo().await;
    let users = state.users(UsersListRequest::default()).await.unwrap();
    assert!(users.items.len() >= 100, "only {} users", users.items.len());
    assert!(users.total.is_some_and(|t| t >= users.items.len() as u64));
    assert!(
        users
            .items
            .iter()
            .all(|u| !u.id.is_empty() && u.user_principal_name.contains('@'))
    );
    let groups = state.groups(GroupsListRequest::default()).await.unwrap();
    assert!(!groups.items.is_empty());
    assert!(groups.items.iter().all(|g| !g.display_name.is_empty()));
    state.sign_out().await;
}

#[tokio::test]
async fn after_sign_out_the_directory_asks_to_sign_in_again() {
    let (state, _data) = signed_in_demo().await;
    assert!(state.sign_out().await.account.is_none());
    let error = state.users(UsersListRequest::default()).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::Unauthenticated);
}
