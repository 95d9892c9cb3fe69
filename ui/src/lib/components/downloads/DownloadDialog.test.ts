import { afterEach, describe, expect, it } from 'vitest';
import type { FileRefDto } from '$lib/ipc/gen/FileRefDto';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { setTransport, tauriTransport } from '$lib/ipc/client';
import { createMockTransport } from '$lib/ipc/mock';
import { toasts } from '$lib/components/shared/Toasts.svelte';
import { settings as appSettings } from '$lib/state/settings.svelte';
import { setLocale } from '$lib/i18n/index.svelte';
import DownloadDialog from './DownloadDialog.svelte';
import { groupsCatalogue, membersCatalogue, usersCatalogue as catalogue } from './catalogue.fixture';
import { closeDownload, downloadDialog, openDownload } from './download.svelte';

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

/** Waits for the dialog's download button to be enabled and clicks it. */
async function clickDownload() {
  const start = await screen.findByRole('button', { name: /choose file and download/i });
  await waitFor(() => expect((start as HTMLButtonElement).disabled).toBe(false));
  await fireEvent.click(start);
}

describe('DownloadDialog', () => {
  afterEach(() => {
    setTransport(tauriTransport);
    closeDownload();
    toasts.items = [];
    appSettings.value = null;
  });

  it('shows the filter it was opened with, then starts a users download into the file chosen in the save dialog (its handle)', async () => {
    const transport = createMockTransport({
      downloads_columns: () => catalogue,
      settings_get: () => settings,
      column_choice_get: () => ({ spec: null }),
      column_choice_set: () => null,
      downloads_users: () => ({ id: 'job-1', name: "Download users (department eq 'Sales')", title: { code: 'plain', params: {}, text: "Download users (department eq 'Sales')" } }),
    });
    setTransport(transport);
    const asked: string[] = [];
    render(DownloadDialog, {
      choosePath: async (suggested: string) => {
        asked.push(suggested);
        return saved('/tmp/sales.csv');
      },
    });
    openDownload({ kind: 'users', filter: { department: ['Sales'] } });
    expect((await screen.findByTestId('download-selection')).textContent?.trim()).toBe('Matching: department is Sales');
    expect((await screen.findAllByRole('note')).map((n) => n.textContent).join(' ')).toContain('extra Graph requests');
    await clickDownload();
    await waitFor(() => expect(downloadDialog.request).toBeNull());
    expect(asked).toEqual(['users.csv']);
    const call = transport.calls.find((c) => c.command === 'downloads_users');
    expect(call?.request).toEqual({
      filter: { department: ['Sales'] },
      ids: undefined,
      columns: 'portal',
      file: 'save:/tmp/sales.csv',
    });
    expect(toasts.items.map((t) => t.text)).toEqual(['Started: Download users (department is Sales)']);
    await waitFor(() =>
      expect(transport.calls.find((c) => c.command === 'column_choice_set')?.request).toEqual({
        kind: 'users',
        spec: 'portal',
      }),
    );
  });

  it('says the filter in plain words, without Graph names or OData', async () => {
    setTransport(createMockTransport({ downloads_columns: () => catalogue, settings_get: () => settings }));
    render(DownloadDialog, { choosePath: async () => null });
    openDownload({ kind: 'users', filter: { department: ['Sales'], accountEnabled: false, userType: ['guest'] } });
    const what = (await screen.findByTestId('download-selection')).textContent?.trim();
    expect(what).toBe('Matching: guests only, sign-in blocked, department is Sales');
    closeDownload();
    openDownload({ kind: 'groups', filter: { kind: ['security'], membership: 'dynamic', odata: "startswith(displayName,'a')" } });
    await waitFor(() =>
      expect(screen.getByTestId('download-selection').textContent?.trim()).toBe(
        'Matching: type is Security, dynamic membership, an advanced filter',
      ),
    );
  });

  it('sends the members’ columns and the selected groups for a members download, asking for the nesting path when nested', async () => {
    const transport = createMockTransport({
      downloads_columns: () => membersCatalogue,
      settings_get: () => settings,
      downloads_members: () => ({ id: 'job-2', name: 'Download members of 2 groups', title: { code: 'plain', params: {}, text: 'Download members of 2 groups' } }),
    });
    setTransport(transport);
    render(DownloadDialog, { choosePath: async () => saved('/tmp/members.csv') });
    openDownload({ kind: 'members', groupIds: ['g1', 'g2'] });
    expect((await screen.findByTestId('download-selection')).textContent?.trim()).toBe(
      'Members of 2 groups, in one file.',
    );
    const nested = screen.getByRole('checkbox', { name: /Include members of nested groups/ }) as HTMLInputElement;
    expect(nested.checked).toBe(false);
    await fireEvent.click(nested);
    expect(screen.getByTestId('download-selection').textContent?.trim()).toBe(
      'Members of 2 groups, nested groups included, in one file.',
    );
    await waitFor(() =>
      expect(transport.calls.filter((c) => c.command === 'downloads_columns').at(-1)?.request).toEqual({
        kind: 'members',
        transitive: true,
      }),
    );
    await clickDownload();
    await waitFor(() => expect(transport.calls.some((c) => c.command === 'downloads_members')).toBe(true));
    const call = transport.calls.find((c) => c.command === 'downloads_members');
    expect(call?.request).toMatchObject({
      groupIds: ['g1', 'g2'],
      transitive: true,
      columns: 'default',
      file: 'save:/tmp/members.csv',
    });
  });

  it('starts an owners download of the selected groups, suggesting owners.csv', async () => {
    const transport = createMockTransport({
      downloads_columns: () => membersCatalogue,
      settings_get: () => settings,
      downloads_owners: () => ({ id: 'job-6', name: 'Download owners of 2 groups', title: { code: 'plain', params: {}, text: 'Download owners of 2 groups' } }),
    });
    setTransport(transport);
    const asked: string[] = [];
    render(DownloadDialog, {
      choosePath: async (suggested: string) => {
        asked.push(suggested);
        return saved('/tmp/owners.csv');
      },
    });
    openDownload({ kind: 'owners', groupIds: ['g1', 'g2'] });
    expect((await screen.findByTestId('download-selection')).textContent).toContain('Owners of 2 groups');
    await clickDownload();
    await waitFor(() => expect(transport.calls.some((c) => c.command === 'downloads_owners')).toBe(true));
    expect(asked).toEqual(['owners.csv']);
    expect(transport.calls.find((c) => c.command === 'downloads_columns')?.request).toEqual({
      kind: 'owners',
      transitive: false,
    });
    const call = transport.calls.find((c) => c.command === 'downloads_owners');
    expect(call?.request).toMatchObject({ groupIds: ['g1', 'g2'], file: 'save:/tmp/owners.csv' });
  });

  it('a users’ groups download can include nested groups, which asks for their columns again', async () => {
    const transport = createMockTransport({
      downloads_columns: () => membersCatalogue,
      settings_get: () => settings,
      downloads_user_groups: () => ({ id: 'job-7', name: 'Download groups of 2 listed users', title: { code: 'plain', params: {}, text: 'Download groups of 2 listed users' } }),
    });
    setTransport(transport);
    render(DownloadDialog, { choosePath: async () => saved('/tmp/user-groups.csv') });
    openDownload({ kind: 'userGroups', ids: ['u1', 'u2'] });
    expect((await screen.findByTestId('download-selection')).textContent).toContain('2 selected users');
    await fireEvent.click(await screen.findByRole('checkbox', { name: /nested groups/ }));
    await waitFor(() =>
      expect(transport.calls.filter((c) => c.command === 'downloads_columns').at(-1)?.request).toEqual({
        kind: 'userGroups',
        transitive: true,
      }),
    );
    expect(transport.calls.find((c) => c.command === 'downloads_columns')?.request).toEqual({
      kind: 'userGroups',
      transitive: false,
    });
    await clickDownload();
    await waitFor(() => expect(transport.calls.some((c) => c.command === 'downloads_user_groups')).toBe(true));
    const call = transport.calls.find((c) => c.command === 'downloads_user_groups');
    expect(call?.request).toMatchObject({ ids: ['u1', 'u2'], transitive: true, file: 'save:/tmp/user-groups.csv' });
  });

  it('a members download after a cancelled users dialog sends no users column choice', async () => {
    const transport = createMockTransport({
      downloads_columns: (request) => (request.kind === 'members' ? membersCatalogue : catalogue),
      settings_get: () => settings,
      downloads_members: () => ({ id: 'job-4', name: 'Download members of 1 group', title: { code: 'plain', params: {}, text: 'Download members of 1 group' } }),
    });
    setTransport(transport);
    render(DownloadDialog, { choosePath: async () => saved('/tmp/members.csv') });
    openDownload({ kind: 'users' });
    await fireEvent.click(await screen.findByRole('button', { name: 'Every column' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(downloadDialog.request).toBeNull();

    openDownload({ kind: 'members', groupIds: ['g1'] });
    await clickDownload();
    await waitFor(() => expect(transport.calls.some((c) => c.command === 'downloads_members')).toBe(true));
    const call = transport.calls.find((c) => c.command === 'downloads_members');
    expect(call?.request).toMatchObject({ groupIds: ['g1'], columns: 'default' });
  });

  it('a groups download after a users dialog starts from the groups’ own default columns', async () => {
    const transport = createMockTransport({
      downloads_columns: (request) => (request.kind === 'groups' ? groupsCatalogue : catalogue),
      settings_get: () => settings,
      downloads_groups: () => ({ id: 'job-5', name: 'Download groups', title: { code: 'plain', params: {}, text: 'Download groups' } }),
    });
    setTransport(transport);
    render(DownloadDialog, { choosePath: async () => saved('/tmp/groups.csv') });
    openDownload({ kind: 'users' });
    await screen.findByRole('button', { name: 'The default columns' });
    closeDownload();
    openDownload({ kind: 'groups' });
    await clickDownload();
    await waitFor(() => expect(transport.calls.some((c) => c.command === 'downloads_groups')).toBe(true));
    expect(transport.calls.find((c) => c.command === 'downloads_groups')?.request).toMatchObject({
      columns: 'default',
    });
  });

  it('says what expensive columns cost before starting, and the default columns include none', async () => {
    setTransport(
      createMockTransport({
        downloads_columns: () => catalogue,
        settings_get: () => ({ ...settings, userColumns: 'default' }),
      }),
    );
    render(DownloadDialog, { choosePath: async () => null });
    openDownload({ kind: 'users' });
    await screen.findByRole('button', { name: 'The default columns' });
    await waitFor(() => expect(appSettings.value?.userColumns).toBe('default'));
    expect(screen.queryByRole('note')).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Every column' }));
    expect((await screen.findAllByRole('note')).map((n) => n.textContent).join(' ')).toContain('extra Graph requests');
    await fireEvent.click(screen.getByRole('button', { name: 'Remove all' }));
    expect(screen.queryByRole('note')).toBeNull();
    await fireEvent.click(screen.getByRole('checkbox', { name: /Authentication email/ }));
    expect((await screen.findAllByRole('note')).map((n) => n.textContent).join(' ')).toContain('extra Graph requests');
  });

  it('says what the columns cost in the person’s language, not the engine’s English', async () => {
    setTransport(createMockTransport({ downloads_columns: () => catalogue, settings_get: () => settings }));
    setLocale('nl');
    try {
      render(DownloadDialog, { choosePath: async () => null });
      openDownload({ kind: 'users' });
      await fireEvent.click(await screen.findByRole('button', { name: /alle kolommen/i }));
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
    await clickDownload();
    expect((await screen.findByRole('alert')).textContent).toContain('Unknown column');
    expect(downloadDialog.request).not.toBeNull();
  });

  it('opens on the columns it was asked for besides the default ones (the rule lab’s missing columns)', async () => {
    const transport = createMockTransport({
      downloads_columns: () => catalogue,
      settings_get: () => settings,
      column_choice_get: () => ({ spec: 'department' }),
      downloads_users: () => ({ id: 'job-3', name: 'Download users', title: { code: 'plain', params: {}, text: 'Download users' } }),
    });
    setTransport(transport);
    render(DownloadDialog, { choosePath: async () => saved('/tmp/users.csv') });
    openDownload({ kind: 'users', columns: ['City'] });
    const city = (await screen.findByRole('checkbox', { name: /^City/ })) as HTMLInputElement;
    expect(city.checked).toBe(true);
    await clickDownload();
    await waitFor(() => expect(transport.calls.some((c) => c.command === 'downloads_users')).toBe(true));
    expect(transport.calls.find((c) => c.command === 'downloads_users')?.request).toMatchObject({
      columns: 'userPrincipalName,displayName,department,authenticationEmail,city',
    });
  });

  it('opens on the columns last chosen for that kind of download, in their order', async () => {
    const transport = createMockTransport({
      downloads_columns: () => catalogue,
      settings_get: () => settings,
      column_choice_get: (request) => ({ spec: request.kind === 'users' ? 'city,userPrincipalName' : null }),
      column_choice_set: () => null,
      downloads_users: () => ({ id: 'job-6', name: 'Download users', title: { code: 'plain', params: {}, text: 'Download users' } }),
    });
    setTransport(transport);
    render(DownloadDialog, { choosePath: async () => saved('/tmp/users.csv') });
    openDownload({ kind: 'users' });
    const chosen = await screen.findByRole('list', { name: /chosen/i });
    expect([...chosen.querySelectorAll('li')].map((li) => li.dataset.header)).toEqual(['city', 'userPrincipalName']);
    await clickDownload();
    await waitFor(() => expect(transport.calls.some((c) => c.command === 'column_choice_set')).toBe(true));
    expect(transport.calls.find((c) => c.command === 'downloads_users')?.request).toMatchObject({
      columns: 'city,userPrincipalName',
    });
  });
});
