import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { setLocale } from '$lib/i18n/index.svelte';
import Nav from './Nav.svelte';

const account = { username: 'admin@contoso.com', tenantId: 't', tenantDomain: 'contoso.com', cloud: 'global' as const, demo: false };

describe('Help for this screen', () => {
  afterEach(() => setLocale('en'));

  it('is in the navigation of every signed-in screen and opens the help', async () => {
    const onhelp = vi.fn();
    render(Nav, { path: '/groups', account, onsignout: () => {}, onhelp });
    const link = screen.getByRole('button', { name: /Help for this screen/ });
    expect(link.getAttribute('aria-haspopup')).toBe('dialog');
    expect(link.getAttribute('aria-keyshortcuts')).toBe('F1');
    await fireEvent.click(link);
    expect(onhelp).toHaveBeenCalledTimes(1);
  });

  it('is said in Dutch', () => {
    setLocale('nl');
    render(Nav, { path: '/users', account, onsignout: () => {}, onhelp: () => {} });
    expect(screen.getByRole('button', { name: /Hulp bij dit scherm/ })).toBeTruthy();
  });
});
