//! Identity-platform error responses, shaped like Entra's: an OAuth `error`, an
//! `error_description` that starts with `AADSTSnnnn:` and ends with trace id, correlation id and
//! timestamp, plus `error_codes`, `timestamp`, `trace_id`, `correlation_id` and `error_uri`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// One identity-platform error (token, devicecode and configuration endpoints answer it as JSON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    /// The HTTP status (400 for most, 401 for `invalid_client`).
    pub status: StatusCode,
    /// The OAuth error (`invalid_grant`, `authorization_pending`, ...).
    pub error: &'static str,
    /// The AADSTS number.
    pub code: u32,
    /// The message after `AADSTSnnnn: `.
    pub message: String,
    /// Entra's `suberror` (`consent_required`, `bad_token`), when it sends one.
    pub suberror: Option<&'static str>,
}

impl OAuthError {
    /// A 400 error.
    pub fn new(error: &'static str, code: u32, message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            error,
            code,
            message: message.into(),
            suberror: None,
        }
    }

    /// Replaces the HTTP status.
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// Adds Entra's `suberror`.
    pub fn with_suberror(mut self, suberror: &'static str) -> Self {
        self.suberror = Some(suberror);
        self
    }

    /// `invalid_request` for a missing parameter (AADSTS900144).
    pub fn missing(parameter: &str) -> Self {
        Self::new(
            "invalid_request",
            900144,
            format!("The request body must contain the following parameter: '{parameter}'."),
        )
    }

    /// The tenant in the path is neither the emulated tenant (id or domain) nor `common`/`organizations`.
    pub fn unknown_tenant(tenant: &str) -> Self {
        Self::new(
            "invalid_tenant",
            90002,
            format!(
                "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing \
                 into the correct cloud. Check with your subscription administrator, this may happen if there \
                 are no active subscriptions for the tenant."
            ),
        )
    }

    /// The full `error_description`, with the trailer Entra appends.
    pub fn description(&self, trace_id: &str, correlation_id: &str, timestamp: &str) -> String {
        format!(
            "AADSTS{}: {}\r\nTrace ID: {trace_id}\r\nCorrelation ID: {correlation_id}\r\nTimestamp: {timestamp}",
            self.code, self.message
        )
    }

    /// The JSON body Entra sends.
    pub fn body(&self) -> serde_json::Value {
        let trace_id = uuid::Uuid::new_v4().to_string();
        let correlation_id = uuid::Uuid::new_v4().to_string();
        let timestamp = chrono::Utc::now().format("%Y-%m-%d %H:%M:%SZ").to_string();
        let mut body = json!({
            "error": self.error,
            "error_description": self.description(&trace_id, &correlation_id, &timestamp),
            "error_codes": [self.code],
            "timestamp": timestamp,
            "trace_id": trace_id,
            "correlation_id": correlation_id,
            "error_uri": format!("https://login.microsoftonline.com/error?code={}", self.code),
        });
        if let (Some(suberror), Some(map)) = (self.suberror, body.as_object_mut()) {
            map.insert("suberror".to_owned(), json!(suberror));
        }
        body
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body())).into_response();
        response.headers_mut().insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store, no-cache"),
        );
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_has_every_field_entra_sends() {
        let body = OAuthError::new(
            "invalid_grant",
            54005,
            "OAuth2 Authorization code was already redeemed.",
        )
        .with_suberror("bad_token")
        .body();
        assert_eq!(body["error"], "invalid_grant");
        assert_eq!(body["error_codes"], json!([54005]));
        assert_eq!(body["suberror"], "bad_token");
        let description = body["error_description"].as_str().unwrap();
        assert!(description.starts_with(
            "AADSTS54005: OAuth2 Authorization code was already redeemed.\r\nTrace ID: "
        ));
        assert!(description.contains(&format!(
            "Correlation ID: {}",
            body["correlation_id"].as_str().unwrap()
        )));
        assert!(description.ends_with(&format!(
            "Timestamp: {}",
            body["timestamp"].as_str().unwrap()
        )));
    }
}
