import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setTransport, tauriTransport } from '$lib/ipc/client';
import { createMockTransport, type MockHandlers } from '$lib/ipc/mock';
import type { SignInProgress } from '$lib/ipc/gen/SignInProgress';
import { SessionStore } from '$lib/state/session.svelte';
import type { ProgressSubscriber } from '$lib/api/session';
import SignIn from './SignIn.svelte';

const noAccounts = { accounts: [], customAuthority: null };

const account = { username: 'admin@contoso.example', tenantId: 't', tenantDomain: 'contoso.example', cloud: 'global' as const, demo: false };

/** Progress events that arrive as soon as something listens. */
function eventsSending(progress: SignInProgress): ProgressSubscriber {
  return async (handler) => {
    queueMicrotask(() => handler(progress));
    return () => {};
  };
}

const silent: ProgressSubscriber = async () => () => {};

function mock(handlers: MockHandlers) {
  const transport = createMockTransport({ session_accounts: () => noAccounts, ...handlers });
  setTransport(transport);
  return transport;
}

describe('SignIn', () => {
  afterEach(() => {
    setTransport(tauriTransport);
    vi.unstubAllGlobals();
  });

  it('offers every way to sign in, with accessible names', async () => {
    mock({});
    render(SignIn, { session: new SessionStore(silent), onsignedin: () => {} });
    expect(screen.getByRole('heading', { name: 'Sign in to your tenant' })).toBeTruthy();
    for (const name of ['Sign in with browser', 'Sign in with a device code', 'Try the demo tenant']) {
      expect(screen.getByRole('button', { name })).toBeTruthy();
    }
    const cloud = screen.getByRole('combobox', { name: 'Cloud' }) as HTMLSelectElement;
    expect([...cloud.options].map((o) => o.value)).toEqual(['global', 'usGov', 'china']);
    expect(screen.getByTestId('account-picker').textContent).toContain('No saved accounts yet');
  });

  it('signs in to the demo tenant and reports success', async () => {
    const transport = mock({ session_sign_in: () => ({ account: { ...account, demo: true } }) });
    const onsignedin = vi.fn();
    render(SignIn, { session: new SessionStore(silent), onsignedin });
    await fireEvent.click(screen.getByRole('button', { name: 'Try the demo tenant' }));
    await vi.waitFor(() => expect(onsignedin).toHaveBeenCalledOnce());
    expect(transport.calls.find((c) => c.command === 'session_sign_in')?.request).toEqual({ method: 'demo', cloud: 'global' });
  });

  it('shows the device code and its page, copies the code, opens the page and cancels', async () => {
    const writeText = vi.fn(async () => {});
    vi.stubGlobal('navigator', { clipboard: { writeText } });
    let reject: (error: unknown) => void = () => {};
    const transport = mock({
      session_sign_in: () => new Promise((_, no) => (reject = no)),
      session_open_device_page: () => null,
      session_cancel_sign_in: () => {
        reject({ code: 'cancelled', message: 'Sign-in was cancelled.' });
        return null;
      },
    });
    const progress: SignInProgress = {
      kind: 'deviceCode',
      userCode: 'QWER-TYUI',
      verificationUri: 'http://127.0.0.1:8080/common/oauth2/deviceauth',
      expiresInSecs: 900,
      message: 'Enter QWER-TYUI',
    };
    render(SignIn, { session: new SessionStore(eventsSending(progress)), onsignedin: () => {} });
    await fireEvent.change(screen.getByRole('combobox', { name: 'Cloud' }), { target: { value: 'usGov' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Sign in with a device code' }));

    expect((await screen.findByTestId('device-code')).textContent).toBe('QWER-TYUI');
    expect(screen.getByTestId('device-url').textContent).toBe(progress.verificationUri);
    expect(transport.calls.find((c) => c.command === 'session_sign_in')?.request).toEqual({ method: 'deviceCode', cloud: 'usGov' });

    await fireEvent.click(screen.getByRole('button', { name: 'Copy code' }));
    expect(writeText).toHaveBeenCalledWith('QWER-TYUI');
    expect(await screen.findByText('Code copied.')).toBeTruthy();

    await fireEvent.click(screen.getByRole('button', { name: 'Open the page' }));
    expect(transport.calls.map((c) => c.command)).toContain('session_open_device_page');

    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await vi.waitFor(() => expect(screen.queryByTestId('device-code')).toBeNull());
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('button', { name: 'Sign in with a device code' })).toBeTruthy();
  });

  it('lists saved accounts, signs in to one silently, and fixes the cloud to --authority', async () => {
    const transport = mock({
      session_accounts: () => ({
        accounts: [
          { key: 'k1', username: 'owner@contoso.example', displayName: 'Owner', tenantId: 't', cloud: 'custom', active: true },
        ],
        customAuthority: 'http://127.0.0.1:8080',
      }),
      session_use_account: () => ({ account }),
    });
    const onsignedin = vi.fn();
    render(SignIn, { session: new SessionStore(silent), onsignedin });
    await fireEvent.click(await screen.findByRole('button', { name: 'Owner owner@contoso.example' }));
    await vi.waitFor(() => expect(onsignedin).toHaveBeenCalledOnce());
    expect(transport.calls.find((c) => c.command === 'session_use_account')?.request).toEqual({ key: 'k1' });
    expect(screen.getByTestId('custom-authority').textContent).toContain('http://127.0.0.1:8080');
    expect(screen.queryByRole('combobox', { name: 'Cloud' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Remove owner@contoso.example and its saved sign-in' })).toBeTruthy();
  });

  it('shows what is missing and who can grant it when consent fails', async () => {
    mock({
      session_sign_in: () => {
        throw {
          code: 'forbidden',
          message:
            'Roster is not allowed to use User.Read.All: nobody has consented to it for this app. A Global Administrator can grant admin consent.',
        };
      },
    });
    const onsignedin = vi.fn();
    render(SignIn, { session: new SessionStore(silent), onsignedin });
    await fireEvent.click(screen.getByRole('button', { name: 'Sign in with browser' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('User.Read.All');
    expect(alert.textContent).toContain('Global Administrator');
    expect(onsignedin).not.toHaveBeenCalled();
  });
});
