//! A profile: where Roster keeps its job history and settings, and whether it works on the built-in
//! demo tenant. The job databases of both front ends are the same files, so a job started by the
//! CLI shows in the app and the other way round.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use roster_store::Store;

use crate::error::{AppError, ErrorCode};

/// Where the history lives and which tenant's history is meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// The data folder (`--data-dir`, `ROSTER_DATA_DIR`, or [`Profile::default_data_dir`]).
    pub data_dir: PathBuf,
    /// The built-in demo tenant: its jobs live in a database of their own, so demo jobs never mix
    /// with real ones.
    pub demo: bool,
}

impl Profile {
    /// A profile over `data_dir`.
    pub fn new(data_dir: impl Into<PathBuf>, demo: bool) -> Self {
        Self {
            data_dir: data_dir.into(),
            demo,
        }
    }

    /// The OS's application data folder for Roster (`~/.local/share/roster` on Linux,
    /// `%LOCALAPPDATA%\roster` on Windows, `~/Library/Application Support/roster` on macOS), or
    /// `roster-data` in the current folder when the OS names none.
    ///
    /// The local, not the roaming, folder on Windows: the job database names files on this
    /// machine and grows with every job, which roaming profiles would copy at every sign-in.
    pub fn default_data_dir() -> PathBuf {
        dirs::data_local_dir().map_or_else(|| PathBuf::from("roster-data"), |d| d.join("roster"))
    }

    /// The job database of this profile.
    pub fn store_path(&self) -> PathBuf {
        store_path(&self.data_dir, self.demo)
    }

    /// Opens the job database, and marks jobs left `running` by a Roster process that is gone
    /// (killed, crashed) `interrupted`, so they offer Resume; jobs running in another live process
    /// are left alone.
    pub fn open_store(&self) -> Result<Arc<Store>, AppError> {
        open_store(&self.store_path())
    }

    /// The database that holds the settings: always the real one, so settings are the same in
    /// demo mode.
    pub fn settings_store(&self) -> Result<Arc<Store>, AppError> {
        open_store(&store_path(&self.data_dir, false))
    }
}

/// Where the job history of the real tenants (`demo == false`) or of the demo tenant lives.
pub fn store_path(data_dir: &Path, demo: bool) -> PathBuf {
    if demo {
        data_dir.join("demo").join("jobs.sqlite")
    } else {
        data_dir.join("jobs.sqlite")
    }
}

fn open_store(path: &Path) -> Result<Arc<Store>, AppError> {
    let store = Store::open(path).map_err(|e| {
        AppError::new(
            ErrorCode::Io,
            format!(
                "The job history at {} could not be opened. Check that the folder is writable.",
                path.display()
            ),
        )
        .with_detail(e.to_string())
    })?;
    let marked = store.mark_interrupted()?;
    if !marked.is_empty() {
        tracing::info!(
            count = marked.len(),
            "jobs left running are now interrupted"
        );
    }
    Ok(Arc::new(store))
}
