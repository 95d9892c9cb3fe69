import { render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import Toast from '$lib/components/shared/Toast.svelte';
import { toasts } from '$lib/components/shared/Toasts.svelte';
import { setTransport, tauriTransport } from '$lib/ipc/client';
import { IpcError } from '$lib/ipc/errors';
import type { JobDto } from '$lib/ipc/gen/JobDto';
import { createMockTransport } from '$lib/ipc/mock';
import { resume } from './actions';

const stopped: JobDto = {
  id: 'j1',
  kind: 'downloadUsers',
  name: 'Download users',
  title: { code: 'job.title.downloadUsers', params: {}, text: 'Download users' },
  status: 'interrupted',
  counts: { total: 10, done: 4, succeeded: 4, failed: 0, skipped: 0 },
  createdAt: '2026-11-21T02:00:00Z',
  startedAt: '2026-11-21T02:00:01Z',
  finishedAt: null,
  durationMs: null,
  outputPath: '/tmp/users.csv',
  resultsPath: null,
  error: null,
  resumable: true,
  cancellable: false,
};

describe('job actions', () => {
  afterEach(() => {
    setTransport(tauriTransport);
    toasts.items = [];
  });

  it('shows a refused command as an error toast that keeps its code and detail', async () => {
    const transport = createMockTransport({
      jobs_resume: () => {
        throw { code: 'notFound', message: 'The job is gone.', detail: 'no row j1 in jobs' };
      },
    });
    setTransport(transport);
    render(Toast);
    expect(await resume(stopped)).toBe(false);
    expect(transport.calls).toEqual([{ command: 'jobs_resume', request: { id: 'j1' } }]);
    const [shown] = toasts.items;
    expect(shown?.kind).toBe('error');
    expect(shown?.error).toBeInstanceOf(IpcError);
    expect(shown?.error).toMatchObject({ code: 'notFound', message: 'The job is gone.', detail: 'no row j1 in jobs' });
    const toast = await screen.findByTestId('toast');
    expect(toast.dataset.code).toBe('notFound');
    expect(toast.textContent).toContain('The job is gone.');
    expect(toast.querySelector('details code')?.textContent).toBe('no row j1 in jobs');
  });
});
