//! Job kinds: every kind of job (a download, a membership change, later kinds) is a type that
//! implements [`JobWork`], and the one [`Runner`](crate::Runner) runs them all: queue, run lease,
//! status changes, events, failure records, cancel and delete are the runner's, never the kind's.
//!
//! A stored job is turned back into its work by [`stored_work`], the one place that knows which
//! type runs which [`JobKind`].

use crate::JobError;
use crate::context::JobContext;
use crate::membership::{MembershipJob, MembershipSpec};
use crate::{groups, members, owners, user_groups, users};
use roster_core::job::{JobId, JobKind, JobSpec};
use roster_core::text::Text;
use roster_store::{Job, JobCounts};
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

/// A boxed future, as [`JobWork::run`] returns it.
pub type WorkFuture<'a> = Pin<Box<dyn Future<Output = Result<Finished, JobError>> + Send + 'a>>;

/// What a job needs to be allowed to do in Graph; the caller builds the client to match (a
/// write needs GroupMember.ReadWrite.All and the write pacing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphAccess {
    /// Reads only (downloads).
    Read,
    /// Changes the directory (membership changes).
    Write,
}

/// How a run that reached its end went. A run that stops early returns an error instead
/// ([`JobError::Cancelled`] for a cancel or interrupt).
#[derive(Debug, Clone, Default)]
pub struct Finished {
    /// The file the job wrote (a download's CSV), when it writes one.
    pub output: Option<PathBuf>,
    /// Rows written or processed.
    pub rows: u64,
    /// Bytes of the output file.
    pub bytes: u64,
    /// Rows or objects that could not be processed: more than zero ends the job
    /// `completed_with_errors`.
    pub warnings: u64,
    /// What the warnings were (the job's stored note).
    pub summary: Option<Text>,
    /// The counters stored with the job.
    pub counts: JobCounts,
    /// The kind's own account of the run (a membership job's
    /// [`JobReport`](crate::membership::JobReport)), for callers that show more than the counts.
    pub report: Option<serde_json::Value>,
}

/// One kind of job. Implementations hold the job's parameters (what is stored with the job, so
/// a resume runs the same request) and do the work of one run.
pub trait JobWork: Send + Sync + 'static {
    /// The stored kind.
    fn kind(&self) -> JobKind;

    /// A short name for the job list.
    fn describe(&self) -> String;

    /// The parameters as stored with the job.
    fn spec(&self) -> Result<serde_json::Value, JobError>;

    /// What the job needs to be allowed to do in Graph.
    fn access(&self) -> GraphAccess;

    /// Checks the parameters before a job is created, so bad ones fail without a job.
    fn validate(&self) -> Result<(), JobError>;

    /// The file recorded as the job's output when it is created (a download's CSV).
    fn output_path(&self) -> Option<PathBuf> {
        None
    }

    /// What the job changes that no other job may change at the same time (`group:<id>`): jobs
    /// with the same key run one after the other, never interleaved.
    fn exclusive(&self) -> Option<String> {
        None
    }

    /// The file recorded as the job's per-row results when it is created.
    fn results_path(&self) -> Option<PathBuf> {
        None
    }

    /// Every file the job makes, partial files included: what deleting a job with its files
    /// removes.
    fn files(&self, id: JobId) -> Vec<PathBuf>;

    /// Clears what the job keeps in the store besides its record, checkpoint and rows (run when
    /// the job is deleted).
    fn forget(&self, _store: &roster_store::Store, _id: JobId) -> Result<(), JobError> {
        Ok(())
    }

    /// Runs (or resumes) the job to its end. The runner has marked it running and holds its lease;
    /// the kind checkpoints through `context`, reports progress and stops with
    /// [`JobError::Cancelled`] when the context's cancel signal is set.
    fn run<'a>(&'a mut self, context: &'a JobContext) -> WorkFuture<'a>;
}

/// The work of a stored job, from its kind and stored spec.
pub fn stored_work(job: &Job) -> Result<Box<dyn JobWork>, JobError> {
    let unreadable = |e: serde_json::Error| {
        JobError::Input(format!(
            "job {} was stored by another Roster version and cannot be read ({e}); start it again",
            job.id
        ))
    };
    match job.kind {
        JobKind::AddMembers | JobKind::RemoveMembers => {
            let spec: MembershipSpec =
                serde_json::from_value(job.spec.clone()).map_err(unreadable)?;
            Ok(Box::new(MembershipJob::new(spec)))
        }
        _ => {
            let spec: JobSpec = serde_json::from_value(job.spec.clone()).map_err(unreadable)?;
            Ok(Box::new(spec))
        }
    }
}

/// A stored job's title as a message with a code and parameters (`job.title.KIND`), which front
/// ends word in the person's language; its stored (English) name when the spec is not readable
/// here (another version's job).
pub fn job_title(job: &Job) -> roster_core::text::Text {
    let title = match job.kind {
        JobKind::AddMembers | JobKind::RemoveMembers => {
            serde_json::from_value::<MembershipSpec>(job.spec.clone()).map(|s| s.title())
        }
        _ => serde_json::from_value::<JobSpec>(job.spec.clone()).map(|s| s.title()),
    };
    title.unwrap_or_else(|_| roster_core::text::Text::plain(job.name.clone()))
}

impl JobWork for JobSpec {
    fn kind(&self) -> JobKind {
        JobSpec::kind(self)
    }

    fn describe(&self) -> String {
        JobSpec::describe(self)
    }

    fn spec(&self) -> Result<serde_json::Value, JobError> {
        serde_json::to_value(self)
            .map_err(|e| JobError::Internal(format!("could not encode the job ({e})")))
    }

    fn access(&self) -> GraphAccess {
        GraphAccess::Read
    }

    fn validate(&self) -> Result<(), JobError> {
        match self {
            JobSpec::DownloadUsers(s) => {
                roster_core::columns::parse_user_columns(&s.columns)?;
            }
            JobSpec::DownloadGroups(s) => {
                roster_core::columns::parse_group_columns(&s.columns)?;
            }
            JobSpec::DownloadMembers(s) => {
                members::columns(s)?;
            }
            JobSpec::DownloadOwners(s) => {
                owners::columns(s)?;
            }
            JobSpec::DownloadUserGroups(s) => {
                user_groups::columns(s)?;
            }
            _ => return Err(unsupported()),
        }
        let path = &self.output().path;
        if path.as_os_str().is_empty() {
            return Err(JobError::Input(
                "no output file given: name the CSV file to write".into(),
            ));
        }
        if path.is_dir() {
            return Err(JobError::Input(format!(
                "{} is a folder: name the CSV file to write inside it",
                path.display()
            )));
        }
        Ok(())
    }

    fn output_path(&self) -> Option<PathBuf> {
        Some(self.output().path.clone())
    }

    fn files(&self, id: JobId) -> Vec<PathBuf> {
        let path = &self.output().path;
        let mut files = vec![
            path.clone(),
            crate::sink::part_of(id, self.output()),
            // The partial file name of older versions.
            roster_csv::part_path(path),
        ];
        // A users download read in slices keeps one partial file per slice until it ends.
        files.extend(roster_csv::job_slice_files(path, &id.to_string()));
        files
    }

    fn forget(&self, store: &roster_store::Store, id: JobId) -> Result<(), JobError> {
        match self {
            JobSpec::DownloadMembers(_) | JobSpec::DownloadOwners(_) => members::forget(store, id),
            JobSpec::DownloadUserGroups(_) => user_groups::forget(store, id),
            _ => Ok(()),
        }
    }

    fn run<'a>(&'a mut self, context: &'a JobContext) -> WorkFuture<'a> {
        Box::pin(async move {
            match self {
                JobSpec::DownloadUsers(s) => users::run(context, s).await,
                JobSpec::DownloadGroups(s) => groups::run(context, s).await,
                JobSpec::DownloadMembers(s) => members::run(context, s).await,
                JobSpec::DownloadOwners(s) => owners::run(context, s).await,
                JobSpec::DownloadUserGroups(s) => user_groups::run(context, s).await,
                _ => Err(unsupported()),
            }
        })
    }
}

fn unsupported() -> JobError {
    JobError::Input("this job kind is not supported by this Roster version".into())
}
