//! What the app tests share beyond roster-test-support: an app state signed in to a fresh demo tenant,
//! waiting (bounded) for the job events the UI receives, and the write permission a session's clients
//! carry.

use std::path::Path;
use std::time::Duration;

use roster_desktop::ipc::{
    Cloud, JobDto, JobEventDto, JobStatusDto, SessionDto, SignInMethod, SignInRequest,
};
use roster_desktop::{AppOptions, AppState};
use roster_graph::{ErrorKind, GraphRequest, Method};
use tokio::sync::broadcast;

/// The longest a job in these tests may take (a bounded wait, not a timing assertion).
pub const DEADLINE: Duration = Duration::from_secs(120);

/// Signs `state` in to its demo tenant.
pub async fn sign_in_demo(state: &AppState) -> SessionDto {
    state
        .sign_in(SignInRequest {
            method: SignInMethod::Demo,
            cloud: Cloud::Global,
        })
        .await
        .unwrap()
}

/// An app state signed in to a fresh demo tenant, its data (job history) in `data_dir`.
pub async fn demo_state_in(data_dir: &Path) -> AppState {
    let state = AppState::new(AppOptions {
        demo: true,
        data_dir: data_dir.to_owned(),
        ..AppOptions::default()
    });
    sign_in_demo(&state).await;
    state
}

/// An app state signed in to a fresh demo tenant, its data in a temporary folder that is removed
/// when the returned guard drops (keep it alive as long as the state).
pub async fn demo_state() -> (AppState, tempfile::TempDir) {
    let data = tempfile::tempdir().unwrap();
    (demo_state_in(data.path()).await, data)
}

/// Waits for job `id` to reach a status that is not queued or running; returns it as reported.
pub async fn wait_end(events: &mut broadcast::Receiver<JobEventDto>, id: &str) -> JobDto {
    tokio::time::timeout(DEADLINE, async {
        loop {
            if let JobEventDto::Status { job } = events.recv().await.unwrap()
                && job.id == id
                && !matches!(job.status, JobStatusDto::Queued | JobStatusDto::Running)
            {
                return *job;
            }
        }
    })
    .await
    .expect("the job ended in time")
}

/// Waits until job `id` reports at least `items` rows.
pub async fn wait_items(events: &mut broadcast::Receiver<JobEventDto>, id: &str, items: u64) {
    tokio::time::timeout(DEADLINE, async {
        loop {
            if let JobEventDto::Progress { progress } = events.recv().await.unwrap()
                && progress.id == id
                && progress.items >= items
            {
                return;
            }
        }
    })
    .await
    .expect("the job made progress in time");
}

/// Adds the directory object `member_id` to the group `group_id`: refused to the session's reading
/// client for want of permission, then done by its writing client (asked for only after the refusal,
/// as the app does when a change needs it).
pub async fn only_the_writer_adds(state: &AppState, group_id: &str, member_id: &str) {
    let reader = state.read_graph().await.unwrap();
    let member = serde_json::json!({ "@odata.id": reader.directory_object_url(member_id) });
    let add = || {
        GraphRequest::new(Method::POST, format!("groups/{group_id}/members/$ref"))
            .json(member.clone())
    };
    let refused = reader.send(add()).await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Permission, "{refused}");
    let writer = state.write_graph().await.unwrap();
    writer.send(add()).await.unwrap();
}

/// The handle the UI would hold for `path` once the person chose it for `use_` (in a native dialog
/// or by dropping it on the window).
pub fn chosen(state: &AppState, path: &Path, use_: roster_desktop::state::FileUse) -> String {
    state.grant_file(path, use_).unwrap().handle
}

/// The handle of `path` chosen as a file to review.
pub fn to_review(state: &AppState, path: &Path) -> String {
    chosen(state, path, roster_desktop::state::FileUse::ReviewFile)
}

/// The handle of `path` chosen in the save dialog.
pub fn to_save(state: &AppState, path: &Path) -> String {
    chosen(state, path, roster_desktop::state::FileUse::SaveCsv)
}
