//! What a running job is given by the runner: its id, the Graph client it runs with, the job
//! database, its cancel signal and the event stream, with the few operations every job kind uses.

use crate::JobError;
use crate::event::{Coalescer, JobEvent, Progress};
use roster_core::job::JobId;
use roster_core::text::Text;
use roster_graph::GraphClient;
use roster_store::Store;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;
use tokio::sync::{Semaphore, broadcast};
use tokio_util::sync::CancellationToken;

/// The runner's side of one running job. Built by the runner for every run; a job kind reads its
/// Graph client and store from it and reports through it.
pub struct JobContext {
    pub(crate) id: JobId,
    pub(crate) client: GraphClient,
    pub(crate) store: Arc<Store>,
    pub(crate) cancel: CancellationToken,
    pub(crate) events: broadcast::Sender<JobEvent>,
    pub(crate) pace: Option<Arc<Semaphore>>,
    pub(crate) page_size: Option<u32>,
    pub(crate) group_lookahead: usize,
    pub(crate) coalescer: Mutex<Coalescer>,
    /// How often a job waiting for its group to be free tries again.
    pub(crate) busy_poll: std::time::Duration,
}

impl std::fmt::Debug for JobContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobContext")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl JobContext {
    /// How often a job waiting for another job on the same group tries to start again.
    pub(crate) fn busy_poll(&self) -> std::time::Duration {
        self.busy_poll
    }

    /// The job being run.
    pub fn id(&self) -> JobId {
        self.id
    }

    /// The Graph client the job runs with (chosen by the caller for the job's
    /// [`GraphAccess`](crate::GraphAccess)).
    pub fn client(&self) -> &GraphClient {
        &self.client
    }

    /// The job database.
    pub fn job_store(&self) -> &Arc<Store> {
        &self.store
    }

    /// The job's cancel signal: set by a cancel or an interrupt here, or by a cancel recorded in the
    /// job database by another process.
    pub fn cancel_token(&self) -> &CancellationToken {
        &self.cancel
    }

    /// Runs a store call off the async threads.
    pub async fn store<T, F>(&self, f: F) -> Result<T, JobError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, roster_store::StoreError> + Send + 'static,
    {
        let store = Arc::clone(&self.store);
        tokio::task::spawn_blocking(move || f(&store))
            .await
            .map_err(|e| JobError::Internal(format!("a job database call stopped ({e})")))?
            .map_err(JobError::from)
    }

    /// Sends a notice to subscribers.
    pub fn notice(&self, message: Text) {
        let _ = self.events.send(JobEvent::Notice {
            id: self.id,
            message,
        });
    }

    /// Sends the progress `make` builds when the coalescer lets an update through (at most one
    /// per the runner's progress interval), or always when `force` (the last update of a run).
    pub fn report_progress(&self, force: bool, make: impl FnOnce(Instant) -> Progress) {
        let now = Instant::now();
        let admit = self
            .coalescer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .admit(now)
            || force;
        if admit {
            let _ = self.events.send(JobEvent::Progress(make(now)));
        }
    }

    /// Awaits `fut` unless the job is cancelled first.
    pub async fn or_cancel<T>(
        &self,
        fut: impl std::future::Future<Output = T>,
    ) -> Result<T, JobError> {
        tokio::select! {
            () = self.cancel.cancelled() => Err(JobError::Cancelled),
            v = fut => Ok(v),
        }
    }
}
