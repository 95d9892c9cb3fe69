/**
 * The pure parts of a review view: the query sent to Rust from what the person set (column filters,
 * search, sort), the sort cycle of a header click, the column order and visibility, and ticking rows
 * (Shift for a range). No runes here, so every rule is tested on its own.
 */
import type { FilterTestDto } from '$lib/ipc/gen/FilterTestDto';
import type { SortKeyDto } from '$lib/ipc/gen/SortKeyDto';
import type { ViewQueryDto } from '$lib/ipc/gen/ViewQueryDto';

/** What the person set on a view. */
export interface ViewSettings {
  /** Per column position, its filter. */
  filters: ReadonlyMap<number, FilterTestDto>;
  /** The search box's text. */
  search: string;
  /** The sort column and direction, or file order. */
  sort: SortKeyDto | null;
}

/** The query for Rust: filters in column order (so equal settings give equal queries), no blank search. */
export function buildQuery(settings: ViewSettings): ViewQueryDto {
  const query: ViewQueryDto = {
    filters: [...settings.filters.entries()]
      .filter(([, test]) => isActive(test))
      .sort(([a], [b]) => a - b)
      .map(([column, test]) => ({ column, test })),
  };
  const search = settings.search.trim();
  if (search) query.search = search;
  if (settings.sort) query.sort = { ...settings.sort };
  return query;
}

/** Whether a filter keeps anything out (an empty text or an empty value list does not). */
export function isActive(test: FilterTestDto): boolean {
  if (test.test === 'contains' || test.test === 'equals') return test.value.trim() !== '';
  if (test.test === 'oneOf') return test.value.length > 0;
  return true;
}

/** A header click: file order → ascending → descending → file order; another column starts ascending. */
export function nextSort(current: SortKeyDto | null, column: number): SortKeyDto | null {
  if (!current || current.column !== column) return { column, descending: false };
  if (!current.descending) return { column, descending: true };
  return null;
}

/** The columns shown, in the order shown. */
export function shownColumns(order: readonly number[], hidden: ReadonlySet<number>): number[] {
  return order.filter((column) => !hidden.has(column));
}

/** The order with `column` moved `by` places (clamped to the ends). */
export function moveColumn(order: readonly number[], column: number, by: number): number[] {
  const from = order.indexOf(column);
  if (from < 0) return [...order];
  const to = Math.min(order.length - 1, Math.max(0, from + by));
  const next = [...order];
  next.splice(from, 1);
  next.splice(to, 0, column);
  return next;
}

/** Ticked rows after a tick of `index`; with `range`, every row from `anchor` to it takes its new state. */
export function tickRows(
  ticked: ReadonlySet<number>,
  index: number,
  anchor: number | null,
  range: boolean,
): Set<number> {
  const next = new Set(ticked);
  const on = !ticked.has(index);
  const [from, to] = range && anchor !== null ? [Math.min(anchor, index), Math.max(anchor, index)] : [index, index];
  for (let i = from; i <= to; i++) {
    if (on) next.add(i);
    else next.delete(i);
  }
  return next;
}
