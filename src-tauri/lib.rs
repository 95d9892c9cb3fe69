//! The Roster desktop app: a thin Tauri shell over the same engine as the CLI.
//!
//! This is the composition root: plugins, managed state and command registration. Commands live in
//! [`commands`], every type that crosses to the UI in [`ipc`], the shared state in [`state`].
//!
//! # The boundary with the webview
//!
//! The webview is treated as untrusted input. Its capability (`tauri.conf.json`) grants only
//! `core:event:allow-listen` and `core:event:allow-unlisten`, what `ui/src/lib/ipc/events.ts` needs to
//! receive the app's events; the app's own commands are reached through `invoke` without a
//! permission, and the plugins (dialog, notification, opener, updater) are used from Rust only, which
//! needs none. Files never cross as paths from the webview: native dialogs are opened from Rust
//! ([`native_dialog`]), files dropped on the window are taken from the window's own event
//! ([`file_drop`]), and the UI holds an opaque handle for each file the person chose
//! ([`state::FileUse`]). A command resolves a handle only for the use it was minted for, reads only
//! regular files of the expected kinds (CSV or XLSX member files, CSV files to review) and writes
//! only where the person chose in the save dialog. The UI shows a file's name and path for the person
//! to read; no command accepts a path back.

pub mod commands;
pub mod file_drop;
pub mod ipc;
mod native_dialog;
mod options;
pub mod state;

use tauri::Manager;

pub use options::AppOptions;
pub use state::AppState;

use ipc::{Cloud, SignInMethod, SignInRequest};

/// Builds and runs the app until its last window closes.
///
/// With `options.demo` the demo tenant starts before the window loads, so the UI opens signed in.
pub fn run(options: AppOptions) -> Result<(), tauri::Error> {
    let demo = options.demo;
    tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_updater::Builder::new().build())
        .manage(AppState::new(options).with_demo_config(demo_config_from_env()))
        .invoke_handler(ipc::commands::invoke_handler())
        .on_window_event(file_drop::on_window_event)
        .setup(move |app| {
            commands::jobs::forward_job_events(app.handle());
            if demo {
                let state = app.state::<AppState>();
                let request = SignInRequest { method: SignInMethod::Demo, cloud: Cloud::Global };
                if let Err(error) = tauri::async_runtime::block_on(state.sign_in(request)) {
                    tracing::error!(%error, detail = ?error.detail, "the demo tenant did not start; showing sign-in");
                }
            }
            Ok(())
        })
        .run(tauri::generate_context!())
}

/// The demo tenant's size and pace from the environment, for end-to-end tests and measurements of
/// large downloads: `ROSTER_DEMO_USERS` (default 2000) and `ROSTER_DEMO_ITEM_LATENCY_US` (the time
/// the emulator spends per object served; default 20).
fn demo_config_from_env() -> roster_emulator::EmulatorConfig {
    let number = |name: &str| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    let mut config = roster_emulator::EmulatorConfig::default();
    if let Some(users) = number("ROSTER_DEMO_USERS") {
        config.users = usize::try_from(users).unwrap_or(config.users);
    }
    if let Some(latency) = number("ROSTER_DEMO_ITEM_LATENCY_US") {
        config.item_latency_us = latency;
    }
    config
}
