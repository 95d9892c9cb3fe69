//! The job list: create, read, update, delete jobs, their status and checkpoints.

use crate::{Store, StoreError};
use chrono::{DateTime, SecondsFormat, Utc};
use roster_core::job::{JobId, JobKind, JobStatus};
use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::path::PathBuf;

/// Progress counters of a job. `total` is unknown (`None`) until the job knows it (a download
/// learns it from `$count` or at the end).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobCounts {
    /// Rows or objects to process, when known.
    pub total: Option<u64>,
    /// Rows or objects processed so far.
    pub done: u64,
    /// Processed successfully.
    pub succeeded: u64,
    /// Processed with an error.
    pub failed: u64,
    /// Nothing to do (already a member, duplicate, blank line...).
    pub skipped: u64,
}

/// A job as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// Its id.
    pub id: JobId,
    /// What it does.
    pub kind: JobKind,
    /// Name shown in the job list.
    pub name: String,
    /// The job's parameters as JSON (the runner's spec type, serialised).
    pub spec: serde_json::Value,
    /// Where it is in its life.
    pub status: JobStatus,
    /// Progress counters.
    pub counts: JobCounts,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it first started running.
    pub started_at: Option<DateTime<Utc>>,
    /// When it reached a final status.
    pub finished_at: Option<DateTime<Utc>>,
    /// Last change to the row.
    pub updated_at: DateTime<Utc>,
    /// The file a download writes.
    pub output_path: Option<PathBuf>,
    /// The per-row results file of a bulk member job.
    pub results_path: Option<PathBuf>,
    /// Why the job failed, in plain words.
    pub error: Option<String>,
    /// Progress needed to resume (continuation link, bytes written, per-group progress), JSON.
    pub checkpoint: Option<serde_json::Value>,
}

/// What is needed to create a job; it starts `queued` with zero counts.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    /// What it does.
    pub kind: JobKind,
    /// Name shown in the job list.
    pub name: String,
    /// The job's parameters as JSON.
    pub spec: serde_json::Value,
    /// The file a download will write, if already known.
    pub output_path: Option<PathBuf>,
    /// What the job changes that no other job may change at the same time (`group:<id>` for a
    /// membership change): [`Store::claim_job`] lets one such job run at a time.
    pub exclusive: Option<String>,
}

/// Changes to apply to a job; `None` fields are left as they are.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JobUpdate {
    /// New status, checked against the job state machine ([`JobStatus::transition`]); the
    /// current status again is a no-op. Moving to `running` sets `started_at` the first time;
    /// moving to a final status sets `finished_at`, any other status clears it (a resumed job
    /// is not finished).
    pub status: Option<JobStatus>,
    /// New counters.
    pub counts: Option<JobCounts>,
    /// New output file.
    pub output_path: Option<PathBuf>,
    /// New results file.
    pub results_path: Option<PathBuf>,
    /// New error message (`Some(None)` clears it, e.g. when an interrupted job is resumed).
    pub error: Option<Option<String>>,
}

pub(crate) fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

const JOB_COLUMNS: &str = "id, kind, name, spec, status, total, done, succeeded, failed, skipped, \
     created_at, started_at, finished_at, updated_at, output_path, results_path, error, checkpoint";

/// The raw text of a job row, decoded outside the rusqlite closure so errors stay precise.
struct RawJob {
    id: String,
    kind: String,
    name: String,
    spec: String,
    status: String,
    counts: [Option<i64>; 5],
    times: [Option<String>; 4],
    output_path: Option<String>,
    results_path: Option<String>,
    error: Option<String>,
    checkpoint: Option<String>,
}

fn raw(r: &Row<'_>) -> rusqlite::Result<RawJob> {
    Ok(RawJob {
        id: r.get(0)?,
        kind: r.get(1)?,
        name: r.get(2)?,
        spec: r.get(3)?,
        status: r.get(4)?,
        counts: [r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?],
        times: [r.get(10)?, r.get(11)?, r.get(12)?, r.get(13)?],
        output_path: r.get(14)?,
        results_path: r.get(15)?,
        error: r.get(16)?,
        checkpoint: r.get(17)?,
    })
}

impl RawJob {
    fn decode(self) -> Result<Job, StoreError> {
        let job = self.id.clone();
        let corrupt = |what: &'static str, detail: String| StoreError::Corrupt {
            job: job.clone(),
            what,
            detail,
        };
        let time =
            |what: &'static str, t: &Option<String>| -> Result<Option<DateTime<Utc>>, StoreError> {
                t.as_deref()
                    .map(|s| {
                        DateTime::parse_from_rfc3339(s)
                            .map(|d| d.with_timezone(&Utc))
                            .map_err(|e| corrupt(what, format!("{s:?}: {e}")))
                    })
                    .transpose()
            };
        let json = |what: &'static str, s: &str| {
            serde_json::from_str(s).map_err(|source| StoreError::Json {
                what,
                verb: "read",
                job: job.clone(),
                source,
            })
        };
        let count = |v: Option<i64>| v.map(|n| u64::try_from(n).unwrap_or(0));
        let [total, done, succeeded, failed, skipped] = self.counts;
        Ok(Job {
            id: self.id.parse().map_err(|e| corrupt("id", format!("{e}")))?,
            kind: self
                .kind
                .parse()
                .map_err(|e| corrupt("kind", format!("{e}")))?,
            name: self.name,
            spec: json("spec", &self.spec)?,
            status: self
                .status
                .parse()
                .map_err(|e| corrupt("status", format!("{e}")))?,
            counts: JobCounts {
                total: count(total),
                done: count(done).unwrap_or(0),
                succeeded: count(succeeded).unwrap_or(0),
                failed: count(failed).unwrap_or(0),
                skipped: count(skipped).unwrap_or(0),
            },
            created_at: time("created_at", &self.times[0])?
                .ok_or_else(|| corrupt("created_at", "missing".into()))?,
            started_at: time("started_at", &self.times[1])?,
            finished_at: time("finished_at", &self.times[2])?,
            updated_at: time("updated_at", &self.times[3])?
                .ok_or_else(|| corrupt("updated_at", "missing".into()))?,
            output_path: self.output_path.map(PathBuf::from),
            results_path: self.results_path.map(PathBuf::from),
            error: self.error,
            checkpoint: self
                .checkpoint
                .as_deref()
                .map(|s| json("checkpoint", s))
                .transpose()?,
        })
    }
}

/// The statuses of a job that is writing, or about to write, its output file.
const ACTIVE: &str = "('queued', 'running')";

/// [`StoreError::OutputInUse`] for `path`, naming the active job (other than `except`) that writes it.
fn output_in_use(
    conn: &rusqlite::Connection,
    except: Option<JobId>,
    path: Option<&std::path::Path>,
) -> Result<StoreError, StoreError> {
    let path = path.map(path_text).unwrap_or_default();
    let except = except.map(|id| id.to_string()).unwrap_or_default();
    let holder: Option<(String, String)> = conn
        .query_row(
            &format!(
                "SELECT id, status FROM jobs WHERE output_path = ?1 AND id <> ?2 AND status IN {ACTIVE}
                 ORDER BY created_at LIMIT 1"
            ),
            params![path, except],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(StoreError::sql("find the job writing a file"))?;
    let (holder, status) = holder.unwrap_or_default();
    Ok(StoreError::OutputInUse {
        path: PathBuf::from(path),
        holder,
        status,
    })
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn path_text(p: &std::path::Path) -> String {
    p.to_string_lossy().into_owned()
}

impl Store {
    /// Creates a `queued` job and returns it as stored. A job whose output file another queued or
    /// running job writes is refused with [`StoreError::OutputInUse`] and not created: two
    /// downloads to one file would overwrite each other.
    pub fn create_job(&self, new: &NewJob) -> Result<Job, StoreError> {
        let id = JobId::new();
        let now = timestamp(Utc::now());
        let spec = serde_json::to_string(&new.spec).map_err(|source| StoreError::Json {
            what: "spec",
            verb: "saved",
            job: id.to_string(),
            source,
        })?;
        {
            let conn = self.lock()?;
            let output = new.output_path.as_deref().map(path_text);
            // One statement, so of two processes creating a job for one file at once only one can.
            let created = conn
                .execute(
                    &format!(
                        "INSERT INTO jobs (id, kind, name, spec, status, created_at, updated_at, output_path, exclusive)
                         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8
                         WHERE ?7 IS NULL OR NOT EXISTS (
                            SELECT 1 FROM jobs WHERE output_path = ?7 AND status IN {ACTIVE})"
                    ),
                    params![
                        id.to_string(),
                        new.kind.as_str(),
                        new.name,
                        spec,
                        JobStatus::Queued.as_str(),
                        now,
                        output,
                        new.exclusive,
                    ],
                )
                .map_err(StoreError::sql("create a job"))?;
            if created == 0 {
                return Err(output_in_use(&conn, None, new.output_path.as_deref())?);
            }
        }
        self.get_job(id)?
            .ok_or_else(|| StoreError::NotFound(id.to_string()))
    }

    /// The job with this id, or `None`.
    pub fn get_job(&self, id: JobId) -> Result<Option<Job>, StoreError> {
        let raw = {
            let conn = self.lock()?;
            conn.query_row(
                &format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = ?1"),
                params![id.to_string()],
                raw,
            )
            .optional()
            .map_err(StoreError::sql("read a job"))?
        };
        raw.map(RawJob::decode).transpose()
    }

    /// Jobs newest first, `limit` at a time from `offset`.
    pub fn list_jobs(&self, limit: u32, offset: u64) -> Result<Vec<Job>, StoreError> {
        let raws = {
            let conn = self.lock()?;
            let mut stmt = conn
                .prepare_cached(&format!(
                    "SELECT {JOB_COLUMNS} FROM jobs ORDER BY created_at DESC, rowid DESC LIMIT ?1 OFFSET ?2"
                ))
                .map_err(StoreError::sql("list jobs"))?;
            stmt.query_map(params![limit, to_i64(offset)], raw)
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
                .map_err(StoreError::sql("list jobs"))?
        };
        raws.into_iter().map(RawJob::decode).collect()
    }

    /// Applies `update` to a job. Fails with [`StoreError::NotFound`] for an unknown id.
    pub fn update_job(&self, id: JobId, update: &JobUpdate) -> Result<(), StoreError> {
        let now = timestamp(Utc::now());
        let conn = self.lock()?;
        let tx = conn
            .unchecked_transaction()
            .map_err(StoreError::sql("start a job update"))?;
        let current: Option<String> = tx
            .query_row(
                "SELECT status FROM jobs WHERE id = ?1",
                params![id.to_string()],
                |r| r.get(0),
            )
            .optional()
            .map_err(StoreError::sql("read a job's status"))?;
        let Some(current) = current else {
            return Err(StoreError::NotFound(id.to_string()));
        };
        let current: JobStatus = current.parse().map_err(|e| StoreError::Corrupt {
            job: id.to_string(),
            what: "status",
            detail: format!("{e}"),
        })?;
        if update.status == Some(JobStatus::Running) && current == JobStatus::Running {
            // Two runs of one job would each record the other's changes as theirs.
            return Err(StoreError::AlreadyRunning(id.to_string()));
        }
        let new_status = update.status.filter(|s| *s != current);
        if let Some(next) = new_status {
            current.transition(next).map_err(StoreError::Transition)?;
        }
        if matches!(new_status, Some(JobStatus::Queued | JobStatus::Running)) {
            // A stopped download going again: not while another job writes its file.
            let output: Option<String> = tx
                .query_row(
                    "SELECT output_path FROM jobs WHERE id = ?1",
                    params![id.to_string()],
                    |r| r.get(0),
                )
                .map_err(StoreError::sql("read a job's output path"))?;
            if let Some(output) = output {
                let busy: Option<i64> = tx
                    .query_row(
                        &format!(
                            "SELECT 1 FROM jobs WHERE output_path = ?1 AND id <> ?2 AND status IN {ACTIVE}"
                        ),
                        params![output, id.to_string()],
                        |r| r.get(0),
                    )
                    .optional()
                    .map_err(StoreError::sql("check a job's output file"))?;
                if busy.is_some() {
                    return Err(output_in_use(
                        &tx,
                        Some(id),
                        Some(std::path::Path::new(&output)),
                    )?);
                }
            }
        }
        tx.execute(
            "UPDATE jobs SET updated_at = ?2 WHERE id = ?1",
            params![id.to_string(), now],
        )
        .map_err(StoreError::sql("update a job"))?;
        let key = id.to_string();
        if new_status == Some(JobStatus::Running) {
            tx.execute(
                "UPDATE jobs SET owner = ?2 WHERE id = ?1",
                params![key, self.owner.token],
            )
            .map_err(StoreError::sql("record a job's owner"))?;
        }
        if let Some(status) = new_status {
            tx.execute(
                "UPDATE jobs SET status = ?2,
                    started_at = CASE WHEN ?2 = 'running' AND started_at IS NULL THEN ?3 ELSE started_at END,
                    finished_at = CASE WHEN ?4 THEN ?3 ELSE NULL END
                 WHERE id = ?1",
                params![key, status.as_str(), now, status.is_final()],
            )
            .map_err(StoreError::sql("update a job's status"))?;
        }
        if let Some(c) = update.counts {
            tx.execute(
                "UPDATE jobs SET total = ?2, done = ?3, succeeded = ?4, failed = ?5, skipped = ?6 WHERE id = ?1",
                params![key, c.total.map(to_i64), to_i64(c.done), to_i64(c.succeeded), to_i64(c.failed), to_i64(c.skipped)],
            )
            .map_err(StoreError::sql("update a job's counts"))?;
        }
        if let Some(p) = &update.output_path {
            tx.execute(
                "UPDATE jobs SET output_path = ?2 WHERE id = ?1",
                params![key, path_text(p)],
            )
            .map_err(StoreError::sql("update a job's output path"))?;
        }
        if let Some(p) = &update.results_path {
            tx.execute(
                "UPDATE jobs SET results_path = ?2 WHERE id = ?1",
                params![key, path_text(p)],
            )
            .map_err(StoreError::sql("update a job's results path"))?;
        }
        if let Some(error) = &update.error {
            tx.execute(
                "UPDATE jobs SET error = ?2 WHERE id = ?1",
                params![key, error],
            )
            .map_err(StoreError::sql("update a job's error"))?;
        }
        tx.commit().map_err(StoreError::sql("commit a job update"))
    }

    /// Claims queued job `id` for a run: one conditional update moves it to `running` with this
    /// store's owner, so of two claimants (a double click, the CLI beside the app) exactly one
    /// wins. The other gets [`StoreError::AlreadyRunning`]; a job cancelled while it waited gets
    /// the [`StoreError::Transition`] from `cancelled`; a job whose [`NewJob::exclusive`] key
    /// another running job holds gets [`StoreError::Busy`] and stays queued (try again later).
    pub fn claim_job(&self, id: JobId) -> Result<(), StoreError> {
        let now = timestamp(Utc::now());
        let conn = self.lock()?;
        let key = id.to_string();
        let claimed = conn
            .execute(
                "UPDATE jobs SET status = 'running', owner = ?2, updated_at = ?3, error = NULL,
                    started_at = COALESCE(started_at, ?3), finished_at = NULL
                 WHERE id = ?1 AND status = 'queued' AND (exclusive IS NULL OR NOT EXISTS (
                    SELECT 1 FROM jobs AS other WHERE other.exclusive = jobs.exclusive
                        AND other.status = 'running' AND other.id <> jobs.id))",
                params![key, self.owner.token, now],
            )
            .map_err(StoreError::sql("claim a job"))?;
        if claimed == 1 {
            return Ok(());
        }
        let holder: Option<String> = conn
            .query_row(
                "SELECT other.id FROM jobs AS me JOIN jobs AS other
                    ON other.exclusive = me.exclusive AND other.id <> me.id
                 WHERE me.id = ?1 AND me.status = 'queued' AND other.status = 'running'",
                params![key],
                |r| r.get(0),
            )
            .optional()
            .map_err(StoreError::sql("find the job holding a group"))?;
        if let Some(holder) = holder {
            return Err(StoreError::Busy { job: key, holder });
        }
        let status: Option<String> = conn
            .query_row("SELECT status FROM jobs WHERE id = ?1", params![key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(StoreError::sql("read a job's status"))?;
        match status.as_deref().map(str::parse::<JobStatus>) {
            None => Err(StoreError::NotFound(key)),
            Some(Ok(JobStatus::Running)) => Err(StoreError::AlreadyRunning(key)),
            Some(Ok(from)) => Err(StoreError::Transition(
                from.transition(JobStatus::Running).err().unwrap_or(
                    roster_core::job::TransitionError {
                        from,
                        to: JobStatus::Running,
                    },
                ),
            )),
            Some(Err(e)) => Err(StoreError::Corrupt {
                job: key,
                what: "status",
                detail: format!("{e}"),
            }),
        }
    }

    /// Deletes a job and its row results; returns whether it existed.
    pub fn delete_job(&self, id: JobId) -> Result<bool, StoreError> {
        let conn = self.lock()?;
        let n = conn
            .execute("DELETE FROM jobs WHERE id = ?1", params![id.to_string()])
            .map_err(StoreError::sql("delete a job"))?;
        Ok(n > 0)
    }

    /// Stores the job's resume checkpoint (any serialisable value), replacing the previous one.
    pub fn save_checkpoint<T: Serialize>(
        &self,
        id: JobId,
        checkpoint: &T,
    ) -> Result<(), StoreError> {
        let text = serde_json::to_string(checkpoint).map_err(|source| StoreError::Json {
            what: "checkpoint",
            verb: "saved",
            job: id.to_string(),
            source,
        })?;
        let conn = self.lock()?;
        let n = conn
            .execute(
                "UPDATE jobs SET checkpoint = ?2, updated_at = ?3 WHERE id = ?1",
                params![id.to_string(), text, timestamp(Utc::now())],
            )
            .map_err(StoreError::sql("save a job checkpoint"))?;
        if n == 0 {
            return Err(StoreError::NotFound(id.to_string()));
        }
        Ok(())
    }

    /// The job's checkpoint, or `None` when none was saved.
    pub fn load_checkpoint<T: DeserializeOwned>(&self, id: JobId) -> Result<Option<T>, StoreError> {
        let text: Option<Option<String>> = {
            let conn = self.lock()?;
            conn.query_row(
                "SELECT checkpoint FROM jobs WHERE id = ?1",
                params![id.to_string()],
                |r| r.get(0),
            )
            .optional()
            .map_err(StoreError::sql("read a job checkpoint"))?
        };
        let Some(text) = text else {
            return Err(StoreError::NotFound(id.to_string()));
        };
        text.map(|t| {
            serde_json::from_str(&t).map_err(|source| StoreError::Json {
                what: "checkpoint",
                verb: "read",
                job: id.to_string(),
                source,
            })
        })
        .transpose()
    }

    /// Marks `running` jobs whose owner is gone `interrupted`, and returns their ids. Call it at
    /// start-up (the desktop app, every CLI command that reads or runs jobs): a crash, kill or
    /// power loss leaves jobs `running`. A job still run by another process (its owner's lock is
    /// held) or by this process (a live [`RunLease`](crate::RunLease)) is left alone; a job
    /// recorded by an older Roster without an owner counts as interrupted.
    pub fn mark_interrupted(&self) -> Result<Vec<JobId>, StoreError> {
        let running: Vec<(String, Option<String>)> = {
            let conn = self.lock()?;
            let mut stmt = conn
                .prepare("SELECT id, owner FROM jobs WHERE status = 'running'")
                .map_err(StoreError::sql("list running jobs"))?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
                .map_err(StoreError::sql("list running jobs"))?
        };
        let mut marked = Vec::new();
        for (text, owner) in running {
            let id: JobId = text.parse().map_err(|e| StoreError::Corrupt {
                job: text.clone(),
                what: "id",
                detail: format!("{e}"),
            })?;
            if self.owner.liveness(id, owner.as_deref()) == crate::owner::Liveness::Alive {
                continue;
            }
            let conn = self.lock()?;
            let n = conn
                .execute(
                    "UPDATE jobs SET status = 'interrupted', updated_at = ?2,
                        error = COALESCE(error, 'Roster stopped while this job was running; resume it to continue from its last checkpoint.')
                     WHERE id = ?1 AND status = 'running' AND owner IS ?3",
                    params![text, timestamp(Utc::now()), owner],
                )
                .map_err(StoreError::sql("mark interrupted jobs"))?;
            if n > 0 {
                marked.push(id);
            }
        }
        Ok(marked)
    }

    /// Says that this process runs `id` until the returned lease is dropped (see
    /// [`Store::mark_interrupted`]). Take it before moving the job to `running`.
    pub fn lease(&self, id: JobId) -> crate::RunLease {
        self.owner.lease(id)
    }
}
