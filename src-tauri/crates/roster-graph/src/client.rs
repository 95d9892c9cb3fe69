//! The Graph client: one shared HTTP connection pool, bearer tokens from a [`TokenSource`], the retry
//! loop and the shared [`ConcurrencyLimiter`].

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use percent_encoding::percent_decode_str;
use reqwest::header::{ACCEPT, HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use crate::bounds::{BodyLimits, DEFAULT_REQUEST_DEADLINE, MAX_RESPONSE_BYTES};
use crate::cloud::Cloud;
use crate::error::{ErrorKind, GraphError, RequestContext};
use crate::limiter::ConcurrencyLimiter;
use crate::retry::{Clock, RetryPolicy, SystemClock, jitter_sample, parse_retry_after};
use crate::token::TokenSource;

/// One Graph request, before tokens, ids and retries are added.
#[derive(Debug, Clone)]
pub struct GraphRequest {
    /// HTTP method.
    pub method: Method,
    /// A path relative to the version root (`/users?$top=999`) or an absolute URL under the client's
    /// service root (a nextLink).
    pub url: String,
    /// Extra request headers.
    pub headers: Vec<(String, String)>,
    /// A JSON body.
    pub body: Option<Value>,
    /// Send `ConsistencyLevel: eventual` (advanced query mode).
    pub advanced: bool,
    /// Permissions the token must carry; empty means the client's default scopes.
    pub scopes: Vec<String>,
}

impl GraphRequest {
    /// A request with no body.
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        Self {
            method,
            url: url.into(),
            headers: Vec::new(),
            body: None,
            advanced: false,
            scopes: Vec::new(),
        }
    }

    /// A GET request.
    pub fn get(url: impl Into<String>) -> Self {
        Self::new(Method::GET, url)
    }

    /// Sets a JSON body.
    pub fn json(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets advanced query mode.
    pub fn advanced(mut self, advanced: bool) -> Self {
        self.advanced = advanced;
        self
    }

    /// Sets the permissions the token must carry.
    pub fn scopes<I: IntoIterator<Item = S>, S: Into<String>>(mut self, scopes: I) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }
}

/// A successful answer with its body read completely.
#[derive(Debug, Clone)]
pub struct GraphResponse {
    /// HTTP status (2xx).
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
    /// The request it answers.
    pub request: RequestContext,
}

impl GraphResponse {
    /// The body parsed as JSON into `T`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, GraphError> {
        serde_json::from_slice(&self.body).map_err(|e| decode_error(&e, &self.request))
    }
}

/// Sets up a [`GraphClient`].
pub struct GraphClientBuilder {
    cloud: Cloud,
    tokens: Arc<dyn TokenSource>,
    retry: RetryPolicy,
    limiter: Option<ConcurrencyLimiter>,
    clock: Arc<dyn Clock>,
    default_scopes: Vec<String>,
    user_agent: String,
    connect_timeout: Duration,
    read_timeout: Duration,
    request_deadline: Duration,
    max_response_bytes: u64,
}

impl GraphClientBuilder {
    /// Sets the retry policy (default: 12 attempts within 10 minutes).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Shares `limiter` with other clients and pagers (default: a new limiter per client).
    pub fn limiter(mut self, limiter: ConcurrencyLimiter) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// Sets the clock used for retry waits and budgets (tests use a [`VirtualClock`](crate::VirtualClock)).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Permissions asked of the token source when a request names none.
    pub fn default_scopes<I: IntoIterator<Item = S>, S: Into<String>>(mut self, scopes: I) -> Self {
        self.default_scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the `User-Agent`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Sets how long to wait for a connection and for each read of a response.
    pub fn timeouts(mut self, connect: Duration, read: Duration) -> Self {
        self.connect_timeout = connect;
        self.read_timeout = read;
        self
    }

    /// Sets the overall deadline of each request, from connecting to the last byte of the body
    /// (default [`DEFAULT_REQUEST_DEADLINE`]); a request past it fails as a network error and is
    /// retried within the retry budget.
    pub fn request_deadline(mut self, deadline: Duration) -> Self {
        self.request_deadline = deadline;
        self
    }

    /// Sets the most bytes read of one answer (default [`MAX_RESPONSE_BYTES`]); a longer answer
    /// fails with [`ErrorKind::Decode`].
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Builds the client: fails when the service root is not a usable URL.
    pub fn build(self) -> Result<GraphClient, GraphError> {
        let root = self.cloud.version_root().map_err(GraphError::usage)?;
        let http = reqwest::Client::builder()
            .user_agent(self.user_agent)
            .connect_timeout(self.connect_timeout)
            .read_timeout(self.read_timeout)
            .timeout(self.request_deadline)
            .pool_max_idle_per_host(256)
            .pool_idle_timeout(Duration::from_secs(90))
            .tcp_nodelay(true)
            .gzip(true)
            .build()
            .map_err(|e| GraphError::usage(format!("could not set up the HTTP client: {e}")))?;
        let limiter = self.limiter.unwrap_or_else(|| {
            ConcurrencyLimiter::with_clock(Default::default(), Arc::clone(&self.clock))
        });
        Ok(GraphClient {
            inner: Arc::new(ClientInner {
                http,
                root,
                tokens: self.tokens,
                retry: self.retry,
                limiter,
                clock: self.clock,
                default_scopes: self.default_scopes,
                limits: BodyLimits {
                    deadline: self.request_deadline,
                    read_timeout: self.read_timeout,
                    max_bytes: self.max_response_bytes,
                },
            }),
        })
    }
}

struct ClientInner {
    http: reqwest::Client,
    root: Url,
    tokens: Arc<dyn TokenSource>,
    retry: RetryPolicy,
    limiter: ConcurrencyLimiter,
    clock: Arc<dyn Clock>,
    default_scopes: Vec<String>,
    limits: BodyLimits,
}

/// A Microsoft Graph v1.0 client. Cheap to clone; clones share the connection pool and limiter.
#[derive(Clone)]
pub struct GraphClient {
    inner: Arc<ClientInner>,
}

impl fmt::Debug for GraphClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GraphClient")
            .field("root", &self.inner.root.as_str())
            .field("retry", &self.inner.retry)
            .field("limiter", &self.inner.limiter.stats())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for GraphClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GraphClientBuilder")
            .field("cloud", &self.cloud)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// Why an attempt failed and whether to try again.
enum Failure {
    Retry(GraphError, Option<Duration>),
    Fatal(GraphError),
}

impl GraphClient {
    /// Starts building a client for `cloud` (a [`Cloud`] or a service root URL such as the emulator's
    /// `http://127.0.0.1:PORT`; `/v1.0` is appended) with tokens from `tokens`.
    pub fn builder(cloud: impl Into<Cloud>, tokens: Arc<dyn TokenSource>) -> GraphClientBuilder {
        GraphClientBuilder {
            cloud: cloud.into(),
            tokens,
            retry: RetryPolicy::default(),
            limiter: None,
            clock: Arc::new(SystemClock),
            default_scopes: Vec::new(),
            user_agent: format!("roster/{}", env!("CARGO_PKG_VERSION")),
            connect_timeout: Duration::from_secs(15),
            read_timeout: Duration::from_secs(120),
            request_deadline: DEFAULT_REQUEST_DEADLINE,
            max_response_bytes: MAX_RESPONSE_BYTES,
        }
    }

    /// The version root, e.g. `https://graph.microsoft.com/v1.0`.
    pub fn version_root(&self) -> &Url {
        &self.inner.root
    }

    /// The shared concurrency limiter (to read its stats or share it with another client).
    pub fn limiter(&self) -> &ConcurrencyLimiter {
        &self.inner.limiter
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The clock used for retry waits.
    pub(crate) fn clock(&self) -> Arc<dyn Clock> {
        Arc::clone(&self.inner.clock)
    }

    /// How long and how much the client reads of one answer.
    pub(crate) fn limits(&self) -> BodyLimits {
        self.inner.limits
    }

    /// The absolute URL of a directory object, as `@odata.id`/`members@odata.bind` references want it.
    pub fn directory_object_url(&self, id: &str) -> String {
        format!(
            "{}/directoryObjects/{}",
            self.root_str(),
            crate::query::encode_segment(id)
        )
    }

    fn root_str(&self) -> &str {
        self.inner.root.as_str().trim_end_matches('/')
    }

    /// Turns a relative path or a nextLink into a URL, refusing absolute URLs on another host (a token
    /// must never be sent anywhere but the configured Graph service).
    pub(crate) fn resolve(&self, url: &str) -> Result<Url, GraphError> {
        let parsed = if url.starts_with("http://") || url.starts_with("https://") {
            Url::parse(url)
                .map_err(|e| GraphError::usage(format!("'{url}' is not a valid URL ({e})")))?
        } else {
            let path = url.trim_start_matches('/');
            Url::parse(&format!("{}/{path}", self.root_str())).map_err(|e| {
                GraphError::usage(format!("'{url}' is not a valid Graph path ({e})"))
            })?
        };
        if parsed.origin() != self.inner.root.origin() {
            return Err(GraphError::usage(format!(
                "refusing to send a token to {}: it is not the configured Graph service {}",
                parsed.origin().ascii_serialization(),
                self.inner.root.origin().ascii_serialization()
            )));
        }
        Ok(parsed)
    }

    /// Sends a request with retries and returns the whole answer (2xx) or a typed error.
    pub async fn send(&self, request: GraphRequest) -> Result<GraphResponse, GraphError> {
        let limits = self.limits();
        self.execute(&request, |response, context| async move {
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = limits.read(response, &context).await?;
            Ok(GraphResponse {
                status,
                headers,
                body,
                request: context,
            })
        })
        .await
    }

    /// GET a URL (relative or a nextLink) and parse the JSON answer.
    pub async fn get_json<T: DeserializeOwned>(&self, url: &str) -> Result<T, GraphError> {
        self.send(GraphRequest::get(url)).await?.json()
    }

    /// The retry loop. `on_success` reads a 2xx response; a [`ErrorKind::Network`] error from it (a body
    /// cut off) retries the same request, any other error ends it.
    pub(crate) async fn execute<R, F, Fut>(
        &self,
        request: &GraphRequest,
        mut on_success: F,
    ) -> Result<R, GraphError>
    where
        F: FnMut(reqwest::Response, RequestContext) -> Fut,
        Fut: Future<Output = Result<R, GraphError>>,
    {
        let inner = &self.inner;
        let url = self.resolve(&request.url)?;
        let context = RequestContext {
            method: request.method.to_string(),
            path: display_path(&url),
            advanced: request.advanced,
        };
        let scopes = if request.scopes.is_empty() {
            &inner.default_scopes
        } else {
            &request.scopes
        };
        let client_request_id = uuid::Uuid::new_v4().to_string();
        let started = inner.clock.now();
        let mut attempts = 0u32;
        let mut refreshed = false;
        loop {
            attempts += 1;
            let token = inner
                .tokens
                .access_token(scopes)
                .await
                .map_err(|e| GraphError::token(e, context.clone()))?;
            let permit = inner.limiter.acquire().await;
            let mut builder = inner
                .http
                .request(request.method.clone(), url.clone())
                .bearer_auth(token.secret())
                .header("client-request-id", &client_request_id);
            if !request
                .headers
                .iter()
                .any(|(name, _)| name.eq_ignore_ascii_case("accept"))
            {
                builder = builder.header(ACCEPT, "application/json");
            }
            if request.advanced {
                builder = builder.header("ConsistencyLevel", "eventual");
            }
            for (name, value) in &request.headers {
                builder = builder.header(name, value);
            }
            if let Some(body) = &request.body {
                builder = builder.json(body);
            }
            let failure = match builder.send().await {
                Err(e) => Failure::Retry(inner.limits.network(e, &context), None),
                Ok(response) => {
                    let status = response.status();
                    let retry_after = response
                        .headers()
                        .get(RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| parse_retry_after(v, inner.clock.now()));
                    inner
                        .limiter
                        .observe(status.as_u16(), response.headers(), retry_after);
                    tracing::debug!(method = %context.method, path = %context.path, status = status.as_u16(), attempts, "graph response");
                    if status.is_success() {
                        match on_success(response, context.clone()).await {
                            Ok(value) => return Ok(value),
                            Err(e) if e.kind == ErrorKind::Network => Failure::Retry(e, None),
                            Err(e) => Failure::Fatal(e),
                        }
                    } else {
                        let headers = response.headers().clone();
                        match inner.limits.read(response, &context).await {
                            Err(e) if e.kind == ErrorKind::Network => Failure::Retry(e, None),
                            Err(e) => Failure::Fatal(e),
                            Ok(body) => {
                                let error = GraphError::from_response(
                                    status.as_u16(),
                                    &headers,
                                    &body,
                                    context.clone(),
                                );
                                if status == StatusCode::UNAUTHORIZED && !refreshed {
                                    refreshed = true;
                                    inner.tokens.invalidate(&token).await;
                                    drop(permit);
                                    continue;
                                }
                                match status.as_u16() {
                                    429 | 503 | 504 => Failure::Retry(error, retry_after),
                                    _ => Failure::Fatal(error),
                                }
                            }
                        }
                    }
                }
            };
            drop(permit);
            let elapsed = inner
                .clock
                .now()
                .duration_since(started)
                .unwrap_or_default();
            let (error, retry_after) = match failure {
                Failure::Fatal(error) => {
                    return Err(error
                        .with_attempts(attempts, elapsed)
                        .with_client_request_id(&client_request_id));
                }
                Failure::Retry(error, retry_after) => (error, retry_after),
            };
            let delay = inner.retry.delay(attempts, retry_after, jitter_sample());
            if !inner.retry.allows(attempts, elapsed, delay) {
                return Err(error
                    .with_attempts(attempts, elapsed)
                    .with_client_request_id(&client_request_id));
            }
            tracing::debug!(path = %context.path, attempts, delay_ms = delay.as_millis() as u64, error = %error.message, "retrying graph request");
            inner.clock.sleep(delay).await;
        }
    }
}

/// Path and query of `url` for messages, percent-decoded so filters read as written.
fn display_path(url: &Url) -> String {
    let mut path = url.path().to_owned();
    if let Some(query) = url.query() {
        path.push('?');
        path.push_str(query);
    }
    percent_decode_str(&path).decode_utf8_lossy().into_owned()
}

/// A JSON body that does not match what Graph documents.
pub(crate) fn decode_error(err: &serde_json::Error, request: &RequestContext) -> GraphError {
    GraphError::new(
        ErrorKind::Decode,
        format!("the answer is not valid JSON of the expected shape ({err})"),
        request.clone(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::{AccessToken, StaticToken};

    fn client(root: &str) -> GraphClient {
        GraphClient::builder(root, Arc::new(StaticToken(AccessToken::new("t"))))
            .build()
            .unwrap()
    }

    #[test]
    fn relative_paths_and_next_links_resolve_under_the_root() {
        let c = client("http://127.0.0.1:9000");
        assert_eq!(
            c.resolve("/users?$top=5").unwrap().as_str(),
            "http://127.0.0.1:9000/v1.0/users?$top=5"
        );
        assert_eq!(
            c.resolve("users").unwrap().as_str(),
            "http://127.0.0.1:9000/v1.0/users"
        );
        let link = "http://127.0.0.1:9000/v1.0/users?$top=5&$skiptoken=abc";
        assert_eq!(c.resolve(link).unwrap().as_str(), link);
        assert_eq!(
            c.directory_object_url("u1"),
            "http://127.0.0.1:9000/v1.0/directoryObjects/u1"
        );
    }

    #[test]
    fn tokens_are_never_sent_to_another_host() {
        let c = client("https://graph.microsoft.com");
        let err = c
            .resolve("https://evil.example.com/v1.0/users?$skiptoken=x")
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Usage);
        assert!(
            err.to_string().contains("refusing to send a token"),
            "{err}"
        );
        assert!(
            c.resolve("http://graph.microsoft.com/v1.0/users").is_err(),
            "scheme downgrade"
        );
    }

    #[test]
    fn error_paths_read_as_written() {
        let url = Url::parse("http://h/v1.0/users?$filter=endsWith(mail,%27%23EXT%23%27)").unwrap();
        assert_eq!(
            display_path(&url),
            "/v1.0/users?$filter=endsWith(mail,'#EXT#')"
        );
    }

    #[test]
    fn builder_refuses_a_bad_root() {
        let err = GraphClient::builder("nonsense", Arc::new(StaticToken(AccessToken::new("t"))))
            .build()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Usage);
    }
}
