//! `session_*` commands: who is signed in; sign in (reporting progress as an event) and out; the
//! saved accounts of the picker.

use tauri::{AppHandle, Runtime, State};

use crate::ipc::{
    AccountRequest, AppError, SessionDto, SignInOptionsDto, SignInProgressDto, SignInRequest,
};
use crate::state::AppState;

/// The current session.
#[tauri::command]
pub async fn session_get(state: State<'_, AppState>) -> Result<SessionDto, AppError> {
    Ok(state.session().await)
}

/// Signs in with a browser, a device code, or to the demo tenant; what the person must do meanwhile
/// arrives as `session-sign-in-progress` events.
#[tauri::command]
pub async fn session_sign_in<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: SignInRequest,
) -> Result<SessionDto, AppError> {
    state
        .sign_in_with_progress(request, move |progress| {
            if let Err(error) = crate::ipc::emit(&app, &progress) {
                tracing::warn!(%error, "could not send sign-in progress to the window");
            }
        })
        .await
}

/// Signs out (a real account's saved sign-in is removed from the keyring); a saved sign-in that
/// cannot be removed is reported, not hidden.
#[tauri::command]
pub async fn session_sign_out(state: State<'_, AppState>) -> Result<SessionDto, AppError> {
    state.sign_out_checked().await
}

/// Asks for the permission to make changes (a browser sign-in for read and write).
#[tauri::command]
pub async fn session_allow_changes(state: State<'_, AppState>) -> Result<(), AppError> {
    state.allow_changes().await
}

/// The saved accounts for the picker.
#[tauri::command]
pub async fn session_accounts(state: State<'_, AppState>) -> Result<SignInOptionsDto, AppError> {
    state.accounts()
}

/// Signs in silently to a saved account.
#[tauri::command]
pub async fn session_use_account(
    state: State<'_, AppState>,
    request: AccountRequest,
) -> Result<SessionDto, AppError> {
    state.use_account(&request.key).await
}

/// Forgets a saved account (and its refresh token).
#[tauri::command]
pub async fn session_remove_account(
    state: State<'_, AppState>,
    request: AccountRequest,
) -> Result<SignInOptionsDto, AppError> {
    state.remove_account(&request.key).await
}

/// Leaves the current session, keeping the account saved, to pick another.
#[tauri::command]
pub async fn session_switch_account(state: State<'_, AppState>) -> Result<SessionDto, AppError> {
    Ok(state.switch_account().await)
}

/// Cancels the running sign-in.
#[tauri::command]
pub async fn session_cancel_sign_in(state: State<'_, AppState>) -> Result<(), AppError> {
    state.cancel_sign_in();
    Ok(())
}

/// What the running sign-in asks of the person.
#[tauri::command]
pub async fn session_sign_in_progress(
    state: State<'_, AppState>,
) -> Result<SignInProgressDto, AppError> {
    Ok(SignInProgressDto {
        progress: state.sign_in_progress(),
    })
}

/// Opens the device-code verification page in the system browser.
#[tauri::command]
pub async fn session_open_device_page(state: State<'_, AppState>) -> Result<(), AppError> {
    state.open_device_page()
}
