//! The app's managed state: the options it was started with and the current session.
//!
//! Commands are thin wrappers over these methods, so the root integration tests exercise the same
//! code paths without a window. One file per domain: [`session`] (sign in and out), [`directory`]
//! (users and groups for the tables).

mod directory;
mod groups;
mod membership;
mod session;

use std::path::PathBuf;

use roster_emulator::Emulator;
use roster_graph::GraphClient;
use tokio::sync::RwLock;

use crate::ipc::{AccountDto, AppInfo};

pub use directory::{FACET_USERS, PAGE_SIZE};
pub use groups::NESTING_BUDGET;
pub use membership::StoredPreview;

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
    /// Open directory listings: the Graph continuation of each table's next page.
    listings: std::sync::Mutex<directory::Listings>,
    /// Membership previews shown to the person, for the job that applies one.
    previews: std::sync::Mutex<membership::Previews>,
}

impl AppState {
    /// A signed-out state for an app started with `options`.
    pub fn new(options: AppOptions) -> Self {
        Self {
            options,
            session: RwLock::new(None),
            listings: std::sync::Mutex::default(),
            previews: std::sync::Mutex::default(),
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
