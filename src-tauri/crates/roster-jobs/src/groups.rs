//! Download groups: `GET /groups` page by page, with the optional member count (one
//! `$count=true` request per group, 20 per `$batch`) and owner count (one `/owners` request per
//! group, 20 per `$batch`, shared by `ownerCount` and `hasNoOwner`). A large download without
//! those columns is read as `displayName` slices at once (see `slices` and `sliced`).

use crate::JobError;
use crate::context::JobContext;
use crate::owners::OWNERS_PAGE;
use crate::related::Relation;
use crate::sink::Sink;
use crate::sliced::{self, SliceRows, SliceState, SlicedDownload};
use crate::slices::{GROUPS, KeyRange};
use crate::users::{batch_parallel, page_error};
use crate::work::Finished;
use roster_core::columns::{
    Column, ColumnSource, Computed, PageError, RowContext, parse_group_columns, plan_select,
    render_row,
};
use roster_core::job::DownloadGroups;
use roster_core::text::Text;
use roster_csv::CsvWriter;
use roster_graph::{BatchRequest, Continuation, ListQuery, Resource};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Where a groups download is: `next` is `None` once the last page was written; `slices` while
/// it reads `displayName` slices at once (absent from jobs stored before slicing).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Position {
    next: Option<Continuation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    slices: Option<Vec<SliceState>>,
}

pub(crate) async fn run(ctx: &JobContext, spec: &DownloadGroups) -> Result<Finished, JobError> {
    let columns = parse_group_columns(&spec.columns)?;
    let plan = plan_select(&columns);
    let wants_count = columns
        .iter()
        .any(|c| c.source == ColumnSource::Computed(Computed::MemberCount));
    let wants_owners = columns.iter().any(|c| {
        matches!(
            c.source,
            ColumnSource::Computed(Computed::OwnerCount | Computed::HasNoOwner)
        )
    });
    let header: Vec<String> = columns.iter().map(|c| c.header.to_string()).collect();
    let checkpoint = ctx.checkpoint(&spec.output).await?;
    let (mut sink, position) = Sink::open::<Position>(ctx, &spec.output, &header, checkpoint)?;
    let mut query = ListQuery::new()
        .select(plan.select.iter().copied())
        .top(ctx.top(plan.max_page_size));
    if let Some(filter) = spec.filter.odata_filter() {
        query = query.filter(filter);
    }
    // Read in slices at once: plain listings only. memberCount, ownerCount and hasNoOwner send
    // one request per group (20 per $batch); those requests, not the chain of pages, bound such a
    // download, as the authentication-method columns bound a users download: one chain.
    if !wants_count && !wants_owners {
        let query = with_display_name(&query);
        let slices = match &position {
            Some(Position {
                slices: Some(slices),
                ..
            }) => Some(slices.clone()),
            None => sliced::plan(ctx, &GROUPS, &query, spec.parallel, &mut sink).await?,
            Some(_) => None,
        };
        if let Some(slices) = slices {
            let download = SlicedDownload {
                what: &GROUPS,
                rows: &GroupRows { columns: &columns },
                query: &query,
                output: &spec.output,
                parallel: spec.parallel,
            };
            let position = |slices| Position {
                next: None,
                slices: Some(slices),
            };
            return sliced::run(ctx, download, slices, position, sink).await;
        }
    }
    let mut pager = match position {
        Some(Position { next: Some(c), .. }) => ctx.client.resume(&ctx.rebase(c)),
        Some(Position { next: None, .. }) => return sink.finish(ctx),
        None => {
            if sink.total().is_none()
                && let Ok(Ok(n)) = ctx.or_cancel(ctx.client.count("/groups", &query)).await
            {
                sink.set_total(Some(n));
            }
            announce_costs(ctx, &sink, wants_count, wants_owners);
            ctx.client.list_groups(&query)?
        }
    };
    loop {
        ctx.next_step(&mut sink).await?;
        let Some(page) = ctx.or_cancel(pager.next_page()).await? else {
            break;
        };
        let page = page?;
        sink.set_total(page.count);
        let counts = if wants_count {
            member_counts(ctx, &page.items, &mut sink).await?
        } else {
            Vec::new()
        };
        let owners = if wants_owners {
            owner_counts(ctx, &page.items, &mut sink).await?
        } else {
            Vec::new()
        };
        for (i, group) in page.items.iter().enumerate() {
            let row = RowContext {
                member_count: counts.get(i).copied().flatten(),
                owner_count: owners.get(i).copied().flatten(),
                ..RowContext::default()
            };
            sink.row(render_row(&columns, group, &row))?;
        }
        let next = pager.continuation();
        sink.commit(ctx, &Position { next, slices: None }).await?;
    }
    sink.finish(ctx)
}

/// `query` also selecting `displayName`, which a slice's rows are told apart by
/// ([`KeyRange::shares_lower_bound`]) whether or not it is a column.
fn with_display_name(query: &ListQuery) -> ListQuery {
    let mut query = query.clone();
    if !query.select.iter().any(|p| p == GROUPS.property) {
        query.select.push(GROUPS.property.to_owned());
    }
    query
}

/// Says what the per-group columns cost, before the first page.
fn announce_costs(ctx: &JobContext, sink: &Sink, wants_count: bool, wants_owners: bool) {
    let requests = sink.total().unwrap_or_default();
    if wants_count {
        ctx.notice(
            Text::new(
                "download.notice.memberCountCost",
                format!(
                    "memberCount costs one extra request per group ({requests} requests), sent 20 per $batch"
                ),
            )
            .with("requests", requests),
        );
    }
    if wants_owners {
        ctx.notice(
            Text::new(
                "download.notice.ownerCountCost",
                format!(
                    "ownerCount and hasNoOwner cost one extra request per group ({requests} requests), sent 20 per $batch"
                ),
            )
            .with("requests", requests),
        );
    }
}

/// A groups download's rows from the pages of a `displayName` slice.
struct GroupRows<'a> {
    columns: &'a [Column],
}

/// The items of a page of groups.
#[derive(Deserialize)]
struct GroupPage {
    value: Vec<Value>,
}

impl SliceRows for GroupRows<'_> {
    /// Every group of the page but one named exactly like the slice's lower bound: the slice
    /// below holds it too and writes it, so no group is written twice.
    fn write_page(
        &self,
        body: &[u8],
        range: &KeyRange,
        writer: &mut CsvWriter,
    ) -> Result<u64, JobError> {
        let page: GroupPage = serde_json::from_slice(body)
            .map_err(|e| page_error(PageError::<JobError>::Json(e), "groups"))?;
        let mut rows = 0;
        for group in &page.value {
            let name = group.get("displayName").and_then(Value::as_str);
            if name.is_some_and(|n| range.shares_lower_bound(n)) {
                continue;
            }
            writer.write_record(render_row(self.columns, group, &RowContext::default()))?;
            rows += 1;
        }
        Ok(rows)
    }
}

/// One listing per group on a page, 20 per `$batch`: the bodies in page order (`None` where Graph
/// refused, with a warning naming `what`).
async fn per_group(
    ctx: &JobContext,
    groups: &[Value],
    sink: &mut Sink,
    request: (Relation, &ListQuery),
    what: &str,
) -> Result<Vec<Option<Value>>, JobError> {
    let (relation, query) = request;
    let requests: Vec<BatchRequest> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let id = g.get("id").and_then(Value::as_str).unwrap_or_default();
            BatchRequest::list(i.to_string(), &relation.path(id), query, Resource::Members)
        })
        .collect();
    let responses = ctx
        .or_cancel(batch_parallel(ctx, requests.clone()))
        .await??;
    let mut out = Vec::with_capacity(groups.len());
    for (request, response) in requests.iter().zip(responses) {
        if let Some(error) = response.error(request) {
            if error.kind().is_retryable() {
                return Err(error.into());
            }
            sink.warn(format!("{what} refused for one group: {}", error.message));
            out.push(None);
            continue;
        }
        out.push(Some(response.body.unwrap_or(Value::Null)));
    }
    Ok(out)
}

/// Direct member counts of the groups on a page, in page order (`None` where Graph refused).
async fn member_counts(
    ctx: &JobContext,
    groups: &[Value],
    sink: &mut Sink,
) -> Result<Vec<Option<u64>>, JobError> {
    let query = ListQuery::new().select(["id"]).top(1).count();
    let bodies = per_group(
        ctx,
        groups,
        sink,
        (Relation::Members, &query),
        "member count",
    )
    .await?;
    Ok(bodies
        .into_iter()
        .map(|body| body?.get("@odata.count").and_then(Value::as_u64))
        .collect())
}

/// Owner counts of the groups on a page, in page order (`None` where Graph refused): the owners
/// themselves, ids only, in one page of [`OWNERS_PAGE`] (a group has at most 100 owners), so the
/// count is exact and needs no advanced query (`/owners/$count` would read the eventually
/// consistent index).
async fn owner_counts(
    ctx: &JobContext,
    groups: &[Value],
    sink: &mut Sink,
) -> Result<Vec<Option<u64>>, JobError> {
    let query = ListQuery::new().select(["id"]).top(OWNERS_PAGE);
    let bodies = per_group(ctx, groups, sink, (Relation::Owners, &query), "owner count").await?;
    let mut out = Vec::with_capacity(bodies.len());
    for body in bodies {
        let Some(body) = body else {
            out.push(None);
            continue;
        };
        let mut count = body
            .get("value")
            .and_then(Value::as_array)
            .map_or(0, Vec::len) as u64;
        if let Some(link) = body.get("@odata.nextLink").and_then(Value::as_str) {
            let next = Continuation {
                next_link: link.to_owned(),
                advanced: false,
                scopes: vec!["GroupMember.Read.All".to_owned()],
                count: None,
            };
            let pager: roster_graph::Pager<Value> = ctx.client.resume(&ctx.rebase(next));
            count += ctx.or_cancel(pager.collect_all()).await??.len() as u64;
        }
        out.push(Some(count));
    }
    Ok(out)
}
