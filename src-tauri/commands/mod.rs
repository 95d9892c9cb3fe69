//! Tauri commands, one file per domain. Each is a thin wrapper: take the request DTO, call
//! [`AppState`](crate::state::AppState), return a DTO or an [`AppError`](crate::ipc::AppError).
//! They are registered through the single list in [`crate::ipc::commands`].

pub mod app;
pub mod column_choice;
pub mod dialog;
pub mod directory;
pub mod downloads;
pub mod jobs;
pub mod membership;
pub mod review;
pub mod rules;
pub mod session;
pub mod settings;
pub mod updates;
pub mod views;
