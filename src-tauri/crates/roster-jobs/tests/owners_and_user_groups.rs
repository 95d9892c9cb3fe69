//! Owners downloads, the groups download's owner columns and users' groups downloads, exact
//! against the emulator's tenant.

use crate::support::{column, env, owners_spec, read_csv, user_groups_spec};
use roster_core::job::{
    CsvOutput, DownloadGroups, GroupFilter, GroupKindChoice, JobSpec, JobStatus, UserFilter,
};
use roster_emulator::tenant::model::{GroupKind, Kind, Ref};
use std::collections::{BTreeMap, BTreeSet};

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::User => "user",
        Kind::ServicePrincipal => "servicePrincipal",
        Kind::Group => "group",
        Kind::Device => "device",
        Kind::OrgContact => "orgContact",
    }
}

#[tokio::test]
async fn owners_of_filtered_groups_are_exactly_the_tenants_owners() {
    let env = env().await;
    let out = env.path("owners.csv");
    let filter = GroupFilter {
        kind: vec![GroupKindChoice::Security],
        ..GroupFilter::default()
    };
    let outcome = env.run(owners_spec(&out, filter)).await;
    assert_eq!(outcome.status, JobStatus::Completed, "{:?}", outcome.error);
    let rows = read_csv(&out);
    assert_eq!(
        rows[0],
        [
            "groupId",
            "groupName",
            "ownerId",
            "ownerUserPrincipalName",
            "ownerDisplayName",
            "ownerType"
        ]
    );
    let got: BTreeSet<Vec<String>> = rows[1..].iter().cloned().collect();
    assert_eq!(got.len(), rows.len() - 1, "no row twice");
    let tenant = env.emu.tenant().read();
    let mut expected = BTreeSet::new();
    for group in tenant.groups() {
        if group.kind() != GroupKind::Security {
            continue;
        }
        for &owner in group.owners() {
            let (upn, name) = match owner.kind() {
                Kind::User => {
                    let user = &tenant.users()[owner.index()];
                    (user.upn().to_owned(), user.display_name().to_owned())
                }
                _ => (
                    String::new(),
                    tenant.service_principals()[owner.index()]
                        .display_name()
                        .to_owned(),
                ),
            };
            expected.insert(vec![
                group.id().to_owned(),
                group.display_name().to_owned(),
                tenant.id_of(owner).to_owned(),
                upn,
                name,
                kind_name(owner.kind()).to_owned(),
            ]);
        }
    }
    assert!(
        expected.iter().any(|r| r[5] == "servicePrincipal"),
        "the tenant has an app owning a security group"
    );
    assert_eq!(got, expected);
}

#[tokio::test]
async fn groups_without_owners_are_flagged_with_their_owner_count() {
    let env = env().await;
    let out = env.path("groups.csv");
    let outcome = env
        .run(JobSpec::DownloadGroups(DownloadGroups {
            filter: GroupFilter::default(),
            columns: "id,ownerCount,hasNoOwner".into(),
            output: CsvOutput::new(&out),
            parallel: None,
        }))
        .await;
    assert_eq!(outcome.status, JobStatus::Completed, "{:?}", outcome.error);
    let rows = read_csv(&out);
    let got: BTreeMap<String, (String, String)> = rows[1..]
        .iter()
        .map(|r| {
            (
                r[0].clone(),
                (
                    r[column(&rows, "ownerCount")].clone(),
                    r[column(&rows, "hasNoOwner")].clone(),
                ),
            )
        })
        .collect();
    let tenant = env.emu.tenant().read();
    let expected: BTreeMap<String, (String, String)> = tenant
        .groups()
        .iter()
        .map(|g| {
            let n = g.owners().len();
            let none = if n == 0 { "True" } else { "False" };
            (g.id().to_owned(), (n.to_string(), none.to_owned()))
        })
        .collect();
    assert!(expected.values().any(|(_, none)| none == "True"));
    assert!(expected.values().any(|(_, none)| none == "False"));
    assert_eq!(got, expected);
}

/// Rows `(userId, userPrincipalName, groupId, groupName[, membership])` the tenant says every user has.
fn expected_user_groups(env: &crate::support::Env, transitive: bool) -> BTreeSet<Vec<String>> {
    let tenant = env.emu.tenant().read();
    let mut out = BTreeSet::new();
    for (u, user) in tenant.users().iter().enumerate() {
        let me = Ref::new(Kind::User, u);
        let direct = tenant.member_of(me);
        let groups = if transitive {
            tenant.transitive_member_of(me)
        } else {
            direct.clone()
        };
        for g in groups {
            let group = &tenant.groups()[g];
            let mut row = vec![
                user.id().to_owned(),
                user.upn().to_owned(),
                group.id().to_owned(),
                group.display_name().to_owned(),
            ];
            if transitive {
                let how = if direct.contains(&g) {
                    "direct"
                } else {
                    "inherited"
                };
                row.push(how.to_owned());
            }
            out.insert(row);
        }
    }
    out
}

#[tokio::test]
async fn users_groups_direct_and_nested_are_exactly_the_tenants() {
    let env = env().await;
    for transitive in [false, true] {
        let out = env.path(&format!("user-groups-{transitive}.csv"));
        let outcome = env
            .run(user_groups_spec(&out, UserFilter::default(), transitive))
            .await;
        assert_eq!(outcome.status, JobStatus::Completed, "{:?}", outcome.error);
        let rows = read_csv(&out);
        let mut header = vec!["userId", "userPrincipalName", "groupId", "groupName"];
        if transitive {
            header.push("membership");
        }
        assert_eq!(rows[0], header);
        let got: BTreeSet<Vec<String>> = rows[1..].iter().cloned().collect();
        assert_eq!(got.len(), rows.len() - 1, "no row twice");
        let expected = expected_user_groups(&env, transitive);
        if transitive {
            assert!(expected.iter().any(|r| r[4] == "inherited"));
        }
        assert_eq!(got, expected, "transitive: {transitive}");
    }
}

#[tokio::test]
async fn listed_users_keep_their_order_and_unknown_ones_are_warnings() {
    let env = env().await;
    let (first, second) = {
        let tenant = env.emu.tenant().read();
        (
            tenant.users()[7].upn().to_owned(),
            tenant.users()[3].id().to_owned(),
        )
    };
    let out = env.path("listed.csv");
    let users = UserFilter {
        ids: vec![
            first.clone(),
            "nobody@nowhere.example".into(),
            second.clone(),
        ],
        ..UserFilter::default()
    };
    let outcome = env.run(user_groups_spec(&out, users, false)).await;
    assert_eq!(
        outcome.status,
        JobStatus::CompletedWithErrors,
        "{:?}",
        outcome.error
    );
    let rows = read_csv(&out);
    let upns: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
    let mut order: Vec<&str> = upns.clone();
    order.dedup();
    let tenant = env.emu.tenant().read();
    let expected: Vec<&str> = [7usize, 3]
        .iter()
        .filter(|&&u| !tenant.member_of(Ref::new(Kind::User, u)).is_empty())
        .map(|&u| tenant.users()[u].upn())
        .collect();
    assert_eq!(order, expected);
}
