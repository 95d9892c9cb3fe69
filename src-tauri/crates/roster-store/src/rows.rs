//! Per-row results of bulk member jobs (one row per input line).

use crate::{Store, StoreError};
use roster_core::job::JobId;
use rusqlite::params;
use serde::{Deserialize, Serialize};

/// Outcome of one input row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    /// The change was made (member added or removed).
    Succeeded,
    /// Nothing to do: already a member, not a member, duplicate or blank row.
    Skipped,
    /// The change could not be made; `reason` says why.
    Failed,
}

impl RowStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Succeeded => "succeeded",
            Self::Skipped => "skipped",
            Self::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "succeeded" => Some(Self::Succeeded),
            "skipped" => Some(Self::Skipped),
            "failed" => Some(Self::Failed),
            _ => None,
        }
    }
}

/// The result of one input row of a bulk member job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RowResult {
    /// Row number in the input (1-based file line or sheet row); unique per job.
    pub row_number: u64,
    /// The value read from the file (trimmed).
    pub input: String,
    /// The object id it resolved to, if it did.
    pub object_id: Option<String>,
    /// The resolved object's display name.
    pub display_name: Option<String>,
    /// Outcome.
    pub status: RowStatus,
    /// Why, in plain words ("Already a member", "No user with this UPN or mail"...).
    pub reason: Option<String>,
}

/// A stored row before its status text is checked:
/// (row number, input, object id, display name, status, reason).
type RawRow = (
    i64,
    String,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
);

impl Store {
    /// Appends row results in one transaction. A row number already stored for the job is
    /// replaced, so re-running rows after a resume does not duplicate them.
    pub fn append_row_results(&self, job: JobId, rows: &[RowResult]) -> Result<(), StoreError> {
        let key = job.to_string();
        let mut conn = self.lock()?;
        let tx = conn
            .transaction()
            .map_err(StoreError::sql("start saving row results"))?;
        {
            let mut stmt = tx
                .prepare_cached(
                    "INSERT INTO job_rows (job_id, row_number, input, object_id, display_name, status, reason)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (job_id, row_number) DO UPDATE SET
                        input = excluded.input, object_id = excluded.object_id,
                        display_name = excluded.display_name, status = excluded.status,
                        reason = excluded.reason",
                )
                .map_err(StoreError::sql("save row results"))?;
            for row in rows {
                stmt.execute(params![
                    key,
                    i64::try_from(row.row_number).unwrap_or(i64::MAX),
                    row.input,
                    row.object_id,
                    row.display_name,
                    row.status.as_str(),
                    row.reason,
                ])
                .map_err(|source| match source {
                    rusqlite::Error::SqliteFailure(e, _)
                        if e.code == rusqlite::ErrorCode::ConstraintViolation =>
                    {
                        StoreError::NotFound(key.clone())
                    }
                    source => StoreError::Sql {
                        action: "save row results",
                        source,
                    },
                })?;
            }
        }
        tx.commit().map_err(StoreError::sql("commit row results"))
    }

    /// Row results in row order: up to `limit` rows with a row number greater than `after`
    /// (pass 0 for the first page, then the last row number of the previous page).
    pub fn row_results(
        &self,
        job: JobId,
        after: u64,
        limit: u32,
    ) -> Result<Vec<RowResult>, StoreError> {
        let conn = self.lock()?;
        let mut stmt = conn
            .prepare_cached(
                "SELECT row_number, input, object_id, display_name, status, reason FROM job_rows
                 WHERE job_id = ?1 AND row_number > ?2 ORDER BY row_number LIMIT ?3",
            )
            .map_err(StoreError::sql("read row results"))?;
        let raw: Vec<RawRow> = stmt
            .query_map(
                params![
                    job.to_string(),
                    i64::try_from(after).unwrap_or(i64::MAX),
                    limit
                ],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                },
            )
            .and_then(|rows| rows.collect())
            .map_err(StoreError::sql("read row results"))?;
        raw.into_iter()
            .map(|(n, input, object_id, display_name, status, reason)| {
                let status = RowStatus::parse(&status).ok_or_else(|| StoreError::Corrupt {
                    job: format!("{job} row {n}"),
                    what: "row status",
                    detail: status.clone(),
                })?;
                Ok(RowResult {
                    row_number: u64::try_from(n).unwrap_or(0),
                    input,
                    object_id,
                    display_name,
                    status,
                    reason,
                })
            })
            .collect()
    }

    /// Number of row results stored for a job.
    pub fn count_row_results(&self, job: JobId) -> Result<u64, StoreError> {
        let conn = self.lock()?;
        let n: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM job_rows WHERE job_id = ?1",
                params![job.to_string()],
                |r| r.get(0),
            )
            .map_err(StoreError::sql("count row results"))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}
