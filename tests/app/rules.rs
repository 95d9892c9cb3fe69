//! The rule lab. Without signing in: a rule checked as typed (tokens, the problem's position),
//! tried on an open users file the test writes, with a group's members file for who would join,
//! leave or stay, its people paged and exported, and a rule reading columns the file lacks; signed
//! in to the demo tenant, a rule proposed for and saved to a dynamic group.

use std::collections::HashSet;
use std::path::Path;

use roster_desktop::ipc::{
    ErrorCode, ReviewFileRequest, RuleChangeDto, RuleCheckRequest, RuleEvaluateRequest,
    RuleExportRequest, RuleGroupApplyRequest, RuleGroupProposeRequest, RuleLinesRequest,
    RuleResultRequest, RuleTokenKindDto,
};
use roster_desktop::{AppOptions, AppState};
use roster_graph::ListQuery;

use crate::support::{demo_state, to_review, to_save};

fn offline_state() -> (AppState, tempfile::TempDir) {
    let data = tempfile::tempdir().unwrap();
    let state = AppState::new(AppOptions {
        data_dir: data.path().to_owned(),
        ..AppOptions::default()
    });
    (state, data)
}

/// Six users: u0..u5, in Sales (even) or HR (odd), u5 blocked.
fn users_file(dir: &Path) -> std::path::PathBuf {
    let mut text = String::from("id,userPrincipalName,displayName,department,accountEnabled\n");
    for i in 0..6 {
        let department = if i % 2 == 0 { "Sales" } else { "HR" };
        text.push_str(&format!(
            "u{i},user{i}@contoso.com,User {i},{department},{}\n",
            i != 4
        ));
    }
    let path = dir.join("users.csv");
    std::fs::write(&path, text).unwrap();
    path
}

async fn open(state: &AppState, path: &Path) -> u64 {
    state
        .review_open(ReviewFileRequest {
            file: to_review(state, path),
        })
        .await
        .unwrap()
        .handle
}

fn rule(users: u64, members: Option<u64>, text: &str) -> RuleEvaluateRequest {
    RuleEvaluateRequest {
        users,
        members,
        group: None,
        rule: text.to_owned(),
    }
}

#[tokio::test]
async fn a_rule_is_checked_as_typed_with_its_tokens_and_where_it_goes_wrong() {
    let (state, _data) = offline_state();
    let valid = state
        .rule_check(RuleCheckRequest {
            rule: "user.department -eq \"Sales\" -and user.accountEnabled -eq true".into(),
        })
        .await
        .unwrap();
    assert!(valid.valid && valid.error.is_none());
    let kinds: Vec<RuleTokenKindDto> = valid.tokens.iter().map(|t| t.kind).collect();
    assert_eq!(
        kinds[..4],
        [
            RuleTokenKindDto::Property,
            RuleTokenKindDto::Operator,
            RuleTokenKindDto::String,
            RuleTokenKindDto::Logical
        ]
    );
    assert_eq!((valid.tokens[0].start, valid.tokens[0].end), (0, 15));
    assert_eq!(valid.properties, ["department", "accountEnabled"]);

    let wrong = state
        .rule_check(RuleCheckRequest {
            rule: "user.department -eq Sales".into(),
        })
        .await
        .unwrap();
    let problem = wrong.error.unwrap();
    assert!(!wrong.valid);
    assert_eq!(problem.position, 21);
    assert_eq!(problem.text.code, "rule.unquotedText");
}

#[tokio::test]
async fn a_rule_tried_on_users_and_members_lists_who_joins_leaves_and_stays() {
    let (state, _data) = offline_state();
    let dir = tempfile::tempdir().unwrap();
    let users = open(&state, &users_file(dir.path())).await;
    let alone = state
        .rule_evaluate(rule(
            users,
            None,
            "user.department -eq \"Sales\" -and user.accountEnabled -eq true",
        ))
        .await
        .unwrap();
    assert_eq!((alone.counts.evaluated, alone.counts.matched), (6, 2));
    assert_eq!(alone.counts.join, None);
    assert_eq!(alone.header, ["id", "userPrincipalName", "displayName"]);

    let members_path = dir.path().join("members.csv");
    std::fs::write(
        &members_path,
        "groupId,groupName,id,displayName\ng1,Sales team,u0,User 0\ng1,Sales team,u1,User 1\ng1,Sales team,gone,Former\n",
    )
    .unwrap();
    let members = open(&state, &members_path).await;
    let outcome = state
        .rule_evaluate(rule(users, Some(members), "user.department -eq \"Sales\""))
        .await
        .unwrap();
    let counts = outcome.counts;
    assert_eq!(
        (counts.matched, counts.join, counts.leave, counts.stay),
        (3, Some(2), Some(2), Some(1))
    );
    assert_eq!(outcome.notices[0].code, "review.notice.membersNotInUsers");

    let leaving = state
        .rule_lines(RuleLinesRequest {
            id: outcome.id,
            change: Some(RuleChangeDto::Leave),
            offset: 0,
            limit: 10,
        })
        .await
        .unwrap();
    assert_eq!(leaving.total, 2);
    assert_eq!(leaving.lines[0].change, Some(RuleChangeDto::Leave));
    assert_eq!(leaving.lines[0].cells[0], "u1");

    let dest = dir.path().join("result.csv");
    let written = state
        .rule_export(RuleExportRequest {
            id: outcome.id,
            file: to_save(&state, &dest),
        })
        .await
        .unwrap();
    assert_eq!(written.rows, 5, "2 join, 1 stays, 2 leave");
    assert!(std::fs::read_to_string(&dest).unwrap().contains("u2"));

    state
        .rule_close(RuleResultRequest { id: outcome.id })
        .await
        .unwrap();
    let closed = state
        .rule_lines(RuleLinesRequest {
            id: outcome.id,
            change: None,
            offset: 0,
            limit: 1,
        })
        .await
        .unwrap_err();
    assert_eq!(closed.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn a_rule_reading_columns_the_file_lacks_names_them() {
    let (state, _data) = offline_state();
    let dir = tempfile::tempdir().unwrap();
    let users = open(&state, &users_file(dir.path())).await;
    let missing = state
        .rule_evaluate(rule(
            users,
            None,
            "user.employeeId -eq \"1\" -or user.city -eq \"Delft\"",
        ))
        .await
        .unwrap_err();
    let text = missing.text.as_deref().unwrap();
    assert_eq!(text.code, "review.error.missingProperties");
    assert_eq!(text.params["missing"], "employeeId, city");

    let invalid = state
        .rule_evaluate(rule(users, None, "user.department -eq"))
        .await
        .unwrap_err();
    assert_eq!(invalid.code, ErrorCode::Validation);
}

/// A users file of every demo user (id, user principal name, display name, department) and the
/// ids of those in `department`.
async fn demo_users_file(
    state: &AppState,
    dir: &Path,
    department: &str,
) -> (std::path::PathBuf, HashSet<String>) {
    let query = ListQuery::new()
        .select(["id", "userPrincipalName", "displayName", "department"])
        .top(999);
    let users = state
        .read_graph()
        .await
        .unwrap()
        .list_users(&query)
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    let quote = |u: &serde_json::Value, k: &str| {
        format!(
            "\"{}\"",
            u[k].as_str().unwrap_or_default().replace('"', "\"\"")
        )
    };
    let mut text = String::from("objectId,userPrincipalName,displayName,department\n");
    for u in &users {
        let cells = ["id", "userPrincipalName", "displayName", "department"].map(|k| quote(u, k));
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    let path = dir.join("demo-users.csv");
    std::fs::write(&path, text).unwrap();
    let wanted = users
        .iter()
        .filter(|u| {
            u["department"]
                .as_str()
                .is_some_and(|d| d.eq_ignore_ascii_case(department))
        })
        .map(|u| u["id"].as_str().unwrap().to_ascii_lowercase())
        .collect();
    (path, wanted)
}

async fn member_ids(state: &AppState, group: &str) -> HashSet<String> {
    let query = ListQuery::new().select(["id"]).top(999);
    state
        .read_graph()
        .await
        .unwrap()
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
async fn a_rule_is_proposed_for_a_dynamic_group_and_saved_signed_in_only() {
    let (state, _data) = demo_state().await;
    let dir = tempfile::tempdir().unwrap();
    let (file, wanted) = demo_users_file(&state, dir.path(), "Marketing").await;
    let users = open(&state, &file).await;
    let rule = r#"user.department -eq "Marketing""#;
    let propose = |group: &str| RuleGroupProposeRequest {
        users,
        group: group.to_owned(),
        rule: rule.to_owned(),
    };

    let proposal = state
        .rules_propose_group(propose(" Sales (dynamic) "))
        .await
        .unwrap();
    let now = member_ids(&state, &proposal.group_id).await;
    assert!(!now.is_empty() && !wanted.is_empty());
    assert_eq!(proposal.group_name, "Sales (dynamic)");
    assert_eq!(
        proposal.current_rule.as_deref(),
        Some(r#"user.department -eq "Sales""#)
    );
    assert_eq!(proposal.matched, wanted.len() as u64);
    assert_eq!(proposal.join, wanted.difference(&now).count() as u64);
    assert_eq!(proposal.leave, now.difference(&wanted).count() as u64);
    assert_eq!(proposal.stay, wanted.intersection(&now).count() as u64);
    assert_eq!(proposal.members_not_in_file, 0);

    state
        .rules_apply_group(RuleGroupApplyRequest {
            group_id: proposal.group_id.clone(),
            rule: rule.to_owned(),
        })
        .await
        .unwrap();
    assert_eq!(member_ids(&state, &proposal.group_id).await, wanted);

    let refused = state
        .rules_propose_group(propose("Empty Group"))
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::Forbidden, "{refused:?}");
    assert_eq!(
        refused.text.as_ref().map(|t| t.code.as_str()),
        Some("app.notDynamicGroup")
    );
    let broken = state
        .rules_apply_group(RuleGroupApplyRequest {
            group_id: proposal.group_id,
            rule: "user.department -eq".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(broken.code, ErrorCode::Validation);

    state.sign_out().await;
    let signed_out = state
        .rules_propose_group(propose("Sales (dynamic)"))
        .await
        .unwrap_err();
    assert_eq!(signed_out.code, ErrorCode::Unauthenticated);
}
