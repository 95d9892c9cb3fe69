//! Gives a finished `NAME.part` its final name, replacing an existing `NAME`.
//!
//! On Unix a rename replaces the target even while another program has it open. On Windows
//! `std::fs::rename` (`MoveFileExW` with `MOVEFILE_REPLACE_EXISTING`, or `SetFileInformationByHandle`)
//! fails while the target is open without `FILE_SHARE_DELETE` sharing, which is how Excel opens a CSV
//! file: `ERROR_SHARING_VIOLATION` (32) or `ERROR_ACCESS_DENIED` (5, a permission error). Virus
//! scanners hold a new file the same way for a moment, so the rename is tried a few times before
//! the target is reported as in use, with what to do; the `.part` file stays, complete.

use crate::writer::WriteError;
use std::path::Path;
use std::time::Duration;

/// How often, and how far apart, a rename onto a file in use is tried.
const ATTEMPTS: u32 = 5;
const PAUSE: Duration = Duration::from_millis(200);

/// Renames `part` to `dest`, replacing `dest`; retries while `dest` is in use.
pub fn replace(part: &Path, dest: &Path) -> Result<(), WriteError> {
    let mut attempt = 1;
    loop {
        match std::fs::rename(part, dest) {
            Ok(()) => return Ok(()),
            // Only on Windows: on Unix a denied rename is about the folder, not the target.
            Err(e) if cfg!(windows) && in_use(&e, dest.exists()) => {
                if attempt == ATTEMPTS {
                    return Err(WriteError::TargetInUse {
                        path: dest.to_owned(),
                        part: part.to_owned(),
                        source: e,
                    });
                }
                attempt += 1;
                std::thread::sleep(PAUSE);
            }
            Err(source) => {
                return Err(WriteError::Io {
                    action: "rename",
                    path: part.to_owned(),
                    source,
                });
            }
        }
    }
}

/// Whether a failed rename on Windows means another program holds the existing target open.
fn in_use(error: &std::io::Error, target_exists: bool) -> bool {
    /// `ERROR_SHARING_VIOLATION` and `ERROR_LOCK_VIOLATION` (winerror.h).
    const WINDOWS_IN_USE: [i32; 2] = [32, 33];
    target_exists
        && (error.kind() == std::io::ErrorKind::PermissionDenied
            || error
                .raw_os_error()
                .is_some_and(|c| WINDOWS_IN_USE.contains(&c)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_denied_rename_onto_an_existing_file_means_in_use() {
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert!(in_use(&denied, true));
        assert!(
            !in_use(&denied, false),
            "no target: a folder permission problem"
        );
        let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert!(!in_use(&missing, true));
    }

    #[test]
    fn replaces_an_existing_target() {
        let dir = tempfile::tempdir().unwrap();
        let part = dir.path().join("users.csv.part");
        let dest = dir.path().join("users.csv");
        std::fs::write(&dest, "old").unwrap();
        std::fs::write(&part, "new").unwrap();
        replace(&part, &dest).unwrap();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "new");
        assert!(!part.exists());
    }

    #[test]
    fn a_missing_part_is_an_io_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let part = dir.path().join("gone.csv.part");
        let err = replace(&part, &dir.path().join("gone.csv")).unwrap_err();
        assert!(
            matches!(
                err,
                WriteError::Io {
                    action: "rename",
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("gone.csv.part"), "{err}");
    }
}
