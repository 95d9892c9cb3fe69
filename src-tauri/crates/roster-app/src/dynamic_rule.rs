//! Saving a rule from the rule lab to a dynamic group: first what it would do (who joins, leaves
//! and stays, from the open users file and the group's members as Graph lists them now), then,
//! once the person confirms, `PATCH /groups/{id}` with the rule.

use crate::connection::Connection;
use crate::error::{AppError, ErrorCode};
use crate::review::{Reviews, parse_rule};
use roster_core::text::Text;
use roster_graph::ListQuery;
use roster_jobs::membership::find_group;
use serde::Serialize;
use std::collections::HashSet;

/// What saving a rule to a group would do.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleProposal {
    /// The group's object id.
    pub group_id: String,
    /// Its display name.
    pub group_name: String,
    /// The rule it has now.
    pub current_rule: Option<String>,
    /// Users of the file the new rule matches.
    pub matched: u64,
    /// Matched and not a member now: would join.
    pub join: u64,
    /// A member now and not matched: would leave (members missing from the users file included).
    pub leave: u64,
    /// A member now and matched.
    pub stay: u64,
    /// Members now that the users file does not list.
    pub members_not_in_file: u64,
}

/// Reads group `group` (id or name), checks that it is dynamic, lists its members and compares them
/// with the users of open file `users` that `rule` matches. Nothing changes.
pub async fn propose_rule(
    connection: &Connection,
    reviews: &Reviews,
    users: u64,
    group: &str,
    rule: &str,
) -> Result<RuleProposal, AppError> {
    let parsed = parse_rule(rule)?;
    let graph = connection.read_graph();
    let target = find_group(&graph, group).await?;
    if !target.dynamic {
        return Err(AppError::coded(
            ErrorCode::Refused,
            Text::new(
                "app.notDynamicGroup",
                format!(
                    "{} has assigned members, not a membership rule: choose a dynamic group.",
                    target.display_name
                ),
            )
            .with("group", &target.display_name),
        ));
    }
    let details = graph.get_group(&target.id, &["membershipRule"]).await?;
    let current_rule = details
        .get("membershipRule")
        .and_then(|v| v.as_str())
        .map(str::to_owned);
    let query = ListQuery::new().select(["id"]).top(999);
    let members: HashSet<String> = graph
        .list_members(&target.id, &query, false)?
        .collect_all()
        .await?
        .iter()
        .filter_map(|m| m.get("id").and_then(|v| v.as_str()))
        .map(str::to_ascii_lowercase)
        .collect();
    let matched = reviews.matching_ids(users, &parsed)?;
    let in_file = reviews.all_ids(users)?;
    let join = matched.iter().filter(|id| !members.contains(*id)).count() as u64;
    let stay = matched.len() as u64 - join;
    let leave = members.iter().filter(|id| !matched.contains(*id)).count() as u64;
    let members_not_in_file = members.iter().filter(|id| !in_file.contains(*id)).count() as u64;
    Ok(RuleProposal {
        group_id: target.id,
        group_name: target.display_name,
        current_rule,
        matched: matched.len() as u64,
        join,
        leave,
        stay,
        members_not_in_file,
    })
}

/// Saves `rule` as group `group_id`'s membership rule (the group must be dynamic; the account
/// needs Group.ReadWrite.All and to be an administrator or the group's owner).
pub async fn apply_rule(
    connection: &Connection,
    group_id: &str,
    rule: &str,
) -> Result<(), AppError> {
    parse_rule(rule)?;
    let graph = connection.group_write_graph().await?;
    graph.set_membership_rule(group_id, rule).await?;
    Ok(())
}
