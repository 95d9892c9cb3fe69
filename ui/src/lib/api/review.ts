/**
 * The `review_*` and `comparison_*` commands (`src-tauri/commands/review.rs`): open CSV files for
 * review (no sign-in), pages of a view, values, summary, copy and export, recent files, comparing two
 * snapshots; and files dropped on the window. Every function rejects with an `IpcError`.
 */
import { call } from '$lib/ipc/client';
import type { ComparisonDto } from '$lib/ipc/gen/ComparisonDto';
import type { ComparisonLinesDto } from '$lib/ipc/gen/ComparisonLinesDto';
import type { ComparisonLinesRequest } from '$lib/ipc/gen/ComparisonLinesRequest';
import type { ComparisonRunRequest } from '$lib/ipc/gen/ComparisonRunRequest';
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

/** Reads and indexes the CSV file at `path` (a full path); says what was detected. */
export function openReviewFile(path: string): Promise<ReviewFileDto> {
  return call('review_open', { path });
}

/** The header and first 200 rows of the file at `path`, read in milliseconds (shown while it opens). */
export function peekReviewFile(path: string): Promise<PeekDto> {
  return call('review_peek', { path });
}

/** Asks for a CSV file in the native file picker (`path` is `null` when cancelled). */
export function pickReviewFile(): Promise<PickedFile> {
  return call('review_pick_file');
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

/** Takes a file off the recent list. */
export function forgetRecentReviewFile(path: string): Promise<RecentFilesDto> {
  return call('review_forget_recent', { path });
}

/** Compares an older and a newer open file. */
export function compareFiles(request: ComparisonRunRequest): Promise<ComparisonDto> {
  return call('comparison_run', request);
}

/** A page of a comparison's differences (at most 1,000 lines). */
export function comparisonLines(request: ComparisonLinesRequest): Promise<ComparisonLinesDto> {
  return call('comparison_lines', request);
}

/** Writes a comparison's differences to a CSV file. */
export function exportComparison(id: number, path: string): Promise<ReviewExportedDto> {
  return call('comparison_export', { id, path });
}

/** Forgets a comparison. */
export function closeComparison(id: number): Promise<null> {
  return call('comparison_close', { id });
}

/** What a file drag over the window is doing. */
export type FileDrop = { kind: 'over' } | { kind: 'leave' } | { kind: 'drop'; paths: string[] };

/**
 * Calls `handler` while files are dragged over the window and when they are dropped (Tauri gives
 * the dropped files' paths). Resolves, once listening, to the function that stops it; outside the
 * app (tests) nothing is listened to.
 */
export async function onFileDrop(handler: (drop: FileDrop) => void): Promise<() => void> {
  try {
    const { getCurrentWebview } = await import('@tauri-apps/api/webview');
    return await getCurrentWebview().onDragDropEvent((event) => {
      const payload = event.payload;
      if (payload.type === 'drop') handler({ kind: 'drop', paths: payload.paths });
      else if (payload.type === 'leave') handler({ kind: 'leave' });
      else handler({ kind: 'over' });
    });
  } catch {
    return () => {};
  }
}
