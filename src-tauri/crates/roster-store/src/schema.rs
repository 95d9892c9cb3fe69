//! Forward-only migrations. Each entry moves the schema from version `i` to `i + 1`; entries are
//! never edited once released, only appended.

use crate::StoreError;
use rusqlite::{Connection, TransactionBehavior};

const MIGRATIONS: &[&str] = &[
    // 1: jobs, per-row results of bulk member jobs, settings.
    "CREATE TABLE jobs (
        id            TEXT PRIMARY KEY NOT NULL,
        kind          TEXT NOT NULL,
        name          TEXT NOT NULL,
        spec          TEXT NOT NULL,
        status        TEXT NOT NULL,
        total         INTEGER,
        done          INTEGER NOT NULL DEFAULT 0,
        succeeded     INTEGER NOT NULL DEFAULT 0,
        failed        INTEGER NOT NULL DEFAULT 0,
        skipped       INTEGER NOT NULL DEFAULT 0,
        created_at    TEXT NOT NULL,
        started_at    TEXT,
        finished_at   TEXT,
        updated_at    TEXT NOT NULL,
        output_path   TEXT,
        results_path  TEXT,
        error         TEXT,
        checkpoint    TEXT
    );
    CREATE INDEX jobs_by_created ON jobs (created_at DESC);
    CREATE INDEX jobs_by_status ON jobs (status);
    CREATE TABLE job_rows (
        job_id        TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        row_number    INTEGER NOT NULL,
        input         TEXT NOT NULL,
        object_id     TEXT,
        display_name  TEXT,
        status        TEXT NOT NULL,
        reason        TEXT,
        PRIMARY KEY (job_id, row_number)
    ) WITHOUT ROWID;
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
    );",
    // 2: the owner token of the store that runs a job (see `owner.rs`).
    "ALTER TABLE jobs ADD COLUMN owner TEXT;",
    // 3: what a job changes that no other job may change at the same time (`group:<id>`).
    "ALTER TABLE jobs ADD COLUMN exclusive TEXT;
    CREATE INDEX jobs_by_exclusive ON jobs (exclusive) WHERE exclusive IS NOT NULL;",
];

/// The schema version this build creates.
pub(crate) const LATEST: u32 = MIGRATIONS.len() as u32;

pub(crate) fn version(conn: &Connection) -> Result<u32, StoreError> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(StoreError::sql("read the schema version"))
}

/// Applies every migration after the database's version, each in its own transaction. Each
/// transaction takes the write lock first and reads the version under it, so two processes opening
/// a new database at once (the CLI beside the app) never both run a migration. A database already at
/// the latest version is only read: opening it (every `roster jobs list`) never waits for, or holds
/// up, a running job's writes.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    if version(conn)? == LATEST {
        return Ok(());
    }
    loop {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::sql("start a schema migration"))?;
        let found = version(&tx)?;
        if found > LATEST {
            return Err(StoreError::TooNew {
                found,
                known: LATEST,
            });
        }
        let Some(sql) = MIGRATIONS.get(found as usize) else {
            return Ok(());
        };
        tx.execute_batch(sql)
            .map_err(StoreError::sql("migrate the job database schema"))?;
        tx.pragma_update(None, "user_version", found + 1)
            .map_err(StoreError::sql("record the schema version"))?;
        tx.commit()
            .map_err(StoreError::sql("commit a schema migration"))?;
    }
}
