//! What a users download reads once per run for its cells: the tenant's subscribed SKUs for the
//! licence columns (one `GET /subscribedSkus` per run, not one per user) and the moment the job
//! first started, which "days since last sign-in" counts to, so that every row of the file (and a
//! resumed run) counts from the same moment.

use crate::JobError;
use crate::context::JobContext;
use crate::sliced::SliceRows;
use crate::slices::KeyRange;
use crate::users::page_error;
use chrono::{DateTime, Utc};
use roster_core::columns::{PageReader, RowContext, SelectPlan, SkuCatalogue};
use roster_csv::CsvWriter;
use serde_json::Value;

/// The once-per-run data of a users download's rows.
#[derive(Debug, Clone)]
pub(crate) struct UserRowData {
    skus: Option<SkuCatalogue>,
    as_of: DateTime<Utc>,
}

impl UserRowData {
    /// Reads the subscribed SKUs when `plan` has licence columns, and the job's first start.
    pub(crate) async fn load(ctx: &JobContext, plan: &SelectPlan) -> Result<Self, JobError> {
        let id = ctx.id();
        let started = ctx.store(move |store| store.get_job(id)).await?;
        let as_of = started
            .and_then(|job| job.started_at)
            .unwrap_or_else(Utc::now);
        let skus = if plan.subscribed_skus {
            let body: Value = ctx
                .or_cancel(ctx.client.get_json("/subscribedSkus"))
                .await??;
            Some(SkuCatalogue::from_graph(&body))
        } else {
            None
        };
        Ok(Self { skus, as_of })
    }

    /// The row context carrying this data.
    pub(crate) fn row(&self) -> RowContext<'_> {
        RowContext {
            skus: self.skus.as_ref(),
            as_of: Some(self.as_of),
            ..RowContext::default()
        }
    }
}

/// A users download's page reader with the data its rows need.
#[derive(Debug, Clone, Copy)]
pub(crate) struct UserPageReader<'r> {
    /// Renders a page's items into cells.
    pub(crate) reader: &'r PageReader,
    /// The subscribed SKUs and the start time.
    pub(crate) data: &'r UserRowData,
}

impl SliceRows for UserPageReader<'_> {
    /// Every user of the page: no UPN equals a bound, so no slice shares one with its neighbour.
    fn write_page(
        &self,
        body: &[u8],
        _range: &KeyRange,
        writer: &mut CsvWriter,
    ) -> Result<u64, JobError> {
        self.reader
            .read_page(body, &self.data.row(), |cells| {
                writer.write_record(cells.iter())?;
                Ok::<_, JobError>(())
            })
            .map_err(|e| page_error(e, "users"))
    }
}
