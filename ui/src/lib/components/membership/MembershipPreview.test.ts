import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '$lib/i18n/index.svelte';
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

const willAdd = { code: 'membership.reason.will-add', params: {}, text: 'Will be added to the group' };
const notFound = { code: 'membership.reason.not-found', params: {}, text: 'No user or object with this ID' };

/** A row that resolved to nothing. */
function unresolved(line: number, input: string): PreviewRowDto {
  const nothing = { displayName: null, objectType: null, objectId: null, userPrincipalName: null, guest: false };
  return { line, input, raw: null, state: 'not-found', reason: notFound, ...nothing };
}

const rows: PreviewRowDto[] = [
  { line: 1, input: 'ann@x.test', raw: null, state: 'will-add', reason: willAdd, displayName: 'Ann', objectType: 'user', objectId: 'id-ann', userPrincipalName: 'ann@x.test', guest: false },
  { line: 2, input: 'bo@fabrikam.com', raw: ' bo@fabrikam.com\u200b ', state: 'will-add', reason: willAdd, displayName: 'Bo', objectType: 'user', objectId: 'id-bo', userPrincipalName: 'bo_fabrikam.com#EXT#@x.test', guest: true },
  unresolved(4, 'ann@contoso.con'),
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

describe('MembershipPreview rows in full', () => {
  afterEach(() => setTransport(tauriTransport));

  it('marks guests and shows every cell’s full value on hover', async () => {
    setTransport(rowsTransport([]));
    render(MembershipPreview, { preview });
    const grid = screen.getByRole('grid', { name: 'Rows of the file' });
    const bo = (await screen.findByText('Bo')).closest('[role=row]') as HTMLElement;
    expect(within(bo).getByText('Guest')).toBeTruthy();
    expect(within(grid).getAllByText('Guest')).toHaveLength(1);
    const cells = within(bo).getAllByRole('gridcell').map((c) => c.getAttribute('title'));
    expect(cells).toEqual([
      null,
      ' bo@fabrikam.com\u200b ',
      'Bo · bo_fabrikam.com#EXT#@x.test · Guest',
      'Will be added',
      'Will be added to the group',
    ]);
    expect(screen.getByText('Click a row, or press Enter on it, to see it in full.')).toBeTruthy();
  });

  it('shows a clicked row in full: a typo in the domain against what it resolved to', async () => {
    setTransport(rowsTransport([]));
    render(MembershipPreview, { preview });
    await fireEvent.click(await screen.findByText('ann@contoso.con'));
    const details = screen.getByTestId('row-details');
    expect(within(details).getByRole('heading').textContent).toBe('Line 4');
    expect(within(details).getByTestId('row-typed').textContent).toBe('ann@contoso.con');
    expect(within(details).getByTestId('row-object').textContent).toContain('Nothing: no object has this value.');
    expect(details.textContent).toContain('Not found');
    expect(details.textContent).toContain('No user or object with this object ID, user principal name or mail address');
    expect(within(details).queryByText(/^Marked:/)).toBeNull();
    expect(within(details).queryByText('Read as')).toBeNull();
  });

  it('opens the active row with Enter, marks spaces and invisible characters, and closes', async () => {
    setTransport(rowsTransport([]));
    render(MembershipPreview, { preview });
    await screen.findByText('Bo');
    const grid = screen.getByRole('grid', { name: 'Rows of the file' });
    await fireEvent.focus(grid);
    await fireEvent.keyDown(grid, { key: 'ArrowDown' });
    await fireEvent.keyDown(grid, { key: 'Enter' });
    const details = screen.getByTestId('row-details');
    expect(within(details).getByRole('heading').textContent).toBe('Line 2');
    const typed = within(details).getByTestId('row-typed');
    expect(typed.textContent).toBe('␣bo@fabrikam.com·␣');
    expect([...typed.querySelectorAll('mark')].map((m) => m.getAttribute('title'))).toEqual([
      'Space',
      'Invisible character',
      'Space',
    ]);
    expect(within(details).getByText(/^Marked:/)).toBeTruthy();
    expect(within(details).getByTestId('row-read').textContent).toBe('bo@fabrikam.com');
    expect(within(details).getByTestId('row-upn').textContent).toBe('bo_fabrikam.com#EXT#@x.test');
    expect(within(details).getByText('Guest')).toBeTruthy();
    expect(details.textContent).toContain('id-bo');
    expect(within(details).getByText('User').tagName).toBe('DD');

    await fireEvent.click(within(details).getByRole('button', { name: 'Close details' }));
    expect(screen.queryByTestId('row-details')).toBeNull();
    expect(document.activeElement?.getAttribute('role')).toBe('grid');
  });

  it('words the details in Dutch', async () => {
    setLocale('nl');
    try {
      setTransport(rowsTransport([]));
      render(MembershipPreview, { preview });
      await fireEvent.click(await screen.findByText('Bo'));
      const details = screen.getByTestId('row-details');
      expect(within(details).getByRole('heading').textContent).toBe('Regel 2');
      expect(within(details).getByText('Gast')).toBeTruthy();
      expect(within(details).getByRole('button', { name: 'Details sluiten' })).toBeTruthy();
    } finally {
      setLocale('en');
    }
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
      ['membership_pick_file', { start: '/tmp/bad.csv', title: 'Choose a file of members', filterName: 'CSV or Excel workbook' }],
      ['membership_preview', { groupId: 'g1', op: 'add', file: 'file:/tmp/bad.csv' }],
      ['membership_pick_file', { start: '/tmp/members.csv', title: 'Choose a file of members', filterName: 'CSV or Excel workbook' }],
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

  it('saves the template where the person chooses in the save dialog, and writes nothing when cancelled', async () => {
    let answer: { handle: string; name: string; path: string } | null = null;
    const mock = createMockTransport({
      dialog_save_file: () => ({ file: answer }),
      membership_template: (request) => ({ path: `/home/ann/${request.file}.csv` }),
    });
    setTransport(mock);
    render(MembershipImport, { groupId: 'g1', groupName: 'Sales', op: 'add', onclose: () => undefined });
    const button = screen.getByRole('button', { name: 'Download a template' });
    await fireEvent.click(button);
    await waitFor(() => expect(mock.calls.map((c) => c.command)).toEqual(['dialog_save_file']));
    expect(screen.queryByRole('status')).toBeNull();

    answer = { handle: 'file-7', name: 'members-template.csv', path: '/home/ann/members-template.csv' };
    await fireEvent.click(button);
    expect((await screen.findByRole('status')).textContent).toContain('Template saved to /home/ann/file-7.csv');
    expect(mock.calls.map((c) => [c.command, c.request])).toEqual([
      ['dialog_save_file', { title: 'Save the member file template as', suggested: 'members-template.csv' }],
      ['dialog_save_file', { title: 'Save the member file template as', suggested: 'members-template.csv' }],
      ['membership_template', { file: 'file-7' }],
    ]);
  });
});
