//! Job store behaviour on real database files.

use roster_store::{
    JobCounts, JobKind, JobStatus, JobUpdate, NewJob, RowResult, RowStatus, Store, StoreError,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

fn new_job(name: &str) -> NewJob {
    NewJob {
        kind: JobKind::AddMembers,
        name: name.to_owned(),
        spec: json!({"groupId": "g1", "input": "members.csv"}),
        output_path: None,
        exclusive: None,
    }
}

#[test]
fn migrates_an_empty_file_and_reopens_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data").join("roster.db");
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 3);
    let job = store.create_job(&new_job("first")).unwrap();
    drop(store);

    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 3);
    assert_eq!(store.get_job(job.id).unwrap().unwrap().name, "first");
    let journal: String = rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal");
}

#[test]
fn refuses_a_database_from_a_newer_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roster.db");
    drop(Store::open(&path).unwrap());
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::TooNew {
                found: 99,
                known: 3
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("update Roster"));
}

#[test]
fn job_crud_and_status_timestamps() {
    let store = Store::open_in_memory().unwrap();
    let job = store.create_job(&new_job("add sales")).unwrap();
    assert_eq!(job.status, JobStatus::Queued);
    assert_eq!(job.kind, JobKind::AddMembers);
    assert_eq!(job.spec, json!({"groupId": "g1", "input": "members.csv"}));
    assert_eq!(job.counts, JobCounts::default());
    assert!(job.started_at.is_none() && job.finished_at.is_none());

    store
        .update_job(
            job.id,
            &JobUpdate {
                status: Some(JobStatus::Running),
                ..JobUpdate::default()
            },
        )
        .unwrap();
    let running = store.get_job(job.id).unwrap().unwrap();
    assert_eq!(running.status, JobStatus::Running);
    let started = running.started_at.unwrap();
    assert!(running.finished_at.is_none());

    let counts = JobCounts {
        total: Some(10),
        done: 10,
        succeeded: 7,
        failed: 2,
        skipped: 1,
    };
    store
        .update_job(
            job.id,
            &JobUpdate {
                status: Some(JobStatus::CompletedWithErrors),
                counts: Some(counts),
                results_path: Some("/tmp/results.csv".into()),
                error: Some(Some("2 rows failed: see the results file".into())),
                ..JobUpdate::default()
            },
        )
        .unwrap();
    let done = store.get_job(job.id).unwrap().unwrap();
    assert_eq!(done.status, JobStatus::CompletedWithErrors);
    assert_eq!(done.counts, counts);
    assert_eq!(done.started_at, Some(started));
    assert!(done.finished_at.unwrap() >= started);
    assert_eq!(
        done.results_path.as_deref(),
        Some(std::path::Path::new("/tmp/results.csv"))
    );
    assert_eq!(
        done.error.as_deref(),
        Some("2 rows failed: see the results file")
    );

    store
        .update_job(
            job.id,
            &JobUpdate {
                error: Some(None),
                ..JobUpdate::default()
            },
        )
        .unwrap();
    assert_eq!(store.get_job(job.id).unwrap().unwrap().error, None);

    assert!(store.delete_job(job.id).unwrap());
    assert!(!store.delete_job(job.id).unwrap());
    assert_eq!(store.get_job(job.id).unwrap(), None);
    let err = store.update_job(job.id, &JobUpdate::default()).unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)));
}

#[test]
fn list_is_newest_first_and_paged() {
    let store = Store::open_in_memory().unwrap();
    let ids: Vec<_> = (0..5)
        .map(|i| store.create_job(&new_job(&format!("job {i}"))).unwrap().id)
        .collect();
    let page1 = store.list_jobs(3, 0).unwrap();
    let page2 = store.list_jobs(3, 3).unwrap();
    let names: Vec<_> = page1
        .iter()
        .chain(&page2)
        .map(|j| j.name.as_str())
        .collect();
    assert_eq!(names, ["job 4", "job 3", "job 2", "job 1", "job 0"]);
    assert_eq!(page2.last().unwrap().id, ids[0]);
}

#[test]
fn running_jobs_become_interrupted_at_start_up() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roster.db");
    let store = Store::open(&path).unwrap();
    let running = store.create_job(&new_job("running")).unwrap().id;
    let queued = store.create_job(&new_job("queued")).unwrap().id;
    let finished = store.create_job(&new_job("finished")).unwrap().id;
    let to = |s| JobUpdate {
        status: Some(s),
        ..JobUpdate::default()
    };
    store.update_job(running, &to(JobStatus::Running)).unwrap();
    store.update_job(finished, &to(JobStatus::Running)).unwrap();
    store
        .update_job(finished, &to(JobStatus::Completed))
        .unwrap();
    drop(store); // the "crash"

    let store = Store::open(&path).unwrap();
    assert_eq!(store.mark_interrupted().unwrap(), vec![running]);
    let job = store.get_job(running).unwrap().unwrap();
    assert_eq!(job.status, JobStatus::Interrupted);
    assert!(job.error.unwrap().contains("resume"));
    assert!(job.finished_at.is_none());
    assert_eq!(
        store.get_job(queued).unwrap().unwrap().status,
        JobStatus::Queued
    );
    assert_eq!(
        store.get_job(finished).unwrap().unwrap().status,
        JobStatus::Completed
    );
    assert!(store.mark_interrupted().unwrap().is_empty());
}

#[test]
fn a_job_running_in_another_open_store_is_not_interrupted_until_its_owner_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roster.db");
    let cli = Store::open(&path).unwrap();
    let id = cli.create_job(&new_job("cli download")).unwrap().id;
    let _lease = cli.lease(id);
    cli.update_job(
        id,
        &JobUpdate {
            status: Some(JobStatus::Running),
            ..JobUpdate::default()
        },
    )
    .unwrap();

    let app = Store::open(&path).unwrap();
    assert!(app.mark_interrupted().unwrap().is_empty(), "owner alive");
    assert_eq!(app.get_job(id).unwrap().unwrap().status, JobStatus::Running);

    drop(cli); // the owner goes away (the OS drops its lock, as on a kill)
    assert_eq!(app.mark_interrupted().unwrap(), vec![id]);
    assert_eq!(
        app.get_job(id).unwrap().unwrap().status,
        JobStatus::Interrupted
    );
}

#[test]
fn in_one_process_a_job_with_a_live_lease_keeps_running() {
    let store = Store::open_in_memory().unwrap();
    let id = store.create_job(&new_job("download")).unwrap().id;
    let lease = store.lease(id);
    assert_eq!(lease.job(), id);
    store
        .update_job(
            id,
            &JobUpdate {
                status: Some(JobStatus::Running),
                ..JobUpdate::default()
            },
        )
        .unwrap();
    assert!(store.mark_interrupted().unwrap().is_empty());
    let newer = store.lease(id);
    drop(lease); // an older lease for the same job does not end the newer one
    assert!(store.mark_interrupted().unwrap().is_empty());
    drop(newer);
    assert_eq!(store.mark_interrupted().unwrap(), vec![id]);
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct DownloadCheckpoint {
    next_link: Option<String>,
    bytes_written: u64,
    groups_done: Vec<String>,
}

#[test]
fn checkpoint_round_trip() {
    let store = Store::open_in_memory().unwrap();
    let id = store.create_job(&new_job("download")).unwrap().id;
    assert_eq!(
        store.load_checkpoint::<DownloadCheckpoint>(id).unwrap(),
        None
    );
    let cp = DownloadCheckpoint {
        next_link: Some("https://graph.microsoft.com/v1.0/users?$skiptoken=X%27abc%27".into()),
        bytes_written: 123_456,
        groups_done: vec!["g1".into(), "g2".into()],
    };
    store.save_checkpoint(id, &cp).unwrap();
    assert_eq!(
        store.load_checkpoint::<DownloadCheckpoint>(id).unwrap(),
        Some(cp)
    );
    assert!(store.get_job(id).unwrap().unwrap().checkpoint.is_some());

    let other = roster_store::JobId::new();
    assert!(matches!(
        store.save_checkpoint(other, &1),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.load_checkpoint::<u32>(other),
        Err(StoreError::NotFound(_))
    ));
}

fn row(n: u64) -> RowResult {
    RowResult {
        row_number: n,
        input: format!("user{n}@contoso.com"),
        object_id: (!n.is_multiple_of(3)).then(|| format!("00000000-0000-0000-0000-{n:012}")),
        display_name: Some(format!("User {n}")),
        status: match n % 3 {
            0 => RowStatus::Failed,
            1 => RowStatus::Succeeded,
            _ => RowStatus::Skipped,
        },
        reason: n.is_multiple_of(3).then(|| "Member not found".to_owned()),
    }
}

#[test]
fn hundred_thousand_row_results_are_stored_and_paged() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("roster.db")).unwrap();
    let id = store.create_job(&new_job("big")).unwrap().id;
    let rows: Vec<RowResult> = (1..=100_000).map(row).collect();
    for batch in rows.chunks(5_000) {
        store.append_row_results(id, batch).unwrap();
    }
    assert_eq!(store.count_row_results(id).unwrap(), 100_000);

    let mut after = 0;
    let mut seen = 0;
    loop {
        let page = store.row_results(id, after, 1_000).unwrap();
        let Some(last) = page.last() else { break };
        assert_eq!(page[0], rows[seen]);
        seen += page.len();
        after = last.row_number;
    }
    assert_eq!(seen, 100_000);

    // Re-appending after a resume replaces rows instead of duplicating them.
    let mut redo = row(42);
    redo.status = RowStatus::Succeeded;
    redo.reason = None;
    store
        .append_row_results(id, std::slice::from_ref(&redo))
        .unwrap();
    assert_eq!(store.count_row_results(id).unwrap(), 100_000);
    assert_eq!(store.row_results(id, 41, 1).unwrap(), vec![redo]);

    assert!(store.delete_job(id).unwrap());
    assert_eq!(store.count_row_results(id).unwrap(), 0);
}

#[test]
fn row_results_for_an_unknown_job_are_refused() {
    let store = Store::open_in_memory().unwrap();
    let err = store
        .append_row_results(roster_store::JobId::new(), &[row(1)])
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err}");
}

#[test]
fn settings_get_set_remove() {
    let store = Store::open_in_memory().unwrap();
    assert_eq!(store.setting("theme").unwrap(), None);
    store.set_setting("theme", "dark").unwrap();
    store.set_setting("theme", "light").unwrap();
    assert_eq!(store.setting("theme").unwrap().as_deref(), Some("light"));
    assert!(store.remove_setting("theme").unwrap());
    assert_eq!(store.setting("theme").unwrap(), None);
}

#[test]
fn status_changes_follow_the_state_machine() {
    let store = Store::open_in_memory().unwrap();
    let id = store.create_job(&new_job("sm")).unwrap().id;
    let to = |s| JobUpdate {
        status: Some(s),
        ..JobUpdate::default()
    };

    let err = store.update_job(id, &to(JobStatus::Completed)).unwrap_err();
    assert!(matches!(err, StoreError::Transition(_)), "{err}");
    assert!(err.to_string().contains("cannot become completed"), "{err}");
    assert_eq!(
        store.get_job(id).unwrap().unwrap().status,
        JobStatus::Queued
    );

    store.update_job(id, &to(JobStatus::Running)).unwrap();
    // Running again is a second run of the same job: refused (other repeated statuses are no-ops).
    let again = store.update_job(id, &to(JobStatus::Running)).unwrap_err();
    assert!(matches!(again, StoreError::AlreadyRunning(_)), "{again}");
    store.update_job(id, &to(JobStatus::Failed)).unwrap();
    let failed = store.get_job(id).unwrap().unwrap();
    assert!(failed.finished_at.is_some());

    // Resuming a failed job: running again, no longer finished, first start kept.
    store.update_job(id, &to(JobStatus::Running)).unwrap();
    let resumed = store.get_job(id).unwrap().unwrap();
    assert_eq!(resumed.status, JobStatus::Running);
    assert_eq!(resumed.finished_at, None);
    assert_eq!(resumed.started_at, failed.started_at);
}

#[test]
fn one_claimant_runs_a_job_and_a_second_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roster.db");
    // Two stores on one file: the app and the CLI beside it.
    let (app, cli) = (Store::open(&path).unwrap(), Store::open(&path).unwrap());
    let job = app.create_job(&new_job("import")).unwrap();
    app.claim_job(job.id).unwrap();
    assert!(matches!(
        cli.claim_job(job.id),
        Err(StoreError::AlreadyRunning(_))
    ));
    // Marking it running again through an update is refused too (it used to be a silent no-op,
    // so a second run went ahead).
    let again = JobUpdate {
        status: Some(JobStatus::Running),
        ..JobUpdate::default()
    };
    assert!(matches!(
        cli.update_job(job.id, &again),
        Err(StoreError::AlreadyRunning(_))
    ));
    // A cancelled job cannot be claimed until it is queued again.
    let cancelled = app.create_job(&new_job("cancelled")).unwrap();
    let cancel = JobUpdate {
        status: Some(JobStatus::Cancelled),
        ..JobUpdate::default()
    };
    app.update_job(cancelled.id, &cancel).unwrap();
    assert!(matches!(
        cli.claim_job(cancelled.id),
        Err(StoreError::Transition(_))
    ));
}

#[test]
fn jobs_on_the_same_group_run_one_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roster.db");
    let (app, cli) = (Store::open(&path).unwrap(), Store::open(&path).unwrap());
    let on_group = |name: &str, group: &str| NewJob {
        exclusive: Some(format!("group:{group}")),
        ..new_job(name)
    };
    let first = app.create_job(&on_group("add", "g1")).unwrap();
    let second = cli.create_job(&on_group("remove", "g1")).unwrap();
    let other = cli.create_job(&on_group("add", "g2")).unwrap();
    app.claim_job(first.id).unwrap();
    match cli.claim_job(second.id) {
        Err(StoreError::Busy { holder, .. }) => assert_eq!(holder, first.id.to_string()),
        other => panic!("expected Busy, got {other:?}"),
    }
    assert_eq!(
        cli.get_job(second.id).unwrap().unwrap().status,
        JobStatus::Queued
    );
    cli.claim_job(other.id).unwrap();
    let done = JobUpdate {
        status: Some(JobStatus::Completed),
        ..JobUpdate::default()
    };
    app.update_job(first.id, &done).unwrap();
    cli.claim_job(second.id).unwrap();
}

/// Two downloads to one file would overwrite each other: while one job writing a file is queued or
/// running, a second job for that file is not created (from this handle or another on the same
/// database, as the CLI beside the app), nor may a stopped one go again; once the first has stopped,
/// both are allowed.
#[test]
fn a_second_active_job_writing_the_same_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jobs.sqlite");
    let app = Store::open(&db).unwrap();
    let cli = Store::open(&db).unwrap();
    let out = dir.path().join("users.csv");
    let download = |name: &str| NewJob {
        kind: JobKind::DownloadUsers,
        name: name.to_owned(),
        spec: json!({}),
        output_path: Some(out.clone()),
        exclusive: None,
    };
    let first = app.create_job(&download("first")).unwrap();
    app.claim_job(first.id).unwrap();

    let refused = cli.create_job(&download("second")).unwrap_err();
    let message = refused.to_string();
    assert!(
        matches!(&refused, StoreError::OutputInUse { holder, status, .. }
            if *holder == first.id.to_string() && status == "running"),
        "{refused:?}"
    );
    assert!(
        message.contains(&out.display().to_string()) && message.contains("choose another file"),
        "{message}"
    );
    assert_eq!(cli.list_jobs(10, 0).unwrap().len(), 1, "no second job");

    // Another file is fine; so is the same file once the first has stopped.
    let mut elsewhere = download("elsewhere");
    elsewhere.output_path = Some(dir.path().join("groups.csv"));
    cli.create_job(&elsewhere).unwrap();
    app.update_job(
        first.id,
        &JobUpdate {
            status: Some(JobStatus::Interrupted),
            ..JobUpdate::default()
        },
    )
    .unwrap();
    let second = cli.create_job(&download("second")).unwrap();

    // The interrupted first may not resume while the second is queued.
    let resume = app
        .update_job(
            first.id,
            &JobUpdate {
                status: Some(JobStatus::Queued),
                ..JobUpdate::default()
            },
        )
        .unwrap_err();
    assert!(
        matches!(&resume, StoreError::OutputInUse { holder, .. } if *holder == second.id.to_string()),
        "{resume:?}"
    );
    assert_eq!(
        app.get_job(first.id).unwrap().unwrap().status,
        JobStatus::Interrupted
    );
}
