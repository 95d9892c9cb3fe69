import { locale } from '$lib/i18n/index.svelte';
import type { TextDto } from '$lib/ipc/gen/TextDto';
import { listJobs, onJobEvent } from '$lib/api/jobs';
import { type IpcError, normaliseError } from '$lib/ipc/errors';
import type { JobDto } from '$lib/ipc/gen/JobDto';
import type { JobEventDto } from '$lib/ipc/gen/JobEventDto';
import type { JobProgressDto } from '$lib/ipc/gen/JobProgressDto';
import type { JobStatusDto } from '$lib/ipc/gen/JobStatusDto';

/** Statuses after which a job does nothing more until resumed. */
const ENDED: JobStatusDto[] = ['completed', 'completedWithErrors', 'failed', 'cancelled', 'interrupted'];

/** Whether a job has stopped (finished, failed, cancelled or interrupted). */
export function hasEnded(status: JobStatusDto): boolean {
  return ENDED.includes(status);
}

/** `75` → `1:15`, `3725` → `1:02:05`: a time left or a duration, in h:mm:ss. */
export function formatSeconds(total: number): string {
  const s = Math.max(0, Math.round(total));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** Rows per second as people read it, in the language's way: `0.4`, `12`, `1.2k`, `35k` (`1,2k` in Dutch). */
export function formatRate(rate: number): string {
  const oneDecimal = (n: number) => n.toLocaleString(locale(), { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  if (rate >= 10_000) return `${Math.round(rate / 1000)}k`;
  if (rate >= 1000) return `${oneDecimal(rate / 1000)}k`;
  if (rate >= 10) return String(Math.round(rate));
  return oneDecimal(rate);
}

/** The fraction done (0..1) of a job from its live progress or its stored counts; `null` if unknown. */
export function fraction(job: JobDto, progress?: JobProgressDto): number | null {
  if (job.status === 'completed' || job.status === 'completedWithErrors') return 1;
  const total = progress?.total ?? job.counts.total;
  const done = progress?.items ?? job.counts.done;
  if (total == null || total === 0) return null;
  return Math.min(1, done / total);
}

/** What the Jobs list shows in its Rows and Duration columns. */
export interface JobFigures {
  /** Rows done (written, or changed) so far; for an ended job, those that succeeded. */
  rows: number;
  /** Rows or objects that failed so far. */
  failed: number;
  /** Run time so far, or in all once ended. */
  durationMs: number | null;
  /** Counted live from progress events and the clock (the job runs). */
  live: boolean;
}

/** A toast or notification to show when a job ended, filled in by the caller. */
export type JobEndListener = (job: JobDto) => void;

/**
 * The job list with live progress: loaded with `listJobs`, kept current by job events
 * (status changes replace the job, progress is kept per job until it ends).
 */
export class JobsStore {
  items = $state<JobDto[]>([]);
  progress = $state<Record<string, JobProgressDto>>({});
  notices = $state<Record<string, TextDto>>({});
  loaded = $state(false);
  error = $state<IpcError | null>(null);
  #listeners: JobEndListener[] = [];
  /** When each job's latest state arrived (ms since the epoch): its run time counts on from there. */
  #seenAt = new Map<string, number>();
  #unlisten: (() => void) | null = null;

  /** Loads the history (newest first). */
  async load(): Promise<void> {
    try {
      const page = await listJobs();
      const now = Date.now();
      for (const job of page.items) this.#seenAt.set(job.id, now);
      this.items = page.items;
      this.error = null;
    } catch (raw) {
      this.error = normaliseError(raw);
    } finally {
      this.loaded = true;
    }
  }

  /** The job with this id, if loaded. */
  get(id: string): JobDto | undefined {
    return this.items.find((j) => j.id === id);
  }

  /**
   * The Rows and Duration of a job at `now`: a running job's from its live progress (rows so far) and
   * its saved run time plus the time since that was saved; an ended job's as saved.
   */
  figures(job: JobDto, now: number): JobFigures {
    const progress = this.progress[job.id];
    if (job.status !== 'running') {
      return { rows: job.counts.succeeded, failed: job.counts.failed, durationMs: job.durationMs, live: false };
    }
    const seen = this.#seenAt.get(job.id) ?? now;
    return {
      rows: Math.max(progress?.items ?? 0, job.counts.done),
      failed: Math.max(progress?.warnings ?? 0, job.counts.failed),
      durationMs: (job.durationMs ?? 0) + Math.max(0, now - seen),
      live: true,
    };
  }

  /** Calls `listener` whenever a job reaches its end while the app watches it. */
  onEnd(listener: JobEndListener): () => void {
    this.#listeners.push(listener);
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  /** Applies one event: the store is what the Rust side says now. */
  apply(event: JobEventDto): void {
    switch (event.type) {
      case 'status': {
        const job = event.job;
        const before = this.get(job.id);
        this.#seenAt.set(job.id, Date.now());
        const index = this.items.findIndex((j) => j.id === job.id);
        if (index >= 0) this.items[index] = job;
        else this.items = [job, ...this.items];
        if (hasEnded(job.status)) {
          const { [job.id]: _gone, ...rest } = this.progress;
          this.progress = rest;
          const wasActive = !before || !hasEnded(before.status);
          if (wasActive && job.status !== 'cancelled' && job.status !== 'interrupted') {
            for (const listener of this.#listeners) listener(job);
          }
        }
        break;
      }
      case 'progress':
        this.progress = { ...this.progress, [event.progress.id]: event.progress };
        break;
      case 'notice':
        this.notices = { ...this.notices, [event.id]: event.message };
        break;
      case 'deleted':
        this.items = this.items.filter((j) => j.id !== event.id);
        break;
    }
  }

  /** Starts following the job events (in the app; tests call `apply`). Idempotent. */
  async listen(): Promise<void> {
    if (this.#unlisten) return;
    this.#unlisten = await onJobEvent((event) => this.apply(event));
  }
}

/** The app's job list. */
export const jobs = new JobsStore();
