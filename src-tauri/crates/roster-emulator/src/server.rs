//! The HTTP side: shared state, the axum router (Graph under `/v1.0`, identity under `/{tenant}`, control
//! under `/_emulator` with the `harness` feature), per-request ids, injected faults and latency.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;

use crate::faults::{DRIP_INTERVAL, Fault, FaultInjector, HUGE_BODY_BYTES};
use crate::graph::error::GraphError;
use crate::graph::{Ctx, GraphRequest, GraphResponse};
use crate::identity::tokens::{Claims, Subject, TokenSigner};
use crate::identity::{DEMO_APP_ID, IdentityState, ServedOverTls};
use crate::stats::StatsCollector;
use crate::tenant::SharedTenant;
use crate::throttle::Throttle;

/// The public client id minted test tokens claim (`azp`): Graph PowerShell's, as Roster uses by default.
pub const TEST_CLIENT_ID: &str = "14d82eec-204b-4c2f-b7e8-296a70dab67e";

/// Everything the routes share.
#[derive(Debug)]
pub struct AppState {
    /// The directory.
    pub tenant: SharedTenant,
    /// Signs and verifies tokens.
    pub signer: TokenSigner,
    /// Service limits.
    pub throttle: Throttle,
    /// Injected failures.
    pub faults: FaultInjector,
    /// Counters.
    pub stats: StatsCollector,
    /// The identity platform (for revocation).
    pub identity: Arc<IdentityState>,
    /// Added latency per request, spent before the first byte.
    pub latency: Duration,
    /// Added cost per object served, paid before the first byte too (only when `latency` is set).
    pub item_latency: Duration,
    /// Lifetime of minted tokens.
    pub token_lifetime: Duration,
}

impl AppState {
    /// A delegated token for `upn` with `scopes`, valid for `lifetime_secs`.
    pub fn mint_user_token(&self, upn: &str, scopes: &[&str], lifetime_secs: i64) -> String {
        let (object_id, upn) = {
            let tenant = self.tenant.read();
            match tenant.find_user(upn) {
                Some(i) => (
                    tenant.users()[i].id().to_owned(),
                    tenant.users()[i].upn().to_owned(),
                ),
                None => (String::new(), upn.to_owned()),
            }
        };
        self.mint(
            Subject::User { object_id, upn },
            scopes.iter().map(|s| (*s).to_owned()).collect(),
            Vec::new(),
            lifetime_secs,
        )
    }

    /// An app-only token with `roles`, valid for `lifetime_secs`.
    pub fn mint_app_token(&self, roles: &[&str], lifetime_secs: i64) -> String {
        let roles = roles.iter().map(|s| (*s).to_owned()).collect();
        self.mint(
            Subject::App {
                app_id: DEMO_APP_ID.to_owned(),
            },
            Vec::new(),
            roles,
            lifetime_secs,
        )
    }

    fn mint(
        &self,
        sub: Subject,
        scp: Vec<String>,
        roles: Vec<String>,
        lifetime_secs: i64,
    ) -> String {
        let now = chrono::Utc::now().timestamp();
        let azp = match &sub {
            Subject::App { app_id } => app_id.clone(),
            Subject::User { .. } => TEST_CLIENT_ID.to_owned(),
        };
        self.signer.mint(&Claims {
            tid: self.tenant.tenant_id().to_owned(),
            sub,
            scp,
            roles,
            azp,
            iat: now,
            exp: now + lifetime_secs,
            jti: uuid::Uuid::new_v4().to_string(),
        })
    }
}

/// The whole application router (the control endpoints only with the `harness` feature).
pub fn router(state: Arc<AppState>) -> Router {
    let app = Router::new()
        .route("/v1.0/{*path}", axum::routing::any(graph))
        .with_state(state.clone())
        .merge(crate::identity::router(state.identity.clone()));
    #[cfg(feature = "harness")]
    let app = app.merge(crate::control::router(state));
    app
}

/// The service root as the client reached it: the `Host` header (HTTP/1.1) or the URI authority
/// (HTTP/2's `:authority`, e.g. over the https listener).
fn base_url(headers: &HeaderMap, uri: &axum::http::Uri, tls: bool) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .or_else(|| uri.authority().map(|a| a.as_str().to_owned()))
        .unwrap_or_else(|| "localhost".to_owned());
    format!("{}://{host}", if tls { "https" } else { "http" })
}

fn header_str(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

async fn graph(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let arrived = tokio::time::Instant::now();
    let tls = request.extensions().get::<ServedOverTls>().is_some();
    let (parts, body) = request.into_parts();
    let headers = &parts.headers;
    let request_id = uuid::Uuid::new_v4().to_string();
    let client_request_id =
        header_str(headers, "client-request-id").unwrap_or_else(|| request_id.clone());
    let base = base_url(headers, &parts.uri, tls);
    let body = match axum::body::to_bytes(body, 64 * 1024 * 1024).await {
        Ok(b) => b,
        Err(_) => Bytes::new(),
    };
    let path = parts
        .uri
        .path()
        .strip_prefix("/v1.0/")
        .unwrap_or_default()
        .to_owned();
    let req = GraphRequest {
        method: parts.method.as_str().to_ascii_uppercase(),
        path,
        query: parts.uri.query().unwrap_or_default().to_owned(),
        authorization: header_str(headers, "authorization"),
        eventual: header_str(headers, "consistencylevel")
            .is_some_and(|v| v.eq_ignore_ascii_case("eventual")),
        body,
    };
    let fault = state.faults.roll();
    let retry_after = state.faults.spec().retry_after;
    let ids = (request_id.clone(), client_request_id.clone());
    let response = match fault {
        Some(Fault::Huge) => {
            state.stats.fault(None);
            let mut r = GraphResponse::json(200, Vec::new());
            r.headers.push(("x-ms-resource-unit", "1".into()));
            r
        }
        Some(f @ (Fault::TooManyRequests | Fault::ServiceUnavailable | Fault::GatewayTimeout)) => {
            let error = match f {
                Fault::TooManyRequests => GraphError::too_many_requests(retry_after.unwrap_or(2)),
                Fault::ServiceUnavailable => {
                    let mut e = GraphError::new(
                        503,
                        "serviceNotAvailable",
                        "The service is temporarily unavailable. Try again later.",
                    );
                    e.headers
                        .push(("Retry-After", retry_after.unwrap_or(1).to_string()));
                    e
                }
                _ => GraphError::new(504, "UnknownError", "The gateway timed out."),
            };
            state.stats.fault(Some(error.status));
            let ctx = ctx(&state, &base, ids.0.clone(), ids.1.clone());
            let mut r = GraphResponse::error(&error, &ctx);
            r.headers.push(("x-ms-resource-unit", "1".into()));
            r
        }
        _ => {
            let worker = state.clone();
            let worker_base = base.clone();
            let (rid, crid) = ids.clone();
            let served = tokio::task::spawn_blocking(move || {
                let ctx = ctx(&worker, &worker_base, rid, crid);
                crate::graph::handle(&ctx, &req)
            })
            .await;
            match served {
                Ok(r) => r,
                Err(_) => {
                    let ctx = ctx(&state, &base, ids.0.clone(), ids.1.clone());
                    GraphResponse::error(
                        &GraphError::new(
                            500,
                            "generalException",
                            "The request failed inside the emulator.",
                        ),
                        &ctx,
                    )
                }
            }
        }
    };
    if matches!(fault, Some(Fault::Reset | Fault::Drip)) {
        state.stats.fault(None);
    }
    if let Some(due) = first_byte_due(arrived, state.latency, state.item_latency, response.items) {
        tokio::time::sleep_until(due).await;
    }
    into_http(response, &request_id, &client_request_id, fault)
}

/// When a response may send its first byte (`None`: at once, without `--latency-ms`). Graph
/// assembles a page before it sends it, so the request's cost and every item's are paid before
/// the first byte, and a pipelined client gains nothing from an early `@odata.nextLink`. Each
/// request counts from its own arrival: concurrent requests pay concurrently, as on Graph.
fn first_byte_due(
    arrived: tokio::time::Instant,
    latency: Duration,
    per_item: Duration,
    items: usize,
) -> Option<tokio::time::Instant> {
    if latency.is_zero() {
        return None;
    }
    let items = u32::try_from(items).unwrap_or(u32::MAX);
    Some(arrived + latency + per_item.saturating_mul(items))
}

fn ctx<'a>(
    state: &'a AppState,
    base: &'a str,
    request_id: String,
    client_request_id: String,
) -> Ctx<'a> {
    Ctx {
        base_url: base,
        tenant: &state.tenant,
        signer: &state.signer,
        throttle: &state.throttle,
        stats: &state.stats,
        now_unix: chrono::Utc::now().timestamp(),
        request_id,
        client_request_id,
    }
}

fn into_http(
    mut response: GraphResponse,
    request_id: &str,
    client_request_id: &str,
    fault: Option<Fault>,
) -> Response {
    let status = StatusCode::from_u16(response.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let bytes = Bytes::from(std::mem::take(&mut response.body));
    let body = match fault {
        Some(Fault::Drip) => drip_body(bytes),
        Some(Fault::Huge) => huge_body(),
        _ => body_of(bytes, fault == Some(Fault::Reset)),
    };
    let mut http = Response::new(body);
    *http.status_mut() = status;
    let headers = http.headers_mut();
    let mut put = |name: &str, value: &str| {
        if let (Ok(n), Ok(v)) = (HeaderName::try_from(name), HeaderValue::from_str(value)) {
            headers.append(n, v);
        }
    };
    put("request-id", request_id);
    put("client-request-id", client_request_id);
    put(
        "x-ms-ags-diagnostic",
        r#"{"ServerInfo":{"DataCenter":"Local","Slice":"E","Ring":"0","ScaleUnit":"000","RoleInstance":"roster-emulator"}}"#,
    );
    if let Some(ct) = response.content_type {
        put("content-type", ct);
        if ct.starts_with("application/json") {
            put("odata-version", "4.0");
        }
    }
    put("cache-control", "no-cache");
    for (name, value) in &response.headers {
        put(name, value);
    }
    http
}

/// The first half of `body` (what a reset connection delivers).
fn first_half(body: &Bytes) -> Bytes {
    body.slice(..body.len() / 2)
}

/// `body` one byte every [`DRIP_INTERVAL`] (the `drip` fault).
pub(crate) fn drip_body(body: Bytes) -> Body {
    use futures::StreamExt as _;
    let bytes = futures::stream::iter(0..body.len()).then(move |i| {
        let byte = body.slice(i..=i);
        async move {
            tokio::time::sleep(DRIP_INTERVAL).await;
            Ok::<Bytes, std::io::Error>(byte)
        }
    });
    Body::from_stream(bytes)
}

/// A valid, empty collection padded with spaces to [`HUGE_BODY_BYTES`] (the `huge` fault), made as
/// it is sent so the emulator never holds it.
pub(crate) fn huge_body() -> Body {
    const OPEN: &[u8] = br#"{"value":["#;
    const CLOSE: &[u8] = b"]}";
    const CHUNK: usize = 64 * 1024;
    static SPACES: [u8; CHUNK] = [b' '; CHUNK];
    let padding = HUGE_BODY_BYTES as usize - OPEN.len() - CLOSE.len();
    let chunks = padding.div_ceil(CHUNK);
    let middle = (0..chunks).map(move |i| {
        let len = CHUNK.min(padding - i * CHUNK);
        Bytes::from_static(&SPACES[..len])
    });
    let all = std::iter::once(Bytes::from_static(OPEN))
        .chain(middle)
        .chain(std::iter::once(Bytes::from_static(CLOSE)))
        .map(Ok::<Bytes, std::io::Error>);
    Body::from_stream(futures::stream::iter(all))
}

/// The body as sent: whole, or (the `reset` fault) its first half and then a broken connection.
fn body_of(body: Bytes, reset: bool) -> Body {
    use futures::StreamExt as _;
    if !reset || body.len() < 2 {
        return Body::from(body);
    }
    let sent = futures::stream::once(std::future::ready(Ok::<Bytes, std::io::Error>(first_half(
        &body,
    ))));
    // Give hyper a moment to flush what was sent, then fail the stream: hyper aborts the connection
    // mid-body.
    let tail = futures::stream::once(async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "injected reset",
        ))
    });
    Body::from_stream(sent.chain(tail))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_pays_its_request_and_item_costs_before_its_first_byte() {
        let now = tokio::time::Instant::now();
        let (latency, per_item) = (Duration::from_millis(200), Duration::from_micros(800));
        assert_eq!(
            first_byte_due(now, latency, per_item, 999),
            Some(now + Duration::from_micros(200_000 + 799_200)),
            "about a second for a page of 999 users, all before the first byte"
        );
        assert_eq!(
            first_byte_due(now, latency, per_item, 0),
            Some(now + latency)
        );
        assert_eq!(
            first_byte_due(now, Duration::ZERO, per_item, 999),
            None,
            "no added cost without a latency"
        );
    }

    #[test]
    fn a_reset_keeps_exactly_the_first_half() {
        let bytes = Bytes::from_static(br#"{"@odata.nextLink":"x","value":[1,2,3]}"#);
        let sent = first_half(&bytes);
        assert_eq!(sent.to_vec(), bytes[..bytes.len() / 2].to_vec());
    }
}
