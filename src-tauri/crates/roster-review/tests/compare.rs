//! Comparing snapshots, against hand-computed answers.

use crate::files::file;
use roster_csv::WriterOptions;
use roster_review::diff::{self, Change};
use roster_review::{ReviewError, Table};

const OLD: &str = "objectId,userPrincipalName,displayName,department\r\n\
1,ana@contoso.com,Ana,Sales\r\n\
2,bob@contoso.com,Bob,HR\r\n\
3,cy@contoso.com,Cy,IT\r\n\
4,di@contoso.com,Di,IT\r\n";

/// The same tenant a month later, saved by Dutch Excel: other column order, `;`, Windows-1252,
/// rows reordered. Bob left, Ed joined, Cy moved to Sales, Di unchanged, Ana renamed (é).
fn new_file() -> Vec<u8> {
    let mut b = b"department;displayName;objectId;userPrincipalName\r\n".to_vec();
    b.extend_from_slice(b"IT;Di;4;di@contoso.com\r\n");
    b.extend_from_slice(b"Sales;Ed;5;ed@contoso.com\r\n");
    b.extend_from_slice(b"Sales;Cy;3;cy@contoso.com\r\n");
    b.extend_from_slice(b"Sales;Ana \xc9;1;ana@contoso.com\r\n");
    b
}

#[test]
fn users_snapshots_match_by_object_id_whatever_the_format() {
    let (_a, old) = file("old.csv", OLD.as_bytes());
    let (_b, new) = file("new.csv", &new_file());
    let (old, new) = (Table::open(&old).unwrap(), Table::open(&new).unwrap());
    let d = diff::compare(&old, &new, None).unwrap();
    assert_eq!(d.key, ["objectId"]);
    let c = d.counts();
    assert_eq!((c.added, c.removed, c.changed, c.unchanged), (1, 1, 2, 1));
    // New-file order for added/changed, then removed.
    let changes: Vec<Change> = d.differences.iter().map(|x| x.change).collect();
    assert_eq!(
        changes,
        [
            Change::Added,
            Change::Changed,
            Change::Changed,
            Change::Removed
        ]
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("diff.csv");
    let options = WriterOptions {
        bom: false,
        ..WriterOptions::default()
    };
    let lines = diff::write_csv(&d, &old, &new, &out, options).unwrap();
    assert_eq!(lines, 4);
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "change,objectId,field,old,new\r\n\
added,5,,,\r\n\
changed,3,department,IT,Sales\r\n\
changed,1,displayName,Ana,Ana É\r\n\
removed,2,,,\r\n"
    );
    // A folder as the destination is refused, and nothing is written beside it.
    let refused = diff::write_csv(&d, &old, &new, dir.path(), options);
    assert!(
        matches!(&refused, Err(ReviewError::Write { reason, .. }) if reason.contains("folder")),
        "{:?}",
        refused.err()
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "only diff.csv"
    );
}

#[test]
fn members_snapshots_say_who_joined_and_left_each_group() {
    let old = "groupId,groupName,memberType,id,displayName\n\
g1,Sales,user,u1,Ana\n\
g1,Sales,user,u2,Bob\n\
g2,HR,user,u2,Bob\n";
    let new = "\u{feff}groupId,groupName,memberType,id,displayName\r\n\
g2,HR,user,u2,Bob\r\n\
g2,HR,user,u3,Cy\r\n\
g1,Sales,user,u1,Ana\r\n\
g1,Sales,user,u3,Cy\r\n";
    let (_a, o) = file("m1.csv", old.as_bytes());
    let (_b, n) = file("m2.csv", new.as_bytes());
    let (o, n) = (Table::open(&o).unwrap(), Table::open(&n).unwrap());
    let d = diff::compare(&o, &n, None).unwrap();
    assert_eq!(d.key, ["groupId", "id"]);
    let c = d.counts();
    assert_eq!((c.added, c.removed, c.changed, c.unchanged), (2, 1, 0, 2));
    let groups = diff::group_changes(&d, &o, &n);
    let summary: Vec<(&str, &str, u64, u64)> = groups
        .iter()
        .map(|g| (g.group_id.as_str(), g.group_name.as_str(), g.joined, g.left))
        .collect();
    assert_eq!(summary, [("g2", "HR", 1, 0), ("g1", "Sales", 1, 1)]);
}

#[test]
fn different_kinds_and_missing_keys_are_refused_with_the_problem_named() {
    let groups = "id,displayName,groupType,membershipType\n1,Sales,Security,Assigned\n";
    let (_a, u) = file("u.csv", OLD.as_bytes());
    let (_b, g) = file("g.csv", groups.as_bytes());
    let (u, g) = (Table::open(&u).unwrap(), Table::open(&g).unwrap());
    let err = diff::compare(&u, &g, None).err().unwrap();
    assert!(matches!(err, ReviewError::KindMismatch { .. }), "{err}");
    assert!(err.to_string().contains("users and groups"), "{err}");
    let key = ["employeeId".to_owned()];
    let err = diff::compare(&u, &u, Some(&key)).err().unwrap();
    assert!(
        err.to_string()
            .contains("the old file has no column employeeId"),
        "{err}"
    );
    let three = ["a".to_owned(), "b".to_owned(), "c".to_owned()];
    assert!(matches!(
        diff::compare(&u, &u, Some(&three)),
        Err(ReviewError::KeyTooLong { given: 3 })
    ));
}

#[test]
fn a_chosen_key_and_columns_only_one_file_has() {
    let old = "upn,name,phone\na@x,A,1\nb@x,B,2\n";
    let new = "name,upn,mobile\nA2,a@x,9\nB,b@x,8\n";
    let (_a, o) = file("o.csv", old.as_bytes());
    let (_b, n) = file("n.csv", new.as_bytes());
    let (o, n) = (Table::open(&o).unwrap(), Table::open(&n).unwrap());
    let key = ["upn".to_owned()];
    let d = diff::compare(&o, &n, Some(&key)).unwrap();
    let c = d.counts();
    assert_eq!((c.changed, c.unchanged), (1, 1));
    let codes: Vec<&str> = d.notices.iter().map(|t| t.code.as_str()).collect();
    assert_eq!(codes, ["review.notice.onlyOld", "review.notice.onlyNew"]);
}
