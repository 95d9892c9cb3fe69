//! JSON batching (`POST /$batch`): up to 20 requests per call, per-item results, `dependsOn`, and
//! retries of only the items Graph throttled or could not serve (429/503/504), after the longest
//! `Retry-After` among them.

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::client::{GraphClient, GraphRequest};
use crate::error::{ErrorKind, GraphError, RequestContext};
use crate::query::{ListQuery, Resource};
use crate::retry::{jitter_sample, parse_retry_after};

/// Graph's limit of requests per batch.
pub const MAX_BATCH: usize = 20;

/// One request inside a batch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BatchRequest {
    /// Unique (case-insensitively) within the batch; results carry it back.
    pub id: String,
    /// HTTP method, e.g. `GET`.
    pub method: String,
    /// URL relative to the version root, e.g. `/users/{id}`.
    pub url: String,
    /// Request headers (e.g. `ConsistencyLevel`); `Content-Type` is required when a body is present.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// A JSON body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    /// Ids of requests that must succeed first (a failed dependency yields 424 for this one).
    #[serde(rename = "dependsOn", skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
}

impl BatchRequest {
    /// A request with no body.
    pub fn new(id: impl Into<String>, method: Method, url: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            method: method.to_string(),
            url: url.into(),
            headers: BTreeMap::new(),
            body: None,
            depends_on: Vec::new(),
        }
    }

    /// A GET of a collection with `query`; adds `ConsistencyLevel: eventual` when the query needs it
    /// (headers inside a batch are per item).
    pub fn list(id: impl Into<String>, path: &str, query: &ListQuery, resource: Resource) -> Self {
        let mut request = Self::new(id, Method::GET, query.path_and_query(path, resource));
        if query.needs_advanced(resource) {
            request
                .headers
                .insert("ConsistencyLevel".into(), "eventual".into());
        }
        request
    }

    /// Sets a JSON body (and its `Content-Type`).
    pub fn json(mut self, body: Value) -> Self {
        self.headers
            .insert("Content-Type".into(), "application/json".into());
        self.body = Some(body);
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.insert(name.into(), value.into());
        self
    }

    /// Makes this request wait for `ids`.
    pub fn depends_on<I: IntoIterator<Item = S>, S: Into<String>>(mut self, ids: I) -> Self {
        self.depends_on = ids.into_iter().map(Into::into).collect();
        self
    }
}

/// The body of one batched answer, as the caller wants it: a parsed [`Value`] tree, or the item's
/// JSON text untouched (`Box<RawValue>`, for callers that stream it, e.g. into CSV cells).
pub trait ItemBody: DeserializeOwned + Send + 'static {
    /// The body as JSON text (for error envelopes).
    fn json_text(&self) -> String;
}

impl ItemBody for Value {
    fn json_text(&self) -> String {
        self.to_string()
    }
}

impl ItemBody for Box<RawValue> {
    fn json_text(&self) -> String {
        self.get().to_owned()
    }
}

/// The result of one batched request; `B` is how its body is kept (see [`ItemBody`]).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(bound = "B: ItemBody")]
pub struct BatchResponse<B = Value> {
    /// The request's id.
    pub id: String,
    /// Its HTTP status.
    pub status: u16,
    /// Its response headers.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Its body (a Graph body or an error envelope), when there is one.
    #[serde(default)]
    pub body: Option<B>,
}

impl<B: ItemBody> BatchResponse<B> {
    /// Whether the item succeeded (2xx).
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// A header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The item's failure as a typed error (`None` on success).
    pub fn error(&self, request: &BatchRequest) -> Option<GraphError> {
        if self.is_success() {
            return None;
        }
        let mut headers = HeaderMap::new();
        for (name, value) in &self.headers {
            if let (Ok(name), Ok(value)) = (
                HeaderName::try_from(name.as_str()),
                HeaderValue::try_from(value.as_str()),
            ) {
                headers.insert(name, value);
            }
        }
        let body = self.body.as_ref().map(B::json_text).unwrap_or_default();
        let context = RequestContext {
            method: request.method.clone(),
            path: request.url.clone(),
            advanced: request
                .headers
                .keys()
                .any(|k| k.eq_ignore_ascii_case("ConsistencyLevel")),
        };
        Some(GraphError::from_response(
            self.status,
            &headers,
            body.as_bytes(),
            context,
        ))
    }

    fn retryable(&self) -> bool {
        matches!(self.status, 429 | 503 | 504)
    }
}

#[derive(Serialize)]
struct BatchBody<'a> {
    requests: &'a [BatchRequest],
}

#[derive(Deserialize)]
#[serde(bound = "B: ItemBody")]
struct BatchAnswer<B> {
    responses: Vec<BatchResponse<B>>,
}

/// Checks ids and sizes before anything is sent.
fn validate(requests: &[BatchRequest]) -> Result<(), GraphError> {
    let mut seen = HashSet::new();
    for request in requests {
        if !seen.insert(request.id.to_ascii_lowercase()) {
            return Err(GraphError::usage(format!(
                "batch request id '{}' is used twice",
                request.id
            )));
        }
        if request.body.is_some()
            && !request
                .headers
                .keys()
                .any(|k| k.eq_ignore_ascii_case("content-type"))
        {
            return Err(GraphError::usage(format!(
                "batch request '{}' has a body but no Content-Type",
                request.id
            )));
        }
    }
    if requests.len() > MAX_BATCH && requests.iter().any(|r| !r.depends_on.is_empty()) {
        return Err(GraphError::usage(format!(
            "{} requests with dependsOn cannot be split; Graph takes at most {MAX_BATCH} per batch",
            requests.len()
        )));
    }
    Ok(())
}

/// The items to send again: retryable failures, plus items that failed with 424 because something they
/// depend on is being retried. Dependencies on items that already succeeded are dropped.
pub(crate) fn retry_set<B: ItemBody>(
    requests: &[BatchRequest],
    results: &BTreeMap<String, BatchResponse<B>>,
) -> Vec<BatchRequest> {
    let mut retry: HashSet<String> = results
        .values()
        .filter(|r| r.retryable())
        .map(|r| r.id.to_ascii_lowercase())
        .collect();
    loop {
        let before = retry.len();
        for request in requests {
            let id = request.id.to_ascii_lowercase();
            let failed_dependency = results.get(&request.id).is_some_and(|r| r.status == 424);
            if failed_dependency
                && request
                    .depends_on
                    .iter()
                    .any(|d| retry.contains(&d.to_ascii_lowercase()))
            {
                retry.insert(id);
            }
        }
        if retry.len() == before {
            break;
        }
    }
    requests
        .iter()
        .filter(|r| retry.contains(&r.id.to_ascii_lowercase()))
        .map(|r| {
            let mut r = r.clone();
            r.depends_on
                .retain(|d| retry.contains(&d.to_ascii_lowercase()));
            r
        })
        .collect()
}

/// The longest `Retry-After` among the items to retry (each capped at
/// [`MAX_RETRY_AFTER`](crate::MAX_RETRY_AFTER) by [`parse_retry_after`]).
fn longest_retry_after<B: ItemBody>(
    retry: &[BatchRequest],
    results: &BTreeMap<String, BatchResponse<B>>,
    now: std::time::SystemTime,
) -> Option<Duration> {
    retry
        .iter()
        .filter_map(|r| results.get(&r.id))
        .filter_map(|r| {
            r.header("Retry-After")
                .and_then(|v| parse_retry_after(v, now))
        })
        .max()
}

impl GraphClient {
    /// Sends `requests` as JSON batches of at most 20 (more only when none uses `dependsOn`), retries
    /// the items that came back 429/503/504 within the client's retry budget, and returns one result
    /// per request, in request order. Items still failing after the budget keep their last answer.
    pub async fn batch(
        &self,
        requests: Vec<BatchRequest>,
    ) -> Result<Vec<BatchResponse>, GraphError> {
        self.batch_as(requests).await
    }

    /// [`batch`](Self::batch), with each item's body kept as its JSON text instead of a parsed
    /// tree: no allocation per property, for callers that read the bodies once (member pages
    /// rendered straight to CSV cells).
    pub async fn batch_raw(
        &self,
        requests: Vec<BatchRequest>,
    ) -> Result<Vec<BatchResponse<Box<RawValue>>>, GraphError> {
        self.batch_as(requests).await
    }

    async fn batch_as<B: ItemBody>(
        &self,
        requests: Vec<BatchRequest>,
    ) -> Result<Vec<BatchResponse<B>>, GraphError> {
        validate(&requests)?;
        let mut results: BTreeMap<String, BatchResponse<B>> = BTreeMap::new();
        for chunk in requests.chunks(MAX_BATCH) {
            self.batch_chunk(chunk, &mut results).await?;
        }
        requests
            .iter()
            .map(|r| {
                results.remove(&r.id).ok_or_else(|| {
                    GraphError::new(
                        ErrorKind::Decode,
                        format!("the batch answer has no result for request '{}'", r.id),
                        RequestContext {
                            method: "POST".into(),
                            path: "/$batch".into(),
                            advanced: false,
                        },
                    )
                })
            })
            .collect()
    }

    async fn batch_chunk<B: ItemBody>(
        &self,
        chunk: &[BatchRequest],
        results: &mut BTreeMap<String, BatchResponse<B>>,
    ) -> Result<(), GraphError> {
        let policy = self.retry_policy().clone();
        let clock = self.clock();
        let started = clock.now();
        let mut pending = chunk.to_vec();
        let mut round = 0u32;
        loop {
            round += 1;
            let body = serde_json::to_value(BatchBody { requests: &pending })
                .map_err(|e| GraphError::usage(format!("could not encode the batch: {e}")))?;
            let answer: BatchAnswer<B> = self
                .send(GraphRequest::new(Method::POST, "/$batch").json(body))
                .await?
                .json()?;
            for response in answer.responses {
                // Key results by the request's own spelling of the id.
                let key = pending
                    .iter()
                    .find(|r| r.id.eq_ignore_ascii_case(&response.id))
                    .map_or_else(|| response.id.clone(), |r| r.id.clone());
                self.limiter().record(
                    response.status,
                    response
                        .header("x-ms-throttle-limit-percentage")
                        .and_then(|v| v.parse().ok()),
                    response
                        .header("x-ms-resource-unit")
                        .and_then(|v| v.parse().ok()),
                    response
                        .header("Retry-After")
                        .and_then(|v| parse_retry_after(v, clock.now())),
                );
                results.insert(key, response);
            }
            let retry = retry_set(chunk, results);
            if retry.is_empty() {
                return Ok(());
            }
            let longest = longest_retry_after(&retry, results, clock.now());
            let delay = policy.delay(round, longest, jitter_sample());
            let elapsed = clock
                .now()
                .duration_since(started)
                .unwrap_or(Duration::ZERO);
            if !policy.allows(round, elapsed, delay) {
                return Ok(());
            }
            clock.sleep(delay).await;
            pending = retry;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(id: &str, status: u16, retry_after: Option<&str>) -> BatchResponse {
        let mut headers = BTreeMap::new();
        if let Some(v) = retry_after {
            headers.insert("Retry-After".to_owned(), v.to_owned());
        }
        BatchResponse {
            id: id.into(),
            status,
            headers,
            body: None,
        }
    }

    #[test]
    fn an_items_absurd_retry_after_is_capped() {
        let requests = [
            BatchRequest::new("a", Method::GET, "/me"),
            BatchRequest::new("b", Method::GET, "/me"),
        ];
        let results: BTreeMap<String, BatchResponse> = [
            response("a", 429, Some("18446744073709551615")),
            response("b", 503, Some("Fri, 31 Dec 9999 23:59:59 GMT")),
        ]
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect();
        let now = std::time::SystemTime::now();
        assert_eq!(
            longest_retry_after(&requests, &results, now),
            Some(crate::MAX_RETRY_AFTER)
        );
    }

    #[test]
    fn encodes_like_the_documented_example() {
        let group = "g1";
        let requests = vec![
            BatchRequest::list("1", &format!("/groups/{group}/members"), &ListQuery::new().top(999).select(["id"]), Resource::Members),
            BatchRequest::new("2", Method::POST, format!("/groups/{group}/members/$ref"))
                .json(serde_json::json!({"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/u1"})),
            BatchRequest::list("3", "/users", &ListQuery::new().select(["id"]).filter("city eq null"), Resource::Users)
                .depends_on(["1"]),
        ];
        let body = serde_json::to_value(BatchBody {
            requests: &requests,
        })
        .unwrap();
        assert_eq!(
            body,
            serde_json::json!({"requests": [
                {"id": "1", "method": "GET", "url": "/groups/g1/members?$select=id&$top=999"},
                {"id": "2", "method": "POST", "url": "/groups/g1/members/$ref",
                 "headers": {"Content-Type": "application/json"},
                 "body": {"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/u1"}},
                {"id": "3", "method": "GET", "url": "/users?$select=id&$filter=city%20eq%20null&$count=true",
                 "headers": {"ConsistencyLevel": "eventual"}, "dependsOn": ["1"]}
            ]})
        );
    }

    #[test]
    fn validation_catches_duplicates_missing_content_type_and_unsplittable_batches() {
        let dup = [
            BatchRequest::new("a", Method::GET, "/me"),
            BatchRequest::new("A", Method::GET, "/me"),
        ];
        assert!(
            validate(&dup)
                .unwrap_err()
                .to_string()
                .contains("used twice")
        );
        let mut no_type = BatchRequest::new("a", Method::POST, "/x");
        no_type.body = Some(Value::Null);
        assert!(
            validate(&[no_type])
                .unwrap_err()
                .to_string()
                .contains("Content-Type")
        );
        let many: Vec<_> = (0..21)
            .map(|i| BatchRequest::new(i.to_string(), Method::GET, "/me").depends_on(["0"]))
            .collect();
        assert!(validate(&many).is_err());
        let many: Vec<_> = (0..45)
            .map(|i| BatchRequest::new(i.to_string(), Method::GET, "/me"))
            .collect();
        assert!(validate(&many).is_ok());
    }

    #[test]
    fn only_throttled_items_and_their_failed_dependents_are_retried() {
        let requests = vec![
            BatchRequest::new("1", Method::GET, "/a"),
            BatchRequest::new("2", Method::GET, "/b"),
            BatchRequest::new("3", Method::GET, "/c").depends_on(["2"]),
            BatchRequest::new("4", Method::GET, "/d").depends_on(["1"]),
            BatchRequest::new("5", Method::GET, "/e"),
        ];
        let results: BTreeMap<_, _> = [
            response("1", 200, None),
            response("2", 429, Some("3")),
            response("3", 424, None),
            response("4", 403, None),
            response("5", 503, None),
        ]
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect();
        let retry = retry_set(&requests, &results);
        let ids: Vec<_> = retry.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["2", "3", "5"]);
        assert_eq!(retry[1].depends_on, ["2"]);
        assert!(results["2"].error(&requests[1]).unwrap().kind() == ErrorKind::Throttled);
        assert!(results["1"].error(&requests[0]).is_none());
    }
}
