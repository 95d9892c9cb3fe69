//! Adding or removing a group's members from a file: the preview (every row resolved and given a
//! state before anything changes), kept until the person confirms it, and the job that applies
//! exactly what was shown.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};

use roster_core::text::Text;
use roster_jobs::membership::{
    EngineConfig, MembershipJob, MembershipOp, MembershipSpec, Preview, find_group, input_digest,
    preview,
};
use roster_store::Job;

use crate::connection::Connection;
use crate::error::{AppError, ErrorCode, sentence};
use crate::jobs::Jobs;

/// Previews kept for their job to start from; an older one is forgotten (preview again).
const KEPT_PREVIEWS: usize = 8;

/// A preview shown to the person, with what it was made from.
#[derive(Debug, Clone)]
pub struct MembershipPreview {
    /// The group's object id.
    pub group_id: String,
    /// Add or remove.
    pub op: MembershipOp,
    /// The member file read.
    pub file: PathBuf,
    /// Every row and its state.
    pub preview: Preview,
    /// The member file's SHA-256 as previewed: the job is bound to it.
    pub input_sha256: String,
}

impl MembershipPreview {
    /// The job spec that applies this preview, its results written to `results` (default: beside
    /// the member file, [`results_path`]).
    pub fn spec(&self, results: Option<PathBuf>) -> MembershipSpec {
        let results = results.unwrap_or_else(|| results_path(&self.file, self.op));
        MembershipSpec::new(self.op, self.group_id.clone(), self.file.clone(), results)
            .with_input_digest(self.input_sha256.clone())
            .with_group_name(self.preview.group.display_name.clone())
    }
}

/// Reads `file`, finds and checks the group, resolves every row and checks membership; nothing
/// changes. Groups whose members cannot be changed here (dynamic, synced, Exchange-managed) are
/// refused with the reason before the file is read.
pub async fn preview_membership(
    connection: &Connection,
    op: MembershipOp,
    group: &str,
    file: &Path,
) -> Result<MembershipPreview, AppError> {
    if file.as_os_str().is_empty() {
        return Err(AppError::coded(
            ErrorCode::Validation,
            Text::new(
                "app.chooseMemberFile",
                "Choose a CSV or XLSX file with one member per row (object ID, user principal name or mail address).",
            ),
        ));
    }
    AppError::require_unicode(file)?;
    let graph = connection.read_graph();
    let target = find_group(&graph, group).await?;
    if let Some(reason) = target.refusal() {
        return Err(AppError::coded(ErrorCode::Refused, reason));
    }
    let path = file.to_owned();
    let read = tokio::task::spawn_blocking(move || {
        let digest = input_digest(&path);
        roster_csv::read_member_file(&path).map(|members| (members, digest))
    });
    let (members, digest) = read
        .await
        .map_err(|e| {
            AppError::new(
                ErrorCode::Internal,
                "Reading the file stopped unexpectedly.",
            )
            .with_detail(e.to_string())
        })?
        .map_err(|e| AppError::validation(sentence(&e.to_string())))?;
    let input_sha256 = digest.map_err(|e| AppError::validation(sentence(&e.to_string())))?;
    let planned = preview(&graph, &EngineConfig::default(), op, &target.id, &members).await?;
    Ok(MembershipPreview {
        group_id: target.id,
        op,
        file: file.to_owned(),
        preview: planned,
        input_sha256,
    })
}

/// Starts the job applying `confirmed` exactly as shown (results beside the member file unless
/// `results` names a file; the default name is one no other job uses, so each job keeps its own
/// results and undo files).
pub async fn start_membership(
    jobs: &Jobs,
    confirmed: MembershipPreview,
    results: Option<PathBuf>,
    connection: &Connection,
) -> Result<Job, AppError> {
    let results = match results {
        Some(r) => r,
        None => jobs.free_results_path(&confirmed.file, confirmed.op)?,
    };
    AppError::require_unicode(&results)?;
    let spec = confirmed.spec(Some(results));
    jobs.start(
        MembershipJob::with_preview(spec, confirmed.preview),
        connection,
    )
    .await
}

/// Where the results of a job on `file` go: beside it, `F.add-results.csv` or
/// `F.remove-results.csv`.
pub fn results_path(file: &Path, op: MembershipOp) -> PathBuf {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "members".into());
    file.with_file_name(format!("{stem}.{}-results.csv", op.as_str()))
}

/// Previews shown and not yet confirmed, by id: a preview starts one job at most, so confirming
/// twice does not apply a change twice.
#[derive(Debug, Default)]
pub struct PendingPreviews {
    next_id: u64,
    kept: VecDeque<(String, MembershipPreview)>,
}

impl PendingPreviews {
    /// Keeps `preview` and returns its id (the oldest is forgotten beyond a few).
    pub fn insert(&mut self, preview: MembershipPreview) -> String {
        self.next_id += 1;
        let id = format!("preview-{}", self.next_id);
        if self.kept.len() >= KEPT_PREVIEWS {
            self.kept.pop_front();
        }
        self.kept.push_back((id.clone(), preview));
        id
    }

    /// Gives back preview `id` that was taken out to start a job that then could not start (the
    /// write permission was refused, nobody is signed in): confirming it again starts it then.
    pub fn put_back(&mut self, id: String, preview: MembershipPreview) {
        if self.kept.iter().any(|(key, _)| *key == id) {
            return;
        }
        if self.kept.len() >= KEPT_PREVIEWS {
            self.kept.pop_front();
        }
        self.kept.push_back((id, preview));
    }

    /// Takes preview `id` out, to start its job.
    pub fn take(&mut self, id: &str) -> Result<MembershipPreview, AppError> {
        let index = self
            .kept
            .iter()
            .position(|(key, _)| key == id)
            .ok_or_else(preview_gone)?;
        self.kept
            .remove(index)
            .map(|(_, preview)| preview)
            .ok_or_else(|| AppError::new(ErrorCode::Internal, "The preview vanished."))
    }

    /// Preview `id`, still kept.
    pub fn get(&self, id: &str) -> Option<&MembershipPreview> {
        self.kept.iter().find(|(key, _)| key == id).map(|(_, p)| p)
    }

    /// Preview `id`, or the error that says it is gone (started, or forgotten beyond a few).
    pub fn find(&self, id: &str) -> Result<&MembershipPreview, AppError> {
        self.get(id).ok_or_else(preview_gone)
    }
}

fn preview_gone() -> AppError {
    AppError::new(
        ErrorCode::NotFound,
        "This preview was already started or has expired; preview the file again.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_sit_beside_the_member_file() {
        assert_eq!(
            results_path(Path::new("/data/new-hires.xlsx"), MembershipOp::Add),
            PathBuf::from("/data/new-hires.add-results.csv")
        );
        assert_eq!(
            results_path(Path::new("leavers.csv"), MembershipOp::Remove),
            PathBuf::from("leavers.remove-results.csv")
        );
    }
}
