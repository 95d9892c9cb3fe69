//! Download the members of many groups into one CSV, with group id and name on every row.
//!
//! Order is deterministic, so re-runs and resumed runs write identical files: groups in the
//! order they were given (names expanded in Graph order; owned or filtered groups in Graph
//! order), members in Graph order.
//!
//! Direct members: the first pages of 20 groups come in one `$batch` call (most groups fit in
//! one page of 999), with the next `group_lookahead` batches fetched while the current one is
//! written; a group with more pages continues through the pipelined pager.
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
use crate::sink::Sink;
use crate::users::{batch_parallel, page_error};
use crate::work::Finished;
use roster_core::columns::{
    Column, ColumnError, MemberType, PageReader, RowContext, parse_member_columns, plan_select,
    render_row,
};
use roster_core::job::{DownloadMembers, GroupSelection, odata_string};
use roster_core::text::Text;
use roster_graph::query::encode_segment;
use roster_graph::{
    BatchRequest, BatchResponse, Continuation, ErrorKind, GraphError, ListQuery, Method, Page,
    Pager, Resource,
};
use roster_store::Store;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;
use std::collections::VecDeque;

/// A group whose members are listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct GroupRef {
    id: String,
    name: String,
}

/// A group to read `/members` of, in a transitive walk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Unit {
    id: String,
    /// Group names from the listed group down to this one.
    path: Vec<String>,
    /// Their ids (cycle guard).
    chain: Vec<String>,
}

/// Where a members download is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Position {
    /// Index of the listed group being read.
    index: usize,
    /// Continuation inside the group (or the queue's first unit) being read.
    next: Option<Continuation>,
    /// Transitive walk: units still to read for the current group, the one being read first.
    #[serde(default)]
    queue: VecDeque<Unit>,
}

const MEMBER_SCOPES: &[&str] = &["GroupMember.Read.All"];

fn groups_key(id: roster_core::job::JobId) -> String {
    format!("jobs.{id}.groups")
}

/// Removes what a members job keeps besides its row (the resolved group list).
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
    let header: Vec<String> = columns.iter().map(|c| c.header.to_string()).collect();
    let mut select = plan_select(&columns).select;
    if !select.contains(&"displayName") {
        select.push("displayName");
    }
    let query = ListQuery::new()
        .select(select.iter().copied())
        .top(ctx.top(999));
    let checkpoint = ctx.checkpoint(&spec.output).await?;
    let (mut sink, position) = Sink::open::<Position>(ctx, &spec.output, &header, checkpoint)?;
    let key = groups_key(ctx.id);
    let stored: Option<String> = {
        let key = key.clone();
        ctx.store(move |s| s.setting(&key)).await?
    };
    let groups: Vec<GroupRef> = match (
        stored.and_then(|t| serde_json::from_str(&t).ok()),
        &position,
    ) {
        (Some(groups), Some(_)) => groups,
        _ => {
            let groups = resolve(ctx, spec, &mut sink).await?;
            let text = serde_json::to_string(&groups).map_err(|e| {
                JobError::Internal(format!("could not encode the group list ({e})"))
            })?;
            ctx.store(move |s| s.set_setting(&key, &text)).await?;
            sink.commit(ctx, &Position::default()).await?;
            groups
        }
    };
    let position = position.unwrap_or_default();
    let job = Walk {
        ctx,
        columns: &columns,
        query: &query,
        groups: &groups,
        reader: PageReader::new(&columns),
    };
    if spec.transitive {
        job.transitive(&mut sink, position).await?;
    } else {
        job.direct(&mut sink, position).await?;
    }
    sink.finish(ctx)
}

/// Resolves the spec's group selection to a list of groups, in order, without duplicates.
async fn resolve(
    ctx: &JobContext,
    spec: &DownloadMembers,
    sink: &mut Sink,
) -> Result<Vec<GroupRef>, JobError> {
    let list_query = ListQuery::new().select(["id", "displayName"]).top(999);
    let objects: Vec<Value> = match &spec.groups {
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
    let mut out: Vec<GroupRef> = Vec::with_capacity(objects.len());
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
        out.push(GroupRef { id, name });
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

/// Whether a failure concerns only one group (gone, hidden, refused), so the job goes on.
fn group_level(error: &GraphError) -> bool {
    error.kind().is_per_item()
        || matches!(
            error.kind(),
            ErrorKind::Permission | ErrorKind::UnsupportedQuery
        )
}

struct Walk<'a> {
    ctx: &'a JobContext,
    columns: &'a [Column],
    query: &'a ListQuery,
    groups: &'a [GroupRef],
    /// Renders pages straight from their bodies, when the columns allow it.
    reader: Option<PageReader>,
}

/// Aborts a spawned fetch when the job stops.
/// First pages come with their bodies as JSON text: read straight into cells by the
/// [`PageReader`], or parsed into a tree only when the columns need one.
struct Ahead(tokio::task::JoinHandle<Result<Vec<BatchResponse<Box<RawValue>>>, GraphError>>);

impl Drop for Ahead {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl Walk<'_> {
    fn continuation(link: String) -> Continuation {
        Continuation {
            next_link: link,
            advanced: false,
            scopes: MEMBER_SCOPES.iter().map(|s| (*s).to_owned()).collect(),
            count: None,
        }
    }

    fn write(
        &self,
        sink: &mut Sink,
        group: &GroupRef,
        members: &[Value],
        path: Option<&str>,
    ) -> Result<(), JobError> {
        let row = RowContext {
            group_id: Some(&group.id),
            group_name: Some(&group.name),
            nesting_path: path,
            ..RowContext::default()
        };
        for member in members {
            sink.row(render_row(self.columns, member, &row))?;
        }
        Ok(())
    }

    fn first_pages(&self, start: usize) -> Ahead {
        let end = (start + roster_graph::MAX_BATCH).min(self.groups.len());
        let requests: Vec<BatchRequest> = self.groups[start..end]
            .iter()
            .enumerate()
            .map(|(i, g)| {
                BatchRequest::list(
                    i.to_string(),
                    &format!("/groups/{}/members", encode_segment(&g.id)),
                    self.query,
                    Resource::Members,
                )
            })
            .collect();
        let client = self.ctx.client.clone();
        Ahead(tokio::spawn(
            async move { client.batch_raw(requests).await },
        ))
    }

    /// Reads the rest of group `index` from `pager`, a checkpoint per page.
    async fn rest_of_group(
        &self,
        sink: &mut Sink,
        index: usize,
        mut pager: Pager<Value>,
    ) -> Result<(), JobError> {
        let group = &self.groups[index];
        loop {
            self.ctx.next_step(sink).await?;
            let page = if let Some(reader) = &self.reader {
                match self.ctx.or_cancel(pager.next_raw_page()).await? {
                    None => None,
                    Some(Ok(raw)) => {
                        let row = RowContext {
                            group_id: Some(&group.id),
                            group_name: Some(&group.name),
                            ..RowContext::default()
                        };
                        reader
                            .read_page(&raw.body, &row, |cells| sink.row(cells.iter()))
                            .map_err(|e| page_error(e, "members"))?;
                        Some(Ok(Page {
                            items: Vec::new(),
                            next_link: raw.next_link,
                            count: raw.count,
                        }))
                    }
                    Some(Err(e)) => Some(Err(e)),
                }
            } else {
                self.ctx.or_cancel(pager.next_page()).await?
            };
            let Some(page) = page else {
                return Ok(());
            };
            let page = match page {
                Ok(page) => page,
                Err(e) if group_level(&e) => {
                    sink.warn(format!(
                        "group '{}' ({}): {}",
                        group.name, group.id, e.message
                    ));
                    sink.commit(
                        self.ctx,
                        &Position {
                            index: index + 1,
                            ..Position::default()
                        },
                    )
                    .await?;
                    return Ok(());
                }
                Err(e) => return Err(e.into()),
            };
            self.write(sink, group, &page.items, None)?;
            let position = match pager.continuation() {
                Some(next) => Position {
                    index,
                    next: Some(next),
                    queue: VecDeque::new(),
                },
                None => Position {
                    index: index + 1,
                    ..Position::default()
                },
            };
            sink.commit(self.ctx, &position).await?;
        }
    }

    /// Writes the rows of a group's first page (a `$batch` item's body) and returns its
    /// `@odata.nextLink`.
    fn first_page(
        &self,
        sink: &mut Sink,
        group: &GroupRef,
        body: Option<&RawValue>,
    ) -> Result<Option<String>, JobError> {
        let Some(body) = body else {
            return Ok(None);
        };
        if let Some(reader) = &self.reader {
            let row = RowContext {
                group_id: Some(&group.id),
                group_name: Some(&group.name),
                ..RowContext::default()
            };
            let read = reader
                .read_collection(body.get().as_bytes(), &row, |cells| sink.row(cells.iter()))
                .map_err(|e| page_error(e, "members"))?;
            return Ok(read.next_link);
        }
        let body: Value = serde_json::from_str(body.get())
            .map_err(|e| JobError::Internal(format!("a member page is not JSON ({e})")))?;
        let members = body
            .get("value")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        self.write(sink, group, members, None)?;
        Ok(body
            .get("@odata.nextLink")
            .and_then(Value::as_str)
            .map(str::to_owned))
    }

    async fn direct(&self, sink: &mut Sink, position: Position) -> Result<(), JobError> {
        let mut index = position.index;
        if let Some(next) = position.next
            && index < self.groups.len()
        {
            let pager = self.ctx.client.resume(&self.ctx.rebase(next));
            self.rest_of_group(sink, index, pager).await?;
            index += 1;
        }
        let starts: Vec<usize> = (index..self.groups.len())
            .step_by(roster_graph::MAX_BATCH)
            .collect();
        let mut ahead: VecDeque<(usize, Ahead)> = VecDeque::new();
        let mut to_fetch = starts.iter().copied();
        for start in to_fetch.by_ref().take(self.ctx.group_lookahead) {
            ahead.push_back((start, self.first_pages(start)));
        }
        while let Some((start, mut fetch)) = ahead.pop_front() {
            self.ctx.next_step(sink).await?;
            let responses = self
                .ctx
                .or_cancel(&mut fetch.0)
                .await?
                .map_err(|e| JobError::Internal(format!("a member batch stopped ({e})")))??;
            if let Some(next_start) = to_fetch.next() {
                ahead.push_back((next_start, self.first_pages(next_start)));
            }
            let end = (start + roster_graph::MAX_BATCH).min(self.groups.len());
            for (offset, response) in responses.into_iter().enumerate() {
                let gi = start + offset;
                let group = &self.groups[gi];
                let request = BatchRequest::new(
                    offset.to_string(),
                    Method::GET,
                    format!("/groups/{}/members", group.id),
                );
                if let Some(error) = response.error(&request) {
                    if !group_level(&error) {
                        return Err(error.into());
                    }
                    sink.warn(format!(
                        "group '{}' ({}): {}",
                        group.name, group.id, error.message
                    ));
                    continue;
                }
                let next_link = self.first_page(sink, group, response.body.as_deref())?;
                if let Some(link) = next_link {
                    let next = Self::continuation(link);
                    sink.commit(
                        self.ctx,
                        &Position {
                            index: gi,
                            next: Some(next.clone()),
                            queue: VecDeque::new(),
                        },
                    )
                    .await?;
                    let pager = self.ctx.client.resume(&self.ctx.rebase(next));
                    self.rest_of_group(sink, gi, pager).await?;
                }
            }
            sink.commit(
                self.ctx,
                &Position {
                    index: end,
                    ..Position::default()
                },
            )
            .await?;
        }
        Ok(())
    }

    async fn transitive(&self, sink: &mut Sink, position: Position) -> Result<(), JobError> {
        let Position {
            mut index,
            mut next,
            mut queue,
        } = position;
        while index < self.groups.len() {
            let top = &self.groups[index];
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
                    Some(c) => self.ctx.client.resume(&self.ctx.rebase(c)),
                    None => self.ctx.client.list_members(&unit.id, self.query, false)?,
                };
                let path = unit.path.join(" > ");
                loop {
                    self.ctx.next_step(sink).await?;
                    let page = match self.ctx.or_cancel(pager.next_page()).await? {
                        None => None,
                        Some(Ok(page)) => Some(page),
                        Some(Err(e)) if group_level(&e) => {
                            sink.warn(format!("group '{path}' ({}): {}", unit.id, e.message));
                            None
                        }
                        Some(Err(e)) => return Err(e.into()),
                    };
                    let cont = match &page {
                        Some(page) => {
                            self.write(sink, top, &page.items, Some(&path))?;
                            for member in &page.items {
                                if MemberType::of_object(member) != MemberType::Group {
                                    continue;
                                }
                                let id =
                                    member.get("id").and_then(Value::as_str).unwrap_or_default();
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
                    sink.commit(self.ctx, &position).await?;
                    if cont.is_none() {
                        break;
                    }
                }
            }
            index += 1;
        }
        Ok(())
    }
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

    #[test]
    fn positions_round_trip() {
        let p = Position {
            index: 3,
            next: Some(Walk::continuation(
                "http://h/v1.0/groups/g/members?$skiptoken=x".into(),
            )),
            queue: VecDeque::from([Unit {
                id: "g".into(),
                path: vec!["A".into()],
                chain: vec!["g".into()],
            }]),
        };
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(serde_json::from_value::<Position>(v).unwrap(), p);
    }
}
