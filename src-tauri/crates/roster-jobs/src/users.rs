//! Download users: `GET /users` page by page (or the listed ids/UPNs, 20 per `$batch`), with the
//! per-user authentication-method calls the auth columns need, 20 per `$batch`.

use crate::JobError;
use crate::context::JobContext;
use crate::sink::Sink;
use crate::sliced::{self, SliceState, SlicedDownload};
use crate::slices::USERS;
use crate::user_rows::{UserPageReader, UserRowData};
use crate::work::Finished;
use futures::future::try_join_all;
use roster_core::columns::{
    AuthMethods, Column, PageError, PageReader, RowContext, SelectPlan, auth_method_cost,
    parse_user_columns, plan_select, render_row,
};
use roster_core::job::DownloadUsers;
use roster_core::text::Text;
use roster_graph::query::encode_segment;
use roster_graph::{BatchRequest, Continuation, ListQuery, MAX_BATCH, Method, Pager};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::task::JoinHandle;

/// Where a users download is.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "camelCase")]
pub(crate) enum Position {
    /// Listing `/users`; `next` is `None` once the last page was written.
    List { next: Option<Continuation> },
    /// Reading listed ids; `index` is the next one to read.
    Ids { index: usize },
    /// Reading `userPrincipalName` slices at once (see `sliced`).
    Slices { slices: Vec<SliceState> },
}

/// Ids read per checkpoint in ids mode (5 `$batch` calls in parallel).
const IDS_PER_STEP: usize = MAX_BATCH * 5;

pub(crate) async fn run(ctx: &JobContext, spec: &DownloadUsers) -> Result<Finished, JobError> {
    let columns = parse_user_columns(&spec.columns)?;
    let plan = plan_select(&columns);
    let header: Vec<String> = columns.iter().map(|c| c.header.to_string()).collect();
    let checkpoint = ctx.checkpoint(&spec.output).await?;
    let fresh = checkpoint.is_none();
    let (mut sink, position) = Sink::open::<Position>(ctx, &spec.output, &header, checkpoint)?;
    let data = UserRowData::load(ctx, &plan).await?;
    if !spec.filter.ids.is_empty() {
        sink.set_total(Some(spec.filter.ids.len() as u64));
        if fresh {
            announce_cost(ctx, &plan, spec.filter.ids.len() as u64);
        }
        let start = match position {
            Some(Position::Ids { index }) => index,
            _ => 0,
        };
        let rows = Rows {
            columns: &columns,
            data: &data,
        };
        return run_ids(ctx, spec, rows, &plan, sink, start).await;
    }
    let mut query = ListQuery::new()
        .select(plan.select.iter().copied())
        .top(ctx.top(plan.max_page_size));
    if let Some(filter) = spec.filter.odata_filter() {
        query = query.filter(filter);
    }
    if let Some(search) = spec.filter.odata_search() {
        query = query.search(search);
    }
    if let Some(expand) = &plan.expand {
        query = query.expand(expand.clone());
    }
    let auth = plan.phone_methods || plan.email_methods;
    let reader = PageReader::new(&columns).filter(|_| !auth);
    // Read in slices at once: plain listings only (no $search, no $expand, no per-user calls).
    if let Some(reader) = &reader
        && query.expand.is_none()
        && query.search.is_none()
    {
        let slices = match &position {
            Some(Position::Slices { slices }) => Some(slices.clone()),
            None => sliced::plan(ctx, &USERS, &query, spec.parallel, &mut sink).await?,
            Some(_) => None,
        };
        if let Some(slices) = slices {
            let rows = UserPageReader {
                reader,
                data: &data,
            };
            let download = SlicedDownload {
                what: &USERS,
                rows: &rows,
                query: &query,
                output: &spec.output,
                parallel: spec.parallel,
            };
            let position = |slices| Position::Slices { slices };
            return sliced::run(ctx, download, slices, position, sink).await;
        }
    }
    let mut counting = None;
    let mut pager = match position {
        Some(Position::List { next: Some(c) }) => ctx.client.resume(&ctx.rebase(c)),
        Some(_) => return sink.finish(ctx),
        None if reader.is_some() && query.expand.is_none() => {
            // Nothing to announce before the run: count while the first pages arrive.
            let (client, counted) = (ctx.client.clone(), query.clone());
            counting = Some(tokio::spawn(async move {
                client.count("/users", &counted).await
            }));
            ctx.client.list_users(&query)?
        }
        None => {
            if query.expand.is_none() {
                // Best effort: the total for progress and the auth-method cost note.
                if let Ok(Ok(n)) = ctx.or_cancel(ctx.client.count("/users", &query)).await {
                    sink.set_total(Some(n));
                }
            }
            if let Some(n) = sink.total() {
                announce_cost(ctx, &plan, n);
            } else if plan.phone_methods || plan.email_methods {
                ctx.notice(Text::new(
                    "download.notice.authMethodColumns",
                    "authentication-method columns need one or two extra requests per user, sent 20 per $batch",
                ));
            }
            ctx.client.list_users(&query)?
        }
    };
    if let Some(reader) = reader {
        let reader = UserPageReader {
            reader: &reader,
            data: &data,
        };
        return stream_pages(ctx, reader, pager, sink, counting).await;
    }
    loop {
        ctx.next_step(&mut sink).await?;
        let Some(page) = ctx.or_cancel(pager.next_page()).await? else {
            break;
        };
        let page = page?;
        sink.set_total(page.count);
        let methods = if plan.phone_methods || plan.email_methods {
            auth_methods(ctx, &page.items, &plan, &mut sink).await?
        } else {
            Vec::new()
        };
        for (i, user) in page.items.iter().enumerate() {
            let row = RowContext {
                auth_methods: methods.get(i),
                ..data.row()
            };
            sink.row(render_row(&columns, user, &row))?;
        }
        sink.commit(
            ctx,
            &Position::List {
                next: pager.continuation(),
            },
        )
        .await?;
    }
    sink.finish(ctx)
}

/// Writes every remaining page, rendering cells straight from each body (no JSON tree per user).
async fn stream_pages(
    ctx: &JobContext,
    reader: UserPageReader<'_>,
    mut pager: Pager<Value>,
    mut sink: Sink,
    mut counting: Option<JoinHandle<Result<u64, roster_graph::GraphError>>>,
) -> Result<Finished, JobError> {
    // Best effort: the total only serves progress.
    let _abort = counting.as_ref().map(|c| AbortOnDrop(c.abort_handle()));
    loop {
        ctx.next_step(&mut sink).await?;
        let Some(page) = ctx.or_cancel(pager.next_raw_page()).await? else {
            break;
        };
        let page = page?;
        sink.set_total(page.count);
        if counting.as_ref().is_some_and(JoinHandle::is_finished)
            && let Some(Ok(Ok(n))) = counting.take().and_then(futures::FutureExt::now_or_never)
        {
            sink.set_total(Some(n));
        }
        reader
            .reader
            .read_page(&page.body, &reader.data.row(), |cells| {
                sink.row(cells.iter())
            })
            .map_err(|e| page_error(e, "users"))?;
        sink.commit(
            ctx,
            &Position::List {
                next: pager.continuation(),
            },
        )
        .await?;
    }
    if let Some(Ok(Ok(n))) = match counting {
        Some(c) => Some(ctx.or_cancel(c).await?),
        None => None,
    } {
        sink.set_total(Some(n));
    }
    sink.finish(ctx)
}

/// A page that could not be written: the writer's error, or a body that is not a collection.
pub(crate) fn page_error(error: PageError<JobError>, what: &str) -> JobError {
    match error {
        PageError::Row(e) => e,
        PageError::Json(e) => JobError::Graph(roster_graph::GraphError::new(
            roster_graph::ErrorKind::Decode,
            format!("a page of {what} is not valid JSON of the expected shape ({e})"),
            roster_graph::RequestContext::default(),
        )),
    }
}

/// Aborts a helper task (the `$count` call) when the download stops first.
struct AbortOnDrop(tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn announce_cost(ctx: &JobContext, plan: &SelectPlan, users: u64) {
    if let Some(cost) = auth_method_cost(plan, users) {
        ctx.notice(cost.note);
    }
}

/// The columns of a users download and the once-per-run data their cells need.
#[derive(Clone, Copy)]
struct Rows<'r> {
    columns: &'r [Column],
    data: &'r UserRowData,
}

async fn run_ids(
    ctx: &JobContext,
    spec: &DownloadUsers,
    rows: Rows<'_>,
    plan: &SelectPlan,
    mut sink: Sink,
    start: usize,
) -> Result<Finished, JobError> {
    let ids = &spec.filter.ids;
    let select = plan.select.join(",");
    let mut index = start;
    while index < ids.len() {
        ctx.next_step(&mut sink).await?;
        let end = (index + IDS_PER_STEP).min(ids.len());
        let chunk = &ids[index..end];
        let requests: Vec<BatchRequest> = chunk
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let mut url = format!("/users/{}?$select={select}", encode_segment(id.trim()));
                if let Some(expand) = &plan.expand {
                    url.push_str(&format!("&$expand={expand}"));
                }
                BatchRequest::new(i.to_string(), Method::GET, url)
            })
            .collect();
        let responses = ctx
            .or_cancel(batch_parallel(ctx, requests.clone()))
            .await??;
        let mut found = Vec::new();
        for ((id, request), response) in chunk.iter().zip(&requests).zip(responses) {
            if let Some(error) = response.error(request) {
                if !error.kind().is_per_item() {
                    return Err(error.into());
                }
                sink.warn(format!("user '{}' not found", id.trim()));
                continue;
            }
            if let Some(body) = response.body {
                found.push(body);
            }
        }
        let methods = if plan.phone_methods || plan.email_methods {
            auth_methods(ctx, &found, plan, &mut sink).await?
        } else {
            Vec::new()
        };
        for (i, user) in found.iter().enumerate() {
            let row = RowContext {
                auth_methods: methods.get(i),
                ..rows.data.row()
            };
            sink.row(render_row(rows.columns, user, &row))?;
        }
        index = end;
        sink.commit(ctx, &Position::Ids { index }).await?;
    }
    sink.finish(ctx)
}

/// Sends requests as `$batch` calls of 20, several at once (the client's limiter paces them),
/// and returns the answers in request order.
pub(crate) async fn batch_parallel(
    ctx: &JobContext,
    requests: Vec<BatchRequest>,
) -> Result<Vec<roster_graph::BatchResponse>, roster_graph::GraphError> {
    let calls = requests
        .chunks(MAX_BATCH)
        .map(|chunk| ctx.client.batch(chunk.to_vec()));
    Ok(try_join_all(calls).await?.into_iter().flatten().collect())
}

/// The authentication methods of every user on a page, in page order. A user whose methods
/// Graph refuses (404, 403) gets empty cells and a warning; throttling that outlasts the retry
/// budget fails the job (resumable).
async fn auth_methods(
    ctx: &JobContext,
    users: &[Value],
    plan: &SelectPlan,
    sink: &mut Sink,
) -> Result<Vec<AuthMethods>, JobError> {
    let mut requests = Vec::new();
    for (i, user) in users.iter().enumerate() {
        let id = user.get("id").and_then(Value::as_str).unwrap_or_default();
        if plan.phone_methods {
            let url = format!("/users/{}/authentication/phoneMethods", encode_segment(id));
            requests.push(BatchRequest::new(format!("p{i}"), Method::GET, url));
        }
        if plan.email_methods {
            let url = format!("/users/{}/authentication/emailMethods", encode_segment(id));
            requests.push(BatchRequest::new(format!("e{i}"), Method::GET, url));
        }
    }
    let responses = ctx
        .or_cancel(batch_parallel(ctx, requests.clone()))
        .await??;
    let mut phones = vec![Value::Null; users.len()];
    let mut emails = vec![Value::Null; users.len()];
    let mut refused = 0u64;
    for (request, response) in requests.iter().zip(responses) {
        let (slot, index) = match request.id.split_at(1) {
            ("p", n) => (&mut phones, n),
            (_, n) => (&mut emails, n),
        };
        let Ok(index) = index.parse::<usize>() else {
            continue;
        };
        if response.is_success() {
            slot[index] = response.body.unwrap_or(Value::Null);
        } else if let Some(error) = response.error(request) {
            if error.kind().is_retryable() {
                return Err(error.into());
            }
            refused += 1;
        }
    }
    if refused > 0 {
        sink.warn(format!(
            "Graph refused {refused} authentication-method request(s) on this page (missing UserAuthenticationMethod.Read.All or a role such as Authentication Administrator?)"
        ));
    }
    Ok(phones
        .iter()
        .zip(&emails)
        .map(|(p, e)| AuthMethods::from_graph(p, e))
        .collect())
}
