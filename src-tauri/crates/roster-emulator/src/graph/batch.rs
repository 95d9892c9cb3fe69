//! JSON batching (graph-api.md §7): at most 20 requests with unique ids, `dependsOn` (a failed dependency
//! gives 424), a status, headers and body per request, `ConsistencyLevel` inside each request's headers,
//! item-level 429s with their own `Retry-After`, and an outer 200 whenever the batch itself parsed.

use std::collections::HashMap;

use bytes::Bytes;
use serde_json::{Map, Value, json};

use super::auth::Caller;
use super::error::GraphError;
use super::{Ctx, GraphRequest, GraphResponse, JSON};

/// Most requests one batch may carry.
pub const BATCH_LIMIT: usize = 20;

struct Item {
    id: String,
    method: String,
    url: String,
    headers: Map<String, Value>,
    body: Option<Value>,
    depends_on: Vec<String>,
}

fn parse(req: &GraphRequest) -> Result<Vec<Item>, GraphError> {
    let invalid =
        |why: &str| GraphError::new(400, "BadRequest", format!("Invalid batch payload: {why}"));
    let body: Value =
        serde_json::from_slice(&req.body).map_err(|_| invalid("the body is not JSON."))?;
    let requests = body
        .get("requests")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("'requests' must be an array."))?;
    if requests.len() > BATCH_LIMIT {
        return Err(GraphError::new(
            400,
            "BadRequest",
            format!(
                "The batch contains {} requests; at most {BATCH_LIMIT} are allowed.",
                requests.len()
            ),
        ));
    }
    let mut items = Vec::with_capacity(requests.len());
    for r in requests {
        let text = |key: &str| r.get(key).and_then(Value::as_str).map(str::to_owned);
        let id = text("id").ok_or_else(|| invalid("every request needs an 'id'."))?;
        if items.iter().any(|i: &Item| i.id.eq_ignore_ascii_case(&id)) {
            return Err(GraphError::new(
                400,
                "BadRequest",
                format!("Batch request ids must be unique: '{id}' repeats."),
            ));
        }
        let method = text("method")
            .ok_or_else(|| invalid("every request needs a 'method'."))?
            .to_ascii_uppercase();
        let url = text("url").ok_or_else(|| invalid("every request needs a 'url'."))?;
        let headers = r
            .get("headers")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let depends_on = match r.get("dependsOn") {
            None => Vec::new(),
            Some(d) => d
                .as_array()
                .ok_or_else(|| invalid("'dependsOn' must be an array of ids."))?
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| invalid("'dependsOn' must be an array of ids."))
                })
                .collect::<Result<_, _>>()?,
        };
        items.push(Item {
            id,
            method,
            url,
            headers,
            body: r.get("body").cloned(),
            depends_on,
        });
    }
    for item in &items {
        for dep in &item.depends_on {
            if !items.iter().any(|i| i.id.eq_ignore_ascii_case(dep)) {
                return Err(invalid(&format!(
                    "request '{}' depends on unknown id '{dep}'.",
                    item.id
                )));
            }
        }
    }
    Ok(items)
}

fn header<'m>(headers: &'m Map<String, Value>, name: &str) -> Option<&'m str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.as_str())
}

/// Serves `POST /$batch`.
pub fn handle(ctx: &Ctx<'_>, req: &GraphRequest) -> GraphResponse {
    {
        let tenant = ctx.tenant.read();
        if let Err(e) = Caller::authenticate(
            &tenant,
            ctx.signer,
            req.authorization.as_deref(),
            ctx.now_unix,
        ) {
            return GraphResponse::error(&e, ctx);
        }
    }
    let items = match parse(req) {
        Ok(items) => items,
        Err(e) => return GraphResponse::error(&e, ctx),
    };
    let mut results: HashMap<String, u16> = HashMap::new();
    let mut responses: Vec<Option<Value>> = vec![None; items.len()];
    let mut served = 0;
    let mut done = 0;
    while done < items.len() {
        let ready = items.iter().enumerate().find(|(i, item)| {
            responses[*i].is_none()
                && item
                    .depends_on
                    .iter()
                    .all(|d| results.contains_key(&d.to_ascii_lowercase()))
        });
        let Some((i, item)) = ready else {
            let e = GraphError::new(
                400,
                "BadRequest",
                "Invalid batch payload: 'dependsOn' forms a cycle.",
            );
            return GraphResponse::error(&e, ctx);
        };
        let failed_dependency = item.depends_on.iter().any(|d| {
            results
                .get(&d.to_ascii_lowercase())
                .is_some_and(|s| *s >= 400)
        });
        let (status, value, items_served) = if failed_dependency {
            let body = json!({"error": {"code": "FailedDependency", "message": "The request was not run because a request it depends on failed."}});
            (
                424,
                json!({"id": item.id, "status": 424, "headers": {"Content-Type": "application/json"}, "body": body}),
                0,
            )
        } else {
            run_item(ctx, req, item)
        };
        served += items_served;
        results.insert(item.id.to_ascii_lowercase(), status);
        responses[i] = Some(value);
        done += 1;
    }
    let body = json!({ "responses": responses.into_iter().flatten().collect::<Vec<_>>() });
    GraphResponse::value(200, &body).with_items(served)
}

fn run_item(ctx: &Ctx<'_>, outer: &GraphRequest, item: &Item) -> (u16, Value, usize) {
    let url = item.url.trim_start_matches('/');
    let url = url
        .strip_prefix("v1.0/")
        .or_else(|| url.split_once("/v1.0/").map(|(_, rest)| rest))
        .unwrap_or(url);
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let request_id = uuid::Uuid::new_v4().to_string();
    let item_ctx = Ctx {
        base_url: ctx.base_url,
        tenant: ctx.tenant,
        signer: ctx.signer,
        throttle: ctx.throttle,
        stats: ctx.stats,
        now_unix: ctx.now_unix,
        request_id: request_id.clone(),
        client_request_id: ctx.client_request_id.clone(),
    };
    let response = if path.trim_matches('/').eq_ignore_ascii_case("$batch") {
        GraphResponse::error(
            &GraphError::bad_request("A batch cannot contain another batch."),
            &item_ctx,
        )
    } else if item.body.is_some() && header(&item.headers, "Content-Type").is_none() {
        GraphResponse::error(
            &GraphError::bad_request(
                "Content-Type header is required when a request in a batch has a body.",
            ),
            &item_ctx,
        )
    } else {
        let body = match &item.body {
            Some(Value::String(s)) => Bytes::from(s.clone()),
            Some(v) => Bytes::from(serde_json::to_vec(v).unwrap_or_default()),
            None => Bytes::new(),
        };
        let eventual = header(&item.headers, "ConsistencyLevel")
            .is_some_and(|v| v.eq_ignore_ascii_case("eventual"));
        let request = GraphRequest {
            method: item.method.clone(),
            path: path.to_owned(),
            query: query.to_owned(),
            authorization: outer.authorization.clone(),
            eventual,
            body,
        };
        super::handle(&item_ctx, &request)
    };
    let mut headers = Map::new();
    if let Some(ct) = response.content_type {
        headers.insert(
            "Content-Type".into(),
            Value::String(if ct == JSON {
                "application/json".into()
            } else {
                ct.into()
            }),
        );
    }
    headers.insert("Cache-Control".into(), "no-cache".into());
    headers.insert("OData-Version".into(), "4.0".into());
    headers.insert("request-id".into(), request_id.into());
    for (name, value) in &response.headers {
        headers.insert((*name).to_owned(), Value::String(value.clone()));
    }
    let mut value = json!({"id": item.id, "status": response.status, "headers": headers});
    if !response.body.is_empty() {
        let body = if response.content_type == Some(JSON) {
            serde_json::from_slice(&response.body).unwrap_or(Value::Null)
        } else {
            Value::String(String::from_utf8_lossy(&response.body).into_owned())
        };
        value["body"] = body;
    }
    (response.status, value, response.items)
}
