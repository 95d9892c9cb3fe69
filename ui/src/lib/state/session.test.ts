import { afterEach, describe, expect, it } from 'vitest';
import { setTransport, tauriTransport } from '$lib/ipc/client';
import { createMockTransport } from '$lib/ipc/mock';
import type { AccountDto } from '$lib/ipc/gen/AccountDto';
import { SessionStore } from './session.svelte';

const demoAccount: AccountDto = {
  username: 'admin@demo.example',
  tenantId: '00000000-0000-0000-0000-000000000001',
  tenantDomain: 'demo.example',
  cloud: 'global',
  demo: true,
};

describe('SessionStore', () => {
  afterEach(() => setTransport(tauriTransport));

  it('loads the version and the current account', async () => {
    setTransport(
      createMockTransport({
        app_info: () => ({ version: '0.1.0', demo: true }),
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
    const store = new SessionStore();
    expect(await store.signIn('demo', 'global')).toBe(true);
    expect(store.signedIn).toBe(true);
    expect(mock.calls[0]).toEqual({ command: 'session_sign_in', request: { method: 'demo', cloud: 'global' } });
    await store.signOut();
    expect(store.signedIn).toBe(false);
  });

  it('keeps the person signed out and exposes the error when sign-in fails', async () => {
    setTransport(
      createMockTransport({
        session_sign_in: () => {
          throw { code: 'notAvailable', message: 'Not in this build.' };
        },
      }),
    );
    const store = new SessionStore();
    expect(await store.signIn('browser', 'usGov')).toBe(false);
    expect(store).toMatchObject({ signedIn: false, busy: false });
    expect(store.error).toMatchObject({ code: 'notAvailable', message: 'Not in this build.' });
  });
});
