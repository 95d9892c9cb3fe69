//! The managed-identity endpoint of an Azure App Service host (`IDENTITY_ENDPOINT` /
//! `IDENTITY_HEADER`), as `azure_identity`'s ManagedIdentityCredential calls it:
//! `GET /msi/token?api-version=2019-08-01&resource=...` with the `X-IDENTITY-HEADER` secret. The
//! emulator's managed identity is the demo app: its tokens carry the demo app's roles.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::state::IdentityState;

/// The path to put in `IDENTITY_ENDPOINT` (after the emulator's base URL).
pub const MANAGED_IDENTITY_PATH: &str = "/msi/token";

/// The `IDENTITY_HEADER` value the emulator's managed-identity endpoint accepts.
pub const MANAGED_IDENTITY_HEADER: &str = "roster-emulator-managed-identity";

fn refuse(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!({ "statusCode": status.as_u16(), "message": message })),
    )
        .into_response()
}

/// `GET /msi/token`.
pub(crate) async fn token(
    State(state): State<Arc<IdentityState>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if headers
        .get("x-identity-header")
        .and_then(|v| v.to_str().ok())
        != Some(MANAGED_IDENTITY_HEADER)
    {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "The X-IDENTITY-HEADER header is missing or wrong: set IDENTITY_HEADER to the emulator's value.",
        );
    }
    if query.get("api-version").map(String::as_str) != Some("2019-08-01") {
        return refuse(StatusCode::BAD_REQUEST, "api-version must be 2019-08-01.");
    }
    let Some(resource) = query.get("resource").filter(|r| !r.is_empty()) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "The resource parameter is required.",
        );
    };
    if !resource
        .trim_end_matches('/')
        .eq_ignore_ascii_case("https://graph.microsoft.com")
    {
        return refuse(
            StatusCode::BAD_REQUEST,
            "The emulator issues managed-identity tokens for https://graph.microsoft.com only.",
        );
    }
    let (access_token, expires_on) = state.mint_managed_identity_token();
    Json(json!({
        "access_token": access_token,
        "expires_on": expires_on.to_string(),
        "resource": resource,
        "token_type": "Bearer",
    }))
    .into_response()
}
