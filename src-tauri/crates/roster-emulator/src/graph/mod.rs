//! Microsoft Graph v1.0 for directory objects: request routing, authentication, throttling and the
//! response shapes of graph-api.md. Transport-neutral: the HTTP server and `$batch` both call [`handle`].

pub mod auth;
mod batch;
pub mod collection;
mod contacts;
mod delta;
mod directory;
pub mod entity;
pub mod error;
mod expand;
mod groups;
mod member_of;
pub mod skus;
mod users;
mod writes;

use bytes::Bytes;

use crate::identity::tokens::TokenSigner;
use crate::odata::RawQuery;
use crate::stats::StatsCollector;
use crate::tenant::SharedTenant;
use crate::throttle::{Decision, Throttle, cost_of};

use auth::Caller;
use error::GraphError;

/// Everything a request is served with.
pub struct Ctx<'a> {
    /// `http://127.0.0.1:PORT` (or the https root) as the client reached us; links are built on it.
    pub base_url: &'a str,
    /// The directory.
    pub tenant: &'a SharedTenant,
    /// Verifies bearer tokens.
    pub signer: &'a TokenSigner,
    /// Service limits.
    pub throttle: &'a Throttle,
    /// Counters for `/_emulator/stats`.
    pub stats: &'a StatsCollector,
    /// Current Unix time (token expiry).
    pub now_unix: i64,
    /// This request's `request-id`.
    pub request_id: String,
    /// The client's `client-request-id` (or ours when it sent none).
    pub client_request_id: String,
}

/// A Graph request, from HTTP or from a `$batch` item.
#[derive(Debug, Clone)]
pub struct GraphRequest {
    /// Upper-case HTTP method.
    pub method: String,
    /// Path after `/v1.0/`, still percent-encoded, without the query.
    pub path: String,
    /// Raw query string (without `?`).
    pub query: String,
    /// `Authorization` header.
    pub authorization: Option<String>,
    /// Whether `ConsistencyLevel: eventual` was sent.
    pub eventual: bool,
    /// The body.
    pub body: Bytes,
}

impl GraphRequest {
    /// Percent-decoded path segments.
    pub fn segments(&self) -> Vec<String> {
        self.path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| {
                percent_encoding::percent_decode_str(s)
                    .decode_utf8_lossy()
                    .into_owned()
            })
            .collect()
    }

    /// Decoded query options, in order.
    pub fn params(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(self.query.as_bytes())
            .into_owned()
            .collect()
    }

    /// The decoded value of query option `name` (case-insensitive).
    pub fn param(&self, name: &str) -> Option<String> {
        self.params()
            .into_iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    /// The query options as the query engine takes them; `$skip` is refused as Graph does.
    pub fn raw_query(&self) -> Result<RawQuery, GraphError> {
        let mut raw = RawQuery {
            eventual: self.eventual,
            ..RawQuery::default()
        };
        for (key, value) in self.params() {
            let slot = match key.to_ascii_lowercase().as_str() {
                "$select" => &mut raw.select,
                "$filter" => &mut raw.filter,
                "$search" => &mut raw.search,
                "$orderby" => &mut raw.orderby,
                "$top" => &mut raw.top,
                "$count" => &mut raw.count,
                "$expand" => &mut raw.expand,
                "$skip" => {
                    return Err(GraphError::bad_request(
                        "The query specified in the URI is not valid. Query option 'Skip' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.",
                    ));
                }
                _ => continue,
            };
            *slot = Some(value);
        }
        Ok(raw)
    }
}

/// A Graph response before it becomes HTTP (or a `$batch` item).
#[derive(Debug, Clone)]
pub struct GraphResponse {
    /// HTTP status.
    pub status: u16,
    /// Headers besides the common ones.
    pub headers: Vec<(&'static str, String)>,
    /// `Content-Type`, if there is a body.
    pub content_type: Option<&'static str>,
    /// The body.
    pub body: Vec<u8>,
    /// Objects served (stats and per-item latency).
    pub items: usize,
}

/// JSON content type Graph answers with.
pub const JSON: &str = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

impl GraphResponse {
    /// A JSON response.
    pub fn json(status: u16, body: Vec<u8>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            content_type: Some(JSON),
            body,
            items: 0,
        }
    }

    /// A JSON response from a value.
    pub fn value(status: u16, value: &serde_json::Value) -> Self {
        Self::json(status, serde_json::to_vec(value).unwrap_or_default())
    }

    /// `204 No Content`.
    pub fn no_content() -> Self {
        Self {
            status: 204,
            headers: Vec::new(),
            content_type: None,
            body: Vec::new(),
            items: 0,
        }
    }

    /// A `text/plain` body (`$count` segments).
    pub fn text(body: String) -> Self {
        Self {
            status: 200,
            headers: Vec::new(),
            content_type: Some("text/plain"),
            body: body.into_bytes(),
            items: 0,
        }
    }

    /// Records how many objects the response holds.
    pub fn with_items(mut self, items: usize) -> Self {
        self.items = items;
        self
    }

    /// The error envelope for `e`.
    pub fn error(e: &GraphError, ctx: &Ctx<'_>) -> Self {
        let date = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string();
        let mut r = Self::json(
            e.status,
            e.body(&ctx.request_id, &ctx.client_request_id, &date),
        );
        r.headers.extend(e.headers.iter().cloned());
        r
    }
}

/// Serves one Graph request: authenticate, charge the throttle, route, render errors.
pub fn handle(ctx: &Ctx<'_>, req: &GraphRequest) -> GraphResponse {
    let mut segments = req.segments();
    if segments.len() == 1 && segments[0] == "$batch" {
        let response = if req.method == "POST" {
            batch::handle(ctx, req)
        } else {
            GraphResponse::error(&GraphError::method_not_allowed(), ctx)
        };
        ctx.stats
            .record("POST /$batch", response.status, response.items);
        return response;
    }
    let raw = req.raw_query().ok();
    let has = |f: fn(&RawQuery) -> bool| raw.as_ref().is_some_and(f);
    let top = raw
        .as_ref()
        .and_then(|r| r.top.as_deref())
        .and_then(|t| t.parse().ok());
    let cost = cost_of(
        &req.method,
        &segments,
        has(|r| r.select.is_some()),
        has(|r| r.expand.is_some()),
        top,
    );
    let route = route_name(&req.method, &segments);
    let mut response = match serve(ctx, req, &mut segments, cost) {
        Ok(r) => r,
        Err(e) => GraphResponse::error(&e, ctx),
    };
    response
        .headers
        .push(("x-ms-resource-unit", cost.resource_units.to_string()));
    ctx.stats.record(&route, response.status, response.items);
    response
}

fn serve(
    ctx: &Ctx<'_>,
    req: &GraphRequest,
    segments: &mut Vec<String>,
    cost: crate::throttle::Cost,
) -> Result<GraphResponse, GraphError> {
    let caller = {
        let tenant = ctx.tenant.read();
        Caller::authenticate(
            &tenant,
            ctx.signer,
            req.authorization.as_deref(),
            ctx.now_unix,
        )?
    };
    let limit_percentage = match ctx.throttle.charge(caller.app_id(), cost) {
        Decision::Throttled {
            retry_after,
            scope,
            information,
        } => {
            let mut e = GraphError::too_many_requests(retry_after);
            e.headers.push(("x-ms-throttle-scope", scope));
            e.headers
                .push(("x-ms-throttle-information", information.to_owned()));
            return Err(e);
        }
        Decision::Allowed { limit_percentage } => limit_percentage,
    };
    if segments.first().is_some_and(|s| s == "me") {
        let user = caller.user.ok_or_else(|| {
            GraphError::bad_request("/me request is only valid with delegated authentication flow.")
        })?;
        segments[0] = "users".into();
        segments.insert(1, ctx.tenant.read().users()[user].id().to_owned());
    }
    let mut response = route(ctx, req, &caller, segments)?;
    if let Some(pct) = limit_percentage {
        response
            .headers
            .push(("x-ms-throttle-limit-percentage", format!("{pct:.1}")));
    }
    Ok(response)
}

fn route(
    ctx: &Ctx<'_>,
    req: &GraphRequest,
    caller: &Caller,
    s: &[String],
) -> Result<GraphResponse, GraphError> {
    let seg: Vec<&str> = s.iter().map(String::as_str).collect();
    let method = req.method.as_str();
    match (method, seg.as_slice()) {
        ("GET", ["users"]) => users::list(ctx, req, caller),
        ("GET", ["users", "$count"]) => users::count(ctx, req, caller),
        ("GET", ["users", d]) if is_delta(d) => delta::users(ctx, req, caller),
        ("GET", ["users", key]) => users::get(ctx, req, caller, key),
        ("GET", ["users", key, "manager"]) => users::manager(ctx, req, caller, key),
        ("GET", ["users", key, "ownedObjects", rest @ ..]) => {
            users::owned_objects(ctx, req, caller, key, rest)
        }
        (
            "GET",
            [
                "users",
                key,
                rel @ ("memberOf" | "transitiveMemberOf"),
                rest @ ..,
            ],
        ) => member_of::list(ctx, req, caller, key, rel, rest),
        ("GET", ["users", key, "authentication", kind]) => {
            users::auth_methods(ctx, caller, key, kind)
        }
        ("GET", ["groups"]) => groups::list(ctx, req, caller),
        ("GET", ["groups", "$count"]) => groups::count(ctx, req, caller),
        ("GET", ["groups", d]) if is_delta(d) => delta::groups(ctx, req, caller),
        ("GET", ["groups", id]) => groups::get(ctx, req, caller, id),
        (
            "GET",
            [
                "groups",
                id,
                rel @ ("members" | "transitiveMembers" | "owners"),
                rest @ ..,
            ],
        ) => groups::related(ctx, req, caller, id, rel, rest),
        ("POST", ["groups", id, "members", "$ref"]) => writes::add(ctx, req, caller, id),
        ("DELETE", ["groups", id, "members", member, "$ref"]) => {
            writes::remove(ctx, caller, id, member)
        }
        ("DELETE", ["groups", id, "members", member]) => {
            writes::delete_member_object(ctx, caller, id, member)
        }
        ("PATCH", ["groups", id]) => writes::patch(ctx, req, caller, id),
        ("GET", ["contacts"]) => contacts::list_contacts(ctx, req, caller),
        ("GET", ["subscribedSkus"]) => skus::list(ctx, caller),
        ("POST", ["directoryObjects", "getByIds" | "microsoft.graph.getByIds"]) => {
            directory::get_by_ids(ctx, req, caller)
        }
        (_, [first, ..])
            if !matches!(
                *first,
                "users" | "groups" | "contacts" | "directoryObjects" | "me" | "subscribedSkus"
            ) =>
        {
            Err(GraphError::unknown_segment(first))
        }
        ("GET", _) => Err(GraphError::unknown_segment(
            seg.last().copied().unwrap_or_default(),
        )),
        _ => Err(GraphError::method_not_allowed()),
    }
}

fn is_delta(segment: &str) -> bool {
    matches!(
        segment,
        "delta" | "microsoft.graph.delta" | "delta()" | "microsoft.graph.delta()"
    )
}

/// A route label for stats: ids replaced by `{id}`.
fn route_name(method: &str, segments: &[String]) -> String {
    let mut label = format!("{method} ");
    for (i, s) in segments.iter().enumerate() {
        label.push('/');
        let is_id = i > 0
            && matches!(segments[i - 1].as_str(), "users" | "groups" | "members")
            && !s.starts_with('$')
            && !is_delta(s);
        label.push_str(if is_id { "{id}" } else { s });
    }
    label
}

/// The `users/{id}`-style lookup shared by the routes: 404 in Graph's words when missing.
pub(crate) fn parse_json_body(req: &GraphRequest) -> Result<serde_json::Value, GraphError> {
    serde_json::from_slice(&req.body).map_err(|e| {
        GraphError::bad_request(format!(
            "Invalid request body: {e}. Send a JSON object with Content-Type application/json."
        ))
    })
}
