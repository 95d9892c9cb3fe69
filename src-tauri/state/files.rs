//! The files the person chose, by handle: every path a command reads or writes comes from here.
//!
//! A handle is minted in Rust when the person picks a file in a native dialog opened from Rust,
//! drops it on the window (the window's drag-and-drop event, handled in Rust), or when Rust lists a
//! file of its own (the recent list, a job's download). The UI holds the handle and shows the name
//! and path; commands take the handle and resolve it here for one [`FileUse`], so the webview can
//! never make Roster read or write a path the person did not choose. Handles are not secrets: they
//! only ever name what the person chose, for the use it was chosen for.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use super::AppState;
use crate::ipc::{AppError, FileRefDto};

/// What a chosen file is for; a handle works only for the use it was minted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileUse {
    /// A file of members to add or remove: CSV, text or an Excel workbook, read.
    MemberFile,
    /// A file to review (and compare, and try rules on): CSV or text, read.
    ReviewFile,
    /// Where to write a CSV file (a download, an export, a copy of a job's results).
    SaveCsv,
}

impl FileUse {
    /// The extensions this use takes (lower case, without the dot).
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Self::MemberFile => &["csv", "txt", "xlsx"],
            Self::ReviewFile => &["csv", "txt", "tsv"],
            Self::SaveCsv => &["csv", "txt", "tsv"],
        }
    }

    /// The extensions as the person reads them: ".csv, .txt or .xlsx".
    fn kinds(self) -> String {
        let names: Vec<String> = self.extensions().iter().map(|e| format!(".{e}")).collect();
        match names.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        }
    }
}

/// The handles minted so far (one per path and use, so listing the recent files again does not
/// grow the table).
#[derive(Default)]
pub(crate) struct FileGrants {
    granted: Mutex<Grants>,
}

#[derive(Default)]
struct Grants {
    next: u64,
    by_handle: HashMap<String, (PathBuf, FileUse)>,
    by_path: HashMap<(PathBuf, FileUse), String>,
}

impl FileGrants {
    /// The handle of `path` for `use_`, minted now unless it has one; no checks (callers check).
    pub(crate) fn mint(&self, path: &Path, use_: FileUse) -> FileRefDto {
        let mut grants = self.granted.lock().unwrap_or_else(PoisonError::into_inner);
        let key = (path.to_owned(), use_);
        let handle = match grants.by_path.get(&key) {
            Some(handle) => handle.clone(),
            None => {
                grants.next += 1;
                let handle = format!("file-{}", grants.next);
                grants.by_path.insert(key, handle.clone());
                grants
                    .by_handle
                    .insert(handle.clone(), (path.to_owned(), use_));
                handle
            }
        };
        FileRefDto {
            handle,
            name: file_name(path),
            path: path.display().to_string(),
        }
    }

    /// The path `handle` was minted for, when it was minted for `use_`.
    pub(crate) fn resolve(&self, handle: &str, use_: FileUse) -> Result<PathBuf, AppError> {
        let grants = self.granted.lock().unwrap_or_else(PoisonError::into_inner);
        match grants.by_handle.get(handle.trim()) {
            Some((path, granted)) if *granted == use_ => Ok(path.clone()),
            _ => Err(AppError::unknown_file_handle()),
        }
    }
}

/// A path's last component, or the whole path when it has none.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Whether `path` ends in one of `extensions` (case-insensitive).
fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Checks a file the person chose for reading: there, a regular file (a link to one is followed),
/// of a kind `use_` takes.
fn check_readable(path: &Path, use_: FileUse) -> Result<(), AppError> {
    let name = file_name(path);
    let metadata = std::fs::metadata(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            AppError::missing_file(&name)
        } else {
            AppError::not_a_file(&name).with_detail(e.to_string())
        }
    })?;
    if !metadata.is_file() {
        return Err(AppError::not_a_file(&name));
    }
    if !has_extension(path, use_.extensions()) {
        return Err(AppError::wrong_file_kind(&name, &use_.kinds()));
    }
    Ok(())
}

/// Checks (and completes) a path chosen in the save dialog: a `.csv` extension when it has none
/// Roster writes, an existing folder, and nothing there but a regular file to replace.
fn checked_save_path(path: &Path) -> Result<PathBuf, AppError> {
    let mut path = path.to_owned();
    if !has_extension(&path, FileUse::SaveCsv.extensions()) {
        let mut name = path.file_name().unwrap_or_default().to_owned();
        name.push(".csv");
        path.set_file_name(name);
    }
    let name = file_name(&path);
    match path.parent() {
        Some(folder) if folder.is_dir() => {}
        _ => return Err(AppError::no_such_folder(&name)),
    }
    match std::fs::metadata(&path) {
        Ok(metadata) if !metadata.is_file() => Err(AppError::not_a_file(&name)),
        _ => Ok(path),
    }
}

impl AppState {
    /// Grants the UI a handle for `path`, which the person chose for `use_` (in a native dialog
    /// opened from Rust, or by dropping it on the window). Refused unless it is absolute and, to
    /// read, a regular file of the kinds `use_` takes; to write, in an existing folder and not a
    /// folder itself (a path without a CSV extension gets `.csv`).
    pub fn grant_file(&self, path: &Path, use_: FileUse) -> Result<FileRefDto, AppError> {
        if !path.is_absolute() {
            return Err(AppError::not_a_file(&path.display().to_string()));
        }
        let path = match use_ {
            FileUse::MemberFile | FileUse::ReviewFile => {
                check_readable(path, use_)?;
                path.to_owned()
            }
            FileUse::SaveCsv => checked_save_path(path)?,
        };
        Ok(self.files.mint(&path, use_))
    }

    /// The path a handle from the UI names, for `use_`; refused for anything Roster did not mint
    /// for that use (a raw path, a handle of another use, a made-up one).
    pub fn chosen_file(&self, handle: &str, use_: FileUse) -> Result<PathBuf, AppError> {
        self.files.resolve(handle, use_)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_handle_names_one_path_for_one_use() {
        let grants = FileGrants::default();
        let a = grants.mint(Path::new("/data/a.csv"), FileUse::ReviewFile);
        assert_eq!(
            grants.mint(Path::new("/data/a.csv"), FileUse::ReviewFile),
            a
        );
        assert_eq!(a.name, "a.csv");
        assert_eq!(
            grants.resolve(&a.handle, FileUse::ReviewFile).ok(),
            Some(PathBuf::from("/data/a.csv"))
        );
        assert!(grants.resolve(&a.handle, FileUse::SaveCsv).is_err());
        assert!(grants.resolve("/data/a.csv", FileUse::ReviewFile).is_err());
        let write = grants.mint(Path::new("/data/a.csv"), FileUse::SaveCsv);
        assert_ne!(write.handle, a.handle);
    }

    #[test]
    fn kinds_read_as_a_list() {
        assert_eq!(FileUse::MemberFile.kinds(), ".csv, .txt or .xlsx");
    }
}
