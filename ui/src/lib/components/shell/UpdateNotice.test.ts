import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { setTransport, tauriTransport } from '$lib/ipc/client';
import { createMockTransport, type MockHandlers } from '$lib/ipc/mock';
import type { UpdateStatusDto } from '$lib/ipc/gen/UpdateStatusDto';
import { updates } from '$lib/state/updates.svelte';
import UpdateNotice from './UpdateNotice.svelte';
import UpdateSettings from './UpdateSettings.svelte';

vi.mock('$lib/ipc/events', () => ({ listenTo: async () => () => {} }));

const status = (over: Partial<UpdateStatusDto> = {}): UpdateStatusDto => ({
  enabled: false,
  chosen: false,
  policy: 'none',
  problem: null,
  channel: true,
  currentVersion: '0.1.0',
  ...over,
});

const release = { version: '0.2.0', notes: 'Faster downloads.', date: '2026-12-01T10:00:00Z' };

/** The app started with these commands' answers (the shell runs `updates.startup()` once). */
async function started(handlers: MockHandlers) {
  const transport = createMockTransport(handlers);
  setTransport(transport);
  updates.available = null;
  updates.upToDate = false;
  await updates.startup();
  return transport;
}

const commands = (t: { calls: { command: string }[] }) => t.calls.map((c) => c.command);

describe('updates', () => {
  beforeEach(() => setTransport(tauriTransport));
  afterEach(() => setTransport(tauriTransport));

  it('looks for nothing while checks are off (the default)', async () => {
    const transport = await started({ update_status: () => status() });
    render(UpdateSettings);
    const box = (await screen.findByRole('checkbox', { name: /new versions/ })) as HTMLInputElement;
    expect(box.checked).toBe(false);
    expect(box.disabled).toBe(false);
    expect(commands(transport)).toEqual(['update_status', 'update_status']);
  });

  it('shows a release found at start and installs it only when Install is clicked', async () => {
    const transport = await started({
      update_status: () => status({ enabled: true, chosen: true }),
      update_check: () => ({ available: release }),
      update_install: () => null,
    });
    render(UpdateNotice);
    expect(await screen.findByText('Roster 0.2.0 is available.')).toBeTruthy();
    expect(screen.getByText('Faster downloads.')).toBeTruthy();
    expect(commands(transport)).toEqual(['update_status', 'update_check']);

    await fireEvent.click(screen.getByRole('button', { name: 'Install and restart' }));
    expect(transport.calls.at(-1)).toEqual({ command: 'update_install', request: { version: '0.2.0' } });
  });

  it('Later closes the notice without installing', async () => {
    const transport = await started({
      update_status: () => status({ enabled: true, chosen: true }),
      update_check: () => ({ available: release }),
    });
    render(UpdateNotice);
    await fireEvent.click(await screen.findByRole('button', { name: 'Later' }));
    expect(screen.queryByText('Roster 0.2.0 is available.')).toBeNull();
    expect(commands(transport)).not.toContain('update_install');
  });

  it("an organisation's policy locks the setting and says so", async () => {
    const transport = await started({ update_status: () => status({ policy: 'off', chosen: true }) });
    render(UpdateSettings);
    const box = (await screen.findByRole('checkbox', { name: /new versions/ })) as HTMLInputElement;
    expect(box.checked).toBe(false);
    expect(box.disabled).toBe(true);
    expect(screen.getByText(/Your organisation has turned update checks off/)).toBeTruthy();
    expect(commands(transport)).not.toContain('update_check');
  });

  it('a build without an update channel says how it is updated', async () => {
    await started({ update_status: () => status({ channel: false }) });
    render(UpdateSettings);
    expect(await screen.findByText(/updated the way it was installed/)).toBeTruthy();
    expect(((await screen.findByRole('checkbox')) as HTMLInputElement).disabled).toBe(true);
  });

  it('turning checks on saves the choice, and Check now says when Roster is up to date', async () => {
    let saved: unknown = null;
    await started({
      update_status: () => status(),
      update_choose: (request) => {
        saved = request;
        return status({ enabled: true, chosen: true });
      },
      update_check: () => ({ available: null }),
    });
    render(UpdateSettings);
    await fireEvent.click(await screen.findByRole('checkbox', { name: /new versions/ }));
    expect(saved).toEqual({ check: true });
    await fireEvent.click(await screen.findByRole('button', { name: 'Check now' }));
    expect(await screen.findByText('Roster 0.1.0 is the newest version.')).toBeTruthy();
  });
});
