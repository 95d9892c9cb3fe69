//! `roster members add|remove` through the real binary against the demo tenant (`--demo`, the
//! in-process emulator with seed 1): confirmation rules, dry runs, results, JSON, exit codes, and
//! deleting a membership job with its files.

use crate::support::{Roster, code, read_csv, roster, text, with_demo_tenant};
use serde_json::Value;
use std::path::Path;
use std::process::Output;

/// `roster --demo members <op> --group <group> --file <file> <more>`.
fn demo_members(roster: &Roster, op: &str, group: &str, file: &Path, more: &[&str]) -> Output {
    let file = file.to_str().unwrap();
    let mut args = vec!["--demo", "members", op, "--group", group, "--file", file];
    args.extend_from_slice(more);
    roster.run_blocking(&args)
}

/// The demo tenant's data, read from an identical in-process emulator: two user UPNs that are
/// not in "Empty Group", a guest UPN and a device id.
fn demo_values() -> (Vec<String>, String, String) {
    with_demo_tenant(|t| {
        let users: Vec<String> = t
            .users()
            .iter()
            .skip(20)
            .filter(|u| !u.upn().contains("#EXT#"))
            .take(2)
            .map(|u| u.upn().to_owned())
            .collect();
        let guest = t
            .users()
            .iter()
            .find(|u| u.upn().contains("#EXT#"))
            .unwrap()
            .upn()
            .to_owned();
        (users, guest, t.devices()[0].id().to_owned())
    })
}

#[test]
fn without_yes_and_without_a_terminal_the_preview_is_shown_and_nothing_applied() {
    let dir = tempfile::tempdir().unwrap();
    let roster = roster(&dir.path().join("data"));
    let (users, _, _) = demo_values();
    let file = dir.path().join("m.csv");
    std::fs::write(&file, format!("{}\n", users[0])).unwrap();
    let run = demo_members(&roster, "add", "Empty Group", &file, &[]);
    assert_eq!(code(&run), 2);
    let err = text(&run.stderr);
    assert!(
        err.contains("1 will be added") && err.contains("pass --yes"),
        "{err}"
    );
    assert!(!dir.path().join("m.add-results.csv").exists());
}

#[test]
fn dry_run_previews_every_row_and_exits_1_when_some_cannot_be_processed() {
    let dir = tempfile::tempdir().unwrap();
    let roster = roster(&dir.path().join("data"));
    let (users, guest, _) = demo_values();
    let file = dir.path().join("m.csv");
    std::fs::write(
        &file,
        format!("Member object ID or user principal name [memberObjectIdOrUpn] Required\n{}\n{guest}\nnobody@contoso.onmicrosoft.com\n", users[0]),
    )
    .unwrap();
    let results = dir.path().join("preview.csv");
    let run = demo_members(
        &roster,
        "add",
        "Empty Group",
        &file,
        &["--dry-run", "--results", results.to_str().unwrap()],
    );
    assert_eq!(code(&run), 1, "{}", text(&run.stderr));
    let rows = read_csv(&results);
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[1][6], "will-add");
    assert_eq!(rows[2][6], "will-add", "guest UPN resolves");
    assert_eq!(rows[3][6], "not-found");
}

#[test]
fn yes_applies_and_reports_json_with_results_and_undo_files() {
    let dir = tempfile::tempdir().unwrap();
    let roster = roster(&dir.path().join("data"));
    let (users, guest, device) = demo_values();
    let file = dir.path().join("m.csv");
    std::fs::write(
        &file,
        format!(
            "{}\n{}\n{guest}\n{device}\n{}\n",
            users[0], users[1], users[0]
        ),
    )
    .unwrap();
    let run = demo_members(&roster, "add", "Empty Group", &file, &["--json", "--yes"]);
    assert_eq!(code(&run), 0, "{}", text(&run.stderr));
    let report: Value = serde_json::from_str(&text(&run.stdout)).unwrap();
    assert_eq!(report["status"], "completed");
    assert_eq!(report["counts"]["added"], 4);
    assert_eq!(report["counts"]["duplicate"], 1);
    let results = dir.path().join("m.add-results.csv");
    assert_eq!(Path::new(report["results"].as_str().unwrap()), results);
    assert_eq!(read_csv(&results).len(), 6);
    let undo = read_csv(Path::new(report["undo"].as_str().unwrap()));
    assert_eq!(
        undo[0][0],
        "Member object ID or user principal name [memberObjectIdOrUpn] Required"
    );
    assert_eq!(undo.len(), 5);
    assert!(undo.iter().any(|r| r[0] == device));

    // A remove of the same file in the fresh demo tenant: nobody is a member, nothing to do.
    let run = demo_members(&roster, "remove", "Empty Group", &file, &["--yes"]);
    assert_eq!(code(&run), 0, "{}", text(&run.stderr));
    assert!(
        text(&run.stdout).contains("4 not members"),
        "{}",
        text(&run.stdout)
    );
}

#[test]
fn bad_input_refused_groups_and_missing_sign_in_have_their_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let roster = roster(&dir.path().join("data"));
    let empty = dir.path().join("empty.csv");
    std::fs::write(
        &empty,
        "Member object ID or user principal name [memberObjectIdOrUpn] Required\n",
    )
    .unwrap();
    let run = demo_members(&roster, "add", "Empty Group", &empty, &["--yes"]);
    assert_eq!(code(&run), 2);
    assert!(
        text(&run.stderr).contains("no member rows"),
        "{}",
        text(&run.stderr)
    );

    let file = dir.path().join("one.csv");
    std::fs::write(&file, "admin@contoso.onmicrosoft.com\n").unwrap();
    let run = demo_members(&roster, "add", "Owner Dynamic Sales", &file, &["--yes"]);
    assert_eq!(code(&run), 2);
    assert!(
        text(&run.stderr).contains("dynamic membership"),
        "{}",
        text(&run.stderr)
    );

    let run = roster.run_blocking(&[
        "members",
        "remove",
        "--group",
        "Empty Group",
        "--file",
        file.to_str().unwrap(),
        "--yes",
    ]);
    assert_eq!(code(&run), 3);
    assert!(
        text(&run.stderr).contains("roster login"),
        "{}",
        text(&run.stderr)
    );
}

#[test]
fn deleting_a_membership_job_with_its_files_removes_results_and_undo_but_not_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let roster = roster(&dir.path().join("data"));
    let (users, _, _) = demo_values();
    let file = dir.path().join("new-hires.csv");
    std::fs::write(&file, format!("{}\n{}\n", users[0], users[1])).unwrap();
    let run = demo_members(&roster, "add", "Empty Group", &file, &["--json", "--yes"]);
    assert_eq!(code(&run), 0, "{}", text(&run.stderr));
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    let id = report["id"].as_str().expect("the report names its job");
    let results = dir.path().join("new-hires.add-results.csv");
    let undo = dir.path().join("new-hires.add-results.undo-remove.csv");
    assert_eq!(Path::new(report["results"].as_str().unwrap()), results);
    assert_eq!(Path::new(report["undo"].as_str().unwrap()), undo);
    assert!(results.exists() && undo.exists());

    let delete = roster.run_blocking(&["--demo", "jobs", "delete", id, "--with-files"]);
    assert_eq!(code(&delete), 0, "{}", text(&delete.stderr));
    assert!(!results.exists(), "the results file is deleted");
    assert!(!undo.exists(), "the undo file is deleted");
    assert!(file.exists(), "the person's own member file stays");
    let show = roster.run_blocking(&["--demo", "jobs", "show", id]);
    assert_eq!(code(&show), 2, "{}", text(&show.stderr));
    assert!(
        text(&show.stderr).contains("jobs list"),
        "{}",
        text(&show.stderr)
    );
}

#[test]
fn each_import_keeps_its_own_results_and_undo_files() {
    let dir = tempfile::tempdir().unwrap();
    let roster = roster(&dir.path().join("data"));
    let (users, _, _) = demo_values();
    let file = dir.path().join("hires.csv");
    std::fs::write(&file, format!("{}\n", users[0])).unwrap();
    let first = demo_members(&roster, "add", "Empty Group", &file, &["--json", "--yes"]);
    assert_eq!(code(&first), 0, "{}", text(&first.stderr));
    let first: Value = serde_json::from_slice(&first.stdout).unwrap();
    // The same file again (the second run finds the member already there): a job of its own,
    // with files of its own, so the first job's undo file is not overwritten.
    let second = demo_members(&roster, "add", "Empty Group", &file, &["--json", "--yes"]);
    assert_eq!(code(&second), 0, "{}", text(&second.stderr));
    let second: Value = serde_json::from_slice(&second.stdout).unwrap();
    assert_ne!(first["id"], second["id"]);
    let (r1, r2) = (
        first["results"].as_str().unwrap(),
        second["results"].as_str().unwrap(),
    );
    assert_eq!(Path::new(r1), dir.path().join("hires.add-results.csv"));
    assert_eq!(Path::new(r2), dir.path().join("hires.add-results (2).csv"));
    let undo1 = Path::new(first["undo"].as_str().unwrap()).to_owned();
    assert_eq!(
        read_csv(&undo1).len(),
        2,
        "the first job's undo file still lists its add"
    );

    let id2 = second["id"].as_str().unwrap();
    let delete = roster.run_blocking(&["--demo", "jobs", "delete", id2, "--with-files"]);
    assert_eq!(code(&delete), 0, "{}", text(&delete.stderr));
    assert!(!Path::new(r2).exists());
    assert!(
        Path::new(r1).exists() && undo1.exists(),
        "the other job's files stay"
    );
}
