//! The events the app sends to the UI, each a payload type with its one event name, so an event is
//! always sent with the payload the UI's generated `Events` table expects.

use serde::Serialize;
use ts_rs::TS;

use super::{FileDropDto, JobEventDto, SignInProgress, UpdateProgressDto};

/// A payload the app emits to the UI under [`UiEvent::NAME`].
pub trait UiEvent: Serialize + TS + Clone {
    /// The Tauri event name.
    const NAME: &'static str;
}

impl UiEvent for JobEventDto {
    const NAME: &'static str = "job-event";
}

impl UiEvent for SignInProgress {
    const NAME: &'static str = "session-sign-in-progress";
}

impl UiEvent for FileDropDto {
    const NAME: &'static str = "file-drop";
}

impl UiEvent for UpdateProgressDto {
    const NAME: &'static str = "update-progress";
}

/// Sends `payload` to every window under its event's name.
pub fn emit<R: tauri::Runtime, E: UiEvent>(
    app: &impl tauri::Emitter<R>,
    payload: &E,
) -> tauri::Result<()> {
    app.emit(E::NAME, payload.clone())
}

/// How to name a payload type in TypeScript.
#[cfg(any(test, feature = "ipc-gen"))]
pub(crate) type PayloadName = fn(&ts_rs::Config) -> String;

/// Each event's name and how to name its payload in TypeScript, for the generator.
#[cfg(any(test, feature = "ipc-gen"))]
pub(crate) fn event_signatures() -> Vec<(&'static str, PayloadName)> {
    vec![
        (JobEventDto::NAME, <JobEventDto as TS>::name),
        (SignInProgress::NAME, <SignInProgress as TS>::name),
        (FileDropDto::NAME, <FileDropDto as TS>::name),
        (UpdateProgressDto::NAME, <UpdateProgressDto as TS>::name),
    ]
}
