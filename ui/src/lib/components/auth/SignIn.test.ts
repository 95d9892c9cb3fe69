import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setTransport, tauriTransport } from '$lib/ipc/client';
import { createMockTransport } from '$lib/ipc/mock';
import { SessionStore } from '$lib/state/session.svelte';
import SignIn from './SignIn.svelte';

describe('SignIn', () => {
  afterEach(() => setTransport(tauriTransport));

  it('offers every way to sign in, with accessible names', () => {
    render(SignIn, { session: new SessionStore(), onsignedin: () => {} });
    expect(screen.getByRole('heading', { name: 'Sign in to your tenant' })).toBeTruthy();
    for (const name of ['Sign in with browser', 'Sign in with a device code', 'Try the demo tenant']) {
      expect(screen.getByRole('button', { name })).toBeTruthy();
    }
    const cloud = screen.getByRole('combobox', { name: 'Cloud' }) as HTMLSelectElement;
    expect([...cloud.options].map((o) => o.value)).toEqual(['global', 'usGov', 'china']);
  });

  it('signs in to the demo tenant and reports success', async () => {
    const mock = createMockTransport({
      session_sign_in: () => ({
        account: { username: 'admin@demo.example', tenantId: 't', tenantDomain: 'demo.example', cloud: 'global', demo: true },
      }),
    });
    setTransport(mock);
    const onsignedin = vi.fn();
    render(SignIn, { session: new SessionStore(), onsignedin });
    await fireEvent.click(screen.getByRole('button', { name: 'Try the demo tenant' }));
    await vi.waitFor(() => expect(onsignedin).toHaveBeenCalledOnce());
    expect(mock.calls[0]?.request).toEqual({ method: 'demo', cloud: 'global' });
  });

  it('shows the error when signing in is not possible', async () => {
    setTransport(
      createMockTransport({
        session_sign_in: () => {
          throw { code: 'notAvailable', message: 'Not part of this build yet.' };
        },
      }),
    );
    const onsignedin = vi.fn();
    render(SignIn, { session: new SessionStore(), onsignedin });
    const cloud = screen.getByRole('combobox', { name: 'Cloud' });
    await fireEvent.change(cloud, { target: { value: 'china' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Sign in with browser' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Not part of this build yet.');
    expect(onsignedin).not.toHaveBeenCalled();
  });
});
