//! The desktop boundary: what the webview may do. The main window's capability grants only what the
//! UI calls from JavaScript, and commands take handles of files the person chose, never paths: a
//! raw path, a made-up handle or a handle chosen for another use is refused, and only regular files
//! of the expected kinds get a handle.

use std::path::Path;

use roster_desktop::ipc::{
    AppError, DownloadUsersRequest, ErrorCode, FileDropDto, JobsSaveResultsRequest,
    MembershipOpDto, MembershipPreviewRequest, ReviewExportRequest, ReviewFileRequest,
    ViewQueryDto,
};
use roster_desktop::state::FileUse;
use roster_desktop::{AppOptions, AppState};

use crate::support::{to_review, to_save};

/// What the UI calls from JavaScript besides the app's own commands: it listens to the app's events
/// (`ui/src/lib/ipc/events.ts`) and stops listening. Dialogs, notifications and opening files are
/// done from Rust, which needs no permission.
const UI_PERMISSIONS: [&str; 2] = ["core:event:allow-listen", "core:event:allow-unlisten"];

fn offline_state() -> (AppState, tempfile::TempDir) {
    let data = tempfile::tempdir().unwrap();
    let state = AppState::new(AppOptions {
        data_dir: data.path().to_owned(),
        ..AppOptions::default()
    });
    (state, data)
}

fn code_of(error: &AppError) -> &str {
    error.text.as_deref().map_or("", |t| t.code.as_str())
}

fn write(path: &Path, text: &str) -> std::path::PathBuf {
    std::fs::write(path, text).unwrap();
    path.to_owned()
}

#[test]
fn the_main_window_is_granted_only_what_the_ui_calls() {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tauri.conf.json"))
            .unwrap();
    let config: serde_json::Value = serde_json::from_str(&text).unwrap();
    let capabilities = config["app"]["security"]["capabilities"]
        .as_array()
        .unwrap();
    assert_eq!(capabilities.len(), 1, "one capability, for the main window");
    assert_eq!(capabilities[0]["windows"], serde_json::json!(["main"]));
    assert_eq!(
        capabilities[0]["permissions"],
        serde_json::json!(UI_PERMISSIONS)
    );
}

#[tokio::test]
async fn a_path_where_a_handle_belongs_is_refused_and_nothing_is_read_or_written() {
    let (state, data) = offline_state();
    let secret = write(&data.path().join("secret.csv"), "id,name\n1,private\n");
    let raw = secret.display().to_string();

    let opened = state
        .review_open(ReviewFileRequest { file: raw.clone() })
        .await
        .unwrap_err();
    let peeked = state
        .review_peek(ReviewFileRequest { file: raw.clone() })
        .await
        .unwrap_err();
    let previewed = state
        .membership_preview(MembershipPreviewRequest {
            group_id: "g".into(),
            op: MembershipOpDto::Add,
            file: raw.clone(),
        })
        .await
        .unwrap_err();
    for error in [&opened, &peeked, &previewed] {
        assert_eq!(
            (error.code, code_of(error)),
            (ErrorCode::NotFound, "desktop.files.unknownHandle"),
            "{error:?}"
        );
    }

    let target = data.path().join("overwritten.csv");
    let copied = state
        .jobs_save_results(JobsSaveResultsRequest {
            id: "1".into(),
            file: target.display().to_string(),
        })
        .await
        .unwrap_err();
    let downloaded = state
        .download_users(DownloadUsersRequest {
            file: target.display().to_string(),
            ..DownloadUsersRequest::default()
        })
        .await
        .unwrap_err();
    for error in [&copied, &downloaded] {
        assert_eq!(code_of(error), "desktop.files.unknownHandle", "{error:?}");
    }
    assert!(!target.exists());
    let unchosen = state
        .download_users(DownloadUsersRequest::default())
        .await
        .unwrap_err();
    assert_eq!(code_of(&unchosen), "desktop.files.noFileChosen");
}

#[tokio::test]
async fn a_handle_works_only_for_the_use_it_was_chosen_for() {
    let (state, data) = offline_state();
    let users = write(
        &data.path().join("users.csv"),
        "id,displayName\n1,Ada\n2,Bob\n",
    );
    let read = to_review(&state, &users);
    let file = state
        .review_open(ReviewFileRequest { file: read.clone() })
        .await
        .unwrap();

    let exported = state
        .review_export(ReviewExportRequest {
            handle: file.handle,
            query: ViewQueryDto::default(),
            columns: vec![],
            file: read,
        })
        .await
        .unwrap_err();
    assert_eq!(code_of(&exported), "desktop.files.unknownHandle");
    assert_eq!(
        std::fs::read_to_string(&users).unwrap(),
        "id,displayName\n1,Ada\n2,Bob\n",
        "a file chosen to read is never written"
    );

    let save = to_save(&state, &data.path().join("copy.csv"));
    let reopened = state
        .review_open(ReviewFileRequest { file: save })
        .await
        .unwrap_err();
    assert_eq!(code_of(&reopened), "desktop.files.unknownHandle");
}

#[test]
fn only_regular_files_of_the_expected_kinds_get_a_handle() {
    let (state, data) = offline_state();
    let dir = data.path();
    let refusal =
        |path: &Path, use_: FileUse| code_of(&state.grant_file(path, use_).unwrap_err()).to_owned();
    let csv = write(&dir.join("members.csv"), "a@example.com\n");
    let workbook = write(&dir.join("members.xlsx"), "not really a workbook");
    let script = write(&dir.join("members.sh"), "echo hi\n");
    let fifo = dir.join("pipe.csv");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());

    assert!(state.grant_file(&csv, FileUse::MemberFile).is_ok());
    assert!(state.grant_file(&workbook, FileUse::MemberFile).is_ok());
    assert_eq!(
        refusal(&workbook, FileUse::ReviewFile),
        "desktop.files.wrongKind"
    );
    assert_eq!(
        refusal(&script, FileUse::MemberFile),
        "desktop.files.wrongKind"
    );
    assert_eq!(refusal(dir, FileUse::ReviewFile), "desktop.files.notAFile");
    assert_eq!(
        refusal(&fifo, FileUse::ReviewFile),
        "desktop.files.notAFile"
    );
    assert_eq!(
        refusal(&dir.join("gone.csv"), FileUse::MemberFile),
        "desktop.files.missing"
    );
    assert!(
        state
            .grant_file(Path::new("members.csv"), FileUse::MemberFile)
            .is_err()
    );

    let named = state
        .grant_file(&dir.join("report"), FileUse::SaveCsv)
        .unwrap();
    assert_eq!(
        named.name, "report.csv",
        "the save dialog's answer gets a CSV extension"
    );
    assert_eq!(
        refusal(&dir.join("nowhere/x.csv"), FileUse::SaveCsv),
        "desktop.files.noFolder"
    );
    let folder = dir.join("folder.csv");
    std::fs::create_dir(&folder).unwrap();
    assert_eq!(refusal(&folder, FileUse::SaveCsv), "desktop.files.notAFile");
    assert_eq!(refusal(&fifo, FileUse::SaveCsv), "desktop.files.notAFile");
}

#[tokio::test]
async fn dropped_files_get_handles_and_the_rest_are_refused_with_a_reason() {
    let (state, data) = offline_state();
    let users = write(&data.path().join("users.csv"), "id,displayName\n1,Ada\n");
    let workbook = write(&data.path().join("users.xlsx"), "PK");
    let FileDropDto::Drop { files, refused } = roster_desktop::file_drop::dropped(
        &state,
        &[users.clone(), workbook, data.path().to_owned()],
    ) else {
        panic!("a drop is reported as a drop");
    };
    assert_eq!(files.len(), 1);
    assert_eq!(
        (files[0].name.as_str(), files[0].path.as_str()),
        ("users.csv", users.to_str().unwrap())
    );
    let codes: Vec<&str> = refused.iter().map(code_of).collect();
    assert_eq!(codes, ["desktop.files.wrongKind", "desktop.files.notAFile"]);
    let opened = state
        .review_open(ReviewFileRequest {
            file: files[0].handle.clone(),
        })
        .await
        .unwrap();
    assert_eq!(opened.rows, 1);
}
