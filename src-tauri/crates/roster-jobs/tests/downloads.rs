//! Downloads against the in-process emulator: what the files hold.

use crate::support::{column, env, members_spec, read_csv, users_spec};
use roster_core::columns::portal_user_columns;
use roster_core::job::{
    CsvOutput, DownloadGroups, GroupFilter, GroupKindChoice, JobSpec, JobStatus, UserFilter,
};
use std::collections::HashSet;

#[tokio::test]
async fn users_download_holds_every_user_once_with_the_portal_header() {
    let env = env().await;
    let out = env.path("users.csv");
    let outcome = env
        .run(users_spec(&out, "portal", UserFilter::default()))
        .await;
    assert_eq!(outcome.status, JobStatus::Completed, "{:?}", outcome.error);
    let rows = read_csv(&out);
    let header: Vec<String> = portal_user_columns()
        .iter()
        .map(|c| c.header.to_string())
        .collect();
    assert_eq!(rows[0], header);
    assert_eq!(rows[0].len(), 26);
    let ids: Vec<&str> = rows[1..]
        .iter()
        .map(|r| r[column(&rows, "objectId")].as_str())
        .collect();
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "no duplicates");
    let tenant = env.emu.tenant().read();
    let expected: HashSet<&str> = tenant.users().iter().map(|u| u.id()).collect();
    assert_eq!(unique, expected);
    assert_eq!(outcome.rows, expected.len() as u64);
    assert_eq!(outcome.bytes, std::fs::metadata(&out).unwrap().len());
    assert!(roster_csv::partial_files(&out).is_empty());
    // The known admin has a UPN and authentication methods the emulator fills in.
    let admin = rows
        .iter()
        .find(|r| r[0].starts_with("admin@"))
        .expect("admin row");
    assert_eq!(admin[column(&rows, "accountEnabled")], "True");
}

#[tokio::test]
async fn user_filters_select_the_matching_users() {
    let env = env().await;
    let out = env.path("disabled.csv");
    let filter = UserFilter {
        account_enabled: Some(false),
        ..UserFilter::default()
    };
    let outcome = env
        .run(users_spec(&out, "objectId,accountEnabled", filter))
        .await;
    assert_eq!(outcome.status, JobStatus::Completed, "{:?}", outcome.error);
    let rows = read_csv(&out);
    assert_eq!(rows[0], ["objectId", "accountEnabled"]);
    let tenant = env.emu.tenant().read();
    let expected: HashSet<&str> = tenant
        .users()
        .iter()
        .filter(|u| !u.account_enabled())
        .map(|u| u.id())
        .collect();
    assert!(!expected.is_empty());
    let got: HashSet<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(got, expected);
    assert!(rows[1..].iter().all(|r| r[1] == "False"));
}

#[tokio::test]
async fn users_by_id_keep_the_file_order_and_report_unknown_ids() {
    let env = env().await;
    let (first, second, upn) = {
        let tenant = env.emu.tenant().read();
        let users = tenant.users();
        (
            users[5].id().to_owned(),
            users[3].id().to_owned(),
            users[0].upn().to_owned(),
        )
    };
    let missing = "00000000-0000-0000-0000-000000000001".to_owned();
    let filter = UserFilter {
        ids: vec![first.clone(), missing, second.clone(), upn.clone()],
        ..UserFilter::default()
    };
    let out = env.path("listed.csv");
    let outcome = env
        .run(users_spec(&out, "objectId,userPrincipalName", filter))
        .await;
    assert_eq!(outcome.status, JobStatus::CompletedWithErrors);
    assert_eq!(outcome.warnings, 1);
    assert!(
        outcome
            .error
            .as_deref()
            .unwrap()
            .contains("00000000-0000-0000-0000-000000000001")
    );
    let rows = read_csv(&out);
    let ids: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids[..2], [first.as_str(), second.as_str()]);
    assert_eq!(rows[3][1], upn);
}

#[tokio::test]
async fn groups_download_by_kind() {
    let env = env().await;
    for (choice, labels) in [
        (vec![GroupKindChoice::M365], vec!["Microsoft 365"]),
        (vec![GroupKindChoice::Distribution], vec!["Distribution"]),
        // Several kinds are alternatives: one OR-ed clause (Graph allows `or`, graph-api.md §3).
        (
            vec![GroupKindChoice::Distribution, GroupKindChoice::M365],
            vec!["Distribution", "Microsoft 365"],
        ),
    ] {
        let label = labels.join("+");
        let out = env.path(&format!("groups-{label}.csv"));
        let spec = JobSpec::DownloadGroups(DownloadGroups {
            filter: GroupFilter {
                kind: choice,
                ..GroupFilter::default()
            },
            columns: "default".into(),
            output: CsvOutput::new(&out),
            parallel: None,
        });
        let outcome = env.run(spec).await;
        assert_eq!(outcome.status, JobStatus::Completed, "{:?}", outcome.error);
        let rows = read_csv(&out);
        let kind = column(&rows, "groupType");
        assert!(
            rows[1..].iter().all(|r| labels.contains(&r[kind].as_str())),
            "{label}"
        );
        let tenant = env.emu.tenant().read();
        let expected = tenant
            .groups()
            .iter()
            .filter(|g| {
                let k = roster_core::columns::GroupKind::classify(
                    g.group_types(),
                    g.mail_enabled(),
                    g.security_enabled(),
                );
                labels.contains(&k.label())
            })
            .count();
        assert!(expected > 0);
        assert_eq!(rows.len() - 1, expected, "{label}");
    }
}

#[tokio::test]
async fn members_of_several_groups_go_into_one_file() {
    let env = env().await;
    let out = env.path("members.csv");
    let names = [
        "Mixed Members",
        "Empty Group",
        "All Company",
        "No Such Group",
    ];
    let outcome = env.run(members_spec(&out, &names, false)).await;
    assert_eq!(
        outcome.status,
        JobStatus::CompletedWithErrors,
        "{:?}",
        outcome.error
    );
    assert!(outcome.error.as_deref().unwrap().contains("No Such Group"));
    let rows = read_csv(&out);
    assert_eq!(
        rows[0],
        [
            "groupId",
            "groupName",
            "memberType",
            "id",
            "displayName",
            "userPrincipalName",
            "mail"
        ]
    );
    let tenant = env.emu.tenant().read();
    let mut expected_order = Vec::new();
    for name in &names[..3] {
        let g = tenant
            .groups()
            .iter()
            .find(|g| g.display_name() == *name)
            .unwrap();
        let got: Vec<&str> = rows[1..]
            .iter()
            .filter(|r| r[0] == g.id())
            .map(|r| r[3].as_str())
            .collect();
        let want: HashSet<&str> = g.members().iter().map(|m| tenant.id_of(*m)).collect();
        assert_eq!(got.len(), want.len(), "{name}");
        assert_eq!(got.iter().copied().collect::<HashSet<_>>(), want, "{name}");
        if !got.is_empty() {
            expected_order.push(g.id());
        }
    }
    // Group order is the order asked for.
    let mut seen: Vec<&str> = Vec::new();
    for r in &rows[1..] {
        if seen.last() != Some(&r[0].as_str()) {
            seen.push(&r[0]);
        }
    }
    assert_eq!(seen, expected_order);
    let types: HashSet<&str> = rows[1..].iter().map(|r| r[2].as_str()).collect();
    assert!(types.len() >= 3, "mixed member types: {types:?}");
}

#[tokio::test]
async fn transitive_members_carry_their_nesting_path() {
    let env = env().await;
    let out = env.path("nested.csv");
    let outcome = env.run(members_spec(&out, &["Nested Level 1"], true)).await;
    assert_eq!(outcome.status, JobStatus::Completed, "{:?}", outcome.error);
    let rows = read_csv(&out);
    let path = column(&rows, "nestingPath");
    let tenant = env.emu.tenant().read();
    let index = tenant
        .groups()
        .iter()
        .position(|g| g.display_name() == "Nested Level 1")
        .unwrap();
    let want: HashSet<&str> = tenant
        .transitive_members(index)
        .into_iter()
        .map(|r| tenant.id_of(r))
        .collect();
    let got: HashSet<&str> = rows[1..].iter().map(|r| r[3].as_str()).collect();
    assert_eq!(got, want);
    let paths: HashSet<&str> = rows[1..].iter().map(|r| r[path].as_str()).collect();
    assert!(paths.contains("Nested Level 1"));
    assert!(
        paths.contains("Nested Level 1 > Nested Level 2 > Nested Level 3 > Nested Level 4"),
        "{paths:?}"
    );
    assert!(rows[1..].iter().all(|r| r[1] == "Nested Level 1"));
}
