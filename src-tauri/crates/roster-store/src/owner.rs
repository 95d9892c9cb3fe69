//! Who runs a job. Every [`Store`](crate::Store) opened on a file takes an owner token and holds
//! an exclusive OS lock on `<database>.owners/<token>.lock` for as long as it is open; a job
//! moving to `running` records that token. The operating system drops the lock when the process
//! ends in any way (exit, crash, `SIGKILL`, power loss), so another process can tell a job whose
//! owner is gone (its lock file can be locked, or is missing) from one still running elsewhere
//! (the lock is held). Within one process, a job counts as running while a [`RunLease`] for it
//! is alive.

use roster_core::job::JobId;
use std::collections::HashMap;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// The owner identity of one open store.
#[derive(Debug)]
pub(crate) struct Owner {
    /// `<pid>-<random>`: unique per open store, safe as a file name.
    pub token: String,
    /// The folder of lock files (`None` for an in-memory store: no other process can see it).
    dir: Option<PathBuf>,
    /// The held lock file; closing it releases the lock.
    lock: Option<File>,
    /// Jobs with a live [`RunLease`] in this process, with the lease's number.
    active: Arc<Mutex<HashMap<JobId, u64>>>,
    next_lease: AtomicU64,
}

/// What was found about the owner of a `running` job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Liveness {
    /// The owner is alive: the job is really running.
    Alive,
    /// The owner is gone (or unknown): the job was interrupted.
    Gone,
}

impl Owner {
    /// An owner for the database at `db` (lock file beside it), or for an in-memory store.
    pub fn new(db: Option<&Path>) -> std::io::Result<Self> {
        let token = format!(
            "{}-{}",
            std::process::id(),
            uuid::Uuid::new_v4()
                .simple()
                .to_string()
                .get(..12)
                .unwrap_or("0")
        );
        let mut owner = Self {
            token,
            dir: None,
            lock: None,
            active: Arc::default(),
            next_lease: AtomicU64::new(1),
        };
        if let Some(db) = db {
            let mut name = db.as_os_str().to_owned();
            name.push(".owners");
            let dir = PathBuf::from(name);
            std::fs::create_dir_all(&dir)?;
            let path = dir.join(format!("{}.lock", owner.token));
            let mut file = OpenOptions::new()
                .create(true)
                .truncate(true)
                .write(true)
                .open(&path)?;
            file.lock()?;
            writeln!(file, "pid {}", std::process::id())?;
            owner.dir = Some(dir);
            owner.lock = Some(file);
        }
        Ok(owner)
    }

    /// Whether the owner `token` of a running job is still there.
    pub fn liveness(&self, job: JobId, token: Option<&str>) -> Liveness {
        let Some(token) = token else {
            return Liveness::Gone;
        };
        if token == self.token {
            let held = self.active.lock().map(|a| a.contains_key(&job));
            return if held.unwrap_or(false) {
                Liveness::Alive
            } else {
                Liveness::Gone
            };
        }
        let Some(dir) = &self.dir else {
            return Liveness::Gone;
        };
        if token.is_empty() || !token.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Liveness::Gone;
        }
        let path = dir.join(format!("{token}.lock"));
        let file = match OpenOptions::new().write(true).open(&path) {
            Ok(file) => file,
            Err(_) => return Liveness::Gone,
        };
        match file.try_lock() {
            Ok(()) => {
                drop(file);
                let _ = std::fs::remove_file(&path);
                Liveness::Gone
            }
            Err(TryLockError::WouldBlock) => Liveness::Alive,
            // A file system without locks: fall back to "a running job from another open
            // store is gone", as before owners were recorded.
            Err(TryLockError::Error(_)) => Liveness::Gone,
        }
    }

    /// Marks `job` as running in this process until the lease is dropped.
    pub fn lease(&self, job: JobId) -> RunLease {
        let number = self.next_lease.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut active) = self.active.lock() {
            active.insert(job, number);
        }
        RunLease {
            active: Arc::clone(&self.active),
            job,
            number,
        }
    }
}

impl Drop for Owner {
    fn drop(&mut self) {
        if let (Some(file), Some(dir)) = (self.lock.take(), &self.dir) {
            drop(file);
            let _ = std::fs::remove_file(dir.join(format!("{}.lock", self.token)));
        }
    }
}

/// Says "this process is running job X" while it lives: [`Store::mark_interrupted`] in this
/// process leaves the job alone. Take one with [`Store::lease`] before a job starts running and
/// drop it when the job's task ends (or is aborted).
///
/// [`Store::mark_interrupted`]: crate::Store::mark_interrupted
/// [`Store::lease`]: crate::Store::lease
#[derive(Debug)]
pub struct RunLease {
    active: Arc<Mutex<HashMap<JobId, u64>>>,
    job: JobId,
    number: u64,
}

impl RunLease {
    /// The job this lease is for.
    pub fn job(&self) -> JobId {
        self.job
    }
}

impl Drop for RunLease {
    fn drop(&mut self) {
        if let Ok(mut active) = self.active.lock()
            && active.get(&self.job) == Some(&self.number)
        {
            active.remove(&self.job);
        }
    }
}
