//! Review without signing in: open a CSV file the test writes, page through it sorted and
//! filtered, its values and summary, copy and export with the settings' CSV format, the recent
//! list, comparing two snapshots, and the errors people see.

use std::path::{Path, PathBuf};

use roster_desktop::ipc::{
    AppError, ChangeDto, ColumnFilterDto, ComparisonExportRequest, ComparisonLinesRequest,
    ComparisonRequest, ComparisonRunRequest, DelimiterDto, EncodingDto, ErrorCode, FileKindDto,
    FilterTestDto, PEEK_ROWS, ReviewCopyRequest, ReviewExportRequest, ReviewFileDto,
    ReviewFileRequest, ReviewHandleRequest, ReviewPageRequest, ReviewValuesRequest, SortKeyDto,
    ViewQueryDto,
};
use roster_desktop::state::FileUse;
use roster_desktop::{AppOptions, AppState};

use crate::support::{to_review, to_save};

const DEPARTMENTS: [&str; 4] = ["Sales", "HR", "IT", ""];

/// A signed-out app state with its data in a temporary folder (kept alive by the guard).
fn offline_state() -> (AppState, tempfile::TempDir) {
    let data = tempfile::tempdir().unwrap();
    let state = AppState::new(AppOptions {
        data_dir: data.path().to_owned(),
        ..AppOptions::default()
    });
    (state, data)
}

/// A users file of `rows` users: user `i` is `User i`, in department `DEPARTMENTS[i % 4]`.
fn users_file(dir: &Path, name: &str, rows: usize, edit: impl Fn(usize, &mut [String])) -> PathBuf {
    let mut text = String::from("id,displayName,userPrincipalName,department,accountEnabled\n");
    for i in 0..rows {
        let mut cells = [
            format!("00000000-0000-0000-0000-{i:012}"),
            format!("User {i}"),
            format!("user{i}@contoso.com"),
            DEPARTMENTS[i % DEPARTMENTS.len()].to_owned(),
            (i % 10 != 0).to_string(),
        ];
        edit(i, &mut cells);
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

async fn open(state: &AppState, path: &Path) -> Result<ReviewFileDto, AppError> {
    state
        .review_open(ReviewFileRequest {
            file: state.grant_file(path, FileUse::ReviewFile)?.handle,
        })
        .await
}

fn filter(column: u32, test: FilterTestDto) -> ColumnFilterDto {
    ColumnFilterDto { column, test }
}

async fn page(
    state: &AppState,
    handle: u64,
    query: &ViewQueryDto,
    offset: u64,
    limit: u64,
) -> roster_desktop::ipc::ReviewPageDto {
    state
        .review_page(ReviewPageRequest {
            handle,
            query: query.clone(),
            offset,
            limit,
            columns: Vec::new(),
        })
        .await
        .unwrap()
}

fn code_of(error: &AppError) -> &str {
    error.text.as_deref().map_or("", |t| t.code.as_str())
}

#[tokio::test]
async fn an_open_file_pages_sorts_filters_and_searches_without_signing_in() {
    let (state, _data) = offline_state();
    let dir = tempfile::tempdir().unwrap();
    let path = users_file(dir.path(), "users.csv", 2_500, |_, _| {});
    let file = open(&state, &path).await.unwrap();
    assert_eq!(file.rows, 2_500);
    assert_eq!(file.kind, FileKindDto::Users);
    assert_eq!(file.encoding, EncodingDto::Utf8);
    assert_eq!(file.delimiter, ",");
    assert_eq!(file.name, "users.csv");
    assert_eq!(file.columns[1], "displayName");
    assert!(file.notices.is_empty());

    let all = ViewQueryDto::default();
    let first = page(&state, file.handle, &all, 0, 5_000).await;
    assert_eq!(first.total, 2_500);
    assert_eq!(first.rows.len(), 1_000, "a page holds at most 1,000 rows");
    assert_eq!(first.row_numbers[..3], [1, 2, 3]);
    assert_eq!(first.rows[0][1], "User 0");
    let last = page(&state, file.handle, &all, 2_499, 10).await;
    assert_eq!((last.offset, last.rows.len()), (2_499, 1));

    let sorted = ViewQueryDto {
        sort: Some(SortKeyDto {
            column: 1,
            descending: true,
        }),
        ..ViewQueryDto::default()
    };
    let top = page(&state, file.handle, &sorted, 0, 2).await;
    assert_eq!(top.rows[0][1], "User 999", "text order, largest first");
    assert_eq!(top.row_numbers[0], 1_000);

    let sales = ViewQueryDto {
        filters: vec![filter(3, FilterTestDto::Equals("sales".into()))],
        ..ViewQueryDto::default()
    };
    let rows = page(&state, file.handle, &sales, 0, 1_000).await;
    assert_eq!(rows.total, 625);
    assert!(rows.rows.iter().all(|r| r[3] == "Sales"));

    let blank_or_hr = ViewQueryDto {
        filters: vec![filter(
            3,
            FilterTestDto::OneOf(vec!["HR".into(), String::new()]),
        )],
        search: Some("user1".into()),
        ..ViewQueryDto::default()
    };
    let found = page(&state, file.handle, &blank_or_hr, 0, 1_000).await;
    assert!(found.total > 0);
    assert!(found.rows.iter().all(|r| (r[3] == "HR" || r[3].is_empty())
        && r.iter().any(|c| c.to_lowercase().contains("user1"))));

    let empty = ViewQueryDto {
        filters: vec![filter(3, FilterTestDto::Empty)],
        ..ViewQueryDto::default()
    };
    assert_eq!(page(&state, file.handle, &empty, 0, 1).await.total, 625);
}

#[tokio::test]
async fn values_summary_copy_and_export_follow_the_view_and_the_settings() {
    let (state, _data) = offline_state();
    let dir = tempfile::tempdir().unwrap();
    let path = users_file(dir.path(), "users.csv", 400, |i, cells| {
        if i == 5 {
            cells[1] = "=1+2".into();
        }
    });
    let file = open(&state, &path).await.unwrap();
    let enabled = ViewQueryDto {
        filters: vec![
            filter(4, FilterTestDto::Equals("true".into())),
            filter(3, FilterTestDto::Equals("IT".into())),
        ],
        ..ViewQueryDto::default()
    };
    let values = state
        .review_values(ReviewValuesRequest {
            handle: file.handle,
            query: enabled.clone(),
            column: 3,
            containing: None,
            limit: None,
        })
        .await
        .unwrap()
        .values;
    let counts: Vec<(&str, u64)> = values.iter().map(|v| (v.value.as_str(), v.count)).collect();
    assert_eq!(
        counts,
        [("", 100), ("HR", 100), ("IT", 80), ("Sales", 80)],
        "its own filter is left out, the others apply"
    );

    let summary = state
        .review_summary(ReviewHandleRequest {
            handle: file.handle,
        })
        .await
        .unwrap();
    assert_eq!(summary.rows, 400);
    assert_eq!(summary.columns[3].filled, 300);
    assert_eq!(summary.columns[3].distinct, 3);
    let charts: Vec<&str> = summary.charts.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(charts, ["accountEnabled", "department"]);

    let copied = state
        .review_copy(ReviewCopyRequest {
            handle: file.handle,
            query: enabled.clone(),
            positions: vec![0, 1],
            columns: vec![1, 3],
        })
        .await
        .unwrap();
    assert_eq!(copied.rows, 2);
    assert_eq!(
        copied.text,
        "displayName\tdepartment\nUser 2\tIT\nUser 6\tIT\n"
    );

    let mut settings = state.settings().await.unwrap();
    settings.delimiter = DelimiterDto::Semicolon;
    settings.bom = false;
    state.set_settings(settings).await.unwrap();
    let dest = dir.path().join("out").join("it.csv");
    std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
    let exported = state
        .review_export(ReviewExportRequest {
            handle: file.handle,
            query: ViewQueryDto::default(),
            columns: vec![1, 3],
            file: to_save(&state, &dest),
        })
        .await
        .unwrap();
    assert_eq!(exported.rows, 400);
    let text = std::fs::read_to_string(&dest).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "displayName;department", "no BOM, semicolons");
    assert_eq!(lines[6], "'=1+2;HR", "the formula guard is on");
}

#[tokio::test]
async fn recent_files_keep_the_last_ten_and_show_missing_ones() {
    let (state, _data) = offline_state();
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for i in 0..12 {
        let path = users_file(dir.path(), &format!("users-{i}.csv"), 3, |_, _| {});
        open(&state, &path).await.unwrap();
        paths.push(path);
    }
    open(&state, &paths[5]).await.unwrap();
    let recent = state.review_recent().await.unwrap().files;
    assert_eq!(recent.len(), 10);
    assert_eq!(recent[0].name, "users-5.csv");
    assert_eq!(recent[1].name, "users-11.csv");
    assert!(recent.iter().all(|f| f.exists));

    std::fs::remove_file(&paths[11]).unwrap();
    let recent = state.review_recent().await.unwrap().files;
    assert!(!recent[1].exists, "a moved file is shown as missing");
    let after = state
        .review_forget_recent(ReviewFileRequest {
            file: recent[1].handle.clone(),
        })
        .await
        .unwrap()
        .files;
    assert_eq!(after.len(), 9);
    assert!(after.iter().all(|f| f.name != "users-11.csv"));
}

#[tokio::test]
async fn comparing_two_snapshots_counts_pages_and_exports_the_differences() {
    let (state, _data) = offline_state();
    let dir = tempfile::tempdir().unwrap();
    let old = users_file(dir.path(), "old.csv", 100, |_, _| {});
    let new = users_file(dir.path(), "new.csv", 103, |i, cells| {
        if i < 3 {
            cells[0] = format!("new-{i}");
        }
        if i % 20 == 5 {
            cells[3] = "Legal".into();
        }
    });
    let (old, new) = (
        open(&state, &old).await.unwrap(),
        open(&state, &new).await.unwrap(),
    );
    let compared = state
        .comparison_run(ComparisonRunRequest {
            old: old.handle,
            new: new.handle,
            key: None,
        })
        .await
        .unwrap();
    assert_eq!(compared.key, ["id"]);
    assert_eq!(
        (compared.counts.added, compared.counts.removed),
        (6, 3),
        "3 new ids and rows 100-102 added, 3 old ids gone"
    );
    assert_eq!(compared.counts.changed, 5);
    let department = compared.fields.iter().position(|f| f == "department");
    assert_eq!(compared.field_changes[department.unwrap()], 5);

    let changed = state
        .comparison_lines(ComparisonLinesRequest {
            id: compared.id,
            changes: vec![ChangeDto::Changed],
            field: Some("department".into()),
            offset: 0,
            limit: 2,
        })
        .await
        .unwrap();
    assert_eq!((changed.total, changed.lines.len()), (5, 2));
    assert_eq!(changed.lines[0].new, "Legal");
    assert_eq!(changed.lines[0].label, "User 5 (user5@contoso.com)");

    let dest = dir.path().join("differences.csv");
    let written = state
        .comparison_export(ComparisonExportRequest {
            id: compared.id,
            file: to_save(&state, &dest),
        })
        .await
        .unwrap();
    assert_eq!(written.rows, 14);
    let text = std::fs::read_to_string(&dest).unwrap();
    assert!(
        text.trim_start_matches('\u{feff}')
            .starts_with("change,id,field,old,new")
    );

    state
        .review_close(ReviewHandleRequest { handle: old.handle })
        .await
        .unwrap();
    let gone = state
        .comparison_lines(ComparisonLinesRequest {
            id: compared.id,
            changes: Vec::new(),
            field: None,
            offset: 0,
            limit: 1,
        })
        .await
        .unwrap_err();
    assert_eq!(
        gone.code,
        ErrorCode::NotFound,
        "closing a file closes its comparisons"
    );
    state
        .comparison_close(ComparisonRequest { id: compared.id })
        .await
        .unwrap();
}

#[tokio::test]
async fn members_comparisons_say_who_joined_and_left_each_group() {
    let (state, _data) = offline_state();
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, rows: &[(&str, &str, &str)]| {
        let mut text = String::from("groupId,groupName,id,displayName\n");
        for (group, name, member) in rows {
            text.push_str(&format!("{group},{name},{member},Person {member}\n"));
        }
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let old = write(
        "old.csv",
        &[
            ("g1", "Sales", "a"),
            ("g1", "Sales", "b"),
            ("g2", "HR", "c"),
        ],
    );
    let new = write(
        "new.csv",
        &[("g1", "Sales", "a"), ("g2", "HR", "c"), ("g2", "HR", "d")],
    );
    let (old, new) = (
        open(&state, &old).await.unwrap(),
        open(&state, &new).await.unwrap(),
    );
    assert_eq!(old.kind, FileKindDto::Members);
    let compared = state
        .comparison_run(ComparisonRunRequest {
            old: old.handle,
            new: new.handle,
            key: None,
        })
        .await
        .unwrap();
    assert_eq!(compared.key, ["groupId", "id"]);
    let groups: Vec<(&str, u64, u64)> = compared
        .groups
        .iter()
        .map(|g| (g.group_name.as_str(), g.joined, g.left))
        .collect();
    assert_eq!(groups, [("HR", 1, 0), ("Sales", 0, 1)]);
}

#[tokio::test]
async fn errors_say_what_is_wrong_with_a_code_the_ui_words() {
    let (state, _data) = offline_state();
    let dir = tempfile::tempdir().unwrap();

    let relative = state
        .review_open(ReviewFileRequest {
            file: "users.csv".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(
        (relative.code, code_of(&relative)),
        (ErrorCode::NotFound, "desktop.files.unknownHandle")
    );

    let missing = open(&state, &dir.path().join("nothing.csv"))
        .await
        .unwrap_err();
    assert_eq!(code_of(&missing), "desktop.files.missing");
    let folder = open(&state, dir.path()).await.unwrap_err();
    assert_eq!(code_of(&folder), "desktop.files.notAFile");
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    assert_eq!(
        code_of(&open(&state, &empty).await.unwrap_err()),
        "review.error.empty"
    );

    let users = open(&state, &users_file(dir.path(), "u.csv", 3, |_, _| {}))
        .await
        .unwrap();
    let groups_path = dir.path().join("groups.csv");
    std::fs::write(
        &groups_path,
        "id,displayName,groupType\ng1,Sales,Security\n",
    )
    .unwrap();
    let groups = open(&state, &groups_path).await.unwrap();
    assert_eq!(groups.kind, FileKindDto::Groups);
    let mismatch = state
        .comparison_run(ComparisonRunRequest {
            old: users.handle,
            new: groups.handle,
            key: None,
        })
        .await
        .unwrap_err();
    assert_eq!(code_of(&mismatch), "review.error.kindMismatch");
    assert!(
        mismatch.message.contains("different things"),
        "{}",
        mismatch.message
    );
    let no_key = state
        .comparison_run(ComparisonRunRequest {
            old: users.handle,
            new: users.handle,
            key: Some(vec!["employeeId".into()]),
        })
        .await
        .unwrap_err();
    assert_eq!(code_of(&no_key), "review.error.missingKey");

    state
        .review_close(ReviewHandleRequest {
            handle: users.handle,
        })
        .await
        .unwrap();
    let closed = state
        .review_summary(ReviewHandleRequest {
            handle: users.handle,
        })
        .await
        .unwrap_err();
    assert_eq!(
        (closed.code, code_of(&closed)),
        (ErrorCode::NotFound, "app.reviewClosed")
    );
}

#[tokio::test]
async fn a_peek_shows_the_first_rows_at_once_and_refuses_what_open_refuses() {
    let (state, _data) = offline_state();
    let dir = tempfile::tempdir().unwrap();
    let path = users_file(dir.path(), "peek.csv", 1000, |_, _| {});
    let peek = state
        .review_peek(ReviewFileRequest {
            file: to_review(&state, &path),
        })
        .await
        .unwrap();
    assert_eq!(
        peek.headers,
        [
            "id",
            "displayName",
            "userPrincipalName",
            "department",
            "accountEnabled"
        ]
    );
    assert_eq!(peek.kind, FileKindDto::Users);
    assert_eq!(
        (peek.encoding, peek.delimiter.as_str()),
        (EncodingDto::Utf8, ",")
    );
    assert_eq!(peek.rows.len(), PEEK_ROWS);
    assert_eq!(peek.rows[0][1], "User 0");
    assert_eq!(peek.rows[199][1], "User 199");

    let short = users_file(dir.path(), "short.csv", 3, |_, _| {});
    let few = state
        .review_peek(ReviewFileRequest {
            file: to_review(&state, &short),
        })
        .await
        .unwrap();
    assert_eq!(few.rows.len(), 3);

    let binary = dir.path().join("binary.csv");
    std::fs::write(&binary, [0u8, 159, 146, 150, 0, 1, 2, 3, 255, 254, 0, 0]).unwrap();
    let relative = state
        .review_peek(ReviewFileRequest {
            file: "users.csv".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(relative.code, ErrorCode::NotFound);
    let peeked = state
        .review_peek(ReviewFileRequest {
            file: to_review(&state, &binary),
        })
        .await
        .unwrap_err();
    let opened = open(&state, &binary).await.unwrap_err();
    assert_eq!(code_of(&peeked), code_of(&opened), "{peeked:?}");
    assert!(!code_of(&peeked).is_empty(), "{peeked:?}");
}
