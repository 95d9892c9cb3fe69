//! Session commands: signed out at start, sign-in methods, and the errors the UI sees.

use roster_desktop::ipc::{Cloud, ErrorCode, SignInMethod, SignInRequest};
use roster_desktop::{AppOptions, AppState};

use crate::support::{demo_state, only_the_writer_adds};

#[tokio::test]
async fn a_new_app_is_signed_out_and_knows_its_mode() {
    let state = AppState::new(AppOptions {
        demo: true,
        ..AppOptions::default()
    });
    assert_eq!(state.session().await.account, None);
    let info = state.info();
    assert!(info.demo);
    assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn reading_the_directory_while_signed_out_asks_to_sign_in() {
    let state = AppState::new(AppOptions::default());
    let error = state.users(Default::default()).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::Unauthenticated);
    let json = serde_json::to_value(state.groups(Default::default()).await.unwrap_err()).unwrap();
    assert_eq!(json["code"], "unauthenticated");
    assert!(json["message"].as_str().unwrap().contains("Sign in"));
}

#[tokio::test]
async fn sign_out_when_signed_out_is_harmless() {
    let state = AppState::new(AppOptions::default());
    assert_eq!(state.sign_out().await.account, None);
}

#[test]
fn sign_in_requests_use_the_ui_spelling() {
    let request: SignInRequest =
        serde_json::from_str(r#"{"method":"deviceCode","cloud":"usGov"}"#).unwrap();
    assert_eq!(
        request,
        SignInRequest {
            method: SignInMethod::DeviceCode,
            cloud: Cloud::UsGov
        }
    );
    assert!(
        serde_json::from_str::<SignInRequest>(r#"{"method":"password","cloud":"global"}"#).is_err()
    );
}

#[test]
fn every_command_is_registered_once() {
    let names = roster_desktop::ipc::commands::COMMAND_NAMES;
    for expected in [
        "app_info",
        "session_get",
        "session_sign_in",
        "session_sign_out",
        "session_accounts",
        "session_use_account",
        "session_remove_account",
        "session_switch_account",
        "session_cancel_sign_in",
        "session_sign_in_progress",
        "session_open_device_page",
        "users_list",
        "groups_list",
    ] {
        assert_eq!(
            names.iter().filter(|n| **n == expected).count(),
            1,
            "{expected}"
        );
    }
}

#[tokio::test]
async fn the_demo_session_gives_a_write_client_that_may_change_members() {
    let state = AppState::new(AppOptions::default());
    let error = state.write_graph().await.unwrap_err();
    assert_eq!(error.code, ErrorCode::Unauthenticated);

    let (state, _data) = demo_state().await;
    let reader = state.read_graph().await.unwrap();
    let group: serde_json::Value = reader
        .get_json("groups?$filter=displayName eq 'Empty Group'&$select=id")
        .await
        .unwrap();
    let group_id = group["value"][0]["id"].as_str().unwrap().to_owned();
    let me: serde_json::Value = reader.get_json("me?$select=id").await.unwrap();
    only_the_writer_adds(&state, &group_id, me["id"].as_str().unwrap()).await;
}
