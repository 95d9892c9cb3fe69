//! How the app was started: the command line and environment, read by `main.rs`.

use std::path::PathBuf;

/// How the app was started.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppOptions {
    /// Start signed in to the built-in demo tenant (`--demo` or `ROSTER_DEMO=1`).
    pub demo: bool,
    /// Where the job history and settings live (`--data-dir`, `ROSTER_DATA_DIR`, or the OS's app data
    /// folder; see [`AppOptions::default_data_dir`]).
    pub data_dir: PathBuf,
    /// A custom identity platform to sign in to instead of the cloud choice (`--authority`,
    /// `ROSTER_AUTHORITY`), e.g. the emulator's `http://127.0.0.1:PORT`.
    pub authority: Option<String>,
    /// The Graph root that goes with it (`--graph-url`, `ROSTER_GRAPH_URL`); defaults to the authority.
    pub graph_url: Option<String>,
    /// The organisation's policy file for update checks (see
    /// [`roster_app::updates::machine_policy_file`]).
    pub policy_file: PathBuf,
}

impl AppOptions {
    /// The OS's app data folder for Roster (`~/.local/share/roster` on Linux), the same as the CLI's;
    /// the current directory's `roster-data` when the OS has none.
    pub fn default_data_dir() -> PathBuf {
        roster_app::Profile::default_data_dir()
    }
}
