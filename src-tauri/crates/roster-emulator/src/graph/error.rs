//! Graph's error envelope (graph-api.md §1.4) and the errors the routes raise.

use crate::odata::ODataError;
use crate::tenant::WriteError;

/// An error answered in Graph's `{"error":{"code","message","innerError"}}` envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphError {
    /// HTTP status.
    pub status: u16,
    /// `error.code`.
    pub code: &'static str,
    /// `error.message`.
    pub message: String,
    /// Extra response headers (e.g. `Retry-After`).
    pub headers: Vec<(&'static str, String)>,
}

impl GraphError {
    /// An error with no extra headers.
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            headers: Vec::new(),
        }
    }

    /// 400 `Request_BadRequest`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "Request_BadRequest", message)
    }

    /// 403 `Authorization_RequestDenied` "Insufficient privileges to complete the operation."
    pub fn forbidden() -> Self {
        Self::new(
            403,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        )
    }

    /// 404 `Request_ResourceNotFound` for `id`.
    pub fn not_found(id: &str) -> Self {
        Self::new(
            404,
            "Request_ResourceNotFound",
            format!(
                "Resource '{id}' does not exist or one of its queried reference-property objects are not present."
            ),
        )
    }

    /// 400 for a path this emulator does not serve (Graph answers unknown segments this way).
    pub fn unknown_segment(segment: &str) -> Self {
        Self::bad_request(format!("Resource not found for the segment '{segment}'."))
    }

    /// 405 for a method the target does not accept.
    pub fn method_not_allowed() -> Self {
        Self::new(
            405,
            "Request_BadRequest",
            "Specified HTTP method is not allowed for the request target.",
        )
    }

    /// 429 `TooManyRequests` with `Retry-After`.
    pub fn too_many_requests(retry_after: u64) -> Self {
        let mut e = Self::new(429, "TooManyRequests", "Please retry again later.");
        e.headers.push(("Retry-After", retry_after.to_string()));
        e
    }

    /// The JSON body for this error.
    pub fn body(&self, request_id: &str, client_request_id: &str, date: &str) -> Vec<u8> {
        let mut inner = serde_json::Map::new();
        if self.status == 429 {
            inner.insert("code".into(), "429".into());
            inner.insert("message".into(), "Please retry after".into());
            inner.insert("status".into(), "429".into());
        }
        inner.insert("date".into(), date.into());
        inner.insert("request-id".into(), request_id.into());
        inner.insert("client-request-id".into(), client_request_id.into());
        let body = serde_json::json!({
            "error": { "code": self.code, "message": self.message, "innerError": inner }
        });
        serde_json::to_vec(&body).unwrap_or_default()
    }
}

impl From<ODataError> for GraphError {
    fn from(e: ODataError) -> Self {
        Self::new(e.status, e.code, e.message)
    }
}

impl From<WriteError> for GraphError {
    fn from(e: WriteError) -> Self {
        let message = e.to_string();
        match e {
            WriteError::AlreadyMember | WriteError::NotMember | WriteError::Dynamic => {
                Self::new(400, "Request_BadRequest", message)
            }
            WriteError::UnsupportedMemberType(_)
            | WriteError::NotDynamic
            | WriteError::InvalidRule(_) => Self::new(400, "Request_BadRequest", message),
            WriteError::NotFound(_) => Self::new(404, "Request_ResourceNotFound", message),
            WriteError::ManagedOnPremises | WriteError::ManagedInExchange => {
                Self::new(403, "Authorization_RequestDenied", message)
            }
        }
    }
}
