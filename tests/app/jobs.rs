//! Jobs in the app against the demo tenant: downloads with filters and selections, cancel and
//! resume, the history across restarts, and membership jobs with per-row results.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use roster_desktop::AppState;
use roster_desktop::ipc::{
    DownloadMembersRequest, DownloadUsersRequest, FollowUpKindDto, FollowUpRequest,
    GroupsListRequest, JobDto, JobEventDto, JobIdRequest, JobStatusDto, JobsGetRequest,
    JobsListRequest, MembershipOpDto, MembershipPreviewRequest, MembershipStartRequest,
    RowStatusDto, UserFilterDto, UsersListRequest,
};
use roster_jobs::RunnerConfig;
use roster_test_support::files::read_csv;
use tokio::sync::{Semaphore, broadcast};

use crate::support::{demo_state_in, to_save, wait_end, wait_items};

/// The data rows of a CSV the app wrote, as cells.
fn rows(path: &Path) -> Vec<Vec<String>> {
    read_csv(path).split_off(1)
}

/// Downloads the members (group id, member id) of `group_ids` to `path`; the completed job.
async fn download_members(
    state: &AppState,
    events: &mut broadcast::Receiver<JobEventDto>,
    group_ids: Vec<String>,
    path: &Path,
) -> JobDto {
    let job = state
        .download_members(DownloadMembersRequest {
            group_ids,
            columns: Some("groupId,id".into()),
            file: to_save(state, path),
            ..DownloadMembersRequest::default()
        })
        .await
        .unwrap();
    let done = wait_end(events, &job.id).await;
    assert_eq!(done.status, JobStatusDto::Completed, "{:?}", done.error);
    done
}

async fn download_users(
    state: &AppState,
    filter: Option<UserFilterDto>,
    path: PathBuf,
) -> (JobDto, PathBuf) {
    let mut events = state.subscribe_jobs();
    let job = state
        .download_users(DownloadUsersRequest {
            filter,
            columns: Some("id,department".into()),
            file: to_save(state, &path),
            ..DownloadUsersRequest::default()
        })
        .await
        .unwrap();
    let done = wait_end(&mut events, &job.id).await;
    (done, path)
}

#[tokio::test]
async fn a_filtered_users_download_writes_exactly_the_matching_users() {
    let dir = tempfile::tempdir().unwrap();
    let state = demo_state_in(dir.path()).await;
    let (all, all_path) = download_users(&state, None, dir.path().join("all.csv")).await;
    assert_eq!(all.status, JobStatusDto::Completed, "{:?}", all.error);
    let everyone = rows(&all_path);
    let department = everyone
        .iter()
        .find(|r| !r[1].is_empty())
        .map(|r| r[1].clone())
        .unwrap();
    let expected: Vec<&Vec<String>> = everyone.iter().filter(|r| r[1] == department).collect();
    assert!(expected.len() < everyone.len());

    let filter = UserFilterDto {
        department: Some(vec![department.clone()]),
        ..UserFilterDto::default()
    };
    let (job, path) = download_users(&state, Some(filter), dir.path().join("sales.csv")).await;
    assert_eq!(job.status, JobStatusDto::Completed, "{:?}", job.error);
    assert_eq!(job.output_path.as_deref(), Some(path.to_str().unwrap()));
    let got = rows(&path);
    assert_eq!(got.len(), expected.len());
    let mut got_ids: Vec<&str> = got.iter().map(|r| r[0].as_str()).collect();
    let mut want_ids: Vec<&str> = expected.iter().map(|r| r[0].as_str()).collect();
    got_ids.sort_unstable();
    want_ids.sort_unstable();
    assert_eq!(got_ids, want_ids);
    assert!(roster_csv::partial_files(&path).is_empty());
    state.sign_out().await;
}

#[tokio::test]
async fn members_of_two_groups_go_into_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let state = demo_state_in(dir.path()).await;
    let groups = state.groups(GroupsListRequest::default()).await.unwrap();
    let mut events = state.subscribe_jobs();
    let mut single = Vec::new();
    let mut picked = Vec::new();
    for group in &groups.items {
        let path = dir.path().join(format!("{}.csv", group.id));
        download_members(&state, &mut events, vec![group.id.clone()], &path).await;
        let members = rows(&path);
        if !members.is_empty() {
            single.push(members);
            picked.push(group.id.clone());
        }
        if picked.len() == 2 {
            break;
        }
    }
    assert_eq!(picked.len(), 2, "two groups with members");

    let path = dir.path().join("both.csv");
    let done = download_members(&state, &mut events, picked, &path).await;
    let both = rows(&path);
    let expected: Vec<Vec<String>> = single.concat();
    assert_eq!(both, expected);
    assert_eq!(done.counts.succeeded, expected.len() as u64);
    state.sign_out().await;
}

/// A runner that fetches one 50-row page per permit, so a test can stop a job mid-way.
fn paced(state: &AppState) -> Arc<Semaphore> {
    let pace = Arc::new(Semaphore::new(0));
    state.set_runner_config(RunnerConfig {
        page_size: Some(50),
        pace: Some(Arc::clone(&pace)),
        ..RunnerConfig::default()
    });
    pace
}

#[tokio::test]
async fn cancel_then_resume_gives_the_same_file_as_an_uninterrupted_run() {
    let dir = tempfile::tempdir().unwrap();
    let state = demo_state_in(dir.path()).await;
    let pace = paced(&state);
    let mut events = state.subscribe_jobs();
    let request = |name: &str| DownloadUsersRequest {
        columns: Some("userPrincipalName,displayName,department,jobTitle,accountEnabled".into()),
        file: to_save(&state, &dir.path().join(name)),
        ..DownloadUsersRequest::default()
    };

    let job = state.download_users(request("resumed.csv")).await.unwrap();
    pace.add_permits(3);
    wait_items(&mut events, &job.id, 150).await;
    let cancelled = state
        .jobs_cancel(JobIdRequest { id: job.id.clone() })
        .await
        .unwrap();
    assert_eq!(cancelled.id, job.id);
    let stopped = wait_end(&mut events, &job.id).await;
    assert_eq!(stopped.status, JobStatusDto::Cancelled);
    assert!(stopped.resumable);
    assert!(!dir.path().join("resumed.csv").exists());

    pace.add_permits(Semaphore::MAX_PERMITS / 2);
    while events.try_recv().is_ok() {}
    state
        .jobs_resume(JobIdRequest { id: job.id.clone() })
        .await
        .unwrap();
    let resumed = wait_end(&mut events, &job.id).await;
    assert_eq!(
        resumed.status,
        JobStatusDto::Completed,
        "{:?}",
        resumed.error
    );

    let whole = state.download_users(request("whole.csv")).await.unwrap();
    let finished = wait_end(&mut events, &whole.id).await;
    assert_eq!(finished.status, JobStatusDto::Completed);
    let a = std::fs::read(dir.path().join("resumed.csv")).unwrap();
    let b = std::fs::read(dir.path().join("whole.csv")).unwrap();
    assert!(a.len() > 1000);
    assert!(
        a == b,
        "the resumed file differs from the uninterrupted one"
    );
    state.sign_out().await;
}

#[tokio::test]
async fn a_new_app_on_the_same_data_dir_finds_the_history_and_offers_resume() {
    let dir = tempfile::tempdir().unwrap();
    let first = demo_state_in(dir.path()).await;
    let pace = paced(&first);
    let mut events = first.subscribe_jobs();
    let (done, _) = {
        pace.add_permits(Semaphore::MAX_PERMITS / 2);
        download_users(&first, None, dir.path().join("done.csv")).await
    };
    assert_eq!(done.status, JobStatusDto::Completed);
    pace.forget_permits(Semaphore::MAX_PERMITS);
    let stuck = first
        .download_users(DownloadUsersRequest {
            file: to_save(&first, &dir.path().join("stuck.csv")),
            ..DownloadUsersRequest::default()
        })
        .await
        .unwrap();
    pace.add_permits(1);
    wait_items(&mut events, &stuck.id, 1).await;
    drop(first);

    let second = demo_state_in(dir.path()).await;
    let jobs = second
        .jobs_list(JobsListRequest::default())
        .await
        .unwrap()
        .items;
    assert_eq!(jobs.len(), 2);
    let stuck_now = jobs.iter().find(|j| j.id == stuck.id).unwrap();
    assert_eq!(stuck_now.status, JobStatusDto::Interrupted);
    assert!(stuck_now.resumable);
    let done_now = jobs.iter().find(|j| j.id == done.id).unwrap();
    assert_eq!(done_now.status, JobStatusDto::Completed);
    assert!(!done_now.resumable);
    assert!(roster_app::store_path(dir.path(), true).exists());
    let real = roster_store::Store::open(roster_app::store_path(dir.path(), false)).unwrap();
    assert!(
        real.list_jobs(10, 0).unwrap().is_empty(),
        "demo jobs stay out of the real history"
    );
    second.sign_out().await;
}

#[tokio::test]
async fn a_membership_job_records_every_row_and_its_retry_and_undo_are_previewed_first() {
    let dir = tempfile::tempdir().unwrap();
    let state = demo_state_in(dir.path()).await;
    let groups = state.groups(GroupsListRequest::default()).await.unwrap();
    let group = groups
        .items
        .iter()
        .find(|g| g.security_enabled && !g.unified && g.mail.is_none())
        .expect("a cloud security group");
    let users = state.users(UsersListRequest::default()).await.unwrap();
    let file = dir.path().join("members.csv");
    let mut lines = vec!["member".to_owned()];
    lines.extend(
        users.items[..3]
            .iter()
            .map(|u| u.user_principal_name.clone()),
    );
    lines.push("nobody@no-such-domain.example".to_owned());
    std::fs::write(&file, lines.join("\n")).unwrap();

    let graph = state.write_graph().await.unwrap();
    let member_file = roster_csv::read_member_file(&file).unwrap();
    let op = roster_jobs::membership::MembershipOp::Add;
    let preview = roster_jobs::membership::preview(
        &graph,
        &roster_jobs::membership::EngineConfig::default(),
        op,
        &group.id,
        &member_file,
    )
    .await
    .unwrap();
    let confirmed = roster_app::membership::MembershipPreview {
        group_id: group.id.clone(),
        op,
        file: file.clone(),
        preview,
        input_sha256: roster_jobs::membership::input_digest(&file).unwrap(),
    };
    let mut events = state.subscribe_jobs();
    let job = state.start_membership_job(confirmed).await.unwrap();
    let done = wait_end(&mut events, &job.id).await;
    assert_eq!(done.status, JobStatusDto::CompletedWithErrors);
    assert_eq!(done.counts.failed, 1);
    assert_eq!(
        state.job_end_message(&done).as_deref(),
        Some(format!("Import finished: {} added, 1 failed", done.counts.succeeded).as_str())
    );
    // In the language the UI sent: the words and the number separators are the person's.
    state.set_notification_words(roster_desktop::ipc::NotificationWordsDto {
        file_ready: "Bestand is klaar: {file}".into(),
        import_finished: "Import klaar: {added} toegevoegd, {failed} mislukt".into(),
        removal_finished: "Verwijderen klaar: {removed} verwijderd, {failed} mislukt".into(),
        job_failed: "Taak mislukt: {name}".into(),
        thousands: ".".into(),
    });
    assert_eq!(
        state.job_end_message(&done).as_deref(),
        Some(
            format!(
                "Import klaar: {} toegevoegd, 1 mislukt",
                done.counts.succeeded
            )
            .as_str()
        )
    );

    let detail = state
        .jobs_get(JobsGetRequest {
            id: job.id.clone(),
            after: None,
            limit: Some(2),
        })
        .await
        .unwrap();
    assert_eq!(detail.rows_total, 4);
    assert_eq!(detail.rows.len(), 2);
    let rest = state
        .jobs_get(JobsGetRequest {
            id: job.id.clone(),
            after: detail.next_after,
            limit: Some(10),
        })
        .await
        .unwrap();
    assert_eq!(rest.next_after, None);
    let all: Vec<_> = detail.rows.iter().chain(&rest.rows).collect();
    let failed: Vec<_> = all
        .iter()
        .filter(|r| r.status == RowStatusDto::Failed)
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].input, "nobody@no-such-domain.example");
    let reason = failed[0].reason.as_ref().expect("a failed row says why");
    assert!(reason.code.starts_with("membership.reason."), "{reason:?}");

    // Retry: the failed row, previewed and confirmed like any import.
    let retry = state
        .jobs_follow_up(FollowUpRequest {
            id: job.id.clone(),
            what: FollowUpKindDto::RetryFailed,
        })
        .await
        .unwrap();
    assert_eq!(
        (retry.group_id.as_str(), retry.op),
        (group.id.as_str(), MembershipOpDto::Add)
    );
    let previewed = state
        .membership_preview(MembershipPreviewRequest {
            group_id: retry.group_id.clone(),
            op: retry.op,
            file: retry.file.handle.clone(),
        })
        .await
        .unwrap();
    assert_eq!(previewed.rows, 1, "only the failed row");
    assert_eq!(
        previewed.pending, 0,
        "it still cannot be resolved: the preview says so, nothing to start"
    );

    // Undo: the three members the import added, removed after a preview of its own.
    let undo = state
        .jobs_follow_up(FollowUpRequest {
            id: job.id.clone(),
            what: FollowUpKindDto::Undo,
        })
        .await
        .unwrap();
    assert_eq!(
        (undo.group_id.as_str(), undo.op),
        (group.id.as_str(), MembershipOpDto::Remove)
    );
    let previewed = state
        .membership_preview(MembershipPreviewRequest {
            group_id: undo.group_id.clone(),
            op: undo.op,
            file: undo.file.handle.clone(),
        })
        .await
        .unwrap();
    assert_eq!((previewed.rows, previewed.pending), (3, 3));
    let undone = state
        .membership_start(MembershipStartRequest {
            preview_id: previewed.preview_id.clone(),
        })
        .await
        .unwrap();
    let undone = wait_end(&mut events, &undone.id).await;
    assert_eq!(undone.counts.succeeded, 3, "{undone:?}");
    std::fs::remove_file(&undo.file.path).unwrap();
    let nothing = state
        .jobs_follow_up(FollowUpRequest {
            id: job.id.clone(),
            what: FollowUpKindDto::Undo,
        })
        .await
        .unwrap_err();
    assert_eq!(
        nothing.text.as_deref().map(|t| t.code.as_str()),
        Some("app.nothingToUndo")
    );
    state.sign_out().await;
}

/// The desktop's owners download and users' groups download, through the same state the UI
/// calls: exact rows, and titles in plain words (a group's name, a user's UPN; no ids or OData).
#[tokio::test]
async fn owners_and_a_users_groups_download_from_the_desktop() {
    use roster_desktop::ipc::{DownloadOwnersRequest, DownloadUserGroupsRequest};
    let dir = tempfile::tempdir().unwrap();
    let state = demo_state_in(dir.path()).await;
    let mut events = state.subscribe_jobs();
    let team = crate::directory::group_id(&state, "Owner Team (Microsoft 365)").await;

    let owners = dir.path().join("owners.csv");
    let job = state
        .download_owners(DownloadOwnersRequest {
            group_ids: vec![team.clone()],
            file: to_save(&state, &owners),
            ..DownloadOwnersRequest::default()
        })
        .await
        .unwrap();
    assert_eq!(job.title.code, "job.title.downloadOwners");
    assert_eq!(
        job.title.params.get("groupCount").map(String::as_str),
        Some("1")
    );
    assert!(
        !job.name.contains(&team),
        "no object id in the name: {}",
        job.name
    );
    let done = wait_end(&mut events, &job.id).await;
    assert_eq!(done.status, JobStatusDto::Completed, "{:?}", done.error);
    let table = read_csv(&owners);
    let header = &table[0];
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert!(table.len() > 1, "owner@ owns the team");
    assert!(table[1..].iter().all(|r| r[at("groupId")] == team));
    assert!(
        table[1..]
            .iter()
            .any(|r| r[at("ownerUserPrincipalName")].starts_with("owner@")),
        "{table:?}"
    );

    let upn = table[1..]
        .iter()
        .map(|r| r[at("ownerUserPrincipalName")].clone())
        .find(|u| u.starts_with("owner@"))
        .unwrap();
    let memberships = dir.path().join("groups-of-owner.csv");
    let job = state
        .download_user_groups(DownloadUserGroupsRequest {
            ids: Some(vec![upn.clone()]),
            transitive: Some(true),
            file: to_save(&state, &memberships),
            ..DownloadUserGroupsRequest::default()
        })
        .await
        .unwrap();
    assert_eq!(job.title.code, "job.title.downloadUserGroups.nested");
    assert_eq!(job.title.params.get("user"), Some(&upn));
    let done = wait_end(&mut events, &job.id).await;
    assert_eq!(done.status, JobStatusDto::Completed, "{:?}", done.error);
    let table = read_csv(&memberships);
    let header = &table[0];
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert!(table.len() > 1, "owner@ is a member of groups");
    assert!(table[1..].iter().all(|r| r[at("userPrincipalName")] == upn));
    assert!(
        table[1..]
            .iter()
            .all(|r| ["direct", "inherited"].contains(&r[at("membership")].as_str())),
        "{table:?}"
    );
    state.sign_out().await;
}
