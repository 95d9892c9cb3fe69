//! The group page: a group's details and its members, direct or transitive (with the nesting path
//! each transitive member is reached through).

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

use roster_graph::query::encode_segment;
use roster_graph::{GraphClient, ListQuery};
use roster_jobs::membership::TargetGroup;
use serde_json::Value;

use super::AppState;
use super::directory::{ListingKind, NestingPaths, PAGE_SIZE};
use crate::ipc::{
    AppError, GROUP_PROPERTIES, GroupDetails, GroupDto, GroupMembersRequest, GroupRequest,
    ListingRequest, MEMBER_PROPERTIES, MemberDto, MembersPage,
};

/// The most member objects read to map the nesting of a group; beyond it paths are not shown.
pub const NESTING_BUDGET: usize = 100_000;

impl AppState {
    /// The group page's header: the group classified, its owner and member counts, and why its
    /// members cannot be changed here (when that is known from the group alone).
    pub async fn group(&self, request: GroupRequest) -> Result<GroupDetails, AppError> {
        let graph = self.read_graph().await?;
        let value = graph.get_group(&request.id, GROUP_PROPERTIES).await?;
        let path = format!("/groups/{}", encode_segment(&request.id));
        let members_count = graph
            .count(&format!("{path}/members"), &ListQuery::new())
            .await?;
        let owners_count = graph
            .count(&format!("{path}/owners"), &ListQuery::new())
            .await?;
        let target = TargetGroup::from_json(&value);
        Ok(GroupDetails {
            group: GroupDto::from_graph(&value),
            owners_count,
            members_count,
            refusal: target.refusal(),
            notice: target.notice(),
        })
    }

    /// The first page of a group's members; transitive members carry the nested groups they come
    /// through.
    pub async fn group_members(
        &self,
        request: GroupMembersRequest,
    ) -> Result<MembersPage, AppError> {
        let graph = self.read_graph().await?;
        let query = ListQuery::new()
            .select(MEMBER_PROPERTIES.iter().copied())
            .top(PAGE_SIZE)
            .count();
        let paths = if request.transitive {
            nesting_paths(&graph, &request.group_id).await?
        } else {
            None
        };
        let pager = graph
            .list_members(&request.group_id, &query, request.transitive)?
            .pipelining(false);
        let (items, listing, total) = self
            .read_page(pager, ListingKind::Members, paths.clone(), None)
            .await?;
        Ok(MembersPage {
            listing,
            items: members(&items, paths.as_ref()),
            total,
        })
    }

    /// The next page of a group's members.
    pub async fn group_members_more(
        &self,
        request: ListingRequest,
    ) -> Result<MembersPage, AppError> {
        let ((items, listing, total), paths) =
            self.next_page_of(&request, ListingKind::Members).await?;
        Ok(MembersPage {
            listing,
            items: members(&items, paths.as_ref()),
            total,
        })
    }
}

/// Member rows, each with its nesting path when the listing has them (transitive listings whose
/// nesting was mapped).
fn members(items: &[Value], paths: Option<&NestingPaths>) -> Vec<MemberDto> {
    items
        .iter()
        .map(|item| {
            let mut member = MemberDto::from_graph(item);
            member.path = paths.map(|p| p.get(&member.id).cloned().unwrap_or_default());
            member
        })
        .collect()
}

/// Maps every member of `group_id`'s nesting tree to the nested groups it is first reached through
/// (breadth first, so a direct member has an empty path). `None` when the tree holds more than
/// [`NESTING_BUDGET`] members: the table then shows members without paths.
async fn nesting_paths(
    graph: &GraphClient,
    group_id: &str,
) -> Result<Option<NestingPaths>, AppError> {
    let query = ListQuery::new()
        .select(["id", "displayName"])
        .top(PAGE_SIZE);
    let mut paths: HashMap<String, Vec<String>> = HashMap::new();
    let mut visited: HashSet<String> = HashSet::from([group_id.to_ascii_lowercase()]);
    let mut queue: VecDeque<(String, Vec<String>)> =
        VecDeque::from([(group_id.to_owned(), Vec::new())]);
    let mut read = 0usize;
    while let Some((group, path)) = queue.pop_front() {
        let mut pager = graph.list_members(&group, &query, false)?;
        while let Some(page) = pager.next_page().await {
            for member in page?.items {
                read += 1;
                if read > NESTING_BUDGET {
                    return Ok(None);
                }
                let Some(id) = member.get("id").and_then(Value::as_str) else {
                    continue;
                };
                paths.entry(id.to_owned()).or_insert_with(|| path.clone());
                let is_group = member.get("@odata.type").and_then(Value::as_str)
                    == Some("#microsoft.graph.group");
                if is_group && visited.insert(id.to_ascii_lowercase()) {
                    let name = member
                        .get("displayName")
                        .and_then(Value::as_str)
                        .unwrap_or(id)
                        .to_owned();
                    let mut nested = path.clone();
                    nested.push(name);
                    queue.push_back((id.to_owned(), nested));
                }
            }
        }
    }
    Ok(Some(Arc::new(paths)))
}
