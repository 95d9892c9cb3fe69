import { setLocale } from '$lib/i18n/index.svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setTransport, tauriTransport } from '$lib/ipc/client';
import { IpcError } from '$lib/ipc/errors';
import { createMockTransport } from '$lib/ipc/mock';
import type { JobDto } from '$lib/ipc/gen/JobDto';
import { JobsStore, formatRate, formatSeconds, fraction, hasEnded } from './jobs.svelte';

function job(overrides: Partial<JobDto> = {}): JobDto {
  return {
    id: 'j1',
    kind: 'downloadUsers',
    name: 'Download users',
    title: { code: 'job.title.downloadUsers', params: {}, text: 'Download users' },
    status: 'running',
    counts: { total: null, done: 0, succeeded: 0, failed: 0, skipped: 0 },
    createdAt: '2026-11-21T02:00:00Z',
    startedAt: '2026-11-21T02:00:01Z',
    finishedAt: null,
    durationMs: null,
    outputPath: '/tmp/users.csv',
    resultsPath: null,
    error: null,
    resumable: false,
    cancellable: true,
    ...overrides,
  };
}

describe('formatting', () => {
  it('formats times left as m:ss or h:mm:ss', () => {
    expect(formatSeconds(0)).toBe('0:00');
    expect(formatSeconds(75)).toBe('1:15');
    expect(formatSeconds(3725)).toBe('1:02:05');
    expect(formatSeconds(-3)).toBe('0:00');
  });

  it('formats rates for people', () => {
    expect(formatRate(0.42)).toBe('0.4');
    expect(formatRate(12.6)).toBe('13');
    expect(formatRate(1234)).toBe('1.2k');
    expect(formatRate(35_400)).toBe('35k');
    setLocale('nl');
    expect(formatRate(1234)).toBe('1,2k');
    expect(formatRate(0.42)).toBe('0,4');
    setLocale('en');
  });

  it('knows which statuses have ended', () => {
    expect(hasEnded('running')).toBe(false);
    expect(hasEnded('queued')).toBe(false);
    expect(hasEnded('interrupted')).toBe(true);
  });
});

describe('JobsStore', () => {
  afterEach(() => setTransport(tauriTransport));

  it('loads the history from jobs_list', async () => {
    const transport = createMockTransport({
      jobs_list: () => ({ items: [job({ id: 'a' }), job({ id: 'b', status: 'interrupted', resumable: true })] }),
    });
    setTransport(transport);
    const store = new JobsStore();
    await store.load();
    expect(store.loaded).toBe(true);
    expect(store.items.map((j) => j.id)).toEqual(['a', 'b']);
    expect(store.get('b')?.resumable).toBe(true);
    expect(transport.calls).toEqual([{ command: 'jobs_list', request: {} }]);
  });

  it('keeps a failed load as an IpcError with its code', async () => {
    setTransport(
      createMockTransport({
        jobs_list: () => {
          throw { code: 'internal', message: 'The job history cannot be read.', detail: 'database is locked' };
        },
      }),
    );
    const store = new JobsStore();
    await store.load();
    expect(store.loaded).toBe(true);
    expect(store.error).toBeInstanceOf(IpcError);
    expect(store.error).toMatchObject({ code: 'internal', detail: 'database is locked' });
  });

  it('turns progress events into a fraction, a rate and a time left', () => {
    const store = new JobsStore();
    store.apply({ type: 'status', job: job() });
    store.apply({
      type: 'progress',
      progress: { id: 'j1', items: 250, pages: 3, total: 1000, rate: 125, etaSecs: 6, warnings: 0 },
    });
    const current = store.get('j1')!;
    expect(fraction(current, store.progress.j1)).toBe(0.25);
    expect(store.progress.j1?.etaSecs).toBe(6);
    expect(fraction(job({ status: 'completed' }))).toBe(1);
    expect(fraction(job())).toBeNull();
  });

  it('replaces a job on a status event, drops its progress when it ends and tells listeners once', () => {
    const store = new JobsStore();
    const ended: string[] = [];
    store.onEnd((j) => ended.push(`${j.id}:${j.status}`));
    store.apply({ type: 'status', job: job() });
    store.apply({ type: 'progress', progress: { id: 'j1', items: 5, pages: 1, total: 10, rate: 5, etaSecs: 1, warnings: 0 } });
    const done = job({ status: 'completed', counts: { total: 10, done: 10, succeeded: 10, failed: 0, skipped: 0 } });
    store.apply({ type: 'status', job: done });
    store.apply({ type: 'status', job: done });
    expect(store.items).toHaveLength(1);
    expect(store.items[0]?.status).toBe('completed');
    expect(store.progress.j1).toBeUndefined();
    expect(ended).toEqual(['j1:completed']);
  });

  it('does not announce jobs stopped on request, and forgets deleted jobs', () => {
    const store = new JobsStore();
    const ended: string[] = [];
    store.onEnd((j) => ended.push(j.id));
    store.apply({ type: 'status', job: job() });
    store.apply({ type: 'status', job: job({ status: 'cancelled', resumable: true }) });
    expect(ended).toEqual([]);
    store.apply({ type: 'deleted', id: 'j1' });
    expect(store.items).toEqual([]);
  });

  it('counts the rows and time of a running job live, from its progress and the clock', () => {
    const seen = Date.parse('2026-11-21T02:00:03Z');
    vi.useFakeTimers({ now: seen, toFake: ['Date'] });
    const store = new JobsStore();
    store.apply({ type: 'status', job: job({ durationMs: 2000 }) });
    vi.useRealTimers();
    store.apply({
      type: 'progress',
      progress: { id: 'j1', items: 1500, pages: 2, total: 100_000, rate: 700, etaSecs: 140, warnings: 3 },
    });
    const running = store.get('j1')!;
    expect(store.figures(running, seen + 5000)).toEqual({ rows: 1500, failed: 3, durationMs: 7000, live: true });
    expect(store.figures(running, seen + 9000).durationMs).toBe(11_000);
  });

  it('shows an ended job’s saved counts and duration', () => {
    const store = new JobsStore();
    const done = job({
      status: 'completed',
      durationMs: 4200,
      counts: { total: 10, done: 10, succeeded: 9, failed: 1, skipped: 0 },
    });
    store.apply({ type: 'status', job: done });
    expect(store.figures(done, Date.now() + 60_000)).toEqual({ rows: 9, failed: 1, durationMs: 4200, live: false });
  });
});
