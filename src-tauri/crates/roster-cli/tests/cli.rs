//! The real `roster` binary against the built-in demo tenant (`--demo`, an in-process emulator):
//! files written, exit codes, JSON output, the jobs commands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn roster(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_roster"))
        .args(["--data-dir", data.to_str().unwrap()])
        .args(args)
        .env_remove("ROSTER_ACCESS_TOKEN")
        .env_remove("ROSTER_GRAPH_URL")
        .output()
        .expect("roster runs")
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exit code")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn records(path: &Path) -> Vec<csv::StringRecord> {
    let bytes = std::fs::read(path).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let body = text.strip_prefix('\u{feff}').expect("BOM for Excel");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn the_readme_demo_downloads_users_groups_and_members() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = dir.path().join("roster-demo");
    let users = out.join("users.csv");
    let run = roster(
        &data,
        &[
            "--demo",
            "download",
            "users",
            "--out",
            users.to_str().unwrap(),
        ],
    );
    assert_eq!(code(&run), 0, "{}", text(&run.stderr));
    let stdout = text(&run.stdout);
    assert!(
        stdout.contains("users.csv") && stdout.contains("2000 rows"),
        "{stdout}"
    );
    let rows = records(&users);
    assert_eq!(rows.len(), 2001);
    assert_eq!(rows[0].len(), 26);
    assert_eq!(&rows[0][0], "userPrincipalName");
    assert!(
        text(&run.stderr).contains("extra requests via $batch"),
        "the auth-method cost is said before the run"
    );

    let groups = out.join("groups.csv");
    let run = roster(
        &data,
        &[
            "--demo",
            "download",
            "groups",
            "--out",
            groups.to_str().unwrap(),
        ],
    );
    assert_eq!(code(&run), 0, "{}", text(&run.stderr));
    assert_eq!(records(&groups).len(), 201);

    let members = out.join("members.csv");
    let run = roster(
        &data,
        &[
            "--demo",
            "download",
            "members",
            "--group",
            "All Company",
            "--out",
            members.to_str().unwrap(),
        ],
    );
    assert_eq!(code(&run), 0, "{}", text(&run.stderr));
    let rows = records(&members);
    assert!(rows.len() > 1);
    assert!(rows[1..].iter().all(|r| &r[1] == "All Company"));

    let list = roster(&data, &["--demo", "--json", "jobs", "list"]);
    assert_eq!(code(&list), 0);
    let jobs: Value = serde_json::from_slice(&list.stdout).unwrap();
    let jobs = jobs.as_array().unwrap();
    assert_eq!(jobs.len(), 3);
    assert!(jobs.iter().all(|j| j["status"] == "completed"));
}

#[test]
fn json_output_and_jobs_commands() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("guests.csv");
    let run = roster(
        &data,
        &[
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
        ],
    );
    assert_eq!(code(&run), 0, "{}", text(&run.stderr));
    let outcome: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(outcome["status"], "completed");
    let rows = records(&file);
    assert_eq!(outcome["rows"].as_u64().unwrap() as usize, rows.len() - 1);
    assert!(rows.len() > 1 && rows[1..].iter().all(|r| &r[1] == "Guest"));
    let id = outcome["id"].as_str().unwrap().to_owned();

    let show = roster(&data, &["--demo", "jobs", "show", &id[..8]]);
    assert_eq!(code(&show), 0, "{}", text(&show.stderr));
    assert!(text(&show.stdout).contains("completed"));

    let cancel = roster(&data, &["--demo", "jobs", "cancel", &id]);
    assert_eq!(code(&cancel), 0);
    assert!(text(&cancel.stdout).contains("already ended"));

    let delete = roster(&data, &["--demo", "jobs", "delete", &id, "--with-files"]);
    assert_eq!(code(&delete), 0, "{}", text(&delete.stderr));
    assert!(!file.exists());
    let show = roster(&data, &["--demo", "jobs", "show", &id]);
    assert_eq!(code(&show), 2);
    assert!(text(&show.stderr).contains("jobs list"));
}

#[test]
fn exit_codes_say_what_went_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = dir.path().join("x.csv");
    let out = out.to_str().unwrap();

    let bad_column = roster(
        &data,
        &[
            "--demo",
            "download",
            "users",
            "--columns",
            "displayName,mial",
            "--out",
            out,
        ],
    );
    assert_eq!(code(&bad_column), 2);
    assert!(
        text(&bad_column.stderr).contains("mial"),
        "{}",
        text(&bad_column.stderr)
    );

    let not_signed_in = roster(&data, &["download", "users", "--out", out]);
    assert_eq!(code(&not_signed_in), 3);
    assert!(text(&not_signed_in.stderr).contains("roster login"));

    let missing_group = roster(
        &data,
        &[
            "--demo",
            "download",
            "members",
            "--group",
            "Empty Group",
            "--group",
            "No Such Group",
            "--out",
            out,
        ],
    );
    assert_eq!(code(&missing_group), 1, "{}", text(&missing_group.stderr));
    assert!(text(&missing_group.stderr).contains("No Such Group"));

    let no_group = roster(&data, &["--demo", "download", "members", "--out", out]);
    assert_eq!(
        code(&no_group),
        2,
        "clap refuses a members download without groups"
    );
}
