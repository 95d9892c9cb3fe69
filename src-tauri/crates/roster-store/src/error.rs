//! Errors of the job store.

use std::path::PathBuf;

/// What went wrong with the job database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The data folder could not be created.
    #[error("could not create the data folder {}: {source}; check permissions and free space", path.display())]
    CreateDir {
        /// The folder.
        path: PathBuf,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// The database file could not be opened.
    #[error("could not open the job database {}: {source}; check the file is not locked by another program and the folder is writable", path.display())]
    Open {
        /// The database file.
        path: PathBuf,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// A statement failed.
    #[error("could not {action}: {source}")]
    Sql {
        /// What was being done.
        action: &'static str,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// The database was written by a newer Roster.
    #[error(
        "the job database is at schema version {found} but this Roster knows only up to {known}; update Roster (or move the database aside to start a new job list)"
    )]
    TooNew {
        /// Version in the file.
        found: u32,
        /// Highest version this build knows.
        known: u32,
    },
    /// A stored JSON value (spec or checkpoint) could not be read or written.
    #[error("the {what} of job {job} could not be {verb}: {source}")]
    Json {
        /// "spec" or "checkpoint".
        what: &'static str,
        /// "read" or "saved".
        verb: &'static str,
        /// The job id.
        job: String,
        /// serde's error.
        source: serde_json::Error,
    },
    /// A stored value is not one this build understands.
    #[error("job {job} has an unreadable {what}: {detail}")]
    Corrupt {
        /// The job id (or row).
        job: String,
        /// Which field.
        what: &'static str,
        /// What was found.
        detail: String,
    },
    /// A status change the job state machine does not allow.
    #[error("{0}")]
    Transition(roster_core::job::TransitionError),
    /// No job with that id.
    #[error("no job with id {0} in the job list; it may have been deleted")]
    NotFound(String),
    /// Another running job changes the same thing (the same group): this one waits.
    #[error(
        "job {job} waits: job {holder} is changing the same group; it starts when that one ends"
    )]
    Busy {
        /// The waiting job.
        job: String,
        /// The running job holding the group.
        holder: String,
    },
    /// Another queued or running job writes the same output file: a second download to it would
    /// overwrite the first's, so it is refused before it starts.
    #[error(
        "{} is already being written by job {holder} ({status}); two downloads to one file would overwrite \
         each other. Wait for that job to end or cancel it, or choose another file",
        path.display()
    )]
    OutputInUse {
        /// The file.
        path: PathBuf,
        /// The job writing it.
        holder: String,
        /// That job's status (`queued` or `running`).
        status: String,
    },
    /// Another run (in this process or another) already claimed the job.
    #[error(
        "job {0} is already running (here or in another Roster window or command); wait for it to end, or cancel it first"
    )]
    AlreadyRunning(String),
    /// Another thread panicked while holding the database lock.
    #[error("the job database lock was poisoned by a crash in another thread; restart Roster")]
    Poisoned,
}

impl StoreError {
    /// Maps a SQLite error to [`StoreError::Sql`] with a description of the action.
    pub(crate) fn sql(action: &'static str) -> impl FnOnce(rusqlite::Error) -> Self {
        move |source| Self::Sql { action, source }
    }
}
