//! The emulator's own endpoints under `/_emulator/` (tests and scripts only, with the `harness`
//! feature): `GET stats`, `GET audit`, `POST token` (mint a token for an account and scopes),
//! `POST faults` (change injected failures), `POST revoke` (revoke an account's refresh tokens).

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::faults::FaultSpec;
use crate::server::AppState;
use crate::stats::Stats;

/// Body of `POST /_emulator/token`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenRequest {
    /// Delegated token for this account (UPN or object id); omit for an app-only token.
    upn: Option<String>,
    /// Delegated scopes.
    #[serde(default)]
    scopes: Vec<String>,
    /// Application roles (app-only tokens).
    #[serde(default)]
    roles: Vec<String>,
    /// Lifetime in seconds (default: the configured token lifetime; negative gives an expired token).
    lifetime_secs: Option<i64>,
}

/// Body of `POST /_emulator/faults`.
#[derive(Debug, Deserialize)]
struct FaultsRequest {
    spec: String,
}

/// Body of `POST /_emulator/revoke`.
#[derive(Debug, Deserialize)]
struct RevokeRequest {
    upn: String,
}

fn problem(status: StatusCode, message: String) -> Response {
    (status, Json(serde_json::json!({ "error": message }))).into_response()
}

/// The control routes.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/_emulator/stats", get(stats))
        .route("/_emulator/audit", get(audit))
        .route("/_emulator/token", post(token))
        .route("/_emulator/faults", post(faults).get(get_faults))
        .route("/_emulator/revoke", post(revoke))
        .with_state(state)
}

async fn stats(State(state): State<Arc<AppState>>) -> Json<Stats> {
    Json(state.stats.snapshot())
}

async fn audit(State(state): State<Arc<AppState>>) -> Response {
    let entries = state.tenant.read().audit().to_vec();
    Json(serde_json::json!({ "value": entries })).into_response()
}

async fn token(State(state): State<Arc<AppState>>, Json(req): Json<TokenRequest>) -> Response {
    let lifetime = req
        .lifetime_secs
        .unwrap_or(state.token_lifetime.as_secs() as i64);
    let token = match &req.upn {
        Some(upn) => {
            if state.tenant.read().find_user(upn).is_none() {
                return problem(
                    StatusCode::NOT_FOUND,
                    format!("no account '{upn}' in this tenant"),
                );
            }
            let scopes: Vec<&str> = req.scopes.iter().map(String::as_str).collect();
            state.mint_user_token(upn, &scopes, lifetime)
        }
        None => {
            let roles: Vec<&str> = req.roles.iter().map(String::as_str).collect();
            state.mint_app_token(&roles, lifetime)
        }
    };
    Json(serde_json::json!({ "access_token": token, "token_type": "Bearer", "expires_in": lifetime })).into_response()
}

async fn faults(State(state): State<Arc<AppState>>, Json(req): Json<FaultsRequest>) -> Response {
    match req.spec.parse::<FaultSpec>() {
        Ok(spec) => {
            state.faults.set(spec);
            Json(serde_json::json!({ "spec": spec.to_string() })).into_response()
        }
        Err(e) => problem(StatusCode::BAD_REQUEST, e.to_string()),
    }
}

async fn get_faults(State(state): State<Arc<AppState>>) -> Response {
    Json(serde_json::json!({ "spec": state.faults.spec().to_string() })).into_response()
}

async fn revoke(State(state): State<Arc<AppState>>, Json(req): Json<RevokeRequest>) -> Response {
    let revoked = state.identity.revoke_refresh_tokens(&req.upn);
    Json(serde_json::json!({ "revoked": revoked })).into_response()
}
