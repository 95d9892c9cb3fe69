//! Applying a preview: adds as `PATCH members@odata.bind` (20 per request) and removes as
//! `DELETE …/members/{id}/$ref`, 20 requests per `$batch` call, a few calls in flight.
//!
//! A failed PATCH is all or nothing, so a failed unit is split in halves and sent again, down to
//! single `POST …/members/$ref` adds, until every row has its own outcome.
//!
//! Crash safety: before a chunk is sent its rows are written to the checkpoint as in flight;
//! when its answers are in, the rows' outcomes are stored (roster-store row results) and only
//! then are they taken off the in-flight list. On resume, rows with a stored outcome are never
//! sent again, and in-flight rows are judged by a fresh membership check (the resumed job's
//! preview): an add whose object is now a member was applied by the interrupted run.

use super::outcome::{MembershipOp, RowState, StateCounts};
use super::preview::Preview;
use super::{EngineConfig, MembershipError};
use futures::StreamExt;
use futures::stream::FuturesUnordered;
use roster_core::job::JobId;
use roster_core::text::Text;
use roster_graph::query::encode_segment;
use roster_graph::{BatchRequest, ErrorKind, GraphClient, GraphError, MAX_BATCH, Method};
use roster_store::{RowResult, RowStatus, Store};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio_util::sync::CancellationToken;

/// References per `members@odata.bind` PATCH.
pub const BIND: usize = roster_graph::api::MAX_BIND;

/// What a membership job saves to resume safely.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplyCheckpoint {
    /// Lines whose chunk was sent but whose outcome is not stored yet.
    pub in_flight: BTreeSet<u64>,
    /// Chunks sent so far, across runs.
    pub chunks_sent: u64,
}

/// Progress of an apply run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplyProgress {
    /// Rows with a final outcome.
    pub done: u64,
    /// Rows in the file (blank lines excluded).
    pub total: u64,
    /// Tallies so far (pending rows still count as will-add / will-remove).
    pub counts: StateCounts,
}

/// How an apply run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyEnd {
    /// Every row has an outcome.
    Finished,
    /// Stopped on request between chunks; finished chunks are stored.
    Cancelled,
}

/// Outcome of one row from one chunk: line, state, reason.
type Outcome = (u64, RowState, Text);

/// Shared state of a running apply: the checkpoint, saved under one lock with every change.
struct Tracker {
    store: Arc<Store>,
    job: JobId,
    checkpoint: Mutex<ApplyCheckpoint>,
}

impl Tracker {
    /// Marks `lines` in flight and saves the checkpoint.
    fn send(&self, lines: &[u64]) -> Result<(), MembershipError> {
        let mut cp = self.checkpoint.lock().map_err(|_| poisoned())?;
        cp.in_flight.extend(lines.iter().copied());
        cp.chunks_sent += 1;
        self.store.save_checkpoint(self.job, &*cp)?;
        Ok(())
    }

    /// Stores outcomes, then takes their lines off the in-flight list and saves the checkpoint.
    fn record(&self, rows: &[RowResult]) -> Result<(), MembershipError> {
        let mut cp = self.checkpoint.lock().map_err(|_| poisoned())?;
        self.store.append_row_results(self.job, rows)?;
        for row in rows {
            cp.in_flight.remove(&row.row_number);
        }
        self.store.save_checkpoint(self.job, &*cp)?;
        Ok(())
    }
}

fn poisoned() -> MembershipError {
    MembershipError::Internal("a lock was poisoned by a panic".into())
}

async fn blocking<T, F>(f: F) -> Result<T, MembershipError>
where
    F: FnOnce() -> Result<T, MembershipError> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| MembershipError::Internal(format!("a store task failed: {e}")))?
}

/// The store's record of a row.
fn row_result(preview: &Preview, index: usize) -> RowResult {
    let row = &preview.rows[index];
    RowResult {
        row_number: row.line,
        input: row.input.clone(),
        object_id: row.object.as_ref().map(|o| o.id.clone()),
        display_name: row.object.as_ref().and_then(|o| o.display_name.clone()),
        status: row.state.row_status().unwrap_or(RowStatus::Failed),
        reason: Some(row.reason.to_stored()),
    }
}

/// Reads every stored row result of `job`.
fn stored_rows(store: &Store, job: JobId) -> Result<HashMap<u64, RowResult>, MembershipError> {
    let mut out = HashMap::new();
    let mut after = 0;
    loop {
        let page = store.row_results(job, after, 5000)?;
        let Some(last) = page.last() else { break };
        after = last.row_number;
        out.extend(page.into_iter().map(|r| (r.row_number, r)));
    }
    Ok(out)
}

/// The detailed state of a row stored by an earlier run, given what a fresh preview says now.
fn stored_state(op: MembershipOp, stored: RowStatus, fresh: RowState) -> RowState {
    match stored {
        RowStatus::Succeeded => RowState::done(op),
        RowStatus::Skipped if fresh == RowState::Duplicate => RowState::Duplicate,
        RowStatus::Skipped => RowState::nothing_to_do(op),
        RowStatus::Failed if fresh.is_error() => fresh,
        RowStatus::Failed => RowState::Failed,
    }
}

/// Applies `preview` (freshly computed, also on resume) for job `job`: reconciles it with what
/// earlier runs stored, stores the outcome of every non-pending row, then sends the changes.
/// `preview.rows` end with every row's final state (unless cancelled or stopped by an error).
pub async fn apply(
    client: &GraphClient,
    config: &EngineConfig,
    store: &Arc<Store>,
    job: JobId,
    preview: &mut Preview,
    progress: &mut (dyn FnMut(&ApplyProgress) + Send),
    cancel: &CancellationToken,
) -> Result<ApplyEnd, MembershipError> {
    let op = preview.op;
    let (stored, checkpoint) = {
        let store = Arc::clone(store);
        blocking(move || {
            let stored = stored_rows(&store, job)?;
            let cp: ApplyCheckpoint = store.load_checkpoint(job)?.unwrap_or_default();
            Ok((stored, cp))
        })
        .await?
    };
    let mut unsaved = Vec::new();
    for (index, row) in preview.rows.iter_mut().enumerate() {
        if let Some(result) = stored.get(&row.line) {
            row.state = stored_state(op, result.status, row.state);
            row.reason = result
                .reason
                .as_deref()
                .map_or_else(|| row.state.reason(), Text::from_stored);
            continue;
        }
        if checkpoint.in_flight.contains(&row.line) && row.state == RowState::nothing_to_do(op) {
            row.state = RowState::done(op);
            row.reason = Text::new(
                "membership.reason.confirmedOnResume",
                format!(
                    "{} (by the interrupted run; confirmed on resume)",
                    row.state.default_reason()
                ),
            )
            .with("state", row.state.as_str());
        }
        if !row.state.is_pending() {
            unsaved.push(index);
        }
    }
    preview.recount();
    let tracker = Arc::new(Tracker {
        store: Arc::clone(store),
        job,
        checkpoint: Mutex::new(ApplyCheckpoint {
            in_flight: BTreeSet::new(),
            chunks_sent: checkpoint.chunks_sent,
        }),
    });
    if !unsaved.is_empty() {
        let rows: Vec<RowResult> = unsaved.iter().map(|&i| row_result(preview, i)).collect();
        let t = Arc::clone(&tracker);
        blocking(move || t.record(&rows)).await?;
    } else {
        let t = Arc::clone(&tracker);
        blocking(move || t.record(&[])).await?;
    }
    let total = preview.rows.len() as u64;
    let report = |preview: &Preview, progress: &mut (dyn FnMut(&ApplyProgress) + Send)| {
        progress(&ApplyProgress {
            done: total - preview.pending() as u64,
            total,
            counts: preview.counts,
        });
    };
    report(preview, progress);

    let index_of: HashMap<u64, usize> = preview
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.line, i))
        .collect();
    let pending: Vec<(u64, String)> = preview
        .rows
        .iter()
        .filter(|r| r.state.is_pending())
        .filter_map(|r| r.object.as_ref().map(|o| (r.line, o.id.clone())))
        .collect();
    let per_call = match op {
        MembershipOp::Add => BIND * MAX_BATCH,
        MembershipOp::Remove => MAX_BATCH,
    };
    let mut chunks = pending.chunks(per_call).map(<[_]>::to_vec).peekable();
    let any_success = Arc::new(AtomicBool::new(preview.counts.get(RowState::done(op)) > 0));
    let mut running = FuturesUnordered::new();
    let mut failure: Option<MembershipError> = None;
    let mut sent = 0u64;
    loop {
        while failure.is_none()
            && !cancel.is_cancelled()
            && running.len() < config.concurrency.max(1)
        {
            if chunks.peek().is_none() {
                break;
            }
            if let Some(pace) = &config.pace {
                match pace.try_acquire() {
                    Ok(permit) => permit.forget(),
                    Err(_) if !running.is_empty() => break,
                    Err(_) => tokio::select! {
                        () = cancel.cancelled() => break,
                        permit = pace.acquire() => match permit {
                            Ok(permit) => permit.forget(),
                            Err(_) => break,
                        },
                    },
                }
            }
            let Some(chunk) = chunks.next() else { break };
            let lines: Vec<u64> = chunk.iter().map(|(l, _)| *l).collect();
            let t = Arc::clone(&tracker);
            blocking(move || t.send(&lines)).await?;
            sent += 1;
            let crash = config.simulate_crash_after_chunk == Some(sent);
            let (client, group, flag) = (
                client.clone(),
                preview.group.id.clone(),
                Arc::clone(&any_success),
            );
            running.push(async move {
                let result = send_chunk(&client, op, &group, chunk, &flag).await;
                (crash, result)
            });
        }
        let Some((crash, result)) = running.next().await else {
            break;
        };
        if crash {
            return Err(MembershipError::SimulatedCrash);
        }
        match result {
            Ok(outcomes) => {
                let mut rows = Vec::with_capacity(outcomes.len());
                for (line, state, reason) in outcomes {
                    if let Some(&i) = index_of.get(&line) {
                        preview.rows[i].state = state;
                        preview.rows[i].reason = reason;
                        rows.push(row_result(preview, i));
                    }
                }
                let t = Arc::clone(&tracker);
                blocking(move || t.record(&rows)).await?;
                preview.recount();
                report(preview, progress);
            }
            Err(e) => {
                failure.get_or_insert(e);
            }
        }
    }
    if let Some(e) = failure {
        return Err(e);
    }
    if preview.pending() > 0 {
        return Ok(ApplyEnd::Cancelled);
    }
    Ok(ApplyEnd::Finished)
}

/// A set of rows sent as one request: one PATCH (adds) or one DELETE / single POST.
type Unit = Vec<(u64, String)>;

fn request_for(
    client: &GraphClient,
    op: MembershipOp,
    group: &str,
    id: usize,
    unit: &Unit,
) -> BatchRequest {
    let group = encode_segment(group);
    match (op, unit.as_slice()) {
        (MembershipOp::Add, [(_, member)]) => BatchRequest::new(
            id.to_string(),
            Method::POST,
            format!("/groups/{group}/members/$ref"),
        )
        .json(json!({ "@odata.id": client.directory_object_url(member) })),
        (MembershipOp::Add, many) => {
            let refs: Vec<String> = many
                .iter()
                .map(|(_, m)| client.directory_object_url(m))
                .collect();
            BatchRequest::new(id.to_string(), Method::PATCH, format!("/groups/{group}"))
                .json(json!({ "members@odata.bind": refs }))
        }
        (MembershipOp::Remove, units) => {
            let member = units.first().map(|(_, m)| m.as_str()).unwrap_or_default();
            BatchRequest::new(
                id.to_string(),
                Method::DELETE,
                format!("/groups/{group}/members/{}/$ref", encode_segment(member)),
            )
        }
    }
}

/// Whether an error stops the whole job rather than one unit.
fn is_job_level(error: &GraphError, any_success: bool) -> bool {
    match error.kind() {
        ErrorKind::Auth | ErrorKind::Throttled | ErrorKind::Transient | ErrorKind::Network => true,
        ErrorKind::Permission => !any_success,
        _ => false,
    }
}

/// The final state of a single-row unit that Graph refused.
fn single_outcome(op: MembershipOp, error: &GraphError) -> (RowState, Text) {
    match (op, error.kind()) {
        (MembershipOp::Add, ErrorKind::AlreadyExists) => (
            RowState::AlreadyMember,
            Text::new(
                "membership.reason.memberOnAdd",
                "Already a member when Roster tried to add it; nothing to do",
            ),
        ),
        (MembershipOp::Remove, ErrorKind::NotPresent) => (
            RowState::NotAMember,
            Text::new(
                "membership.reason.notMemberOnRemove",
                "Not a member when Roster tried to remove it; nothing to do",
            ),
        ),
        (_, ErrorKind::NotFound) => (
            RowState::NotFound,
            Text::new(
                "membership.reason.objectGone",
                "The object no longer exists (deleted after the preview?)",
            ),
        ),
        _ => {
            let code = match (error.status, &error.code) {
                (Some(s), Some(c)) => format!(" ({s} {c})"),
                (Some(s), None) => format!(" ({s})"),
                _ => String::new(),
            };
            let message = error.message.trim_end_matches('.');
            let advice = error.advice();
            (
                RowState::Failed,
                Text::new(
                    "membership.reason.graphRefused",
                    format!("{message}{code}. {advice}"),
                )
                .with("message", message)
                .with("code", code.trim())
                .with("advice", advice),
            )
        }
    }
}

/// `$batch` calls in a row without any row settled before a throttled chunk stops the job.
const STALLED_ROUNDS: u32 = 3;

/// Sends one chunk, narrowing failed units down until every row has an outcome.
async fn send_chunk(
    client: &GraphClient,
    op: MembershipOp,
    group: &str,
    chunk: Vec<(u64, String)>,
    any_success: &AtomicBool,
) -> Result<Vec<Outcome>, MembershipError> {
    let mut units: Vec<Unit> = match op {
        MembershipOp::Add => chunk.chunks(BIND).map(<[_]>::to_vec).collect(),
        MembershipOp::Remove => chunk.into_iter().map(|r| vec![r]).collect(),
    };
    let mut outcomes = Vec::new();
    let mut stalled = 0;
    while !units.is_empty() {
        let before = outcomes.len();
        let requests: Vec<BatchRequest> = units
            .iter()
            .enumerate()
            .map(|(i, u)| request_for(client, op, group, i, u))
            .collect();
        let responses = client.batch(requests.clone()).await?;
        let mut next = Vec::new();
        for ((unit, request), response) in units.into_iter().zip(&requests).zip(responses) {
            let Some(error) = response.error(request) else {
                any_success.store(true, Ordering::Relaxed);
                let state = RowState::done(op);
                outcomes.extend(unit.into_iter().map(|(l, _)| (l, state, state.reason())));
                continue;
            };
            if error.kind().is_retryable() && stalled < STALLED_ROUNDS {
                // The client already waited out Retry-After within its budget; the write bucket
                // is shared, so try again rather than lose the job.
                next.push(unit);
                continue;
            }
            if is_job_level(&error, any_success.load(Ordering::Relaxed)) {
                return Err(error.into());
            }
            if unit.len() > 1 {
                let mut unit = unit;
                let second = unit.split_off(unit.len() / 2);
                next.push(unit);
                next.push(second);
            } else {
                let (state, reason) = single_outcome(op, &error);
                outcomes.extend(unit.into_iter().map(|(l, _)| (l, state, reason.clone())));
            }
        }
        stalled = if outcomes.len() == before {
            stalled + 1
        } else {
            0
        };
        units = next;
    }
    Ok(outcomes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use roster_graph::RequestContext;

    fn error(kind: ErrorKind) -> GraphError {
        let mut e = GraphError::new(kind, "Something went wrong.", RequestContext::default());
        e.status = Some(400);
        e
    }

    #[test]
    fn stored_rows_keep_their_detail_on_resume() {
        use MembershipOp::*;
        assert_eq!(
            stored_state(Add, RowStatus::Succeeded, RowState::AlreadyMember),
            RowState::Added
        );
        assert_eq!(
            stored_state(Remove, RowStatus::Skipped, RowState::WillRemove),
            RowState::NotAMember
        );
        assert_eq!(
            stored_state(Add, RowStatus::Skipped, RowState::Duplicate),
            RowState::Duplicate
        );
        assert_eq!(
            stored_state(Add, RowStatus::Failed, RowState::NotFound),
            RowState::NotFound
        );
        assert_eq!(
            stored_state(Add, RowStatus::Failed, RowState::WillAdd),
            RowState::Failed
        );
    }

    #[test]
    fn single_rows_get_precise_outcomes() {
        assert_eq!(
            single_outcome(MembershipOp::Add, &error(ErrorKind::AlreadyExists)).0,
            RowState::AlreadyMember
        );
        assert_eq!(
            single_outcome(MembershipOp::Remove, &error(ErrorKind::NotPresent)).0,
            RowState::NotAMember
        );
        assert_eq!(
            single_outcome(MembershipOp::Add, &error(ErrorKind::NotFound)).0,
            RowState::NotFound
        );
        let (state, reason) = single_outcome(MembershipOp::Add, &error(ErrorKind::BadRequest));
        assert_eq!(state, RowState::Failed);
        assert!(reason.starts_with("Something went wrong (400)"), "{reason}");
    }

    #[test]
    fn permission_errors_stop_the_job_only_before_any_success() {
        let denied = error(ErrorKind::Permission);
        assert!(is_job_level(&denied, false));
        assert!(!is_job_level(&denied, true));
        assert!(is_job_level(&error(ErrorKind::Throttled), true));
        assert!(!is_job_level(&error(ErrorKind::BadRequest), false));
    }
}
