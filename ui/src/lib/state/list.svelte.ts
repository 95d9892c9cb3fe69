import type { IpcError } from '$lib/ipc/errors';
import { normaliseError } from '$lib/ipc/errors';

/** One page of a listing: its rows, where the next page comes from (`null`: the last) and the total. */
export interface ListPage<Row> {
  items: Row[];
  listing: string | null;
  total: number | null;
}

/** How a list reads its pages: the first for a query, then the next of a listing. */
export interface ListSource<Row, Query> {
  first: (query: Query) => Promise<ListPage<Row>>;
  more: (listing: string) => Promise<ListPage<Row>>;
}

/** What is selected: some rows by key, or every row matching the query (`allMatching`). */
export interface Selection<Query> {
  /** Every row the query matches, loaded or not: the query itself stands for the selection. */
  allMatching: boolean;
  /** The query the rows were selected under. */
  query: Query;
  /** The keys of the ticked rows (empty when `allMatching`). */
  keys: string[];
}

/** "All N matching" that a new filter dropped: what it was, so it can be given back (undo). */
export interface DroppedSelection<Query> {
  /** How many rows it stood for. */
  count: number;
  /** The query it meant. */
  query: Query;
}

/**
 * A server-side list (users, groups, members): the query, the rows loaded so far, and the next page
 * read on demand (`loadMore`, when the table scrolls near its end). Also the table's selection: ticked
 * rows, shift-click ranges, and "select all N matching", which means the query, not the loaded rows.
 *
 * When the filter changes, ticked rows stay ticked (an admin collects people across searches; the
 * selection bar says how many of them the new list does not show), while "all N matching" cannot
 * outlive its query: it is dropped and reported through `ondropped`, so the screen can say so and undo.
 */
export class PagedList<Row, Query> {
  /** The query of the list (search text and pickers); `load()` applies it. */
  query = $state() as Query;
  /** The rows loaded so far, in server order (replaced, never mutated: no deep proxies for 100,000 rows). */
  items = $state.raw<Row[]>([]);
  /** How many rows match in all (Graph's count), when known. */
  total = $state<number | null>(null);
  /** The first page is loading. */
  loading = $state(false);
  /** A further page is loading. */
  loadingMore = $state(false);
  /** The last load failed with this error. */
  error = $state<IpcError | null>(null);
  /** Ticked rows, by key (replaced on every change). */
  selected = $state.raw<Set<string>>(new Set());
  /** Every row matching the query is selected (not only the loaded ones). */
  allMatching = $state(false);
  /** Told when a new query drops "all matching" (the screen shows a notice with undo). */
  ondropped: ((dropped: DroppedSelection<Query>) => void) | null = null;

  #source: ListSource<Row, Query>;
  #key: (row: Row) => string;
  #listing: string | null = null;
  #generation = 0;
  #anchor: number | null = null;
  #applied: Query;

  constructor(source: ListSource<Row, Query>, key: (row: Row) => string, initial: Query) {
    this.#source = source;
    this.#key = key;
    this.query = initial;
    this.#applied = initial;
  }

  /** More rows match than are loaded. */
  get hasMore(): boolean {
    return this.#listing !== null;
  }

  /** How many rows are selected (the total when every matching row is). */
  get selectedCount(): number {
    return this.allMatching ? (this.total ?? this.items.length) : this.selected.size;
  }

  /** (Re)loads the first page for the current query; a newer load wins over an older one. */
  async load(): Promise<void> {
    const generation = ++this.#generation;
    const query = $state.snapshot(this.query) as Query;
    this.loading = true;
    this.loadingMore = false;
    try {
      const page = await this.#source.first(query);
      if (generation !== this.#generation) return;
      const before = { query: this.#applied, count: this.selectedCount };
      this.#applied = query;
      this.items = page.items;
      this.total = page.total;
      this.#listing = page.listing;
      this.error = null;
      // The rows moved: a shift-click starts a new range.
      this.#anchor = null;
      if (this.allMatching && !sameQuery(before.query, query)) {
        this.allMatching = false;
        this.ondropped?.(before);
      }
    } catch (raw) {
      if (generation !== this.#generation) return;
      this.error = normaliseError(raw);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  /** Reads the next page, unless one is loading or none is left. Rows are appended once each. */
  async loadMore(): Promise<void> {
    const listing = this.#listing;
    if (listing === null || this.loading || this.loadingMore) return;
    const generation = this.#generation;
    this.loadingMore = true;
    try {
      const page = await this.#source.more(listing);
      if (generation !== this.#generation) return;
      this.items = [...this.items, ...page.items];
      this.total = page.total ?? this.total;
      this.#listing = page.listing;
      this.error = null;
    } catch (raw) {
      if (generation !== this.#generation) return;
      this.error = normaliseError(raw);
    } finally {
      if (generation === this.#generation) this.loadingMore = false;
    }
  }

  /** How many ticked rows are not among the rows loaded now (ticked under another filter). */
  get hiddenCount(): number {
    if (this.allMatching || this.selected.size === 0) return 0;
    const shown = this.#shownKeys;
    let hidden = 0;
    for (const key of this.selected) if (!shown.has(key)) hidden += 1;
    return hidden;
  }

  #shownKeys = $derived(new Set(this.items.map((row) => this.#key(row))));

  /** Whether the row at `index` is selected. */
  isSelected(index: number): boolean {
    if (this.allMatching) return true;
    const row = this.items[index];
    return row !== undefined && this.selected.has(this.#key(row));
  }

  /**
   * Ticks or unticks the row at `index`; with `range`, every row from the last ticked one to it takes
   * that row's new state (shift-click). Leaves "all matching" for an explicit set of the loaded rows.
   */
  toggle(index: number, range = false): void {
    const row = this.items[index];
    if (row === undefined) return;
    const next = new Set(this.allMatching ? this.items.map(this.#key) : this.selected);
    this.allMatching = false;
    const on = !next.has(this.#key(row));
    const [from, to] =
      range && this.#anchor !== null
        ? [Math.min(this.#anchor, index), Math.max(this.#anchor, index)]
        : [index, index];
    for (let i = from; i <= to; i++) {
      const item = this.items[i];
      if (item === undefined) continue;
      if (on) next.add(this.#key(item));
      else next.delete(this.#key(item));
    }
    this.#anchor = index;
    this.selected = next;
  }

  /** Selects every row the query matches, loaded or not. */
  selectAllMatching(): void {
    this.allMatching = true;
    this.selected = new Set();
  }

  /** Clears the selection. */
  clearSelection(): void {
    this.allMatching = false;
    this.selected = new Set();
    this.#anchor = null;
  }

  /** The selection, with the query the rows were listed under (not the one being edited). */
  selection(): Selection<Query> {
    return { allMatching: this.allMatching, query: this.#applied, keys: [...this.selected] };
  }
}

/** Whether two queries ask for the same rows (their fields, in any order). */
function sameQuery<Query>(a: Query, b: Query): boolean {
  const fields = (q: Query) =>
    JSON.stringify(
      Object.entries((q ?? {}) as Record<string, unknown>)
        .filter(([, v]) => v !== undefined && v !== null && v !== '')
        .sort(([x], [y]) => x.localeCompare(y)),
    );
  return fields(a) === fields(b);
}
