import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { setTransport, tauriTransport } from '$lib/ipc/client';
import { createMockTransport } from '$lib/ipc/mock';
import { IpcError } from '$lib/ipc/errors';
import ErrorBanner from './ErrorBanner.svelte';

const consent = () =>
  new IpcError('signInAgain', 'Sign in again to allow changes.', null, {
    code: 'app.allowChanges',
    params: { permission: 'GroupMember.ReadWrite.All' },
    text: 'Sign in again to allow changes.',
  });

describe('ErrorBanner', () => {
  afterEach(() => setTransport(tauriTransport));

  it('offers to allow changes when the write permission is missing, then retries', async () => {
    const transport = createMockTransport({ session_allow_changes: () => null });
    setTransport(transport);
    let retried = 0;
    render(ErrorBanner, { error: consent(), onretry: () => (retried += 1) });
    await fireEvent.click(await screen.findByRole('button', { name: 'Allow changes' }));
    await waitFor(() => expect(retried).toBe(1));
    expect(transport.calls.map((c) => c.command)).toEqual(['session_allow_changes']);
  });

  it('has no such button for other errors', () => {
    render(ErrorBanner, { error: new IpcError('network', 'Graph cannot be reached.') });
    expect(screen.queryByRole('button', { name: 'Allow changes' })).toBeNull();
  });
});
