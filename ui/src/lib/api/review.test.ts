import { afterEach, describe, expect, it, vi } from 'vitest';
import { setTransport, tauriTransport } from '$lib/ipc/client';
import type { FileDropDto } from '$lib/ipc/gen/FileDropDto';
import { createMockTransport } from '$lib/ipc/mock';
import { type FileDrop, forgetRecentReviewFile, onFileDrop, openReviewFile, pickReviewFile } from './review';

const listeners = vi.hoisted(() => new Map<string, (event: { payload: unknown }) => void>());

vi.mock('@tauri-apps/api/event', () => ({
  listen: async (name: string, handler: (event: { payload: unknown }) => void) => {
    listeners.set(name, handler);
    return () => listeners.delete(name);
  },
}));

describe('the review api', () => {
  afterEach(() => setTransport(tauriTransport));

  it('names files by the handles Rust answered, never by a path', async () => {
    const mock = createMockTransport({
      review_pick_file: () => ({ file: { handle: 'file-3', name: 'users.csv', path: '/data/users.csv' } }),
      review_open: () => {
        throw { code: 'validation', message: 'stop here' };
      },
      review_forget_recent: () => ({ files: [] }),
    });
    setTransport(mock);
    const picked = await pickReviewFile('/data/users.csv');
    await openReviewFile(picked.file?.handle ?? '').catch(() => null);
    await forgetRecentReviewFile('file-3');
    expect(mock.calls).toEqual([
      { command: 'review_pick_file', request: { start: '/data/users.csv', title: 'Open a CSV file to review', filterName: 'CSV' } },
      { command: 'review_open', request: { file: 'file-3' } },
      { command: 'review_forget_recent', request: { file: 'file-3' } },
    ]);
  });

  it('hands on the files Rust accepted from a drop, and why it refused the others', async () => {
    const drops: FileDrop[] = [];
    const stop = await onFileDrop((drop) => drops.push(drop));
    const send = (payload: FileDropDto) => listeners.get('file-drop')?.({ payload });
    send({ kind: 'over' });
    send({
      kind: 'drop',
      files: [{ handle: 'file-1', name: 'users.csv', path: '/data/users.csv' }],
      refused: [{ code: 'validation', message: 'book.xlsx is not a file Roster reads here.' }],
    });
    send({ kind: 'leave' });
    expect(drops.map((d) => d.kind)).toEqual(['over', 'drop', 'leave']);
    const dropped = drops[1];
    if (dropped?.kind !== 'drop') throw new Error('no drop');
    expect(dropped.files.map((f) => f.handle)).toEqual(['file-1']);
    expect(dropped.refused[0]?.code).toBe('validation');
    expect(dropped.refused[0]?.shown).toContain('book.xlsx');
    stop();
    expect(listeners.has('file-drop')).toBe(false);
  });
});
