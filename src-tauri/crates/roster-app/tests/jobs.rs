//! Jobs through the API: membership changes started from a confirmed preview, deleted with every
//! file they made, cancelled from a second handle on the same history (another process), resumed
//! and retried.

use roster_app::membership::{preview_membership, start_membership};
use roster_app::{Connection, ErrorCode, Jobs, Profile};
use roster_core::job::{CsvOutput, DownloadUsers, JobSpec, JobStatus, UserFilter};
use roster_emulator::{EmulatorConfig, ThrottleMode};
use roster_jobs::RunnerConfig;
use roster_jobs::membership::MembershipOp;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

async fn demo() -> Connection {
    let config = EmulatorConfig {
        users: 400,
        groups: 40,
        throttle: ThrottleMode::Off,
        ..EmulatorConfig::default()
    };
    Connection::demo(config, "roster-app-tests").await.unwrap()
}

/// A download of every user with the admin center's columns to `out`.
fn every_user(out: impl AsRef<std::path::Path>) -> JobSpec {
    JobSpec::DownloadUsers(DownloadUsers {
        filter: UserFilter::default(),
        columns: "portal".into(),
        output: CsvOutput::new(out.as_ref().to_owned()),
        parallel: None,
    })
}

/// Object ids of the first `n` users of the demo tenant, read through the API's own client.
async fn user_ids(connection: &Connection, n: usize) -> Vec<String> {
    let query = roster_graph::ListQuery::new().select(["id"]).top(n as u32);
    let page = connection
        .read_graph()
        .list_users(&query)
        .unwrap()
        .next_page()
        .await
        .unwrap()
        .unwrap();
    page.items
        .iter()
        .take(n)
        .map(|u| u["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_membership_job_deleted_with_its_files_leaves_no_results_or_undo_file() {
    let dir = tempfile::tempdir().unwrap();
    let profile = Profile::new(dir.path(), true);
    let jobs = Jobs::open(&profile, RunnerConfig::default()).unwrap();
    let connection = demo().await;
    let file = dir.path().join("new-hires.csv");
    std::fs::write(&file, user_ids(&connection, 3).await.join("\r\n")).unwrap();

    let previewed = preview_membership(&connection, MembershipOp::Add, "Empty Group", &file)
        .await
        .unwrap();
    assert_eq!(previewed.preview.pending(), 3);
    let job = start_membership(&jobs, previewed, None, &connection)
        .await
        .unwrap();
    let outcome = jobs.wait(job.id).await.unwrap();
    assert_eq!(outcome.status, JobStatus::Completed, "{:?}", outcome.error);
    let results = dir.path().join("new-hires.add-results.csv");
    let undo = jobs.file(job.id).unwrap();
    assert_eq!(undo, results, "the job's file is its results");
    let undo_files: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("undo"))
        .collect();
    assert_eq!(undo_files.len(), 1, "one undo file: {undo_files:?}");

    // Deleted from a second handle on the same history, as `roster jobs delete --with-files` does
    // beside the app.
    let other = Jobs::open(&profile, RunnerConfig::default()).unwrap();
    other.delete(job.id, true).await.unwrap();
    assert!(!results.exists(), "results file deleted");
    assert!(!undo_files[0].exists(), "undo file deleted");
    assert!(file.exists(), "the admin's own member file stays");
    assert_eq!(jobs.get(job.id).unwrap_err().code, ErrorCode::NotFound);
    connection.close().await;
}

#[tokio::test]
async fn a_cancel_from_another_handle_stops_a_running_download_which_then_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let profile = Profile::new(dir.path(), true);
    let pace = Arc::new(Semaphore::new(1));
    let app = Jobs::open(
        &profile,
        RunnerConfig {
            pace: Some(Arc::clone(&pace)),
            page_size: Some(50),
            status_poll: Duration::from_millis(20),
            ..RunnerConfig::default()
        },
    )
    .unwrap();
    let connection = demo().await;
    let out = dir.path().join("users.csv");
    let spec = every_user(&out);
    let job = app.download(spec, &connection).await.unwrap();

    let cli = Jobs::open(&profile, RunnerConfig::default()).unwrap();
    let found = cli.find(&job.id.to_string()[..8]).unwrap();
    assert_eq!(found.id, job.id, "a unique start of the id finds the job");
    assert!(cli.cancel(job.id).unwrap());
    let stopped = tokio::time::timeout(Duration::from_secs(30), app.wait(job.id))
        .await
        .expect("the cancel reached the running job")
        .unwrap();
    assert_eq!(stopped.status, JobStatus::Cancelled);
    assert!(!out.exists());

    pace.add_permits(1_000);
    app.resume(job.id, &connection).await.unwrap();
    let done = app.wait(job.id).await.unwrap();
    assert_eq!(done.status, JobStatus::Completed, "{:?}", done.error);
    let lines = std::fs::read_to_string(&out).unwrap().lines().count();
    assert!(lines > 400, "header and every user: {lines} lines");
    connection.close().await;
}

/// Two downloads to one file, from the same window or the CLI beside the app (a second handle on
/// the same job history): while the first is running the second is refused before it starts, with
/// what to do, and writes nothing (no job, no partial file); the first then completes as if alone.
#[tokio::test]
async fn a_second_download_to_the_file_a_running_download_writes_is_refused_before_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let profile = Profile::new(dir.path(), true);
    // No permit: the first download holds at its first page until the test lets it go on.
    let pace = Arc::new(Semaphore::new(0));
    let app = Jobs::open(
        &profile,
        RunnerConfig {
            pace: Some(Arc::clone(&pace)),
            page_size: Some(50),
            ..RunnerConfig::default()
        },
    )
    .unwrap();
    let connection = demo().await;
    let out = dir.path().join("users.csv");
    let spec = || every_user(&out);
    let first = app.download(spec(), &connection).await.unwrap();

    let cli = Jobs::open(&profile, RunnerConfig::default()).unwrap();
    for jobs in [&cli, &app] {
        let refused = jobs.download(spec(), &connection).await.unwrap_err();
        assert_eq!(refused.code, ErrorCode::Validation, "{refused}");
        assert!(
            refused.message.contains(&out.display().to_string())
                && refused.message.contains(&first.id.to_string())
                && refused.message.contains("choose another file"),
            "{}",
            refused.message
        );
    }
    assert_eq!(cli.list(10, 0).unwrap().len(), 1, "no second job");
    let short: String = first.id.to_string().chars().take(8).collect();
    let parts = roster_csv::partial_files(&out);
    assert!(
        parts
            .iter()
            .all(|p| p.to_string_lossy().ends_with(&format!(".{short}.part"))),
        "only the first job's partial file: {parts:?}"
    );

    pace.add_permits(1_000);
    let done = app.wait(first.id).await.unwrap();
    assert_eq!(done.status, JobStatus::Completed, "{:?}", done.error);
    let lines = std::fs::read_to_string(&out).unwrap().lines().count();
    assert!(lines > 400, "header and every user: {lines} lines");
    connection.close().await;
}

#[tokio::test]
async fn failed_rows_are_retried_as_a_new_job_and_bad_requests_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let profile = Profile::new(dir.path(), true);
    let jobs = Jobs::open(&profile, RunnerConfig::default()).unwrap();
    let connection = demo().await;
    let file = dir.path().join("mixed.csv");
    let mut rows = user_ids(&connection, 2).await;
    rows.push("nobody@nowhere.invalid".into());
    std::fs::write(&file, rows.join("\r\n")).unwrap();
    let previewed = preview_membership(&connection, MembershipOp::Add, "Empty Group", &file)
        .await
        .unwrap();
    let job = start_membership(&jobs, previewed, None, &connection)
        .await
        .unwrap();
    let outcome = jobs.wait(job.id).await.unwrap();
    assert_eq!(outcome.status, JobStatus::CompletedWithErrors);
    assert!(
        outcome
            .error
            .unwrap()
            .contains("NotAllRowsSuccessfullyProcessed")
    );

    let retry = jobs.retry_failed(job.id, &connection).await.unwrap();
    let retried = jobs.wait(retry.id).await.unwrap();
    assert_eq!(
        retried.status,
        JobStatus::CompletedWithErrors,
        "the row still fails"
    );
    assert_eq!(
        jobs.rows(retry.id, 0, 100).unwrap().total,
        1,
        "only the failed row"
    );

    let resumed = jobs.resume(job.id, &connection).await.unwrap_err();
    assert_eq!(resumed.code, ErrorCode::Validation);
    assert!(
        resumed
            .message
            .contains("only failed, cancelled or interrupted")
    );
    let missing = preview_membership(&connection, MembershipOp::Add, "No Such Group", &file)
        .await
        .unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound, "{}", missing.message);
    connection.close().await;
}

/// A file or folder name that is not valid Unicode (possible on Linux) is refused before anything
/// is read, written or stored, with what to do: jobs keep paths as text, and a lossy copy would
/// make a resume write another file.
#[cfg(unix)]
#[tokio::test]
async fn names_that_are_not_unicode_are_refused_before_anything_happens() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let profile = Profile::new(dir.path(), true);
    let jobs = Jobs::open(&profile, RunnerConfig::default()).unwrap();
    let connection = demo().await;
    let odd = dir.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9"));

    let spec = every_user(odd.join("users.csv"));
    let refused = jobs.download(spec, &connection).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::Validation, "{refused}");
    assert_eq!(refused.text.code, "app.pathNotUnicode");
    assert!(refused.message.contains("Rename"), "{refused}");
    assert!(!odd.exists(), "no folder made");
    assert!(jobs.list(10, 0).unwrap().is_empty(), "no job stored");

    std::fs::write(&odd, user_ids(&connection, 1).await.join("\r\n")).unwrap();
    let refused = preview_membership(&connection, MembershipOp::Add, "Empty Group", &odd)
        .await
        .unwrap_err();
    assert_eq!(refused.text.code, "app.pathNotUnicode", "{refused}");

    let file = dir.path().join("members.csv");
    std::fs::write(&file, user_ids(&connection, 1).await.join("\r\n")).unwrap();
    let previewed = preview_membership(&connection, MembershipOp::Add, "Empty Group", &file)
        .await
        .unwrap();
    let results = dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"r\xe9sults.csv"));
    let refused = start_membership(&jobs, previewed, Some(results.clone()), &connection)
        .await
        .unwrap_err();
    assert_eq!(refused.text.code, "app.pathNotUnicode", "{refused}");
    assert!(!results.exists());
    assert!(jobs.list(10, 0).unwrap().is_empty(), "no job stored");
    connection.close().await;
}

/// Saving a copy of a finished download replaces an older copy through a `.part` file (the same
/// replace as a download's, which retries on Windows while Excel holds the target).
#[tokio::test]
async fn a_saved_copy_replaces_an_older_one_and_leaves_no_part_file() {
    let dir = tempfile::tempdir().unwrap();
    let profile = Profile::new(dir.path(), true);
    let jobs = Jobs::open(&profile, RunnerConfig::default()).unwrap();
    let connection = demo().await;
    let out = dir.path().join("users.csv");
    let spec = every_user(&out);
    let job = jobs.download(spec, &connection).await.unwrap();
    assert_eq!(
        jobs.wait(job.id).await.unwrap().status,
        JobStatus::Completed
    );

    let copy = dir.path().join("copy.csv");
    std::fs::write(&copy, "an older copy").unwrap();
    assert_eq!(jobs.save_copy(job.id, &copy).unwrap(), copy);
    assert_eq!(std::fs::read(&copy).unwrap(), std::fs::read(&out).unwrap());
    assert!(!roster_csv::part_path(&copy).exists(), "no .part file left");
    connection.close().await;
}
