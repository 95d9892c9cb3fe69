//! Typed Graph errors: what failed (HTTP status, Graph `code`, ids to quote to Microsoft support), a
//! classification the job runner branches on, and advice in plain words.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;

use crate::token::TokenError;

/// What kind of failure this is; the job runner decides retry, skip-the-row or abort from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The token was refused (401) or nobody is signed in: sign in again, then resume.
    Auth,
    /// The account or app lacks a permission or directory role (403, or consent missing).
    Permission,
    /// The object (user, group, member) does not exist (404).
    NotFound,
    /// Adding a member that already is one: nothing to do.
    AlreadyExists,
    /// Removing a member that is not one: nothing to do.
    NotPresent,
    /// Graph cannot run the query as written (`Request_UnsupportedQuery`, 501 on a collection).
    UnsupportedQuery,
    /// Any other request Graph refused (400, 405, 409, ...): fix the input.
    BadRequest,
    /// Still throttled (429) when the retry budget ran out: resume later, slower.
    Throttled,
    /// Graph stayed unavailable (503/504) for the whole retry budget: resume later.
    Transient,
    /// Graph failed in a way that retrying is unlikely to fix (500, 502, other 5xx).
    Server,
    /// Graph could not be reached or the connection broke, for the whole retry budget.
    Network,
    /// Graph answered with a body that is not what the API documents.
    Decode,
    /// The client was set up or called wrongly (bad base URL, more than 20 ids, ...).
    Usage,
}

impl ErrorKind {
    /// Whether running the same request again later may succeed (throttling, outages, network).
    pub fn is_retryable(self) -> bool {
        matches!(self, Self::Throttled | Self::Transient | Self::Network)
    }

    /// Whether the failure concerns only the one row/object, so a bulk job can record it and go on.
    pub fn is_per_item(self) -> bool {
        matches!(
            self,
            Self::NotFound | Self::AlreadyExists | Self::NotPresent | Self::BadRequest
        )
    }
}

/// The request an error belongs to: method, relative path with query, whether it ran in advanced query
/// mode. Never contains a token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestContext {
    /// HTTP method, e.g. `GET`.
    pub method: String,
    /// Path and query relative to the service root, e.g. `/v1.0/users?$top=999`.
    pub path: String,
    /// Whether `ConsistencyLevel: eventual` was sent.
    pub advanced: bool,
}

/// A failed Graph call. Boxed so `Result<_, GraphError>` stays small; its [`ErrorDetails`] are
/// reachable through `Deref` (`error.status`, `error.code`, ...).
#[derive(Debug, Clone)]
pub struct GraphError(Box<ErrorDetails>);

impl std::ops::Deref for GraphError {
    type Target = ErrorDetails;

    fn deref(&self) -> &ErrorDetails {
        &self.0
    }
}

impl std::ops::DerefMut for GraphError {
    fn deref_mut(&mut self) -> &mut ErrorDetails {
        &mut self.0
    }
}

/// Everything known about a failed Graph call.
#[derive(Debug, Clone)]
pub struct ErrorDetails {
    /// The classification.
    pub kind: ErrorKind,
    /// The HTTP status, when Graph answered.
    pub status: Option<u16>,
    /// Graph's `error.code`, e.g. `Authorization_RequestDenied`.
    pub code: Option<String>,
    /// Graph's `error.message` (developer text), or what went wrong locally.
    pub message: String,
    /// The `request-id` to quote to Microsoft support.
    pub request_id: Option<String>,
    /// The `client-request-id` this client sent.
    pub client_request_id: Option<String>,
    /// `innerError.date` or the `Date` header.
    pub date: Option<String>,
    /// The request that failed.
    pub request: RequestContext,
    /// How many attempts were made.
    pub attempts: u32,
    /// How long the client kept trying.
    pub elapsed: Duration,
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

#[derive(Deserialize)]
struct Envelope {
    error: EnvelopeError,
}

#[derive(Deserialize)]
struct EnvelopeError {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default, rename = "innerError", alias = "innererror")]
    inner: Option<InnerError>,
}

#[derive(Deserialize)]
struct InnerError {
    #[serde(default)]
    date: Option<String>,
    #[serde(default, rename = "request-id")]
    request_id: Option<String>,
    #[serde(default, rename = "client-request-id")]
    client_request_id: Option<String>,
}

impl GraphError {
    /// An error of `kind` with a message and no HTTP details.
    pub fn new(kind: ErrorKind, message: impl Into<String>, request: RequestContext) -> Self {
        Self(Box::new(ErrorDetails {
            kind,
            status: None,
            code: None,
            message: message.into(),
            request_id: None,
            client_request_id: None,
            date: None,
            request,
            attempts: 1,
            elapsed: Duration::ZERO,
            source: None,
        }))
    }

    /// A client misuse caught before anything was sent.
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Usage, message, RequestContext::default())
    }

    /// Builds the error for an HTTP answer from its status, headers and body (a Graph error envelope
    /// when there is one).
    pub fn from_response(
        status: u16,
        headers: &reqwest::header::HeaderMap,
        body: &[u8],
        request: RequestContext,
    ) -> Self {
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let envelope = serde_json::from_slice::<Envelope>(body)
            .ok()
            .map(|e| e.error);
        let inner = envelope.as_ref().and_then(|e| e.inner.as_ref());
        let code = envelope.as_ref().and_then(|e| e.code.clone());
        let message = envelope
            .as_ref()
            .and_then(|e| e.message.clone())
            .unwrap_or_else(|| {
                let text = String::from_utf8_lossy(body);
                let text = text.trim();
                if text.is_empty() {
                    reqwest::StatusCode::from_u16(status)
                        .ok()
                        .and_then(|s| s.canonical_reason())
                        .unwrap_or("no details")
                        .to_owned()
                } else {
                    text.chars().take(300).collect()
                }
            });
        Self(Box::new(ErrorDetails {
            kind: classify(status, code.as_deref(), &message),
            status: Some(status),
            request_id: header("request-id").or_else(|| inner.and_then(|i| i.request_id.clone())),
            client_request_id: header("client-request-id")
                .or_else(|| inner.and_then(|i| i.client_request_id.clone())),
            date: inner
                .and_then(|i| i.date.clone())
                .or_else(|| header("date")),
            code,
            message,
            request,
            attempts: 1,
            elapsed: Duration::ZERO,
            source: None,
        }))
    }

    /// A connection failure or a body cut off in the middle.
    pub(crate) fn network(
        err: impl std::error::Error + Send + Sync + 'static,
        request: RequestContext,
    ) -> Self {
        let mut error = Self::new(ErrorKind::Network, error_chain(&err), request);
        error.source = Some(Arc::new(err));
        error
    }

    /// A transport failure described by `message` (e.g. which deadline it hit), keeping `err` as
    /// its source.
    pub(crate) fn network_with_message(
        err: impl std::error::Error + Send + Sync + 'static,
        message: String,
        request: RequestContext,
    ) -> Self {
        let mut error = Self::new(ErrorKind::Network, message, request);
        error.source = Some(Arc::new(err));
        error
    }

    /// The token source could not supply a token.
    pub(crate) fn token(err: TokenError, request: RequestContext) -> Self {
        let kind = match err {
            TokenError::SignInRequired(_) => ErrorKind::Auth,
            TokenError::ConsentRequired(_) => ErrorKind::Permission,
            TokenError::Unavailable(_) => ErrorKind::Network,
        };
        let mut error = Self::new(kind, err.to_string(), request);
        error.source = Some(Arc::new(err));
        error
    }

    /// Records how many attempts were made over how long.
    pub(crate) fn with_attempts(mut self, attempts: u32, elapsed: Duration) -> Self {
        self.attempts = attempts;
        self.elapsed = elapsed;
        self
    }

    /// Sets the client-request-id when the response did not echo it.
    pub(crate) fn with_client_request_id(mut self, id: &str) -> Self {
        if self.client_request_id.is_none() {
            self.client_request_id = Some(id.to_owned());
        }
        self
    }

    /// The classification (shortcut for `self.kind`).
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// What the person running the job should do, in plain words.
    pub fn advice(&self) -> String {
        crate::advice::advice(self)
    }
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.request.method.is_empty() {
            write!(f, "{}", self.message)?;
        } else {
            write!(f, "{} {} failed", self.request.method, self.request.path)?;
            match (self.status, &self.code) {
                (Some(status), Some(code)) => write!(f, " ({status} {code})")?,
                (Some(status), None) => write!(f, " ({status})")?,
                _ => {}
            }
            write!(f, ": {}", self.message)?;
        }
        write!(f, ". {}", self.advice())?;
        if let Some(id) = &self.request_id {
            write!(f, " [request-id {id}")?;
            if let Some(client) = &self.client_request_id {
                write!(f, ", client-request-id {client}")?;
            }
            if let Some(date) = &self.date {
                write!(f, ", {date}")?;
            }
            f.write_str("]")?;
        }
        Ok(())
    }
}

impl std::error::Error for GraphError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// An error and its sources joined with `: `, e.g. `error sending request: connection reset`.
fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(inner) = source {
        let part = inner.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = inner.source();
    }
    text
}

/// Maps status, code and (only where Graph offers nothing better) the message to an [`ErrorKind`].
fn classify(status: u16, code: Option<&str>, message: &str) -> ErrorKind {
    let lower = message.to_ascii_lowercase();
    match status {
        401 => ErrorKind::Auth,
        403 => ErrorKind::Permission,
        404 | 410 => ErrorKind::NotFound,
        429 => ErrorKind::Throttled,
        503 | 504 => ErrorKind::Transient,
        501 => ErrorKind::UnsupportedQuery,
        400 if lower.contains("added object references already exist") => ErrorKind::AlreadyExists,
        400 if lower.contains("removed object references do not exist") => ErrorKind::NotPresent,
        400 if code == Some("Request_UnsupportedQuery")
            || lower.contains("$count is not currently supported") =>
        {
            ErrorKind::UnsupportedQuery
        }
        400..=499 => ErrorKind::BadRequest,
        _ => ErrorKind::Server,
    }
}

#[cfg(test)]
mod tests {
    use reqwest::header::{HeaderMap, HeaderValue};

    use super::*;

    fn ctx(method: &str, path: &str) -> RequestContext {
        RequestContext {
            method: method.into(),
            path: path.into(),
            advanced: false,
        }
    }

    #[test]
    fn envelope_fields_and_headers_are_read() {
        let mut headers = HeaderMap::new();
        headers.insert("request-id", HeaderValue::from_static("rid-1"));
        let body = br#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation.","innerError":{"date":"2026-11-20T10:00:00","request-id":"rid-inner","client-request-id":"crid-1"}}}"#;
        let err = GraphError::from_response(403, &headers, body, ctx("GET", "/v1.0/users"));
        assert_eq!(err.kind(), ErrorKind::Permission);
        assert_eq!(err.code.as_deref(), Some("Authorization_RequestDenied"));
        assert_eq!(err.request_id.as_deref(), Some("rid-1"));
        assert_eq!(err.client_request_id.as_deref(), Some("crid-1"));
        assert_eq!(err.date.as_deref(), Some("2026-11-20T10:00:00"));
        let text = err.to_string();
        assert!(
            text.starts_with(
                "GET /v1.0/users failed (403 Authorization_RequestDenied): Insufficient"
            ),
            "{text}"
        );
        assert!(text.contains("User.Read.All"), "{text}");
        assert!(
            text.contains("[request-id rid-1, client-request-id crid-1, 2026-11-20T10:00:00]"),
            "{text}"
        );
    }

    #[test]
    fn classification_of_documented_errors() {
        let cases: &[(u16, &str, &str, ErrorKind)] = &[
            (
                400,
                "Request_BadRequest",
                "One or more added object references already exist for the following modified properties: 'members'.",
                ErrorKind::AlreadyExists,
            ),
            (
                400,
                "Request_BadRequest",
                "One or more removed object references do not exist for the following modified properties: 'members'.",
                ErrorKind::NotPresent,
            ),
            (
                400,
                "Request_UnsupportedQuery",
                "Sorting not supported for current query.",
                ErrorKind::UnsupportedQuery,
            ),
            (
                400,
                "Request_BadRequest",
                "$count is not currently supported.",
                ErrorKind::UnsupportedQuery,
            ),
            (
                400,
                "Request_BadRequest",
                "Invalid object identifier 'x'.",
                ErrorKind::BadRequest,
            ),
            (
                401,
                "InvalidAuthenticationToken",
                "Access token has expired.",
                ErrorKind::Auth,
            ),
            (
                404,
                "Request_ResourceNotFound",
                "Resource 'x' does not exist.",
                ErrorKind::NotFound,
            ),
            (
                429,
                "TooManyRequests",
                "Please retry again later.",
                ErrorKind::Throttled,
            ),
            (503, "serviceNotAvailable", "", ErrorKind::Transient),
            (504, "UnknownError", "", ErrorKind::Transient),
            (500, "UnknownError", "", ErrorKind::Server),
            (501, "", "", ErrorKind::UnsupportedQuery),
        ];
        for (status, code, message, kind) in cases {
            assert_eq!(
                classify(*status, Some(code), message),
                *kind,
                "{status} {code} {message}"
            );
        }
        assert!(ErrorKind::Throttled.is_retryable() && !ErrorKind::Permission.is_retryable());
        assert!(ErrorKind::NotFound.is_per_item() && !ErrorKind::Auth.is_per_item());
    }

    #[test]
    fn a_body_that_is_not_an_envelope_still_gives_a_message() {
        let err = GraphError::from_response(
            502,
            &HeaderMap::new(),
            b"<html>bad gateway</html>",
            ctx("GET", "/v1.0/users"),
        );
        assert_eq!(err.kind(), ErrorKind::Server);
        assert_eq!(err.message, "<html>bad gateway</html>");
        let err = GraphError::from_response(501, &HeaderMap::new(), b"", ctx("GET", "/v1.0/users"));
        assert_eq!(err.message, "Not Implemented");
    }
}
