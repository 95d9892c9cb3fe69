//! `session_*` commands: who is signed in; sign in and out.

use tauri::State;

use crate::ipc::{AppError, SessionDto, SignInRequest};
use crate::state::AppState;

/// The current session.
#[tauri::command]
pub async fn session_get(state: State<'_, AppState>) -> Result<SessionDto, AppError> {
    Ok(state.session().await)
}

/// Signs in with a browser, a device code, or to the demo tenant.
#[tauri::command]
pub async fn session_sign_in(
    state: State<'_, AppState>,
    request: SignInRequest,
) -> Result<SessionDto, AppError> {
    state.sign_in(request).await
}

/// Signs out.
#[tauri::command]
pub async fn session_sign_out(state: State<'_, AppState>) -> Result<SessionDto, AppError> {
    Ok(state.sign_out().await)
}
