import { afterEach, describe, expect, it } from 'vitest';
import { call, setTransport, tauriTransport } from './client';
import { IpcError, normaliseError } from './errors';
import { setLocale } from '$lib/i18n/index.svelte';
import { createMockTransport } from './mock';

describe('call', () => {
  afterEach(() => setTransport(tauriTransport));

  it('sends the request DTO under `request` and returns the response', async () => {
    const mock = createMockTransport({
      users_list: (request) => ({
        items: [
          {
            id: '1',
            displayName: `match ${request?.search}`,
            userPrincipalName: 'a@example.test',
            mail: null,
            jobTitle: null,
            department: null,
            country: null,
            guest: false,
            accountEnabled: true,
            created: null,
          },
        ],
        listing: null,
        total: 1,
      }),
    });
    setTransport(mock);
    const page = await call('users_list', { search: 'ad' });
    expect(page.items[0]?.displayName).toBe('match ad');
    expect(mock.calls).toEqual([{ command: 'users_list', request: { search: 'ad' } }]);
  });

  it('sends no arguments for commands without a request', async () => {
    const mock = createMockTransport({ app_info: () => ({ version: '1.2.3', commit: 'abc1234', demo: false }) });
    setTransport(mock);
    expect(await call('app_info')).toEqual({ version: '1.2.3', commit: 'abc1234', demo: false });
    expect(mock.calls).toEqual([{ command: 'app_info', request: null }]);
  });

  it('rejects with an IpcError carrying the Rust code', async () => {
    setTransport(
      createMockTransport({
        session_get: () => {
          throw { code: 'unauthenticated', message: 'Sign in.', detail: 'no session' };
        },
      }),
    );
    const error = await call('session_get').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcError);
    expect(error).toMatchObject({ code: 'unauthenticated', message: 'Sign in.', detail: 'no session' });
  });

  it('turns a Tauri string error (unknown command) into an internal error', async () => {
    setTransport(createMockTransport({}));
    await expect(call('groups_list', {})).rejects.toMatchObject({
      code: 'internal',
      message: 'command groups_list not found',
    });
  });
});

describe('normaliseError', () => {
  it('maps unknown codes and odd values to internal', () => {
    expect(normaliseError({ code: 'bogus', message: 'x' })).toMatchObject({ code: 'internal', message: 'x' });
    expect(normaliseError(42)).toMatchObject({ code: 'internal', message: '42' });
    const original = new IpcError('throttled', 'slow down');
    expect(normaliseError(original)).toBe(original);
  });

  it('keeps a coded message and shows it in the current language', () => {
    const error = normaliseError({
      code: 'validation',
      message: 'No row of this job failed, so there is nothing to retry.',
      text: { code: 'app.nothingToRetry', params: {}, text: 'No row of this job failed, so there is nothing to retry.' },
    });
    expect(error.text?.code).toBe('app.nothingToRetry');
    setLocale('nl');
    expect(error.shown).toBe('Geen rij van deze taak is mislukt, dus er is niets om opnieuw te proberen.');
    setLocale('en');
    expect(error.shown).toBe('No row of this job failed, so there is nothing to retry.');
    expect(normaliseError({ code: 'network', message: 'offline' }).shown).toBe('offline');
  });
});
