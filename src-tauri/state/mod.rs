//! The app's managed state: the options it was started with and the current session.
//!
//! Commands are thin wrappers over these methods, so the root integration tests exercise the same
//! code paths without a window. One file per domain: [`session`] (sign in and out), [`directory`]
//! (users and groups for the tables).

mod directory;
mod jobs;
mod session;
mod settings;

use std::path::PathBuf;

use roster_emulator::Emulator;
use roster_graph::GraphClient;
use tokio::sync::RwLock;

use crate::ipc::{AccountDto, AppInfo};

pub use directory::MAX_LIST_ROWS;
pub use jobs::{job_end_message, store_path};

/// How the app was started.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppOptions {
    /// Start signed in to the built-in demo tenant (`--demo` or `ROSTER_DEMO=1`).
    pub demo: bool,
    /// Where the job history and settings live (`--data-dir`, `ROSTER_DATA_DIR`, or the OS's app data
    /// folder; see [`AppOptions::default_data_dir`]).
    pub data_dir: PathBuf,
}

impl AppOptions {
    /// The OS's app data folder for Roster (`~/.local/share/roster` on Linux), the same as the CLI's;
    /// the current directory's `roster-data` when the OS has none.
    pub fn default_data_dir() -> PathBuf {
        dirs::data_dir().map_or_else(|| PathBuf::from("roster-data"), |d| d.join("roster"))
    }
}

/// A signed-in tenant connection.
struct Connection {
    account: AccountDto,
    graph: GraphClient,
    /// The in-process demo tenant, kept alive as long as the session.
    demo: Option<Emulator>,
}

/// State shared by every command (managed by Tauri).
pub struct AppState {
    options: AppOptions,
    session: RwLock<Option<Connection>>,
    /// The job history, the download runner and the running membership jobs.
    jobs: jobs::JobHost,
}

impl AppState {
    /// A signed-out state for an app started with `options`.
    pub fn new(options: AppOptions) -> Self {
        Self {
            jobs: jobs::JobHost::new(&options.data_dir),
            options,
            session: RwLock::new(None),
        }
    }

    /// The app's version and mode.
    pub fn info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            demo: self.options.demo,
        }
    }
}
