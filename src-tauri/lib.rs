//! The Roster desktop app: a thin Tauri shell over the same engine as the CLI.
//!
//! This is the composition root: plugins, managed state and command registration. Commands live in
//! [`commands`], every type that crosses to the UI in [`ipc`], the shared state in [`state`].

pub mod commands;
pub mod ipc;
pub mod state;

pub use state::{AppOptions, AppState};

/// Builds and runs the app until its last window closes.
pub fn run(options: AppOptions) -> Result<(), tauri::Error> {
    tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(AppState::new(options))
        .invoke_handler(ipc::commands::invoke_handler())
        .run(tauri::generate_context!())
}
