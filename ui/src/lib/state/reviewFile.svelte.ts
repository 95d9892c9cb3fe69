import { copyReviewRows, exportReview, reviewPage, reviewSummary } from '$lib/api/review';
import { type IpcError, normaliseError } from '$lib/ipc/errors';
import type { FilterTestDto } from '$lib/ipc/gen/FilterTestDto';
import type { ReviewFileDto } from '$lib/ipc/gen/ReviewFileDto';
import type { ReviewSummaryDto } from '$lib/ipc/gen/ReviewSummaryDto';
import type { SortKeyDto } from '$lib/ipc/gen/SortKeyDto';
import type { ViewQueryDto } from '$lib/ipc/gen/ViewQueryDto';
import { RowPager } from './pager';
import { buildQuery, moveColumn, nextSort, shownColumns, tickRows } from './reviewView';

/** One row of the grid: its row number in the file and its cells in file column order. */
export interface ReviewRow {
  number: number;
  cells: string[];
}

/**
 * A file open for review and how the person looks at it: column filters, search, sort, the columns
 * shown and their order (kept while the file is open), ticked rows, and its rows read a page at a
 * time. Every change of the view starts reading from the top again.
 */
export class OpenReview {
  /** What Rust said when it opened the file. */
  readonly file: ReviewFileDto;
  /** Per column position, its filter (replaced on change). */
  filters = $state.raw<Map<number, FilterTestDto>>(new Map());
  /** The search text applied (the box debounces into it). */
  search = $state('');
  /** The sort, or file order. */
  sort = $state.raw<SortKeyDto | null>(null);
  /** Column positions in the order shown. */
  order = $state.raw<number[]>([]);
  /** Column positions hidden. */
  hidden = $state.raw<Set<number>>(new Set());
  /** Ticked rows, by position in the view. */
  ticked = $state.raw<Set<number>>(new Set());
  /** Rows in the view (once known). */
  total = $state<number | null>(null);
  /** Bumped whenever rows arrive, so the grid reads them again. */
  version = $state(0);
  /** Bumped when the view changes, so the grid starts again at the top. */
  generation = $state(0);
  /** The figures and charts, once asked for. */
  summary = $state.raw<ReviewSummaryDto | null>(null);
  /** The last failure of this file's calls. */
  error = $state<IpcError | null>(null);
  /** The rows, or the summary with its charts. */
  showing = $state<'rows' | 'summary'>('rows');

  readonly pager: RowPager<ReviewRow>;
  #anchor: number | null = null;
  #query: ViewQueryDto = { filters: [] };

  constructor(file: ReviewFileDto) {
    this.file = file;
    this.order = file.columns.map((_, i) => i);
    this.pager = new RowPager<ReviewRow>(
      async (offset, limit) => {
        const page = await reviewPage({ handle: file.handle, query: this.#query, offset, limit, columns: [] });
        return {
          total: page.total,
          offset: page.offset,
          rows: page.rows.map((cells, i) => ({ number: page.rowNumbers[i] ?? 0, cells })),
        };
      },
      () => {
        this.version += 1;
        this.total = this.pager.total;
        this.error = this.pager.error ? normaliseError(this.pager.error) : null;
      },
    );
  }

  /** The query the rows shown were read with. */
  get query(): ViewQueryDto {
    return this.#query;
  }

  /** The columns shown, in order. */
  get columns(): number[] {
    return shownColumns(this.order, this.hidden);
  }

  /** The row at a view position (reactive: re-read when pages arrive), or `undefined` while loading. */
  rowAt(index: number): ReviewRow | undefined {
    void this.version;
    return this.pager.rowAt(index);
  }

  /** Applies the filters, search and sort: the rows are read again from the top. */
  refresh(): void {
    this.#query = buildQuery({ filters: this.filters, search: this.search, sort: this.sort });
    this.ticked = new Set();
    this.#anchor = null;
    this.generation += 1;
    this.pager.reset();
  }

  /** Sets or clears (`null`) a column's filter. */
  setFilter(column: number, test: FilterTestDto | null): void {
    const next = new Map(this.filters);
    if (test) next.set(column, test);
    else next.delete(column);
    this.filters = next;
    this.refresh();
  }

  /** Clears every filter and the search. */
  clearFilters(): void {
    this.filters = new Map();
    this.search = '';
    this.refresh();
  }

  /** Sets the search text. */
  setSearch(text: string): void {
    if (text === this.search) return;
    this.search = text;
    this.refresh();
  }

  /** A header click: ascending, descending, file order. */
  sortBy(column: number): void {
    this.sort = nextSort(this.sort, column);
    this.refresh();
  }

  /** Shows or hides a column (one always stays). */
  toggleColumn(column: number): void {
    const next = new Set(this.hidden);
    if (next.has(column)) next.delete(column);
    else if (this.columns.length > 1) next.add(column);
    this.hidden = next;
  }

  /** Moves a column left (negative) or right. */
  moveColumn(column: number, by: number): void {
    this.order = moveColumn(this.order, column, by);
  }

  /** Shows every column in file order. */
  resetColumns(): void {
    this.order = this.file.columns.map((_, i) => i);
    this.hidden = new Set();
  }

  /** Ticks or unticks a row; `range`: from the last ticked row to it. */
  tick(index: number, range: boolean): void {
    this.ticked = tickRows(this.ticked, index, this.#anchor, range);
    this.#anchor = index;
  }

  /** Unticks every row. */
  clearTicks(): void {
    this.ticked = new Set();
    this.#anchor = null;
  }

  /** The ticked rows (shown columns) as tab-separated text with a header. */
  async copyTicked(): Promise<{ text: string; rows: number }> {
    const positions = [...this.ticked].sort((a, b) => a - b);
    return copyReviewRows({ handle: this.file.handle, query: this.#query, positions, columns: this.columns });
  }

  /** Writes the view (shown columns, in order) to the file chosen in the save dialog (its handle); resolves to the rows written. */
  async exportTo(file: string): Promise<number> {
    const done = await exportReview({ handle: this.file.handle, query: this.#query, columns: this.columns, file });
    return done.rows;
  }

  /** Reads the figures and charts once. */
  async loadSummary(): Promise<void> {
    if (this.summary) return;
    try {
      this.summary = await reviewSummary(this.file.handle);
    } catch (raw) {
      this.error = normaliseError(raw);
    }
  }
}
