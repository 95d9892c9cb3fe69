//! Files only the user can read: Roster's data folder is created (or tightened to) mode 0700 and the
//! account list written 0600 on Unix. On Windows the data folder lives in the user's profile, whose
//! permissions already keep other users out, so nothing is changed there.

use std::io::Write as _;
use std::path::Path;

/// Makes `dir` (and its missing parents) exist, with `dir` itself private to the user: created with
/// mode 0700, or set to 0700 when group or others had any access (another part of Roster may have
/// created it first with the default permissions; when that fails, e.g. on a folder of another
/// user's, it says so in the log and goes on).
pub(crate) fn private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt as _, PermissionsExt as _};
        if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        match std::fs::DirBuilder::new().mode(0o700).create(dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => {}
            Err(e) => return Err(e),
        }
        let mode = std::fs::metadata(dir)?.permissions().mode();
        if mode & 0o077 != 0
            && let Err(error) =
                std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
        {
            // A folder of someone else's (a shared --data-dir) stays as it is; the files Roster
            // writes in it are still its user's alone.
            tracing::warn!(%error, folder = %dir.display(), "could not make the data folder private to the user");
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}

/// Writes `bytes` to `path` (replacing it), readable and writable by the user alone (0600 on Unix).
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
        options.mode(0o600);
        let mut file = options.open(path)?;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        file.write_all(bytes)?;
        file.sync_all()
    }
    #[cfg(not(unix))]
    {
        let mut file = options.open(path)?;
        file.write_all(bytes)?;
        file.sync_all()
    }
}
