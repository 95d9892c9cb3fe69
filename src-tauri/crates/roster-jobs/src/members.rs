//! Download the members (or the owners) of many groups into one CSV, with group id and name on
//! every row.
//!
//! Order is deterministic, so re-runs and resumed runs write identical files: groups in the
//! order they were given (names expanded in Graph order; owned or filtered groups in Graph
//! order), members in Graph order.
//!
//! Direct members and owners: read by the batched walk of [`crate::related`].
//!
//! Transitive members: Roster walks the nesting itself through `/members` of each nested group
//! (breadth first, nested groups in the order Graph lists them) instead of reading
//! `/transitiveMembers`, because only the walk knows *how* a member is reached: the
//! `nestingPath` column names the groups from the listed group down to the member's direct
//! parent (`All staff > Sales > Sales EMEA`). Nested groups appear as rows too, as in
//! `/transitiveMembers`. A member reached through two different nested groups gets one row per
//! path; a group that contains itself (directly or further down) is not walked again.

use crate::JobError;
use crate::context::JobContext;
use crate::related::{Position, Relation, Subject, Walk, subject_level};
use crate::sink::Sink;
use crate::users::batch_parallel;
use crate::work::Finished;
use roster_core::columns::{Column, ColumnError, MemberType, parse_member_columns, plan_select};
use roster_core::job::{CsvOutput, DownloadMembers, GroupSelection, odata_string};
use roster_core::text::Text;
use roster_graph::query::encode_segment;
use roster_graph::{BatchRequest, ListQuery, Method, Resource};
use roster_store::Store;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A group to read `/members` of, in a transitive walk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Unit {
    pub(crate) id: String,
    /// Group names from the listed group down to this one.
    pub(crate) path: Vec<String>,
    /// Their ids (cycle guard).
    pub(crate) chain: Vec<String>,
}

fn groups_key(id: roster_core::job::JobId) -> String {
    format!("jobs.{id}.groups")
}

/// Removes what a members or owners job keeps besides its row (the resolved group list).
pub(crate) fn forget(store: &Store, id: roster_core::job::JobId) -> Result<(), JobError> {
    store.remove_setting(&groups_key(id))?;
    Ok(())
}

/// The member columns the spec asks for (see [`parse_member_columns`]).
pub(crate) fn columns(spec: &DownloadMembers) -> Result<Vec<Column>, ColumnError> {
    parse_member_columns(spec.columns.as_deref(), spec.transitive)
}

pub(crate) async fn run(ctx: &JobContext, spec: &DownloadMembers) -> Result<Finished, JobError> {
    let columns = columns(spec)?;
    let relation = Relation::Members;
    let groups = GroupsRead {
        selection: &spec.groups,
        output: &spec.output,
        columns: &columns,
        top: 999,
    };
    read_groups(ctx, groups, relation, spec.transitive).await
}

/// What a download of a relationship of many groups reads and writes.
pub(crate) struct GroupsRead<'a> {
    pub(crate) selection: &'a GroupSelection,
    pub(crate) output: &'a CsvOutput,
    pub(crate) columns: &'a [Column],
    /// The largest page to ask for.
    pub(crate) top: u32,
}

/// Reads `relation` (members or owners) of the selected groups into one CSV; `transitive` walks
/// nested groups' members.
pub(crate) async fn read_groups(
    ctx: &JobContext,
    read: GroupsRead<'_>,
    relation: Relation,
    transitive: bool,
) -> Result<Finished, JobError> {
    let header: Vec<String> = read.columns.iter().map(|c| c.header.to_string()).collect();
    let mut select = plan_select(read.columns).select;
    if !select.contains(&"displayName") {
        select.push("displayName");
    }
    let query = ListQuery::new()
        .select(select.iter().copied())
        .top(ctx.top(read.top));
    let checkpoint = ctx.checkpoint(read.output).await?;
    let (mut sink, position) = Sink::open::<Position>(ctx, read.output, &header, checkpoint)?;
    let key = groups_key(ctx.id);
    let stored: Option<String> = {
        let key = key.clone();
        ctx.store(move |s| s.setting(&key)).await?
    };
    let groups: Vec<Subject> = match (
        stored.and_then(|t| serde_json::from_str(&t).ok()),
        &position,
    ) {
        (Some(groups), Some(_)) => groups,
        _ => {
            let groups = resolve(ctx, read.selection, &mut sink).await?;
            let text = serde_json::to_string(&groups).map_err(|e| {
                JobError::Internal(format!("could not encode the group list ({e})"))
            })?;
            ctx.store(move |s| s.set_setting(&key, &text)).await?;
            sink.commit(ctx, &Position::default()).await?;
            groups
        }
    };
    let position = position.unwrap_or_default();
    let walk = Walk::new(ctx, read.columns, &query, &groups, relation);
    if transitive {
        nested(&walk, &mut sink, position).await?;
    } else {
        walk.run(&mut sink, position).await?;
    }
    sink.finish(ctx)
}

/// Resolves the spec's group selection to a list of groups, in order, without duplicates.
async fn resolve(
    ctx: &JobContext,
    selection: &GroupSelection,
    sink: &mut Sink,
) -> Result<Vec<Subject>, JobError> {
    let list_query = ListQuery::new().select(["id", "displayName"]).top(999);
    let objects: Vec<Value> = match selection {
        GroupSelection::Owned => {
            ctx.or_cancel(ctx.client.owned_groups(&list_query)?.collect_all())
                .await??
        }
        GroupSelection::Filter { filter } => {
            let mut q = list_query.clone();
            if let Some(f) = filter.odata_filter() {
                q = q.filter(f);
            }
            ctx.or_cancel(ctx.client.list_groups(&q)?.collect_all())
                .await??
        }
        GroupSelection::Groups { groups } => {
            let wanted: Vec<&str> = groups
                .iter()
                .map(|g| g.trim())
                .filter(|g| !g.is_empty())
                .collect();
            if wanted.is_empty() {
                return Err(JobError::Input(
                    "no group given: name at least one group id or display name".into(),
                ));
            }
            let requests: Vec<BatchRequest> = wanted
                .iter()
                .enumerate()
                .map(|(i, g)| {
                    if is_guid(g) {
                        BatchRequest::new(
                            i.to_string(),
                            Method::GET,
                            format!("/groups/{}?$select=id,displayName", encode_segment(g)),
                        )
                    } else {
                        let q = list_query
                            .clone()
                            .filter(format!("displayName eq {}", odata_string(g)));
                        BatchRequest::list(i.to_string(), "/groups", &q, Resource::Groups)
                    }
                })
                .collect();
            let responses = ctx
                .or_cancel(batch_parallel(ctx, requests.clone()))
                .await??;
            let mut objects = Vec::new();
            for ((wanted, request), response) in wanted.iter().zip(&requests).zip(responses) {
                if let Some(error) = response.error(request) {
                    if !error.kind().is_per_item() {
                        return Err(error.into());
                    }
                    sink.warn(format!("no group with id '{wanted}'"));
                    continue;
                }
                let body = response.body.unwrap_or(Value::Null);
                match body.get("value").and_then(Value::as_array) {
                    Some(found) if found.is_empty() => {
                        sink.warn(format!("no group named '{wanted}'"))
                    }
                    Some(found) => objects.extend(found.iter().cloned()),
                    None => objects.push(body),
                }
            }
            objects
        }
    };
    let mut out: Vec<Subject> = Vec::with_capacity(objects.len());
    for o in objects {
        let id = o
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if id.is_empty() || out.iter().any(|g| g.id == id) {
            continue;
        }
        let name = o
            .get("displayName")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        out.push(Subject { id, name });
    }
    if out.is_empty() && sink.total().is_none() {
        ctx.notice(Text::new(
            "download.notice.noGroupMatched",
            "no group matched: the file will hold only the header",
        ));
    }
    Ok(out)
}

fn is_guid(text: &str) -> bool {
    text.len() == 36
        && text.char_indices().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

/// Walks the nested groups of every listed group through `/members`, breadth first.
async fn nested(walk: &Walk<'_>, sink: &mut Sink, position: Position) -> Result<(), JobError> {
    let Position {
        mut index,
        mut next,
        mut queue,
    } = position;
    while index < walk.subjects.len() {
        let top = &walk.subjects[index];
        if queue.is_empty() {
            queue.push_back(Unit {
                id: top.id.clone(),
                path: vec![top.name.clone()],
                chain: vec![top.id.clone()],
            });
            next = None;
        }
        while let Some(unit) = queue.front().cloned() {
            let mut pager = match next.take() {
                Some(c) => walk.ctx.client.resume(&walk.ctx.rebase(c)),
                None => walk.ctx.client.list_members(&unit.id, walk.query, false)?,
            };
            let path = unit.path.join(" > ");
            loop {
                walk.ctx.next_step(sink).await?;
                let page = match walk.ctx.or_cancel(pager.next_page()).await? {
                    None => None,
                    Some(Ok(page)) => Some(page),
                    Some(Err(e)) if subject_level(&e) => {
                        sink.warn(format!("group '{path}' ({}): {}", unit.id, e.message));
                        None
                    }
                    Some(Err(e)) => return Err(e.into()),
                };
                let cont = match &page {
                    Some(page) => {
                        walk.write(sink, top, &page.items, Some(&path), None)?;
                        for member in &page.items {
                            if MemberType::of_object(member) != MemberType::Group {
                                continue;
                            }
                            let id = member.get("id").and_then(Value::as_str).unwrap_or_default();
                            if id.is_empty() || unit.chain.iter().any(|c| c == id) {
                                continue;
                            }
                            let name = member
                                .get("displayName")
                                .and_then(Value::as_str)
                                .unwrap_or(id);
                            let mut child = unit.clone();
                            child.id = id.to_owned();
                            child.path.push(name.to_owned());
                            child.chain.push(id.to_owned());
                            queue.push_back(child);
                        }
                        pager.continuation()
                    }
                    None => None,
                };
                if cont.is_none() {
                    queue.pop_front();
                }
                let position = if cont.is_none() && queue.is_empty() {
                    Position {
                        index: index + 1,
                        ..Position::default()
                    }
                } else {
                    Position {
                        index,
                        next: cont.clone(),
                        queue: queue.clone(),
                    }
                };
                sink.commit(walk.ctx, &position).await?;
                if cont.is_none() {
                    break;
                }
            }
        }
        index += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use roster_core::job::CsvOutput;

    fn spec(columns: Option<&str>, transitive: bool) -> DownloadMembers {
        DownloadMembers {
            groups: GroupSelection::Owned,
            transitive,
            columns: columns.map(str::to_owned),
            output: CsvOutput::new("m.csv"),
        }
    }

    #[test]
    fn member_columns_can_be_narrowed() {
        let headers = |c: Vec<Column>| c.iter().map(|c| c.header.to_string()).collect::<Vec<_>>();
        assert_eq!(headers(columns(&spec(None, false)).unwrap()).len(), 7);
        assert_eq!(headers(columns(&spec(Some("all"), true)).unwrap()).len(), 8);
        assert_eq!(
            headers(columns(&spec(Some("groupName, ID,id,jobTitle"), false)).unwrap()),
            ["groupName", "id", "jobTitle"]
        );
        let err = columns(&spec(Some("groupName,mial"), false)).unwrap_err();
        assert!(err.to_string().contains("mial"), "{err}");
    }

    #[test]
    fn guids_are_told_from_names() {
        assert!(is_guid("0b1f3c2a-1234-4abc-8def-0123456789ab"));
        assert!(!is_guid("Sales EMEA"));
        assert!(!is_guid("0b1f3c2a-1234-4abc-8def-0123456789aZ"));
    }
}
