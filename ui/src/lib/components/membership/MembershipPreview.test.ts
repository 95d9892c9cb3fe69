import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { setTransport, tauriTransport } from '$lib/ipc/client';
import type { PreviewDto } from '$lib/ipc/gen/PreviewDto';
import type { PreviewRowDto } from '$lib/ipc/gen/PreviewRowDto';
import { createMockTransport } from '$lib/ipc/mock';
import MembershipImport from './MembershipImport.svelte';
import MembershipPreview from './MembershipPreview.svelte';

const preview: PreviewDto = {
  previewId: 'preview-1',
  op: 'add',
  groupName: 'Sales',
  file: '/tmp/members.csv',
  counts: [
    { state: 'will-add', count: 2 },
    { state: 'not-found', count: 1 },
  ],
  blank: 1,
  pending: 2,
  notices: [
    {
      code: 'plain',
      params: { text: "'Sales' is role-assignable: changing its members needs a privileged role." },
      text: "'Sales' is role-assignable: changing its members needs a privileged role.",
    },
  ],
  rows: 3,
};

const rows: PreviewRowDto[] = [
    { line: 1, input: 'ann@x.test', state: 'will-add', reason: { code: 'membership.reason.will-add', params: {}, text: 'Will be added to the group' }, displayName: 'Ann', objectType: 'user' },
    { line: 2, input: 'bo@x.test', state: 'will-add', reason: { code: 'membership.reason.will-add', params: {}, text: 'Will be added to the group' }, displayName: 'Bo', objectType: 'user' },
    { line: 4, input: 'nobody@x.test', state: 'not-found', reason: { code: 'membership.reason.not-found', params: {}, text: 'No user or object with this ID' }, displayName: null, objectType: null },
];

/** A transport that answers `membership_preview_rows` from `rows`, recording the pages asked for. */
function rowsTransport(pages: Array<[number, number]>) {
  return createMockTransport({
    membership_preview_rows: (request) => {
      pages.push([request.offset, request.limit]);
      return { total: rows.length, offset: request.offset, rows: rows.slice(request.offset, request.offset + request.limit) };
    },
  });
}

describe('MembershipPreview', () => {
  afterEach(() => setTransport(tauriTransport));

  it('shows the counts per state, the notices and every row with its reason, read a page at a time', async () => {
    const pages: Array<[number, number]> = [];
    setTransport(rowsTransport(pages));
    render(MembershipPreview, { preview });
    const counts = screen.getByTestId('preview-counts');
    expect(counts.querySelector('[data-state=will-add]')?.textContent).toContain('2');
    expect(counts.querySelector('[data-state=will-add]')?.textContent).toContain('Will be added');
    expect(counts.querySelector('[data-state=not-found]')?.textContent).toContain('Not found');
    expect(counts.querySelector('[data-state=blank]')?.textContent).toBe('1 blank lines skipped');
    expect(screen.getByRole('note').textContent).toContain('role-assignable');
    const grid = screen.getByRole('grid', { name: 'Rows of the file' });
    expect(grid.getAttribute('aria-rowcount')).toBe('4');
    expect(
      await screen.findByText('No user or object with this object ID, user principal name or mail address'),
    ).toBeTruthy();
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.every(([, limit]) => limit <= 1000)).toBe(true);
  });
});

describe('MembershipImport', () => {
  afterEach(() => setTransport(tauriTransport));

  it('confirms a typed path in the picker, previews the chosen file by its handle and shows a refusal', async () => {
    const mock = createMockTransport({
      membership_pick_file: (request) => ({
        file: request.start ? { handle: `file:${request.start}`, name: 'chosen.csv', path: request.start } : null,
      }),
      membership_preview: (request) => {
        if (request.file.endsWith('bad.csv')) {
          throw { code: 'validation', message: 'The file is empty: put one member per row.' };
        }
        return preview;
      },
      membership_preview_rows: (request) => ({ total: rows.length, offset: request.offset, rows: [] }),
    });
    setTransport(mock);
    render(MembershipImport, { groupId: 'g1', groupName: 'Sales', op: 'add', onclose: () => undefined });
    const input = screen.getByRole('textbox', { name: 'File' });
    await fireEvent.input(input, { target: { value: '/tmp/bad.csv' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    expect((await screen.findByRole('alert')).textContent).toContain('The file is empty');

    await fireEvent.input(input, { target: { value: '/tmp/members.csv' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    expect(await screen.findByTestId('preview-counts')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    const calls = mock.calls.filter((c) => c.command !== 'membership_preview_rows');
    expect(calls.map((c) => [c.command, c.request])).toEqual([
      ['membership_pick_file', { start: '/tmp/bad.csv' }],
      ['membership_preview', { groupId: 'g1', op: 'add', file: 'file:/tmp/bad.csv' }],
      ['membership_pick_file', { start: '/tmp/members.csv' }],
      ['membership_preview', { groupId: 'g1', op: 'add', file: 'file:/tmp/members.csv' }],
    ]);
    const confirm = screen.getByRole('button', { name: 'Add 2 members' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
  });

  it('previews a file Roster made (an undo) at once, and changes nothing until the person confirms', async () => {
    const undo = { ...preview, op: 'remove' as const };
    const mock = createMockTransport({
      membership_preview: () => undo,
      membership_preview_rows: (request) => ({ total: rows.length, offset: request.offset, rows: [] }),
    });
    setTransport(mock);
    const started: string[] = [];
    render(MembershipImport, {
      groupId: 'g1',
      groupName: 'Sales',
      op: 'remove',
      title: 'Undo: Sales',
      initial: { handle: 'file:undo', name: 'undo.csv', path: '/data/new-hires.add-results.undo-remove.csv' },
      onclose: () => undefined,
      onstart: async (p) => {
        started.push(p.previewId);
      },
    });
    expect(screen.getByRole('heading', { name: 'Undo: Sales' })).toBeTruthy();
    expect(await screen.findByTestId('preview-counts')).toBeTruthy();
    expect(mock.calls.filter((c) => c.command === 'membership_preview').map((c) => c.request)).toEqual([
      { groupId: 'g1', op: 'remove', file: 'file:undo' },
    ]);
    expect(started).toEqual([]);
    await fireEvent.click(screen.getByRole('button', { name: /^Remove 2 members/ }));
    expect(started).toEqual([undo.previewId]);
  });
});
