//! `POST /directoryObjects/getByIds` (graph-api.md §2.6): up to 1000 ids, optional `types`.

use crate::odata::{self, EntitySet};
use crate::tenant::model::Kind;
use crate::tenant::props::write_str;

use super::auth::{Caller, GROUP_READ, USER_READ};
use super::collection::context_url;
use super::entity::{ItemStyle, write_item};
use super::error::GraphError;
use super::{Ctx, GraphRequest, GraphResponse, parse_json_body};

/// Most ids one `getByIds` call may carry.
pub const GET_BY_IDS_LIMIT: usize = 1000;

fn strings<'v>(
    value: Option<&'v serde_json::Value>,
    name: &str,
) -> Result<Vec<&'v str>, GraphError> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let items = value
        .as_array()
        .ok_or_else(|| GraphError::bad_request(format!("'{name}' must be an array of strings.")))?;
    items
        .iter()
        .map(|v| {
            v.as_str().ok_or_else(|| {
                GraphError::bad_request(format!("'{name}' must be an array of strings."))
            })
        })
        .collect()
}

/// `POST /directoryObjects/getByIds`.
pub fn get_by_ids(
    ctx: &Ctx<'_>,
    req: &GraphRequest,
    caller: &Caller,
) -> Result<GraphResponse, GraphError> {
    if !caller.has_any(USER_READ) && !caller.has_any(GROUP_READ) {
        return Err(GraphError::forbidden());
    }
    let body = parse_json_body(req)?;
    let ids = strings(body.get("ids"), "ids")?;
    if ids.is_empty() {
        return Err(GraphError::bad_request(
            "Invalid request body: 'ids' is required and must not be empty.",
        ));
    }
    if ids.len() > GET_BY_IDS_LIMIT {
        return Err(GraphError::bad_request(format!(
            "The request contains {} ids; getByIds accepts at most {GET_BY_IDS_LIMIT}.",
            ids.len()
        )));
    }
    let mut kinds = Vec::new();
    for t in strings(body.get("types"), "types")? {
        if t.eq_ignore_ascii_case("directoryObject")
            || t.eq_ignore_ascii_case("microsoft.graph.directoryObject")
        {
            kinds.clear();
            break;
        }
        kinds.push(
            Kind::parse(t).ok_or_else(|| {
                GraphError::bad_request(format!("Invalid type '{t}' in 'types'."))
            })?,
        );
    }
    let mut raw = req.raw_query()?;
    raw.count = None;
    let plan = odata::plan(EntitySet::DirectoryObjects, &raw, None)?;
    let tenant = ctx.tenant.read();
    let mut out = Vec::with_capacity(ids.len() * 400 + 128);
    out.extend_from_slice(b"{\"@odata.context\":");
    write_str(
        &mut out,
        &context_url(ctx, "directoryObjects", plan.select.as_deref()),
    );
    out.extend_from_slice(b",\"value\":[");
    let mut written = 0;
    for id in ids {
        let Some(r) = tenant.find_id(id) else {
            continue;
        };
        if !kinds.is_empty() && !kinds.contains(&r.kind()) {
            continue;
        }
        if written > 0 {
            out.push(b',');
        }
        let style = ItemStyle {
            select: plan.select.as_deref(),
            with_type: true,
            limited: caller.limited(r),
            basic: caller.basic_users_only(),
        };
        write_item(&mut out, &tenant, r, style, |_| {});
        written += 1;
    }
    out.extend_from_slice(b"]}");
    Ok(GraphResponse::json(200, out).with_items(written))
}
