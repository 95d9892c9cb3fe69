//! The rule lab on files: column names as Roster and the admin center write them, memberships,
//! current members, refusals.

use crate::files::file;
use roster_review::rule_lab::{self, Binding, Change, CurrentMembers, Person};
use roster_review::{ReviewError, Table};

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2026-12-07T00:00:00Z")
        .unwrap()
        .into()
}

fn table(name: &str, body: &str) -> (tempfile::TempDir, Table) {
    let (d, p) = file(name, body.as_bytes());
    (d, Table::open(&p).unwrap())
}

fn matched(rule: &str, users: &Table, members: Option<&Table>) -> Vec<u32> {
    let rule = roster_rules::parse(rule).unwrap();
    Binding::new(&rule, users, members)
        .unwrap()
        .matching_rows(now())
}

/// Roster's Graph-named columns: id, officeLocation, mobilePhone, manager id, hire date.
const GRAPH_USERS: &str = "id,userPrincipalName,displayName,officeLocation,mobilePhone,managerId,employeeHireDate,proxyAddresses\n\
u1,a@x,A,Amsterdam,+31 6,aaaaaaaa-0000-4000-8000-000000000001,2026-11-30T00:00:00Z,SMTP:a@x;smtp:a@old.x\n\
u2,b@x,B,Berlin,,aaaaaaaa-0000-4000-8000-000000000001,2020-01-01T00:00:00Z,\n\
u3,c@x,C,amsterdam,+49,aaaaaaaa-0000-4000-8000-000000000002,,SMTP:c@x\n";

#[test]
fn legacy_rule_names_find_graph_named_columns() {
    let (_d, users) = table("graph.csv", GRAPH_USERS);
    assert_eq!(
        matched(
            r#"user.physicalDeliveryOfficeName -eq "AMSTERDAM""#,
            &users,
            None
        ),
        [0, 2]
    );
    assert_eq!(
        matched(r#"user.objectId -in ["u2","u3"]"#, &users, None),
        [1, 2]
    );
    assert_eq!(
        matched(r#"user.mobile -startsWith "+31""#, &users, None),
        [0]
    );
    assert_eq!(
        matched(
            r#"user.employeeHireDate -ge system.now -minus p30d"#,
            &users,
            None
        ),
        [0]
    );
    assert_eq!(
        matched(
            r#"user.proxyAddresses -any (_ -startsWith "smtp:")"#,
            &users,
            None
        ),
        [0, 2]
    );
    assert_eq!(
        matched(
            r#"Direct Reports for "aaaaaaaa-0000-4000-8000-000000000001""#,
            &users,
            None
        ),
        [0, 1]
    );
}

#[test]
fn member_of_reads_the_members_file() {
    let (_d, users) = table("graph.csv", GRAPH_USERS);
    let (_m, members) = table(
        "members.csv",
        "groupId,groupName,memberType,id\nbbbbbbbb-0000-4000-8000-000000000001,One,user,u1\nbbbbbbbb-0000-4000-8000-000000000002,Two,user,u3\nbbbbbbbb-0000-4000-8000-000000000002,Two,user,u1\n",
    );
    let rule =
        r#"user.memberOf -any (group.objectId -in ["bbbbbbbb-0000-4000-8000-000000000002"])"#;
    assert_eq!(matched(rule, &users, Some(&members)), [0, 2]);
    let parsed = roster_rules::parse(rule).unwrap();
    assert!(matches!(
        Binding::new(&parsed, &users, None),
        Err(ReviewError::NeedsMembers)
    ));
}

#[test]
fn join_leave_stay_against_one_group_of_a_members_file() {
    let (_d, users) = table("graph.csv", GRAPH_USERS);
    let (_m, members) = table(
        "members.csv",
        "groupId,memberType,id\ng1,user,u1\ng1,group,nested\ng2,user,u2\ng2,user,u3\n",
    );
    let rule = roster_rules::parse(r#"user.physicalDeliveryOfficeName -eq "amsterdam""#).unwrap();
    let binding = Binding::new(&rule, &users, None).unwrap();
    assert!(matches!(
        CurrentMembers::new(&members, None),
        Err(ReviewError::SeveralGroups { count: 2 })
    ));
    let current = CurrentMembers::new(&members, Some("g2")).unwrap();
    let outcome = rule_lab::evaluate(&binding, Some(&current), now());
    let c = &outcome.counts;
    assert_eq!(
        (c.matched, c.join, c.leave, c.stay),
        (2, Some(1), Some(1), Some(1))
    );
    assert_eq!(
        outcome.people,
        [
            (Some(Change::Join), Person::User(0)),
            (Some(Change::Stay), Person::User(2)),
            (Some(Change::Leave), Person::User(1)),
        ]
    );
    // Group members of the group (nested groups) are not users: g1 has one user member.
    let current = CurrentMembers::new(&members, Some("g1")).unwrap();
    let c = rule_lab::evaluate(&binding, Some(&current), now()).counts;
    assert_eq!((c.join, c.leave, c.stay), (Some(1), Some(0), Some(1)));
}

#[test]
fn refusals_name_the_problem() {
    let (_d, users) = table("graph.csv", GRAPH_USERS);
    let rule = roster_rules::parse(r#"user.department -eq "x" -and user.city -eq "y""#).unwrap();
    let err = Binding::new(&rule, &users, None).err().unwrap();
    assert_eq!(
        err.to_string(),
        "the users file has no column for department, city: download users again with these columns, or change the rule"
    );
    let (_g, groups) = table("groups.csv", "id,displayName,groupType\n1,G,Security\n");
    let rule = roster_rules::parse(r#"user.displayName -eq "G""#).unwrap();
    assert!(matches!(
        Binding::new(&rule, &groups, None),
        Err(ReviewError::NotUsers { .. })
    ));
}
