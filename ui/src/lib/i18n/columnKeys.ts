import type { ColumnHeader } from '$lib/ipc/gen/columnHeaders';

/** The catalogue entries of the column labels: `column.HEADER` for every column header. */
export type ColumnLabels = { [H in ColumnHeader as `column.${H}`]: string };

/** Turns labels keyed by header into catalogue entries keyed `column.HEADER`. */
export function columnKeys(labels: Record<ColumnHeader, string>): ColumnLabels {
  return Object.fromEntries(Object.entries(labels).map(([header, label]) => [`column.${header}`, label])) as ColumnLabels;
}
