import { closeComparison, compareFiles, comparisonLines, exportComparison } from '$lib/api/review';
import { type IpcError, normaliseError } from '$lib/ipc/errors';
import type { ChangeDto } from '$lib/ipc/gen/ChangeDto';
import type { ComparisonDto } from '$lib/ipc/gen/ComparisonDto';
import type { DiffLineDto } from '$lib/ipc/gen/DiffLineDto';
import { RowPager } from './pager';

/** A difference with its position in the filtered list (a stable row key). */
export interface DiffRow extends DiffLineDto {
  position: number;
}

/** The key columns for a comparison request: none chosen means the kind's own key. */
export function keyColumns(first: string, second: string): string[] | undefined {
  const names = [first, second].map((n) => n.trim()).filter((n) => n !== '');
  return names.length > 0 ? [...new Set(names)] : undefined;
}

/**
 * The comparison of two open files: which older and newer file and key the person chose, what the
 * comparison found, and its differences read a page at a time, filtered by kind of change and field.
 */
export class ComparisonView {
  /** The older file's handle. */
  old = $state<number | null>(null);
  /** The newer file's handle. */
  new = $state<number | null>(null);
  /** The first key column ('' for the kind's own key). */
  key = $state('');
  /** An optional second key column. */
  secondKey = $state('');
  /** What the comparison found. */
  result = $state.raw<ComparisonDto | null>(null);
  /** Comparing now. */
  running = $state(false);
  /** Why the last comparison or page failed. */
  error = $state<IpcError | null>(null);
  /** The kinds of change listed (none: every kind). */
  changes = $state.raw<Set<ChangeDto>>(new Set());
  /** The field listed ('' for every field). */
  field = $state('');
  /** Lines in the filtered list, once known. */
  total = $state<number | null>(null);
  /** Bumped when lines arrive. */
  version = $state(0);
  /** Bumped when the list starts again. */
  generation = $state(0);

  readonly pager: RowPager<DiffRow>;

  constructor() {
    this.pager = new RowPager<DiffRow>(
      async (offset, limit) => {
        const id = this.result?.id;
        if (id === undefined) return { total: 0, offset, rows: [] };
        const page = await comparisonLines({
          id,
          changes: [...this.changes],
          field: this.field || undefined,
          offset,
          limit,
        });
        return { total: page.total, offset, rows: page.lines.map((line, i) => ({ ...line, position: offset + i })) };
      },
      () => {
        this.version += 1;
        this.total = this.pager.total;
        if (this.pager.error) this.error = normaliseError(this.pager.error);
      },
    );
  }

  /** Whether the comparison shown was made of the file `handle`. */
  involves(handle: number): boolean {
    return this.result !== null && (this.result.old === handle || this.result.new === handle);
  }

  /** The difference at a list position (reactive), or `undefined` while loading. */
  lineAt(index: number): DiffRow | undefined {
    void this.version;
    return this.pager.rowAt(index);
  }

  /** Compares the chosen files (replacing the comparison shown). */
  async run(): Promise<void> {
    if (this.old === null || this.new === null) return;
    this.running = true;
    this.error = null;
    try {
      const result = await compareFiles({ old: this.old, new: this.new, key: keyColumns(this.key, this.secondKey) });
      await this.clear();
      this.result = result;
      this.changes = new Set();
      this.field = '';
      this.refresh();
    } catch (raw) {
      this.error = normaliseError(raw);
    } finally {
      this.running = false;
    }
  }

  /** Swaps the older and the newer file. */
  swap(): void {
    [this.old, this.new] = [this.new, this.old];
  }

  /** Lists only these kinds of change (none: every kind). */
  showChanges(changes: Set<ChangeDto>): void {
    this.changes = changes;
    this.refresh();
  }

  /** Lists only the changes of `field` ('' for every field). */
  showField(field: string): void {
    this.field = field;
    if (field) this.changes = new Set(['changed']);
    this.refresh();
  }

  /** Writes the differences to the file chosen in the save dialog (its handle); resolves to the lines written. */
  async exportTo(file: string): Promise<number> {
    if (!this.result) return 0;
    return (await exportComparison(this.result.id, file)).rows;
  }

  /** Forgets the comparison shown (Rust's copy too). */
  async clear(): Promise<void> {
    const shown = this.result;
    this.result = null;
    this.total = null;
    if (shown) await closeComparison(shown.id).catch(() => undefined);
  }

  /** Reads the list again from the top. */
  refresh(): void {
    this.generation += 1;
    this.error = null;
    this.pager.reset();
  }
}
