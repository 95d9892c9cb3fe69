import {
  closeReviewFile,
  forgetRecentReviewFile,
  openReviewFile,
  pickReviewFile,
  recentReviewFiles,
} from '$lib/api/review';
import { type IpcError, normaliseError } from '$lib/ipc/errors';
import type { FileRefDto } from '$lib/ipc/gen/FileRefDto';
import type { RecentFileDto } from '$lib/ipc/gen/RecentFileDto';
import { ComparisonView } from './comparison.svelte';
import { OpenReview } from './reviewFile.svelte';
import { RuleLab } from './ruleLab.svelte';

/** Which part of the Review screen is shown: a file, the comparison, the rule lab, or the open panel. */
export type ReviewTab = { kind: 'file'; handle: number } | { kind: 'compare' } | { kind: 'rules' } | { kind: 'open' };

/** A file being read: the chosen file and when reading began (for the elapsed time). */
export interface Opening {
  file: FileRefDto;
  startedAt: number;
}

/**
 * The Review screen's state, kept while the app runs (leaving the screen and coming back finds the
 * same files, views and comparison): the open files, the tab shown, the files being read, the
 * recent list and the last failure to open.
 */
export class ReviewStore {
  /** The open files, in the order opened. */
  files = $state.raw<OpenReview[]>([]);
  /** What is shown. */
  tab = $state.raw<ReviewTab>({ kind: 'open' });
  /** Files being read now. */
  opening = $state.raw<Opening[]>([]);
  /** Files opened lately, newest first. */
  recent = $state.raw<RecentFileDto[]>([]);
  /** Why the last file could not be opened. */
  error = $state<IpcError | null>(null);
  /** The comparison of two open files. */
  readonly comparison = new ComparisonView();
  /** The rule lab. */
  readonly rules = new RuleLab();

  /** The file shown, if a file tab is. */
  get current(): OpenReview | null {
    const tab = this.tab;
    return tab.kind === 'file' ? (this.files.find((f) => f.file.handle === tab.handle) ?? null) : null;
  }

  /** The open file with this handle. */
  file(handle: number | null): OpenReview | null {
    return this.files.find((f) => f.file.handle === handle) ?? null;
  }

  /**
   * Reads a chosen file (picked, dropped, recent or a job's; seconds for a million rows; the screen
   * shows that it is reading) and shows it unless `show` is false; resolves to it, or to `null` when
   * it could not be read (the error says why).
   */
  async open(file: FileRefDto, show = true): Promise<OpenReview | null> {
    const opening = { file, startedAt: Date.now() };
    this.opening = [...this.opening, opening];
    this.error = null;
    try {
      const opened = new OpenReview(await openReviewFile(file.handle));
      const previous = this.files.find((f) => f.file.path === opened.file.path);
      this.files = previous ? this.files.map((f) => (f === previous ? opened : f)) : [...this.files, opened];
      if (show || (this.tab.kind === 'file' && this.tab.handle === previous?.file.handle)) {
        this.tab = { kind: 'file', handle: opened.file.handle };
      }
      if (previous) await this.#release(previous.file.handle);
      return opened;
    } catch (raw) {
      this.error = normaliseError(raw);
      return null;
    } finally {
      this.opening = this.opening.filter((o) => o !== opening);
      void this.loadRecent();
    }
  }

  /**
   * The native file picker (opened on `start`, a path the person typed, when given), then opens
   * the chosen file.
   */
  async pick(show = true, start?: string): Promise<OpenReview | null> {
    try {
      const picked = await pickReviewFile(start);
      return picked.file ? await this.open(picked.file, show) : null;
    } catch (raw) {
      this.error = normaliseError(raw);
      return null;
    }
  }

  /** Closes a file; the tab moves to the next file, or to the open panel. */
  async close(handle: number): Promise<void> {
    const index = this.files.findIndex((f) => f.file.handle === handle);
    this.files = this.files.filter((f) => f.file.handle !== handle);
    if (this.tab.kind === 'file' && this.tab.handle === handle) {
      const next = this.files[Math.min(index, this.files.length - 1)];
      this.tab = next ? { kind: 'file', handle: next.file.handle } : { kind: 'open' };
    }
    await this.#release(handle);
  }

  /** Forgets a file that is no longer shown, where the comparison and the rule lab used it too. */
  async #release(handle: number): Promise<void> {
    if (this.comparison.involves(handle)) void this.comparison.clear();
    if (this.comparison.old === handle) this.comparison.old = null;
    if (this.comparison.new === handle) this.comparison.new = null;
    this.rules.forget(handle);
    try {
      await closeReviewFile(handle);
    } catch (raw) {
      this.error = normaliseError(raw);
    }
  }

  /** Reads the recent list (a failure just leaves it as it was). */
  async loadRecent(): Promise<void> {
    try {
      this.recent = (await recentReviewFiles()).files;
    } catch {
      // The recent list is a convenience; the screen works without it.
    }
  }

  /** Takes a file (its handle from the recent list) off the recent list. */
  async forget(handle: string): Promise<void> {
    try {
      this.recent = (await forgetRecentReviewFile(handle)).files;
    } catch (raw) {
      this.error = normaliseError(raw);
    }
  }
}

/** The app's Review screen state. */
export const review = new ReviewStore();
