//! `roster review stats`, `roster diff`, `roster rule check|eval`: the real binary on files made by
//! the tests, with no network (no token, no Graph URL: a network call would fail).

use crate::support::{code, roster, text};
use std::path::Path;

const USERS: &str = "\u{feff}userPrincipalName,displayName,objectId,userType,department,accountEnabled,alternateEmailAddress\r\n\
ana@x.com,Ana,id-1,Member,Sales,True,ana@home.net;ana@work.net\r\n\
bob@x.com,Bob,id-2,Guest,Sales,False,\r\n\
cy@x.com,Cy,id-3,Member,HR,True,cy@home.net\r\n\
di@x.com,Di,id-4,Member,sales,True,\r\n";

const MEMBERS: &str = "groupId,groupName,memberType,id,displayName,userPrincipalName\n\
g-1,Sales team,user,id-2,Bob,bob@x.com\n\
g-1,Sales team,user,id-4,Di,di@x.com\n\
g-1,Sales team,user,id-9,Gone,gone@x.com\n";

fn write(dir: &Path, name: &str, body: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, body).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn review_stats_json_has_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    let users = write(dir.path(), "users.csv", USERS);
    let out = roster(dir.path()).run_blocking(&["--json", "review", "stats", &users]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["rows"], 4);
    let dept = &json["columns"][4];
    assert_eq!(dept["name"], "department");
    assert_eq!(dept["filled"], 4);
    assert_eq!(dept["distinct"], 3);
    assert_eq!(dept["top"][0], serde_json::json!(["Sales", 2]));
    let mail = &json["columns"][6];
    assert_eq!(
        (mail["filled"].as_u64(), mail["distinct"].as_u64()),
        (Some(2), Some(2))
    );
}

#[test]
fn diff_counts_writes_the_csv_and_refuses_mismatched_files() {
    let dir = tempfile::tempdir().unwrap();
    let old = write(dir.path(), "old.csv", USERS);
    let next = USERS
        .replace(
            "cy@x.com,Cy,id-3,Member,HR",
            "cy@x.com,Cy,id-3,Member,Sales",
        )
        .replace("bob@x.com,Bob,id-2,Guest,Sales,False,\r\n", "")
        + "ed@x.com,Ed,id-5,Member,IT,True,\r\n";
    let new = write(dir.path(), "new.csv", &next);
    let csv = dir.path().join("diff.csv");
    let args = [
        "--json",
        "diff",
        &old,
        &new,
        "--out",
        csv.to_str().unwrap(),
        "--no-bom",
    ];
    let out = roster(dir.path()).run_blocking(&args);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"key": ["objectId"], "added": 1, "removed": 1, "changed": 1, "unchanged": 2})
    );
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap(),
        "change,objectId,field,old,new\r\nchanged,id-3,department,HR,Sales\r\nadded,id-5,,,\r\nremoved,id-2,,,\r\n"
    );
    let members = write(dir.path(), "members.csv", MEMBERS);
    let out = roster(dir.path()).run_blocking(&["diff", &old, &members]);
    assert_eq!(code(&out), 2);
    assert!(
        text(&out.stderr).contains("users and members"),
        "{}",
        text(&out.stderr)
    );
    let out = roster(dir.path()).run_blocking(&["diff", &old, &new, "--key", "employeeId"]);
    assert_eq!(code(&out), 2);
    assert!(
        text(&out.stderr).contains("no column employeeId"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn rule_check_exit_codes_and_positions() {
    let dir = tempfile::tempdir().unwrap();
    let ok = roster(dir.path()).run_blocking(&["rule", "check", r#"user.department -eq "Sales""#]);
    assert_eq!(code(&ok), 0, "{}", text(&ok.stderr));
    let bad =
        roster(dir.path()).run_blocking(&["--json", "rule", "check", r#"user.department -eq"#]);
    assert_eq!(code(&bad), 2);
    let json: serde_json::Value = serde_json::from_slice(&bad.stdout).unwrap();
    assert_eq!(json["valid"], false);
    assert_eq!(json["position"], 20);
    let unknown = roster(dir.path()).run_blocking(&["rule", "check", r#"user.Department -eq "x""#]);
    assert_eq!(code(&unknown), 2);
    assert!(
        text(&unknown.stderr).contains("position 1"),
        "{}",
        text(&unknown.stderr)
    );
}

#[test]
fn rule_eval_counts_join_leave_stay_and_writes_them() {
    let dir = tempfile::tempdir().unwrap();
    let users = write(dir.path(), "users.csv", USERS);
    let members = write(dir.path(), "members.csv", MEMBERS);
    let rule = r#"user.department -eq "sales" -and user.accountEnabled -eq true"#;
    let out = roster(dir.path()).run_blocking(&["--json", "rule", "eval", rule, "--users", &users]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json, serde_json::json!({"evaluated": 4, "matched": 2}));
    let csv = dir.path().join("result.csv");
    let args = [
        "--json",
        "rule",
        "eval",
        rule,
        "--users",
        &users,
        "--members",
        &members,
        "--out",
        csv.to_str().unwrap(),
        "--no-bom",
    ];
    let out = roster(dir.path()).run_blocking(&args);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Ana joins, Di stays, Bob (disabled) and Gone (not in the users file) leave.
    assert_eq!(
        json,
        serde_json::json!({"evaluated": 4, "matched": 2, "join": 1, "leave": 2, "stay": 1})
    );
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap(),
        "change,objectId,userPrincipalName,displayName\r\njoin,id-1,ana@x.com,Ana\r\nstay,id-4,di@x.com,Di\r\nleave,id-2,bob@x.com,Bob\r\nleave,id-9,gone@x.com,Gone\r\n"
    );
    assert!(text(&out.stderr).contains("not in the users file"));
    // Multi-valued cells joined with `;` (the portal's alternateEmailAddress is otherMails).
    let any = r#"user.otherMails -any (_ -endsWith "@home.net")"#;
    let out = roster(dir.path()).run_blocking(&["--json", "rule", "eval", any, "--users", &users]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["matched"], 2, "{}", text(&out.stderr));
    // A property the file lacks is refused with its name, never read as empty.
    let missing = r#"user.employeeId -ne null"#;
    let out = roster(dir.path()).run_blocking(&["rule", "eval", missing, "--users", &users]);
    assert_eq!(code(&out), 2);
    assert!(
        text(&out.stderr).contains("employeeId"),
        "{}",
        text(&out.stderr)
    );
}
