import { afterEach, describe, expect, it } from 'vitest';
import type { FileRefDto } from '$lib/ipc/gen/FileRefDto';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { setTransport, tauriTransport } from '$lib/ipc/client';
import { createMockTransport } from '$lib/ipc/mock';
import { toasts } from '$lib/components/shared/Toasts.svelte';
import DownloadDialog from './DownloadDialog.svelte';
import { closeDownload, downloadDialog, openDownload } from './download.svelte';

const catalogue = {
  columns: [
    { header: 'userPrincipalName', description: 'Sign-in name.', default: true, costly: false },
    { header: 'authEmail', description: 'Authentication email.', default: true, costly: true },
    { header: 'city', description: 'City.', default: false, costly: false },
  ],
  defaultSpec: 'portal',
  costNote: 'Authentication-method columns need extra requests.',
};

const settings = {
  outputFolder: '/home/admin/Downloads',
  bom: true,
  delimiter: 'comma' as const,
  formulaGuard: true,
  userColumns: 'portal',
};

/** The save dialog's answer as Rust gives it: a handle (here the path with a prefix), name and path. */
function saved(path: string): FileRefDto {
  return { handle: `save:${path}`, name: path.split('/').pop() ?? path, path };
}

describe('DownloadDialog', () => {
  afterEach(() => {
    setTransport(tauriTransport);
    closeDownload();
    toasts.items = [];
  });

  it('shows the filter it was opened with, then starts a users download into the file chosen in the save dialog (its handle)', async () => {
    const transport = createMockTransport({
      downloads_columns: () => catalogue,
      settings_get: () => settings,
      downloads_users: () => ({ id: 'job-1', name: "Download users (department eq 'Sales')" }),
    });
    setTransport(transport);
    const asked: string[] = [];
    render(DownloadDialog, {
      choosePath: async (suggested: string) => {
        asked.push(suggested);
        return saved('/tmp/sales.csv');
      },
    });
    openDownload({ kind: 'users', filter: { department: 'Sales' } });
    expect((await screen.findByTestId('download-selection')).textContent).toContain('department: Sales');
    expect((await screen.findByRole('note')).textContent).toContain('extra requests');
    const start = await screen.findByRole('button', { name: /download/i });
    await waitFor(() => expect((start as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.click(start);
    await waitFor(() => expect(downloadDialog.request).toBeNull());
    expect(asked).toEqual(['users.csv']);
    const call = transport.calls.find((c) => c.command === 'downloads_users');
    expect(call?.request).toEqual({
      filter: { department: 'Sales' },
      ids: undefined,
      columns: 'portal',
      file: 'save:/tmp/sales.csv',
    });
    expect(toasts.items.map((t) => t.text)).toEqual(["Started: Download users (department eq 'Sales')"]);
  });

  it('sends the picked columns and the selected groups for a members download', async () => {
    const transport = createMockTransport({
      downloads_columns: () => ({ columns: [], defaultSpec: '', costNote: '' }),
      settings_get: () => settings,
      downloads_members: () => ({ id: 'job-2', name: 'Download members of 2 groups' }),
    });
    setTransport(transport);
    render(DownloadDialog, { choosePath: async () => saved('/tmp/members.csv') });
    openDownload({ kind: 'members', groupIds: ['g1', 'g2'] });
    expect((await screen.findByTestId('download-selection')).textContent).toContain('2 groups');
    const start = await screen.findByRole('button', { name: /download/i });
    await waitFor(() => expect((start as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.click(start);
    await waitFor(() => expect(transport.calls.some((c) => c.command === 'downloads_members')).toBe(true));
    const call = transport.calls.find((c) => c.command === 'downloads_members');
    expect(call?.request).toMatchObject({ groupIds: ['g1', 'g2'], file: 'save:/tmp/members.csv' });
  });

  it('keeps the dialog open with the message when the download is refused', async () => {
    setTransport(
      createMockTransport({
        downloads_columns: () => catalogue,
        settings_get: () => settings,
        downloads_users: () => {
          throw { code: 'validation', message: 'Unknown column `nope`.' };
        },
      }),
    );
    render(DownloadDialog, { choosePath: async () => saved('/tmp/x.csv') });
    openDownload({ kind: 'users' });
    const start = await screen.findByRole('button', { name: /download/i });
    await waitFor(() => expect((start as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.click(start);
    expect((await screen.findByRole('alert')).textContent).toContain('Unknown column');
    expect(downloadDialog.request).not.toBeNull();
  });

  it('opens on the columns it was asked for besides the default ones (the rule lab’s missing columns)', async () => {
    const transport = createMockTransport({
      downloads_columns: () => catalogue,
      settings_get: () => settings,
      downloads_users: () => ({ id: 'job-3', name: 'Download users' }),
    });
    setTransport(transport);
    render(DownloadDialog, { choosePath: async () => saved('/tmp/users.csv') });
    openDownload({ kind: 'users', columns: ['City'] });
    const city = (await screen.findByRole('checkbox', { name: /city/ })) as HTMLInputElement;
    expect(city.checked).toBe(true);
    const start = await screen.findByRole('button', { name: /download/i });
    await waitFor(() => expect((start as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.click(start);
    await waitFor(() => expect(transport.calls.some((c) => c.command === 'downloads_users')).toBe(true));
    expect(transport.calls.find((c) => c.command === 'downloads_users')?.request).toMatchObject({
      columns: 'userPrincipalName,authEmail,city',
    });
  });
});
