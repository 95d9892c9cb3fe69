/**
 * Rows read from Rust a page at a time for a virtualised table of any size: only the pages around
 * the visible window are asked for (plus a margin), at most two requests are in flight, pages far
 * from the window are dropped, and an answer to an older query is thrown away. A million rows scroll
 * like a hundred: dragging the scroll bar asks only for where it stops.
 */

/** One answer of the loader: the rows from `offset`, and how many rows the view has in all. */
export interface Page<Row> {
  total: number;
  offset: number;
  rows: Row[];
}

/** Reads `limit` rows from `offset`. */
export type PageLoader<Row> = (offset: number, limit: number) => Promise<Page<Row>>;

/** How a pager reads. */
export interface PagerOptions {
  /** Rows per request (the engine sends at most 1,000). */
  pageSize?: number;
  /** Rows beyond the visible window that are read ahead, each way. */
  margin?: number;
  /** Pages kept; those farthest from the window go first. */
  keepPages?: number;
  /** Requests in flight at once. */
  parallel?: number;
}

/** The rows of one view, read on demand. */
export class RowPager<Row> {
  /** Rows in the view, once the first page has answered. */
  total: number | null = null;
  /** The last failure, until the next successful page. */
  error: unknown = null;

  readonly #load: PageLoader<Row>;
  readonly #onchange: () => void;
  readonly #pageSize: number;
  readonly #margin: number;
  readonly #keepPages: number;
  readonly #parallel: number;
  #pages = new Map<number, Row[]>();
  #loading = new Set<number>();
  #failed = new Set<number>();
  #generation = 0;
  #first = 0;
  #last = 1;

  constructor(load: PageLoader<Row>, onchange: () => void, options: PagerOptions = {}) {
    this.#load = load;
    this.#onchange = onchange;
    this.#pageSize = Math.min(1000, Math.max(1, options.pageSize ?? 200));
    this.#margin = options.margin ?? this.#pageSize;
    this.#keepPages = Math.max(4, options.keepPages ?? 40);
    this.#parallel = Math.max(1, options.parallel ?? 2);
  }

  /** The row at `index`, or `undefined` while its page is being read. */
  rowAt(index: number): Row | undefined {
    return this.#pages.get(Math.floor(index / this.#pageSize))?.[index % this.#pageSize];
  }

  /** How many pages are held (for tests and memory checks). */
  get pagesHeld(): number {
    return this.#pages.size;
  }

  /** Rows `first..last` (end excluded) are on screen: read what is missing around them. */
  show(first: number, last: number): void {
    this.#first = Math.max(0, first);
    this.#last = Math.max(this.#first + 1, last);
    this.#pump();
  }

  /** Forgets every row (the query changed) and reads the window again; late answers are dropped. */
  reset(): void {
    this.#generation += 1;
    this.#pages = new Map();
    this.#loading = new Set();
    this.#failed = new Set();
    this.total = null;
    this.error = null;
    this.#first = 0;
    this.#last = 1;
    this.#onchange();
    this.#pump();
  }

  /** Reads pages that failed again. */
  retry(): void {
    this.#failed = new Set();
    this.error = null;
    this.#pump();
  }

  /** The pages the window needs, those on screen first, then the margin around them. */
  #wanted(): number[] {
    const size = this.#pageSize;
    const lastRow = this.total === null ? 0 : Math.max(0, this.total - 1);
    const clamp = (row: number) => Math.min(lastRow, Math.max(0, row));
    const [shownFrom, shownTo] = [Math.floor(clamp(this.#first) / size), Math.floor(clamp(this.#last - 1) / size)];
    const [aroundFrom, aroundTo] = [
      Math.floor(clamp(this.#first - this.#margin) / size),
      Math.floor(clamp(this.#last - 1 + this.#margin) / size),
    ];
    const pages: number[] = [];
    for (let p = shownFrom; p <= shownTo; p++) pages.push(p);
    for (let p = aroundFrom; p <= aroundTo; p++) if (!pages.includes(p)) pages.push(p);
    return pages;
  }

  #pump(): void {
    if (this.total === null && (this.#loading.size > 0 || this.#failed.has(0))) return;
    for (const page of this.#wanted()) {
      if (this.#loading.size >= this.#parallel) return;
      if (this.#pages.has(page) || this.#loading.has(page) || this.#failed.has(page)) continue;
      void this.#fetch(page);
    }
  }

  async #fetch(page: number): Promise<void> {
    const generation = this.#generation;
    this.#loading.add(page);
    try {
      const answer = await this.#load(page * this.#pageSize, this.#pageSize);
      if (generation !== this.#generation) return;
      this.total = answer.total;
      this.error = null;
      this.#pages.set(page, answer.rows);
      this.#evict();
    } catch (error) {
      if (generation !== this.#generation) return;
      this.error = error;
      this.#failed.add(page);
    } finally {
      if (generation === this.#generation) {
        this.#loading.delete(page);
        this.#onchange();
        this.#pump();
      }
    }
  }

  /** Drops the pages farthest from the window beyond the number kept. */
  #evict(): void {
    if (this.#pages.size <= this.#keepPages) return;
    const centre = (this.#first + this.#last) / 2 / this.#pageSize;
    const byDistance = [...this.#pages.keys()].sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre));
    for (const page of byDistance.slice(0, this.#pages.size - this.#keepPages)) this.#pages.delete(page);
  }
}
