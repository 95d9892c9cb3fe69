/**
 * The first rows of a file shown while it is read whole: the table's rows and columns made of a
 * `review_peek` answer (read-only: no sort or filter until the file is open).
 */
import type { PeekDto } from '$lib/ipc/gen/PeekDto';

/** One peeked row: its 1-based number in the file and its cells. */
export interface PeekRow {
  number: number;
  cells: string[];
}

/** The peeked rows, numbered from 1. */
export function peekRows(peek: PeekDto): PeekRow[] {
  return peek.rows.map((cells, i) => ({ number: i + 1, cells }));
}

/** Whole seconds from `startedAt` to `now` (never negative). */
export function elapsedSeconds(startedAt: number, now: number): number {
  return Math.max(0, Math.floor((now - startedAt) / 1000));
}
