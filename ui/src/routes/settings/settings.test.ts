import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { setTransport, tauriTransport } from '$lib/ipc/client';
import { createMockTransport } from '$lib/ipc/mock';
import { usersCatalogue } from '$lib/components/downloads/catalogue.fixture';
import { settings as appSettings } from '$lib/state/settings.svelte';
import SettingsPage from './+page.svelte';

const saved = {
  outputFolder: '/home/admin/Downloads',
  bom: true,
  delimiter: 'comma' as const,
  formulaGuard: true,
  userColumns: 'department,userPrincipalName',
};

describe('Settings: default user columns', () => {
  afterEach(() => {
    setTransport(tauriTransport);
    appSettings.value = null;
  });

  it('are chosen with the download dialog’s column picker and saved as a column spec, in the order chosen', async () => {
    const transport = createMockTransport({
      settings_get: () => saved,
      settings_set: (request) => request,
      downloads_columns: () => usersCatalogue,
      app_info: () => ({ version: '1.0.0', commit: 'abc1234', demo: false }),
    });
    setTransport(transport);
    render(SettingsPage);
    const picker = await screen.findByRole('group', { name: 'Default user columns' });
    expect(within(picker).queryByRole('textbox')).toBeNull();
    const chosen = within(picker).getByRole('list', { name: /chosen/i });
    expect([...chosen.querySelectorAll('li')].map((li) => li.dataset.header)).toEqual(['department', 'userPrincipalName']);
    await fireEvent.click(within(picker).getByRole('button', { name: 'Move Sign-in name up' }));
    await fireEvent.click(within(picker).getByRole('checkbox', { name: /^City/ }));
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(transport.calls.some((c) => c.command === 'settings_set')).toBe(true));
    expect(transport.calls.find((c) => c.command === 'settings_set')?.request).toMatchObject({
      userColumns: 'userPrincipalName,department,city',
    });
  });
});
