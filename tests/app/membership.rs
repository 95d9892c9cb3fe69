//! Import and remove members from a file on the group page against the demo tenant: the preview, the
//! job it starts, and deleting that job with its files.

use std::path::Path;

use roster_desktop::AppState;
use roster_desktop::ipc::{
    AppError, ErrorCode, JobStatusDto, JobsDeleteRequest, JobsGetRequest, MembershipOpDto,
    MembershipPreviewRequest, MembershipPreviewRowsRequest, MembershipStartRequest,
    MembershipTemplateRequest, PREVIEW_PAGE_MAX, PreviewDto, RowStateDto, UsersListRequest,
};
use roster_desktop::state::FileUse;

use crate::directory::group_id;
use crate::support::{demo_state, demo_state_in, wait_end};

/// The UPNs of the first `n` members of the demo tenant (not guests; none is in "Empty Group").
async fn member_upns(state: &AppState, n: usize) -> Vec<String> {
    let users = state.users(UsersListRequest::default()).await.unwrap();
    users
        .items
        .into_iter()
        .filter(|u| !u.guest)
        .take(n)
        .map(|u| u.user_principal_name)
        .collect()
}

/// The preview of `op` with the members listed in `file` on the group with id `group_id`.
async fn preview_of(
    state: &AppState,
    group_id: &str,
    op: MembershipOpDto,
    file: &Path,
) -> Result<PreviewDto, AppError> {
    state
        .membership_preview(MembershipPreviewRequest {
            group_id: group_id.to_owned(),
            op,
            file: state.grant_file(file, FileUse::MemberFile)?.handle,
        })
        .await
}

fn count(preview: &PreviewDto, state: RowStateDto) -> u64 {
    preview
        .counts
        .iter()
        .find(|c| c.state == state)
        .map_or(0, |c| c.count)
}

#[tokio::test]
async fn a_large_preview_crosses_a_page_at_a_time() {
    let (state, _data) = demo_state().await;
    let group = group_id(&state, "Empty Group").await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("members.csv");
    let lines: Vec<String> = (0..2_500).map(|i| format!("not an id {i}")).collect();
    std::fs::write(&file, format!("id\n{}", lines.join("\n"))).unwrap();
    let preview = preview_of(&state, &group, MembershipOpDto::Add, &file)
        .await
        .unwrap();
    assert_eq!(preview.rows, 2_500);
    let page = |preview_id: &str, offset, limit| {
        state.membership_preview_rows(&MembershipPreviewRowsRequest {
            preview_id: preview_id.to_owned(),
            offset,
            limit,
        })
    };
    let first = page(&preview.preview_id, 0, u32::MAX).unwrap();
    assert_eq!(
        first.rows.len(),
        PREVIEW_PAGE_MAX as usize,
        "a page is capped"
    );
    let last = page(&preview.preview_id, 2_000, 1_000).unwrap();
    assert_eq!(last.rows.len(), 500);
    assert_eq!(last.rows[499].input, "not an id 2499");
    let gone = page("preview-none", 0, 10).unwrap_err();
    assert_eq!(gone.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn a_file_with_good_and_bad_rows_previews_every_row_with_its_state() {
    let (state, _data) = demo_state().await;
    let group = group_id(&state, "Empty Group").await;
    let upns = member_upns(&state, 3).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("members.csv");
    let domain = upns[0].split('@').nth(1).unwrap();
    std::fs::write(
        &file,
        format!(
            "{}\n{}\n{}\nnobody-here@{domain}\nnot a member id\n\n{}\n",
            upns[0], upns[1], upns[2], upns[0]
        ),
    )
    .unwrap();

    let preview = preview_of(&state, &group, MembershipOpDto::Add, &file)
        .await
        .unwrap();
    assert_eq!(preview.group_name, "Empty Group");
    assert_eq!(count(&preview, RowStateDto::WillAdd), 3);
    assert_eq!(count(&preview, RowStateDto::NotFound), 1);
    assert_eq!(count(&preview, RowStateDto::Invalid), 1);
    assert_eq!(count(&preview, RowStateDto::Duplicate), 1);
    assert_eq!(preview.blank, 1);
    assert_eq!(preview.pending, 3);
    assert_eq!(preview.rows, 6, "every non-blank row is counted");
    // The rows cross a page at a time, never with the preview.
    let page = |offset, limit| {
        state
            .membership_preview_rows(&MembershipPreviewRowsRequest {
                preview_id: preview.preview_id.clone(),
                offset,
                limit,
            })
            .unwrap()
    };
    let all = page(0, 100);
    assert_eq!((all.total, all.offset, all.rows.len()), (6, 0, 6));
    let lines: Vec<u64> = all.rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, [1, 2, 3, 4, 5, 7]);
    let middle = page(2, 3);
    assert_eq!(
        middle.rows.iter().map(|r| r.line).collect::<Vec<_>>(),
        [3, 4, 5]
    );
    assert!(page(6, 10).rows.is_empty(), "past the end: no rows");
    assert!(page(u64::MAX, 10).rows.is_empty());
    assert!(all.rows.iter().all(|r| !r.reason.text.is_empty()));
    // Reasons cross as codes with parameters (the UI words them in the person's language).
    let duplicate = all
        .rows
        .iter()
        .find(|r| r.reason.code == "membership.reason.sameValue")
        .expect("a repeated value has the sameValue code");
    assert!(
        duplicate.reason.params.contains_key("line"),
        "{duplicate:?}"
    );
    assert_eq!(all.rows[0].object_type.as_deref(), Some("user"));
    let stored = state.stored_preview(&preview.preview_id).unwrap();
    assert_eq!(stored.group_id, group);
    assert_eq!(stored.preview.pending(), 3);

    // Removing the same people: nobody is a member yet, so nothing would be removed.
    let remove = preview_of(&state, &group, MembershipOpDto::Remove, &file)
        .await
        .unwrap();
    assert_eq!(count(&remove, RowStateDto::NotAMember), 3);
    assert_eq!(remove.pending, 0);
}

#[tokio::test]
async fn refused_groups_and_unreadable_files_get_a_plain_reason() {
    let (state, _data) = demo_state().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("one.csv");
    std::fs::write(&file, "someone@example.com\n").unwrap();
    let dynamic = group_id(&state, "Owner Dynamic Sales").await;
    let error = preview_of(&state, &dynamic, MembershipOpDto::Add, &file)
        .await
        .unwrap_err();
    assert_eq!(error.code, ErrorCode::Forbidden);
    assert!(
        error.message.contains("dynamic membership"),
        "{}",
        error.message
    );

    let group = group_id(&state, "Empty Group").await;
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    let error = preview_of(&state, &group, MembershipOpDto::Add, &empty)
        .await
        .unwrap_err();
    assert_eq!(error.code, ErrorCode::Validation);
    assert!(
        error.message.starts_with("The file is empty"),
        "{}",
        error.message
    );

    let error = preview_of(
        &state,
        &group,
        MembershipOpDto::Add,
        &dir.path().join("missing.csv"),
    )
    .await
    .unwrap_err();
    assert_eq!(error.code, ErrorCode::NotFound);
    assert!(error.message.contains("missing.csv"), "{}", error.message);
}

#[tokio::test]
async fn a_confirmed_preview_starts_one_job_whose_results_have_a_row_per_input_row() {
    let dir = tempfile::tempdir().unwrap();
    let state = demo_state_in(&dir.path().join("data")).await;
    let group = group_id(&state, "Empty Group").await;
    let upns = member_upns(&state, 2).await;
    let file = dir.path().join("new-members.csv");
    std::fs::write(
        &file,
        format!(
            "{}\n{}\nnobody-here@example.com\nnot an id\n",
            upns[0], upns[1]
        ),
    )
    .unwrap();
    let preview = preview_of(&state, &group, MembershipOpDto::Add, &file)
        .await
        .unwrap();
    assert_eq!(preview.pending, 2);

    let mut events = state.subscribe_jobs();
    let job = state
        .membership_start(MembershipStartRequest {
            preview_id: preview.preview_id.clone(),
        })
        .await
        .unwrap();
    let again = state
        .membership_start(MembershipStartRequest {
            preview_id: preview.preview_id,
        })
        .await
        .unwrap_err();
    assert_eq!(again.code, ErrorCode::NotFound, "a preview starts one job");

    let done = wait_end(&mut events, &job.id).await;
    assert_eq!(done.status, JobStatusDto::CompletedWithErrors);
    assert_eq!(done.counts.succeeded, 2);

    let results = dir.path().join("new-members.add-results.csv");
    let text = std::fs::read_to_string(&results).unwrap();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(
        lines.len(),
        1 + 4,
        "a header and a row per input row:\n{text}"
    );
    assert!(
        lines[1..]
            .iter()
            .any(|l| l.contains("nobody-here@example.com"))
    );

    let members = state
        .group_members(roster_desktop::ipc::GroupMembersRequest {
            group_id: group,
            transitive: false,
        })
        .await
        .unwrap();
    assert_eq!(members.total, Some(2));
}

#[tokio::test]
async fn deleting_a_membership_job_with_its_files_removes_its_results_and_undo_files() {
    let dir = tempfile::tempdir().unwrap();
    let state = demo_state_in(&dir.path().join("data")).await;
    let group = group_id(&state, "Empty Group").await;
    let upns = member_upns(&state, 2).await;
    let file = dir.path().join("new-hires.csv");
    std::fs::write(&file, format!("{}\n{}\n", upns[0], upns[1])).unwrap();
    let preview = preview_of(&state, &group, MembershipOpDto::Add, &file)
        .await
        .unwrap();
    let mut events = state.subscribe_jobs();
    let job = state
        .membership_start(MembershipStartRequest {
            preview_id: preview.preview_id,
        })
        .await
        .unwrap();
    let done = wait_end(&mut events, &job.id).await;
    assert_eq!(done.status, JobStatusDto::Completed, "{:?}", done.error);
    let results = dir.path().join("new-hires.add-results.csv");
    let undo = dir.path().join("new-hires.add-results.undo-remove.csv");
    assert!(results.exists() && undo.exists());

    state
        .jobs_delete(JobsDeleteRequest {
            id: job.id.clone(),
            with_files: true,
        })
        .await
        .unwrap();
    assert!(!results.exists(), "the results file is deleted");
    assert!(!undo.exists(), "the undo file is deleted");
    assert!(file.exists(), "the person's own member file stays");
    let gone = state
        .jobs_get(JobsGetRequest {
            id: job.id,
            after: None,
            limit: None,
        })
        .await
        .unwrap_err();
    assert_eq!(gone.code, ErrorCode::NotFound, "{}", gone.message);
}

#[tokio::test]
async fn a_guest_crosses_marked_with_the_cell_as_typed_and_the_upn_it_resolved_to() {
    let (state, _data) = demo_state().await;
    let group = group_id(&state, "Empty Group").await;
    let users = state.users(UsersListRequest::default()).await.unwrap();
    let guest = users
        .items
        .iter()
        .find(|u| u.guest)
        .expect("the demo tenant has guests");
    let upn = &guest.user_principal_name;
    let member = member_upns(&state, 1).await.remove(0);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("guests.csv");
    std::fs::write(&file, format!(" {upn}\u{a0}\n{member}\n")).unwrap();
    let preview = preview_of(&state, &group, MembershipOpDto::Add, &file)
        .await
        .unwrap();
    let rows = state
        .membership_preview_rows(&MembershipPreviewRowsRequest {
            preview_id: preview.preview_id,
            offset: 0,
            limit: 10,
        })
        .unwrap()
        .rows;
    assert_eq!(&rows[0].input, upn);
    assert_eq!(
        rows[0].raw.as_deref(),
        Some(format!(" {upn}\u{a0}").as_str()),
        "the cell as typed: a space before, a non-breaking space after"
    );
    assert_eq!(rows[0].user_principal_name.as_ref(), Some(upn));
    assert_eq!(rows[0].object_id.as_deref(), Some(guest.id.as_str()));
    assert!(rows[0].guest);
    assert!(!rows[1].guest && rows[1].raw.is_none());
    assert_eq!(
        rows[1].user_principal_name.as_deref(),
        Some(member.as_str())
    );
}

#[tokio::test]
async fn the_template_goes_only_to_a_file_chosen_to_save_and_previews_as_its_rows() {
    let (state, _data) = demo_state().await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("members-template.csv");
    std::fs::write(&dest, "kept").unwrap();
    let template = |file: String| state.membership_template(MembershipTemplateRequest { file });
    let read_only = state.grant_file(&dest, FileUse::MemberFile).unwrap().handle;
    for refused in [read_only, dest.display().to_string()] {
        let error = template(refused).await.unwrap_err();
        assert_eq!(error.code, ErrorCode::NotFound, "{error:?}");
    }
    assert_eq!(std::fs::read_to_string(&dest).unwrap(), "kept");

    let save = state.grant_file(&dest, FileUse::SaveCsv).unwrap().handle;
    let written = template(save).await.unwrap();
    assert_eq!(written.path, dest.display().to_string());
    let text = std::fs::read_to_string(&dest).unwrap();
    assert!(
        text.starts_with('\u{feff}'),
        "a BOM, as the settings say by default"
    );
    let group = group_id(&state, "Empty Group").await;
    let preview = preview_of(&state, &group, MembershipOpDto::Add, &dest)
        .await
        .unwrap();
    assert_eq!(preview.rows, 2, "two example members, none skipped");
    assert_eq!(count(&preview, RowStateDto::Invalid), 0);
    assert!(preview.notices.is_empty(), "{:?}", preview.notices);
}
