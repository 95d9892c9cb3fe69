//! Review: the files a person has open for exploring (roster-app's [`Reviews`]), the comparisons
//! made of them, the rule lab's results and the recent-files list. Work that reads or scans a file (opening, sorting,
//! filtering, counting, writing) runs on a blocking thread, so the window never waits on it. No
//! sign-in is needed (except to save a rule to a dynamic group): everything else is local.

mod recent;
mod rules;

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use roster_app::review::{Comparison, Reviews, ViewQuery};
use roster_csv::WriterOptions;

pub(crate) use recent::RecentFiles;

use super::{AppState, FileUse};
use crate::ipc::{
    AppError, ComparisonDto, ComparisonExportRequest, ComparisonLinesDto, ComparisonLinesRequest,
    ComparisonRequest, ComparisonRunRequest, ErrorCode, FileRefDto, JobIdRequest, PEEK_ROWS,
    PeekDto, RecentFilesDto, ReviewCopiedDto, ReviewCopyRequest, ReviewExportRequest,
    ReviewExportedDto, ReviewFileDto, ReviewFileRequest, ReviewHandleRequest, ReviewPageDto,
    ReviewPageRequest, ReviewSummaryDto, ReviewValuesDto, ReviewValuesRequest, ValueCountDto,
    column_positions,
};

/// How many values the value list offers when the request names no limit.
const DEFAULT_VALUES: u32 = 200;

/// A comparison with the files it was made of.
struct Compared {
    old: u64,
    new: u64,
    comparison: Arc<Comparison>,
}

/// Everything about review that [`AppState`] holds.
pub(crate) struct ReviewHost {
    reviews: Arc<Reviews>,
    comparisons: Mutex<HashMap<u64, Compared>>,
    rules: rules::RuleResults,
    next_id: AtomicU64,
    recent: RecentFiles,
}

impl ReviewHost {
    /// Nothing open; the recent list in `data_dir`.
    pub(crate) fn new(data_dir: &Path) -> Self {
        Self {
            reviews: Arc::new(Reviews::default()),
            comparisons: Mutex::default(),
            rules: Mutex::default(),
            next_id: AtomicU64::new(1),
            recent: RecentFiles::new(data_dir),
        }
    }

    fn comparison(&self, id: u64) -> Result<Arc<Comparison>, AppError> {
        self.comparisons
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&id)
            .map(|c| Arc::clone(&c.comparison))
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::NotFound,
                    "This comparison is no longer open. Compare the files again.",
                )
            })
    }
}

/// Runs `work` on a blocking thread (reading, scanning and writing files takes seconds on large
/// ones).
pub(super) async fn off_thread<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, roster_app::AppError> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| {
            AppError::new(
                ErrorCode::Internal,
                "Reading the file stopped unexpectedly.",
            )
            .with_detail(e.to_string())
        })?
        .map_err(AppError::from)
}

/// Runs `work` with the open files on a blocking thread.
async fn blocking<T: Send + 'static>(
    reviews: &Arc<Reviews>,
    work: impl FnOnce(&Reviews) -> Result<T, roster_app::AppError> + Send + 'static,
) -> Result<T, AppError> {
    let reviews = Arc::clone(reviews);
    off_thread(move || work(&reviews)).await
}

impl AppState {
    /// Reads and indexes a CSV file the person chose (seconds for a million rows, off the UI
    /// thread) and puts it first in the recent list.
    pub async fn review_open(&self, request: ReviewFileRequest) -> Result<ReviewFileDto, AppError> {
        let path = self.chosen_file(&request.file, FileUse::ReviewFile)?;
        let file = path.clone();
        let opened = blocking(&self.review.reviews, move |r| r.open(&file)).await?;
        self.review.recent.add(&path, &self.files);
        Ok(opened.into())
    }

    /// The header and first [`PEEK_ROWS`] rows of a file the person chose (milliseconds, even for a
    /// million rows).
    pub async fn review_peek(&self, request: ReviewFileRequest) -> Result<PeekDto, AppError> {
        let path = self.chosen_file(&request.file, FileUse::ReviewFile)?;
        let peek = off_thread(move || roster_app::review::peek(&path, PEEK_ROWS)).await?;
        Ok(PeekDto {
            headers: peek.headers,
            kind: peek.kind.into(),
            encoding: peek.detected.encoding.into(),
            delimiter: peek.detected.delimiter.to_string(),
            preamble: peek.detected.preamble,
            rows: peek.rows,
        })
    }

    /// Forgets an open file and the comparisons made of it.
    pub async fn review_close(&self, request: ReviewHandleRequest) -> Result<(), AppError> {
        self.review
            .comparisons
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|_, c| c.old != request.handle && c.new != request.handle);
        self.review.reviews.close(request.handle);
        Ok(())
    }

    /// Per column figures and the charts of an open file.
    pub async fn review_summary(
        &self,
        request: ReviewHandleRequest,
    ) -> Result<ReviewSummaryDto, AppError> {
        let summary = blocking(&self.review.reviews, move |r| r.summary(request.handle)).await?;
        Ok(summary.into())
    }

    /// A page of a view (at most 1,000 rows).
    pub async fn review_page(&self, request: ReviewPageRequest) -> Result<ReviewPageDto, AppError> {
        let query = ViewQuery::from(request.query);
        let columns = column_positions(&request.columns);
        let page = blocking(&self.review.reviews, move |r| {
            r.page(
                request.handle,
                &query,
                request.offset,
                request.limit,
                &columns,
            )
        })
        .await?;
        Ok(page.into())
    }

    /// A column's values within a view, with counts, most frequent first.
    pub async fn review_values(
        &self,
        request: ReviewValuesRequest,
    ) -> Result<ReviewValuesDto, AppError> {
        let query = ViewQuery::from(request.query);
        let limit = request.limit.unwrap_or(DEFAULT_VALUES) as usize;
        let values = blocking(&self.review.reviews, move |r| {
            r.values(
                request.handle,
                &query,
                request.column as usize,
                request.containing.as_deref().filter(|c| !c.is_empty()),
                limit,
            )
        })
        .await?;
        Ok(ReviewValuesDto {
            values: ValueCountDto::list(values),
        })
    }

    /// Writes a view to a CSV file, formatted as the settings say (BOM, delimiter, formula guard).
    pub async fn review_export(
        &self,
        request: ReviewExportRequest,
    ) -> Result<ReviewExportedDto, AppError> {
        let dest = self.chosen_file(&request.file, FileUse::SaveCsv)?;
        let options = self.writer_options(&dest).await?;
        let query = ViewQuery::from(request.query);
        let columns = column_positions(&request.columns);
        let target = dest.clone();
        let rows = blocking(&self.review.reviews, move |r| {
            r.export(request.handle, &query, &columns, &target, options)
        })
        .await?;
        Ok(ReviewExportedDto {
            path: dest.display().to_string(),
            rows,
        })
    }

    /// Rows of a view as tab-separated text with a header, for the clipboard.
    pub async fn review_copy(
        &self,
        request: ReviewCopyRequest,
    ) -> Result<ReviewCopiedDto, AppError> {
        let query = ViewQuery::from(request.query);
        let columns = column_positions(&request.columns);
        let text = blocking(&self.review.reviews, move |r| {
            r.copy(request.handle, &query, &request.positions, &columns)
        })
        .await?;
        let rows = text.lines().count().saturating_sub(1) as u64;
        Ok(ReviewCopiedDto { text, rows })
    }

    /// The files opened lately, newest first, each with a handle to open it by.
    pub async fn review_recent(&self) -> Result<RecentFilesDto, AppError> {
        Ok(self.review.recent.list(&self.files))
    }

    /// Takes a file off the recent list.
    pub async fn review_forget_recent(
        &self,
        request: ReviewFileRequest,
    ) -> Result<RecentFilesDto, AppError> {
        let path = self.chosen_file(&request.file, FileUse::ReviewFile)?;
        Ok(self.review.recent.forget(&path, &self.files))
    }

    /// A handle to review the file a job wrote (a download's CSV), for "Open in Roster".
    pub async fn review_job_file(&self, request: JobIdRequest) -> Result<FileRefDto, AppError> {
        let path = self.job_file(&request.id).await?;
        self.grant_file(&path, FileUse::ReviewFile)
    }

    /// Compares two open files (the older first) and keeps the result for paging and export.
    pub async fn comparison_run(
        &self,
        request: ComparisonRunRequest,
    ) -> Result<ComparisonDto, AppError> {
        let (old, new) = (request.old, request.new);
        let key: Option<Vec<String>> = request.key.map(|names| {
            names
                .iter()
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty())
                .collect()
        });
        let comparison = blocking(&self.review.reviews, move |r| {
            let comparison = r.compare(old, new, key.as_deref())?;
            let summary = comparison.summary();
            Ok((comparison, summary))
        })
        .await?;
        let id = self.review.next_id.fetch_add(1, Ordering::Relaxed);
        let (comparison, summary) = comparison;
        self.review
            .comparisons
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(
                id,
                Compared {
                    old,
                    new,
                    comparison: Arc::new(comparison),
                },
            );
        Ok(ComparisonDto::new(id, old, new, summary))
    }

    /// A page of a comparison's differences, by kind of change and field.
    pub async fn comparison_lines(
        &self,
        request: ComparisonLinesRequest,
    ) -> Result<ComparisonLinesDto, AppError> {
        let comparison = self.review.comparison(request.id)?;
        let changes: Vec<_> = request.changes.iter().map(|&c| c.into()).collect();
        let field = request.field.clone();
        let (offset, limit) = (request.offset, request.limit);
        let (total, lines) =
            off_thread(move || Ok(comparison.lines(&changes, field.as_deref(), offset, limit)))
                .await?;
        Ok(ComparisonLinesDto {
            total,
            offset: request.offset,
            lines: lines.into_iter().map(Into::into).collect(),
        })
    }

    /// Writes a comparison's differences as CSV (one line per added or removed object and per
    /// changed field), formatted as the settings say.
    pub async fn comparison_export(
        &self,
        request: ComparisonExportRequest,
    ) -> Result<ReviewExportedDto, AppError> {
        let dest = self.chosen_file(&request.file, FileUse::SaveCsv)?;
        let options = self.writer_options(&dest).await?;
        let comparison = self.review.comparison(request.id)?;
        let target = dest.clone();
        let rows = off_thread(move || comparison.write_csv(&target, options)).await?;
        Ok(ReviewExportedDto {
            path: dest.display().to_string(),
            rows,
        })
    }

    /// Forgets a comparison.
    pub async fn comparison_close(&self, request: ComparisonRequest) -> Result<(), AppError> {
        self.review
            .comparisons
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&request.id);
        Ok(())
    }

    /// How an export writes `dest`: the settings' byte order mark, delimiter and formula guard.
    pub(super) async fn writer_options(&self, dest: &Path) -> Result<WriterOptions, AppError> {
        Ok(WriterOptions::from(
            &self.csv_output(dest.to_owned()).await?,
        ))
    }
}
