//! The app's managed state: the options it was started with and the current session.
//!
//! Commands are thin wrappers over these methods, so the root integration tests exercise the same
//! code paths without a window. One file per domain: [`session`] (sign in and out), [`directory`]
//! (users and groups for the tables).

mod directory;
mod groups;
mod jobs;
mod membership;
mod session;
mod settings;
mod sign_in;

use std::path::PathBuf;

use std::sync::{Arc, Mutex};

use roster_auth::{Interaction, TokenVault};
use roster_emulator::EmulatorConfig;
use tokio::sync::RwLock;

use crate::ipc::{AccountDto, AppInfo};

pub use directory::{FACET_USERS, PAGE_SIZE};
pub use groups::NESTING_BUDGET;
pub use jobs::job_end_message;
pub use roster_app::store_path;

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
}

impl AppOptions {
    /// The OS's app data folder for Roster (`~/.local/share/roster` on Linux), the same as the CLI's;
    /// the current directory's `roster-data` when the OS has none.
    pub fn default_data_dir() -> PathBuf {
        roster_app::Profile::default_data_dir()
    }
}

/// A signed-in tenant connection (roster-app's), with the account as the UI shows it.
struct Connection {
    account: AccountDto,
    tenant: Arc<roster_app::Connection>,
}

/// How sign-in reaches the person and where refresh tokens go; tests replace both.
struct SignInSetup {
    /// The OS keyring, opened on first use (a headless machine may have none until then).
    vault: Mutex<Option<TokenVault>>,
    interaction: Interaction,
    demo_config: EmulatorConfig,
    /// The running browser or device code sign-in.
    flow: roster_app::sign_in::SignInFlow,
}

/// State shared by every command (managed by Tauri).
pub struct AppState {
    options: AppOptions,
    session: RwLock<Option<Connection>>,
    /// The job history, the download runner and the running membership jobs.
    jobs: jobs::JobHost,
    sign_in: SignInSetup,
    /// Open directory listings: the Graph continuation of each table's next page.
    listings: roster_app::directory::Listings,
    /// Membership previews shown to the person, for the job that applies one.
    previews: std::sync::Mutex<roster_app::membership::PendingPreviews>,
}

impl AppState {
    /// A signed-out state for an app started with `options`.
    pub fn new(options: AppOptions) -> Self {
        Self {
            jobs: jobs::JobHost::new(&options.data_dir),
            options,
            session: RwLock::new(None),
            sign_in: SignInSetup {
                vault: Mutex::new(None),
                interaction: Interaction::default(),
                demo_config: EmulatorConfig::default(),
                flow: roster_app::sign_in::SignInFlow::default(),
            },
            listings: roster_app::directory::Listings::default(),
            previews: std::sync::Mutex::default(),
        }
    }

    /// Keeps refresh tokens in `vault` instead of the OS keyring (tests use an in-memory one).
    pub fn with_vault(mut self, vault: TokenVault) -> Self {
        self.sign_in.vault = Mutex::new(Some(vault));
        self
    }

    /// Replaces how sign-in opens the browser and waits (tests script the browser).
    pub fn with_interaction(mut self, interaction: Interaction) -> Self {
        self.sign_in.interaction = interaction;
        self
    }

    /// Starts the demo tenant with `config` (tests shorten its token lifetime).
    pub fn with_demo_config(mut self, config: EmulatorConfig) -> Self {
        self.sign_in.demo_config = config;
        self
    }

    /// The app's version and mode.
    pub fn info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            demo: self.options.demo,
        }
    }
}
