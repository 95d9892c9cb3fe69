//! Roster's SQLite job history: one database file in the app's data directory holding the job
//! list, each job's progress checkpoint, the per-row results of bulk member jobs and settings.
//!
//! - Forward-only migrations tracked in SQLite's `user_version` ([`Store::schema_version`]).
//! - WAL journal, `synchronous=NORMAL`: a crash loses at most the last commits, never the file.
//! - Concurrency: one connection behind a mutex. Every call takes the lock for one short
//!   statement or transaction, so calls from several threads (the job runner and the UI) are
//!   serialised; writes are small except [`Store::append_row_results`], which batches many rows
//!   in one transaction. Do not call it from an async task without `spawn_blocking`.
//! - At start-up call [`Store::mark_interrupted`]: jobs left `running` by a process that is gone
//!   (crash, kill, power loss) become `interrupted` so the UI can offer to resume them; jobs still
//!   running in another process (the CLI while the app starts, two CLIs) are left alone. Each open
//!   store holds an OS file lock as its owner identity (`owner.rs`); a job runner holds a
//!   [`RunLease`] per job it runs.

mod error;
mod jobs;
mod owner;
mod rows;
mod schema;

pub use error::StoreError;
pub use jobs::{Job, JobCounts, JobUpdate, NewJob};
pub use owner::RunLease;
pub use roster_core::job::{JobId, JobKind, JobStatus};
pub use rows::{RowResult, RowStatus};

use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

/// How long a call waits for another process's lock on the job database before it gives up.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// The job database. Cheap to share behind an `Arc`; see the [crate docs](crate) for locking.
#[derive(Debug)]
pub struct Store {
    conn: Mutex<Connection>,
    owner: owner::Owner,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    /// The parent folder is created if missing.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                path: dir.to_owned(),
                source,
            })?;
        }
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.to_owned(),
            source,
        })?;
        // Another process (the CLI beside the app) may hold the database for a moment: wait for
        // it here too, not only in later statements.
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(StoreError::sql("set the busy timeout"))?;
        // WAL is a property of the file: set it once, and only read it afterwards, since switching
        // (even to the mode it already has) needs a lock a running job's writes may hold.
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .map_err(StoreError::sql("read the job database's journal mode"))?;
        if !mode.eq_ignore_ascii_case("wal") {
            enable_wal(&conn)?;
        }
        let owner = owner::Owner::new(Some(path)).map_err(|source| StoreError::CreateDir {
            path: path.to_owned(),
            source,
        })?;
        Self::with_connection(conn, owner)
    }

    /// An in-memory database (for tests and previews); nothing is written to disk.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        let conn = Connection::open_in_memory().map_err(|source| StoreError::Open {
            path: ":memory:".into(),
            source,
        })?;
        let owner = owner::Owner::new(None).map_err(|source| StoreError::CreateDir {
            path: ":memory:".into(),
            source,
        })?;
        Self::with_connection(conn, owner)
    }

    fn with_connection(mut conn: Connection, owner: owner::Owner) -> Result<Self, StoreError> {
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(StoreError::sql("enable foreign keys"))?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(StoreError::sql("set synchronous mode"))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(StoreError::sql("set the busy timeout"))?;
        schema::migrate(&mut conn)?;
        Ok(Self {
            conn: Mutex::new(conn),
            owner,
        })
    }

    pub(crate) fn lock(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        self.conn.lock().map_err(|_| StoreError::Poisoned)
    }

    /// The schema version the database is at (SQLite `user_version`).
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        let conn = self.lock()?;
        schema::version(&conn)
    }

    /// A setting's value, or `None` when never set.
    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let conn = self.lock()?;
        conn.query_row(
            "SELECT value FROM settings WHERE key = ?1",
            params![key],
            |r| r.get(0),
        )
        .optional()
        .map_err(StoreError::sql("read a setting"))
    }

    /// Sets (or replaces) a setting.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let conn = self.lock()?;
        conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )
        .map_err(StoreError::sql("save a setting"))?;
        Ok(())
    }

    /// Removes a setting; returns whether it existed.
    pub fn remove_setting(&self, key: &str) -> Result<bool, StoreError> {
        let conn = self.lock()?;
        let n = conn
            .execute("DELETE FROM settings WHERE key = ?1", params![key])
            .map_err(StoreError::sql("remove a setting"))?;
        Ok(n > 0)
    }
}

/// Switches a new database to WAL. SQLite does not wait on its busy handler for this switch, so
/// when another process holds the file (two roster processes creating it at once) it is retried
/// for as long as the busy timeout would have waited.
fn enable_wal(conn: &Connection) -> Result<(), StoreError> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Ok(()) => return Ok(()),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(e) => return Err(StoreError::sql("enable WAL on the job database")(e)),
        }
    }
}
