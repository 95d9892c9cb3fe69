//! The app's managed state: the session and job histories of roster-app, the open listings and the
//! previews shown. Commands are thin wrappers over these methods (which map IPC types to the API's),
//! so the root integration tests exercise the same code paths without a window.

mod column_choice;
mod directory;
mod files;
mod groups;
mod jobs;
mod membership;
mod review;
mod session;
mod settings;
mod sign_in;
mod updates;
mod views;

use roster_auth::{Interaction, TokenVault};
use roster_emulator::EmulatorConfig;

pub use files::FileUse;
pub use updates::UPDATE_TEXT_CODES;

use crate::AppOptions;
use crate::ipc::AppInfo;

/// State shared by every command (managed by Tauri).
pub struct AppState {
    options: AppOptions,
    /// Who is signed in, the saved accounts and the sign-in flows (roster-app's).
    session: roster_app::Session,
    /// The job histories and the stream of job events for the UI.
    jobs: jobs::JobHost,
    /// Open directory listings: the Graph continuation of each table's next page.
    listings: roster_app::directory::Listings,
    /// Membership previews shown to the person, for the job that applies one.
    previews: std::sync::Mutex<roster_app::membership::PendingPreviews>,
    /// Files open for review, their comparisons and the recent-files list (no sign-in needed).
    review: review::ReviewHost,
    /// The files the person chose, by the handles the UI holds (see [`FileUse`]).
    files: files::FileGrants,
    /// The release the last update check found.
    updates: updates::UpdateHost,
    /// The words of the native notifications, in the language the UI shows.
    notification_words: std::sync::Mutex<crate::ipc::NotificationWordsDto>,
}

/// The User-Agent of the app's Graph requests.
const USER_AGENT: &str = concat!("roster-desktop/", env!("CARGO_PKG_VERSION"));

impl AppState {
    /// A signed-out state for an app started with `options`.
    pub fn new(options: AppOptions) -> Self {
        let jobs = jobs::JobHost::new(&options.data_dir);
        let target = roster_app::sign_in::SignInTarget {
            authority: options.authority.clone(),
            graph_url: options.graph_url.clone(),
            ..roster_app::sign_in::SignInTarget::default()
        };
        let histories = jobs.histories();
        let session = roster_app::Session::new(&options.data_dir, target, USER_AGENT)
            .on_end(move || histories.interrupt_running());
        Self {
            jobs,
            review: review::ReviewHost::new(&options.data_dir),
            options,
            session,
            listings: roster_app::directory::Listings::default(),
            previews: std::sync::Mutex::default(),
            files: files::FileGrants::default(),
            updates: updates::UpdateHost::default(),
            notification_words: std::sync::Mutex::default(),
        }
    }

    /// Keeps refresh tokens in `vault` instead of the OS keyring (tests use an in-memory one).
    pub fn with_vault(mut self, vault: TokenVault) -> Self {
        self.session = self.session.with_vault(vault);
        self
    }

    /// Replaces how sign-in opens the browser and waits (tests script the browser).
    pub fn with_interaction(mut self, interaction: Interaction) -> Self {
        self.session = self.session.with_interaction(interaction);
        self
    }

    /// Starts the demo tenant with `config` (tests shorten its token lifetime).
    pub fn with_demo_config(mut self, config: EmulatorConfig) -> Self {
        self.session = self.session.with_demo_config(config);
        self
    }

    /// Takes the words of the native notifications in the language the person chose.
    pub fn set_notification_words(&self, words: crate::ipc::NotificationWordsDto) {
        *self
            .notification_words
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = words;
    }

    /// The message of the native notification for `job`'s end, in the person's language; `None`
    /// while it runs or when it was stopped on request.
    pub fn job_end_message(&self, job: &crate::ipc::JobDto) -> Option<String> {
        let words = self
            .notification_words
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        crate::ipc::job_end_message(job, &words)
    }

    /// The app's version and mode.
    pub fn info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            commit: env!("ROSTER_COMMIT").to_owned(),
            demo: self.options.demo,
        }
    }
}
