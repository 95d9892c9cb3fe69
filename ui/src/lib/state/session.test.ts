import { afterEach, describe, expect, it } from 'vitest';
import { setTransport, tauriTransport } from '$lib/ipc/client';
import { createMockTransport } from '$lib/ipc/mock';
import type { AccountDto } from '$lib/ipc/gen/AccountDto';
import type { SignInProgress } from '$lib/ipc/gen/SignInProgress';
import { SessionStore } from './session.svelte';

const demoAccount: AccountDto = {
  username: 'admin@demo.example',
  tenantId: '00000000-0000-0000-0000-000000000001',
  tenantDomain: 'demo.example',
  cloud: 'global',
  demo: true,
};

const realAccount: AccountDto = { ...demoAccount, username: 'owner@contoso.example', demo: false };

const deviceCode: SignInProgress = {
  kind: 'deviceCode',
  userCode: 'ABCD-EFGH',
  verificationUri: 'https://microsoft.com/devicelogin',
  expiresInSecs: 900,
  message: 'To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ABCD-EFGH.',
};

/** A fake event source: `emit` delivers to the current listener; `listening` counts subscriptions. */
function fakeEvents() {
  let handler: ((progress: SignInProgress) => void) | null = null;
  const events = {
    listening: 0,
    subscribe: async (next: (progress: SignInProgress) => void) => {
      handler = next;
      events.listening += 1;
      return () => {
        handler = null;
        events.listening -= 1;
      };
    },
    emit: (progress: SignInProgress) => handler?.(progress),
  };
  return events;
}

describe('SessionStore', () => {
  afterEach(() => setTransport(tauriTransport));

  it('loads the version and the current account', async () => {
    setTransport(
      createMockTransport({
        app_info: () => ({ version: '0.1.0', commit: 'abc1234', demo: true }),
        session_get: () => ({ account: demoAccount }),
      }),
    );
    const store = new SessionStore();
    expect(store.loaded).toBe(false);
    await store.load();
    expect(store).toMatchObject({ loaded: true, version: '0.1.0', signedIn: true });
    expect(store.account?.username).toBe('admin@demo.example');
  });

  it('signs in to the demo tenant and out again', async () => {
    const mock = createMockTransport({
      session_sign_in: () => ({ account: demoAccount }),
      session_sign_out: () => ({ account: null }),
    });
    setTransport(mock);
    const store = new SessionStore(fakeEvents().subscribe);
    expect(await store.signIn('demo', 'global')).toBe(true);
    expect(store.signedIn).toBe(true);
    expect(mock.calls[0]).toEqual({ command: 'session_sign_in', request: { method: 'demo', cloud: 'global' } });
    await store.signOut();
    expect(store.signedIn).toBe(false);
  });

  it('shows the device code while the sign-in runs, and stops listening after', async () => {
    const events = fakeEvents();
    let finish: (value: { account: AccountDto }) => void = () => {};
    setTransport(
      createMockTransport({
        session_sign_in: () => {
          events.emit(deviceCode);
          return new Promise((resolve) => (finish = resolve));
        },
      }),
    );
    const store = new SessionStore(events.subscribe);
    const signingIn = store.signIn('deviceCode', 'usGov');
    await expect.poll(() => store.progress).toEqual(deviceCode);
    expect(store.busy).toBe(true);
    expect(events.listening).toBe(1);
    finish({ account: realAccount });
    expect(await signingIn).toBe(true);
    expect(store).toMatchObject({ busy: false, progress: null, signedIn: true });
    expect(events.listening).toBe(0);
  });

  it('treats a cancelled sign-in as no error', async () => {
    const mock = createMockTransport({
      session_sign_in: () => {
        throw { code: 'cancelled', message: 'Sign-in was cancelled.' };
      },
      session_cancel_sign_in: () => null,
    });
    setTransport(mock);
    const store = new SessionStore(fakeEvents().subscribe);
    expect(await store.signIn('browser', 'global')).toBe(false);
    expect(store.error).toBeNull();
    await store.cancel();
    expect(mock.calls.map((c) => c.command)).toContain('session_cancel_sign_in');
  });

  it('lists saved accounts, signs in to one silently, and removes one', async () => {
    const saved = {
      key: 'owner@contoso.example|t|c|h',
      username: 'owner@contoso.example',
      displayName: 'Owner',
      tenantId: 't',
      cloud: 'custom' as const,
      active: true,
    };
    const mock = createMockTransport({
      session_accounts: () => ({ accounts: [saved], customAuthority: 'http://127.0.0.1:9' }),
      session_use_account: () => ({ account: realAccount }),
      session_remove_account: () => ({ accounts: [], customAuthority: 'http://127.0.0.1:9' }),
    });
    setTransport(mock);
    const store = new SessionStore(fakeEvents().subscribe);
    await store.loadAccounts();
    expect(store.savedAccounts).toEqual([saved]);
    expect(store.customAuthority).toBe('http://127.0.0.1:9');
    expect(await store.useAccount(saved.key)).toBe(true);
    expect(mock.calls.at(-1)).toEqual({ command: 'session_use_account', request: { key: saved.key } });
    await store.removeAccount(saved.key);
    expect(store.savedAccounts).toEqual([]);
  });

  it('keeps the person signed out and exposes the error when sign-in fails', async () => {
    setTransport(
      createMockTransport({
        session_use_account: () => {
          throw { code: 'signInAgain', message: 'The saved sign-in was revoked. Sign in again.' };
        },
      }),
    );
    const store = new SessionStore(fakeEvents().subscribe);
    expect(await store.useAccount('k')).toBe(false);
    expect(store).toMatchObject({ signedIn: false, busy: false });
    expect(store.error).toMatchObject({ code: 'signInAgain', message: 'The saved sign-in was revoked. Sign in again.' });
  });
});
