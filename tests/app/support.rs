//! What the app tests share: an app state signed in to a fresh demo tenant.

use std::path::Path;

use roster_desktop::ipc::{Cloud, SignInMethod, SignInRequest};
use roster_desktop::{AppOptions, AppState};

/// An app state signed in to a fresh demo tenant, its data (job history) in `data_dir`.
pub async fn demo_state_in(data_dir: &Path) -> AppState {
    let state = AppState::new(AppOptions {
        demo: true,
        data_dir: data_dir.to_owned(),
        ..AppOptions::default()
    });
    state
        .sign_in(SignInRequest {
            method: SignInMethod::Demo,
            cloud: Cloud::Global,
        })
        .await
        .unwrap();
    state
}

/// An app state signed in to a fresh demo tenant, its data in a temporary folder that is removed
/// when the returned guard drops (keep it alive as long as the state).
pub async fn demo_state() -> (AppState, tempfile::TempDir) {
    let data = tempfile::tempdir().unwrap();
    (demo_state_in(data.path()).await, data)
}
