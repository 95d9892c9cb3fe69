//! The real `roster` binary against the built-in demo tenant (`--demo`, an in-process emulator):
//! files written, exit codes, JSON output, the jobs commands.

use crate::support::{code, read_csv, roster, text};
use serde_json::Value;

#[test]
fn the_readme_demo_downloads_users_groups_and_members() {
    let dir = tempfile::tempdir().unwrap();
    let roster = roster(&dir.path().join("data"));
    let out = dir.path().join("roster-demo");
    let users = out.join("users.csv");
    let run = roster.run_blocking(&[
        "--demo",
        "download",
        "users",
        "--out",
        users.to_str().unwrap(),
    ]);
    assert_eq!(code(&run), 0, "{}", text(&run.stderr));
    let stdout = text(&run.stdout);
    assert!(
        stdout.contains("users.csv") && stdout.contains("2000 rows"),
        "{stdout}"
    );
    let rows = read_csv(&users);
    assert_eq!(rows.len(), 2001);
    assert_eq!(rows[0].len(), 26);
    assert_eq!(rows[0][0], "userPrincipalName");
    assert!(
        text(&run.stderr).contains("extra requests via $batch"),
        "the auth-method cost is said before the run"
    );

    let groups = out.join("groups.csv");
    let run = roster.run_blocking(&[
        "--demo",
        "download",
        "groups",
        "--out",
        groups.to_str().unwrap(),
    ]);
    assert_eq!(code(&run), 0, "{}", text(&run.stderr));
    assert_eq!(read_csv(&groups).len(), 201);

    // `--parallel 4` reads displayName ranges at once: the same groups, each once.
    let sliced = out.join("groups-sliced.csv");
    let run = roster.run_blocking(&[
        "--demo",
        "download",
        "groups",
        "--parallel",
        "4",
        "--out",
        sliced.to_str().unwrap(),
    ]);
    assert_eq!(code(&run), 0, "{}", text(&run.stderr));
    let sorted = |path: &std::path::Path| {
        let mut rows = read_csv(path);
        rows.sort();
        rows
    };
    assert_eq!(sorted(&sliced), sorted(&groups));

    let members = out.join("members.csv");
    let run = roster.run_blocking(&[
        "--demo",
        "download",
        "members",
        "--group",
        "All Company",
        "--out",
        members.to_str().unwrap(),
    ]);
    assert_eq!(code(&run), 0, "{}", text(&run.stderr));
    let rows = read_csv(&members);
    assert!(rows.len() > 1);
    assert!(rows[1..].iter().all(|r| r[1] == "All Company"));

    let list = roster.run_blocking(&["--demo", "--json", "jobs", "list"]);
    assert_eq!(code(&list), 0);
    let jobs: Value = serde_json::from_slice(&list.stdout).unwrap();
    let jobs = jobs.as_array().unwrap();
    assert_eq!(jobs.len(), 4);
    assert!(jobs.iter().all(|j| j["status"] == "completed"));
}

#[test]
fn json_output_and_jobs_commands() {
    let dir = tempfile::tempdir().unwrap();
    let roster = roster(&dir.path().join("data"));
    let file = dir.path().join("guests.csv");
    let run = roster.run_blocking(&[
        "--demo",
        "--json",
        "download",
        "users",
        "--user-type",
        "guest",
        "--columns",
        "objectId,userType",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code(&run), 0, "{}", text(&run.stderr));
    let outcome: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(outcome["status"], "completed");
    let rows = read_csv(&file);
    assert_eq!(outcome["rows"].as_u64().unwrap() as usize, rows.len() - 1);
    assert!(rows.len() > 1 && rows[1..].iter().all(|r| r[1] == "Guest"));
    let id = outcome["id"].as_str().unwrap().to_owned();

    let show = roster.run_blocking(&["--demo", "jobs", "show", &id[..8]]);
    assert_eq!(code(&show), 0, "{}", text(&show.stderr));
    assert!(text(&show.stdout).contains("completed"));

    let cancel = roster.run_blocking(&["--demo", "jobs", "cancel", &id]);
    assert_eq!(code(&cancel), 0);
    assert!(text(&cancel.stdout).contains("already ended"));

    let delete = roster.run_blocking(&["--demo", "jobs", "delete", &id, "--with-files"]);
    assert_eq!(code(&delete), 0, "{}", text(&delete.stderr));
    assert!(!file.exists());
    let show = roster.run_blocking(&["--demo", "jobs", "show", &id]);
    assert_eq!(code(&show), 2);
    assert!(text(&show.stderr).contains("jobs list"));
}

#[test]
fn exit_codes_say_what_went_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let roster = roster(&dir.path().join("data"));
    let out = dir.path().join("x.csv");
    let out = out.to_str().unwrap();

    let bad_column = roster.run_blocking(&[
        "--demo",
        "download",
        "users",
        "--columns",
        "displayName,mial",
        "--out",
        out,
    ]);
    assert_eq!(code(&bad_column), 2);
    assert!(
        text(&bad_column.stderr).contains("mial"),
        "{}",
        text(&bad_column.stderr)
    );

    let not_signed_in = roster.run_blocking(&["download", "users", "--out", out]);
    assert_eq!(code(&not_signed_in), 3);
    assert!(text(&not_signed_in.stderr).contains("roster login"));

    let missing_group = roster.run_blocking(&[
        "--demo",
        "download",
        "members",
        "--group",
        "Empty Group",
        "--group",
        "No Such Group",
        "--out",
        out,
    ]);
    assert_eq!(code(&missing_group), 1, "{}", text(&missing_group.stderr));
    assert!(text(&missing_group.stderr).contains("No Such Group"));

    let no_group = roster.run_blocking(&["--demo", "download", "members", "--out", out]);
    assert_eq!(
        code(&no_group),
        2,
        "clap refuses a members download without groups"
    );
}

#[test]
fn version_names_the_package_version_and_the_commit() {
    let dir = tempfile::tempdir().unwrap();
    let run = roster(&dir.path().join("data")).run_blocking(&["--version"]);
    assert_eq!(code(&run), 0, "{}", text(&run.stderr));
    let line = text(&run.stdout);
    let expected_start = format!("roster {} (", env!("CARGO_PKG_VERSION"));
    assert!(line.starts_with(&expected_start), "{line}");
    let commit = line.trim_end().trim_start_matches(&expected_start);
    let commit = commit.strip_suffix(')').unwrap_or_else(|| panic!("{line}"));
    assert!(
        commit == "unknown" || (commit.len() >= 7 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "a short commit hash or `unknown`: {line}"
    );
}
