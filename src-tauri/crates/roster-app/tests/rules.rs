//! Saving a rule-lab rule to a dynamic group of the demo tenant: the proposal's join / leave /
//! stay counts against the group's members, the PATCH, and the refusals.

use roster_app::dynamic_rule::{apply_rule, propose_rule};
use roster_app::review::Reviews;
use roster_app::{Connection, ErrorCode};
use roster_emulator::{EmulatorConfig, ThrottleMode};
use roster_graph::ListQuery;
use std::collections::HashSet;

async fn demo() -> Connection {
    let config = EmulatorConfig {
        users: 300,
        groups: 20,
        throttle: ThrottleMode::Off,
        ..EmulatorConfig::default()
    };
    Connection::demo(config, "roster-app-tests").await.unwrap()
}

async fn member_ids(connection: &Connection, group: &str) -> HashSet<String> {
    let query = ListQuery::new().select(["id"]).top(999);
    connection
        .read_graph()
        .list_members(group, &query, false)
        .unwrap()
        .collect_all()
        .await
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_ascii_lowercase())
        .collect()
}

#[tokio::test]
async fn a_rule_is_proposed_with_its_effect_then_saved() {
    let connection = demo().await;
    let query = ListQuery::new()
        .select(["id", "userPrincipalName", "displayName", "department"])
        .top(999);
    let users = connection
        .read_graph()
        .list_users(&query)
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("users.csv");
    let mut writer = csv::Writer::from_path(&file).unwrap();
    writer
        .write_record(["objectId", "userPrincipalName", "displayName", "department"])
        .unwrap();
    for u in &users {
        let cell = |k: &str| u[k].as_str().unwrap_or_default().to_owned();
        writer
            .write_record([
                cell("id"),
                cell("userPrincipalName"),
                cell("displayName"),
                cell("department"),
            ])
            .unwrap();
    }
    writer.flush().unwrap();
    let reviews = Reviews::default();
    let handle = reviews.open(&file).unwrap().handle;

    let rule = r#"user.department -eq "Marketing""#;
    let proposal = propose_rule(&connection, &reviews, handle, "Sales (dynamic)", rule)
        .await
        .unwrap();
    let wanted: HashSet<String> = users
        .iter()
        .filter(|u| {
            u["department"]
                .as_str()
                .is_some_and(|d| d.eq_ignore_ascii_case("marketing"))
        })
        .map(|u| u["id"].as_str().unwrap().to_ascii_lowercase())
        .collect();
    let now = member_ids(&connection, &proposal.group_id).await;
    assert!(!now.is_empty() && !wanted.is_empty());
    assert_eq!(
        proposal.current_rule.as_deref(),
        Some(r#"user.department -eq "Sales""#)
    );
    assert_eq!(proposal.matched, wanted.len() as u64);
    assert_eq!(proposal.join, wanted.difference(&now).count() as u64);
    assert_eq!(proposal.leave, now.difference(&wanted).count() as u64);
    assert_eq!(proposal.stay, wanted.intersection(&now).count() as u64);

    apply_rule(&connection, &proposal.group_id, rule)
        .await
        .unwrap();
    assert_eq!(member_ids(&connection, &proposal.group_id).await, wanted);

    let refused = propose_rule(&connection, &reviews, handle, "Empty Group", rule)
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::Refused, "{refused}");
    let broken = propose_rule(
        &connection,
        &reviews,
        handle,
        "Sales (dynamic)",
        "user.department -eq",
    )
    .await
    .unwrap_err();
    assert_eq!(broken.code, ErrorCode::Validation);
    assert!(broken.message.contains("position 20"), "{broken}");
}
