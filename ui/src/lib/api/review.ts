/**
 * The `review_*` and `comparison_*` commands (`src-tauri/commands/review.rs`): open CSV files for
 * review (no sign-in), pages of a view, values, summary, copy and export, recent files, comparing two
 * snapshots; and files dropped on the window. Files are named by the handles Rust mints when the
 * person picks or drops them (or for the recent list and a job's file), never by a path. Every
 * function rejects with an `IpcError`.
 */
import { t } from '$lib/i18n/index.svelte';
import { call } from '$lib/ipc/client';
import { type IpcError, normaliseError } from '$lib/ipc/errors';
import { listenTo } from '$lib/ipc/events';
import type { ComparisonDto } from '$lib/ipc/gen/ComparisonDto';
import type { ComparisonLinesDto } from '$lib/ipc/gen/ComparisonLinesDto';
import type { ComparisonLinesRequest } from '$lib/ipc/gen/ComparisonLinesRequest';
import type { ComparisonRunRequest } from '$lib/ipc/gen/ComparisonRunRequest';
import type { FileRefDto } from '$lib/ipc/gen/FileRefDto';
import type { PeekDto } from '$lib/ipc/gen/PeekDto';
import type { PickedFile } from '$lib/ipc/gen/PickedFile';
import type { RecentFilesDto } from '$lib/ipc/gen/RecentFilesDto';
import type { ReviewCopiedDto } from '$lib/ipc/gen/ReviewCopiedDto';
import type { ReviewCopyRequest } from '$lib/ipc/gen/ReviewCopyRequest';
import type { ReviewExportRequest } from '$lib/ipc/gen/ReviewExportRequest';
import type { ReviewExportedDto } from '$lib/ipc/gen/ReviewExportedDto';
import type { ReviewFileDto } from '$lib/ipc/gen/ReviewFileDto';
import type { ReviewPageDto } from '$lib/ipc/gen/ReviewPageDto';
import type { ReviewPageRequest } from '$lib/ipc/gen/ReviewPageRequest';
import type { ReviewSummaryDto } from '$lib/ipc/gen/ReviewSummaryDto';
import type { ReviewValuesDto } from '$lib/ipc/gen/ReviewValuesDto';
import type { ReviewValuesRequest } from '$lib/ipc/gen/ReviewValuesRequest';

/** Reads and indexes the chosen CSV file (its handle); says what was detected. */
export function openReviewFile(file: string): Promise<ReviewFileDto> {
  return call('review_open', { file });
}

/** The header and first 200 rows of the chosen file, read in milliseconds (shown while it opens). */
export function peekReviewFile(file: string): Promise<PeekDto> {
  return call('review_peek', { file });
}

/**
 * Asks for a CSV file in the native file picker, opened on `start` (a path the person typed) when
 * given; `file` is `null` when cancelled.
 */
export function pickReviewFile(start?: string): Promise<PickedFile> {
  return call('review_pick_file', { start, title: t('review.pickTitle'), filterName: t('review.pickFilter') });
}

/** The handle to review a finished download's file ("Open in Roster"). */
export function reviewJobFile(jobId: string): Promise<FileRefDto> {
  return call('review_job_file', { id: jobId });
}

/** Forgets an open file and the comparisons made of it. */
export function closeReviewFile(handle: number): Promise<null> {
  return call('review_close', { handle });
}

/** Per column figures and the charts of an open file. */
export function reviewSummary(handle: number): Promise<ReviewSummaryDto> {
  return call('review_summary', { handle });
}

/** Rows `offset..offset+limit` (at most 1,000) of a view, with their row numbers in the file. */
export function reviewPage(request: ReviewPageRequest): Promise<ReviewPageDto> {
  return call('review_page', request);
}

/** A column's values in a view with their counts, most frequent first. */
export function reviewValues(request: ReviewValuesRequest): Promise<ReviewValuesDto> {
  return call('review_values', request);
}

/** Writes a view to a CSV file, formatted as the settings say. */
export function exportReview(request: ReviewExportRequest): Promise<ReviewExportedDto> {
  return call('review_export', request);
}

/** Rows of a view as tab-separated text with a header (for the clipboard). */
export function copyReviewRows(request: ReviewCopyRequest): Promise<ReviewCopiedDto> {
  return call('review_copy', request);
}

/** The files opened lately, newest first; missing ones are marked. */
export function recentReviewFiles(): Promise<RecentFilesDto> {
  return call('review_recent');
}

/** Takes a file (its handle from the recent list) off the recent list. */
export function forgetRecentReviewFile(file: string): Promise<RecentFilesDto> {
  return call('review_forget_recent', { file });
}

/** Compares an older and a newer open file. */
export function compareFiles(request: ComparisonRunRequest): Promise<ComparisonDto> {
  return call('comparison_run', request);
}

/** A page of a comparison's differences (at most 1,000 lines). */
export function comparisonLines(request: ComparisonLinesRequest): Promise<ComparisonLinesDto> {
  return call('comparison_lines', request);
}

/** Writes a comparison's differences to a CSV file chosen in the save dialog (its handle). */
export function exportComparison(id: number, file: string): Promise<ReviewExportedDto> {
  return call('comparison_export', { id, file });
}

/** Forgets a comparison. */
export function closeComparison(id: number): Promise<null> {
  return call('comparison_close', { id });
}

/** What a file drag over the window is doing; a drop brings the handles of the files accepted. */
export type FileDrop =
  | { kind: 'over' }
  | { kind: 'leave' }
  | { kind: 'drop'; files: FileRefDto[]; refused: IpcError[] };

/**
 * Calls `handler` while files are dragged over the window and when they are dropped. Rust takes the
 * drop from the window itself and sends the `file-drop` event with a handle for each CSV file (and
 * why the others were refused). Resolves, once listening, to the function that stops it; outside
 * the app (tests without Tauri) nothing is listened to.
 */
export async function onFileDrop(handler: (drop: FileDrop) => void): Promise<() => void> {
  try {
    return await listenTo('file-drop', (event) => {
      if (event.kind === 'drop') {
        handler({ kind: 'drop', files: event.files, refused: event.refused.map(normaliseError) });
      } else handler({ kind: event.kind });
    });
  } catch {
    return () => {};
  }
}
