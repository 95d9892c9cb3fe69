import type { IpcError } from '$lib/ipc/errors';
import { normaliseError } from '$lib/ipc/errors';

/** What one load returns: the rows, and whether more matched than were sent. */
export interface ListResult<Row> {
  items: Row[];
  truncated: boolean;
}

/**
 * A list loaded from one command (users, groups): the rows, a search text, loading and error state.
 * `fetch` gets the current search text and returns the rows.
 */
export class ListStore<Row> {
  /** The rows of the last successful load. */
  items = $state<Row[]>([]);
  /** More rows matched than the Rust side sent; a search narrows the list. */
  truncated = $state(false);
  /** The search text passed to `fetch`. */
  search = $state('');
  /** A load is running. */
  loading = $state(false);
  /** The last load failed with this error. */
  error = $state<IpcError | null>(null);

  #fetch: (search: string | undefined) => Promise<ListResult<Row>>;
  #generation = 0;

  constructor(fetch: (search: string | undefined) => Promise<ListResult<Row>>) {
    this.#fetch = fetch;
  }

  /** (Re)loads the rows; a newer load wins over an older one that finishes later. */
  async load(): Promise<void> {
    const generation = ++this.#generation;
    this.loading = true;
    try {
      const trimmed = this.search.trim();
      const result = await this.#fetch(trimmed === '' ? undefined : trimmed);
      if (generation !== this.#generation) return;
      this.items = result.items;
      this.truncated = result.truncated;
      this.error = null;
    } catch (raw) {
      if (generation !== this.#generation) return;
      this.error = normaliseError(raw);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }
}
