import type { IpcError } from '$lib/ipc/errors';
import { normaliseError } from '$lib/ipc/errors';

/**
 * A list loaded from one command (users, groups): the rows, a search text, loading and error state.
 * `fetch` gets the current search text and returns the rows.
 */
export class ListStore<Row> {
  /** The rows of the last successful load. */
  items = $state<Row[]>([]);
  /** The search text passed to `fetch`. */
  search = $state('');
  /** A load is running. */
  loading = $state(false);
  /** The last load failed with this error. */
  error = $state<IpcError | null>(null);

  #fetch: (search: string | undefined) => Promise<Row[]>;
  #generation = 0;

  constructor(fetch: (search: string | undefined) => Promise<Row[]>) {
    this.#fetch = fetch;
  }

  /** (Re)loads the rows; a newer load wins over an older one that finishes later. */
  async load(): Promise<void> {
    const generation = ++this.#generation;
    this.loading = true;
    try {
      const trimmed = this.search.trim();
      const rows = await this.#fetch(trimmed === '' ? undefined : trimmed);
      if (generation !== this.#generation) return;
      this.items = rows;
      this.error = null;
    } catch (raw) {
      if (generation !== this.#generation) return;
      this.error = normaliseError(raw);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }
}
