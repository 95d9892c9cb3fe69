import { afterEach, describe, expect, it } from 'vitest';
import type { FileRefDto } from '$lib/ipc/gen/FileRefDto';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { setTransport, tauriTransport } from '$lib/ipc/client';
import { createMockTransport } from '$lib/ipc/mock';
import { toasts } from '$lib/components/shared/Toasts.svelte';
import { settings as appSettings } from '$lib/state/settings.svelte';
import { setLocale } from '$lib/i18n/index.svelte';
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
    expect((await screen.findByTestId('download-selection')).textContent?.trim()).toBe('Matching: department is Sales');
    expect((await screen.findByRole('note')).textContent).toContain('extra Graph requests');
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
    expect(toasts.items.map((t) => t.text)).toEqual(['Started: Download users (department is Sales)']);
  });

  it('says the filter in plain words, without Graph names or OData', async () => {
    setTransport(createMockTransport({ downloads_columns: () => catalogue, settings_get: () => settings }));
    render(DownloadDialog, { choosePath: async () => null });
    openDownload({ kind: 'users', filter: { department: 'Sales', accountEnabled: false, userType: 'guest' } });
    const what = (await screen.findByTestId('download-selection')).textContent?.trim();
    expect(what).toBe('Matching: guests only, sign-in blocked, department is Sales');
    closeDownload();
    openDownload({ kind: 'groups', filter: { kind: 'security', membership: 'dynamic', odata: "startswith(displayName,'a')" } });
    await waitFor(() =>
      expect(screen.getByTestId('download-selection').textContent?.trim()).toBe(
        'Matching: type is Security, dynamic membership, an advanced filter',
      ),
    );
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

  it('a members download after a cancelled users dialog sends no users column choice', async () => {
    const transport = createMockTransport({
      downloads_columns: (request) =>
        request.kind === 'members' ? { columns: [], defaultSpec: '', costNote: '' } : catalogue,
      settings_get: () => settings,
      downloads_members: () => ({ id: 'job-4', name: 'Download members of 1 group' }),
    });
    setTransport(transport);
    render(DownloadDialog, { choosePath: async () => saved('/tmp/members.csv') });
    openDownload({ kind: 'users' });
    await screen.findByRole('radio', { name: /default columns/i });
    await fireEvent.click(screen.getByRole('radio', { name: /every column/i }));
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(downloadDialog.request).toBeNull();

    openDownload({ kind: 'members', groupIds: ['g1'] });
    const start = await screen.findByRole('button', { name: /download/i });
    await waitFor(() => expect((start as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.click(start);
    await waitFor(() => expect(transport.calls.some((c) => c.command === 'downloads_members')).toBe(true));
    const call = transport.calls.find((c) => c.command === 'downloads_members');
    expect(call?.request).toMatchObject({ groupIds: ['g1'], columns: undefined });
  });

  it('a groups download after a users dialog starts from the groups’ own default columns', async () => {
    const groupCatalogue = {
      columns: [{ header: 'displayName', description: 'Name.', default: true, costly: false }],
      defaultSpec: 'default',
      costNote: '',
    };
    const transport = createMockTransport({
      downloads_columns: (request) => (request.kind === 'groups' ? groupCatalogue : catalogue),
      settings_get: () => settings,
      downloads_groups: () => ({ id: 'job-5', name: 'Download groups' }),
    });
    setTransport(transport);
    render(DownloadDialog, { choosePath: async () => saved('/tmp/groups.csv') });
    openDownload({ kind: 'users' });
    await screen.findByRole('radio', { name: /default columns/i });
    closeDownload();
    openDownload({ kind: 'groups' });
    const start = await screen.findByRole('button', { name: /download/i });
    await waitFor(() => expect((start as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.click(start);
    await waitFor(() => expect(transport.calls.some((c) => c.command === 'downloads_groups')).toBe(true));
    expect(transport.calls.find((c) => c.command === 'downloads_groups')?.request).toMatchObject({
      columns: 'default',
    });
  });

  it('says what expensive columns cost before starting, and the default columns include none', async () => {
    const cheapDefaults = {
      ...catalogue,
      columns: catalogue.columns.map((c) => (c.costly ? { ...c, default: false } : c)),
      defaultSpec: 'default',
    };
    setTransport(
      createMockTransport({
        downloads_columns: () => cheapDefaults,
        settings_get: () => ({ ...settings, userColumns: 'default' }),
      }),
    );
    appSettings.value = null;
    render(DownloadDialog, { choosePath: async () => null });
    openDownload({ kind: 'users' });
    await screen.findByRole('radio', { name: /default columns/i });
    await waitFor(() => expect(appSettings.value?.userColumns).toBe('default'));
    expect(screen.queryByRole('note')).toBeNull();
    await fireEvent.click(screen.getByRole('radio', { name: /every column/i }));
    expect((await screen.findByRole('note')).textContent).toContain('extra Graph requests');
    await fireEvent.click(screen.getByRole('radio', { name: /choose columns/i }));
    expect(screen.queryByRole('note')).toBeNull();
    await fireEvent.click(screen.getByRole('checkbox', { name: /authEmail/ }));
    expect((await screen.findByRole('note')).textContent).toContain('extra Graph requests');
  });

  it('says what the columns cost in the person’s language, not the engine’s English', async () => {
    setTransport(createMockTransport({ downloads_columns: () => catalogue, settings_get: () => settings }));
    setLocale('nl');
    try {
      render(DownloadDialog, { choosePath: async () => null });
      openDownload({ kind: 'users' });
      await fireEvent.click(await screen.findByRole('radio', { name: /alle kolommen/i }));
      const note = await screen.findByRole('note');
      expect(note.textContent).toContain('twee extra Graph-verzoeken per gebruiker');
    } finally {
      setLocale('en');
    }
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
