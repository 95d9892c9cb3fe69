//! The files opened for review lately: the last ten paths, newest first, in `review-recent.json` in
//! the data folder. A file that has gone since is listed as missing, not dropped: the person sees
//! that it moved.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use serde::{Deserialize, Serialize};

use crate::ipc::{RecentFileDto, RecentFilesDto};
use crate::state::FileUse;
use crate::state::files::FileGrants;

/// How many files the list keeps.
pub const RECENT_LIMIT: usize = 10;

/// The file's name in the data folder.
const FILE_NAME: &str = "review-recent.json";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Stored {
    files: Vec<Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    path: PathBuf,
    opened_at: String,
}

/// The recent-files list of one data folder.
pub(crate) struct RecentFiles {
    path: PathBuf,
    lock: Mutex<()>,
}

impl RecentFiles {
    /// The list kept in `data_dir`.
    pub(crate) fn new(data_dir: &Path) -> Self {
        Self {
            path: data_dir.join(FILE_NAME),
            lock: Mutex::new(()),
        }
    }

    /// The files, newest first, each said to exist or not. An unreadable list is an empty one:
    /// it is a convenience, never a reason to fail.
    pub(crate) fn list(&self, grants: &FileGrants) -> RecentFilesDto {
        let _guard = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
        dto(&self.read(), grants)
    }

    /// Puts `path` first (once), keeping the newest [`RECENT_LIMIT`].
    pub(crate) fn add(&self, path: &Path, grants: &FileGrants) -> RecentFilesDto {
        self.change(grants, |stored| {
            stored.files.retain(|e| e.path != path);
            stored.files.insert(
                0,
                Entry {
                    path: path.to_owned(),
                    opened_at: chrono::Utc::now().to_rfc3339(),
                },
            );
            stored.files.truncate(RECENT_LIMIT);
        })
    }

    /// Takes `path` off the list.
    pub(crate) fn forget(&self, path: &Path, grants: &FileGrants) -> RecentFilesDto {
        self.change(grants, |stored| stored.files.retain(|e| e.path != path))
    }

    fn change(&self, grants: &FileGrants, edit: impl FnOnce(&mut Stored)) -> RecentFilesDto {
        let _guard = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
        let mut stored = self.read();
        edit(&mut stored);
        if let Err(e) = self.write(&stored) {
            tracing::warn!("could not save the recent files list: {e}");
        }
        dto(&stored, grants)
    }

    fn read(&self) -> Stored {
        std::fs::read(&self.path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    fn write(&self, stored: &Stored) -> std::io::Result<()> {
        if let Some(folder) = self.path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        let part = self.path.with_extension("json.part");
        std::fs::write(&part, serde_json::to_vec_pretty(stored)?)?;
        std::fs::rename(&part, &self.path)
    }
}

/// The list as the UI shows it: each file with a handle to open (or forget) it by. The paths are
/// Roster's own (files the person opened through a handle), so they need no new choice.
fn dto(stored: &Stored, grants: &FileGrants) -> RecentFilesDto {
    RecentFilesDto {
        files: stored
            .files
            .iter()
            .map(|e| grants.mint(&e.path, FileUse::ReviewFile))
            .zip(&stored.files)
            .map(|(file, e)| RecentFileDto {
                handle: file.handle,
                path: file.path,
                name: file.name,
                opened_at: e.opened_at.clone(),
                exists: e.path.is_file(),
            })
            .collect(),
    }
}
