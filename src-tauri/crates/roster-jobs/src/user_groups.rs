//! Download the groups of many users into one CSV: one row per user and group, read by the batched
//! walk of [`crate::related`] from `GET /users/{id}/memberOf/microsoft.graph.group` (direct) or
//! `/transitiveMemberOf/microsoft.graph.group` (nested included, each row saying whether the user
//! is in the group directly or through a nested group).
//!
//! `memberOf` also returns directory roles and administrative units; the cast keeps groups only
//! and needs advanced query mode (<https://learn.microsoft.com/graph/api/user-list-memberof>,
//! <https://learn.microsoft.com/graph/api/user-list-transitivememberof>). Users are read in the
//! order listed (ids) or in Graph order (a filter); groups in Graph order.

use crate::JobError;
use crate::context::JobContext;
use crate::related::{GROUP_CAST, Position, Relation, Subject, Walk};
use crate::sink::Sink;
use crate::users::batch_parallel;
use crate::work::Finished;
use roster_core::columns::{Column, ColumnError, parse_user_group_columns, plan_select};
use roster_core::job::{DownloadUserGroups, JobId, UserFilter};
use roster_core::text::Text;
use roster_graph::query::encode_segment;
use roster_graph::{BatchRequest, ListQuery, Method};
use roster_store::Store;
use serde_json::Value;

fn users_key(id: JobId) -> String {
    format!("jobs.{id}.users")
}

/// Removes what a user's-groups job keeps besides its row (the resolved user list).
pub(crate) fn forget(store: &Store, id: JobId) -> Result<(), JobError> {
    store.remove_setting(&users_key(id))?;
    Ok(())
}

/// The columns the spec asks for (see [`parse_user_group_columns`]).
pub(crate) fn columns(spec: &DownloadUserGroups) -> Result<Vec<Column>, ColumnError> {
    parse_user_group_columns(spec.columns.as_deref(), spec.transitive)
}

pub(crate) async fn run(ctx: &JobContext, spec: &DownloadUserGroups) -> Result<Finished, JobError> {
    let columns = columns(spec)?;
    let header: Vec<String> = columns.iter().map(|c| c.header.to_string()).collect();
    let mut select = plan_select(&columns).select;
    if !select.contains(&"id") {
        select.push("id");
    }
    let mut query = ListQuery::new()
        .select(select.iter().copied())
        .top(ctx.top(999));
    query.cast = Some(GROUP_CAST.to_owned());
    let checkpoint = ctx.checkpoint(&spec.output).await?;
    let (mut sink, position) = Sink::open::<Position>(ctx, &spec.output, &header, checkpoint)?;
    let key = users_key(ctx.id);
    let stored: Option<String> = {
        let key = key.clone();
        ctx.store(move |s| s.setting(&key)).await?
    };
    let users: Vec<Subject> = match (
        stored.and_then(|t| serde_json::from_str(&t).ok()),
        &position,
    ) {
        (Some(users), Some(_)) => users,
        _ => {
            let users = resolve(ctx, &spec.users, &mut sink).await?;
            let text = serde_json::to_string(&users)
                .map_err(|e| JobError::Internal(format!("could not encode the user list ({e})")))?;
            ctx.store(move |s| s.set_setting(&key, &text)).await?;
            sink.commit(ctx, &Position::default()).await?;
            users
        }
    };
    let relation = if spec.transitive {
        Relation::TransitiveMemberOf
    } else {
        Relation::MemberOf
    };
    Walk::new(ctx, &columns, &query, &users, relation)
        .run(&mut sink, position.unwrap_or_default())
        .await?;
    sink.finish(ctx)
}

/// The users the filter selects (id and UPN), in order, without duplicates.
async fn resolve(
    ctx: &JobContext,
    filter: &UserFilter,
    sink: &mut Sink,
) -> Result<Vec<Subject>, JobError> {
    let objects: Vec<Value> = if filter.ids.is_empty() {
        let mut query = ListQuery::new()
            .select(["id", "userPrincipalName"])
            .top(999);
        if let Some(odata) = filter.odata_filter() {
            query = query.filter(odata);
        }
        if let Some(search) = filter.odata_search() {
            query = query.search(search);
        }
        ctx.or_cancel(ctx.client.list_users(&query)?.collect_all())
            .await??
    } else {
        listed_users(ctx, &filter.ids, sink).await?
    };
    let mut out: Vec<Subject> = Vec::with_capacity(objects.len());
    let mut seen = std::collections::HashSet::new();
    for user in objects {
        let text = |name: &str| {
            user.get(name)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let id = text("id");
        if !id.is_empty() && seen.insert(id.clone()) {
            out.push(Subject {
                id,
                name: text("userPrincipalName"),
            });
        }
    }
    if out.is_empty() {
        ctx.notice(Text::new(
            "download.notice.noUserMatched",
            "no user matched: the file will hold only the header",
        ));
    }
    Ok(out)
}

/// Reads listed users (ids or UPNs) 20 per `$batch`; one not found is a warning.
async fn listed_users(
    ctx: &JobContext,
    ids: &[String],
    sink: &mut Sink,
) -> Result<Vec<Value>, JobError> {
    let wanted: Vec<&str> = ids
        .iter()
        .map(|i| i.trim())
        .filter(|i| !i.is_empty())
        .collect();
    let requests: Vec<BatchRequest> = wanted
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let url = format!("/users/{}?$select=id,userPrincipalName", encode_segment(id));
            BatchRequest::new(i.to_string(), Method::GET, url)
        })
        .collect();
    let responses = ctx
        .or_cancel(batch_parallel(ctx, requests.clone()))
        .await??;
    let mut found = Vec::with_capacity(wanted.len());
    for ((id, request), response) in wanted.iter().zip(&requests).zip(responses) {
        if let Some(error) = response.error(request) {
            if !error.kind().is_per_item() {
                return Err(error.into());
            }
            sink.warn(format!("user '{id}' not found"));
            continue;
        }
        found.extend(response.body);
    }
    Ok(found)
}
