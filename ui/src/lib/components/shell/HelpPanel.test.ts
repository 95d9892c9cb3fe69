import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { setLocale } from '$lib/i18n/index.svelte';
import HelpPanel from './HelpPanel.svelte';

/** The panel's text of the guide. */
const content = () => screen.getByTestId('help-panel').querySelector('article') as HTMLElement;

describe('HelpPanel', () => {
  afterEach(() => {
    setLocale('en');
    document.body.innerHTML = '';
  });

  it("shows the screen's page of the guide, with its headings", () => {
    render(HelpPanel, { page: 'users', onclose: () => {} });
    const page = within(content());
    expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeTruthy();
    expect(page.getByRole('heading', { level: 2, name: 'Ticking users' })).toBeTruthy();
    expect(page.getByRole('heading', { level: 2, name: 'Limits' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Help' })).toBeTruthy();
    expect(content().getAttribute('lang')).toBe('en');
    expect(content().ownerDocument.activeElement).toBe(content());
  });

  it('switches to the page a link names, and goes back', async () => {
    render(HelpPanel, { page: 'users', onclose: () => {} });
    const link = within(content()).getAllByRole('link', { name: 'download dialog' })[0] as HTMLElement;
    const followed = !(await fireEvent.click(link));
    expect(followed, 'the webview must not follow the link').toBe(true);
    await waitFor(() => expect(screen.getByTestId('help-panel').dataset.page).toBe('download'));
    expect(within(content()).getByRole('heading', { level: 1, name: 'The download dialog' })).toBeTruthy();
    expect(location.pathname).toBe('/');

    await fireEvent.click(screen.getByRole('button', { name: /Back/ }));
    await waitFor(() => expect(screen.getByTestId('help-panel').dataset.page).toBe('users'));
    expect(screen.queryByRole('button', { name: /Back/ })).toBeNull();
  });

  it('goes to a heading on another page, and to the contents', async () => {
    render(HelpPanel, { page: 'groups', onclose: () => {} });
    const link = within(content()).getByRole('link', { name: 'this section' });
    await fireEvent.click(link);
    await waitFor(() => expect(screen.getByTestId('help-panel').dataset.page).toBe('group'));
    const heading = within(content()).getByRole('heading', { name: 'Where to change a group Roster cannot change' });
    await waitFor(() => expect(document.activeElement).toBe(heading));

    await fireEvent.click(screen.getByRole('button', { name: 'All help pages' }));
    await waitFor(() => expect(screen.getByTestId('help-panel').dataset.page).toBe('README'));
    expect(screen.queryByRole('button', { name: 'All help pages' })).toBeNull();
  });

  it('closes on Escape and gives the focus back to what had it', async () => {
    const opener = document.createElement('button');
    opener.textContent = 'Help for this screen';
    document.body.append(opener);
    opener.focus();
    const onclose = vi.fn();
    render(HelpPanel, { page: 'jobs', onclose });
    expect(document.activeElement).not.toBe(opener);

    await fireEvent.keyDown(content(), { key: 'Escape' });
    expect(onclose).toHaveBeenCalledTimes(1);
    expect(document.activeElement).toBe(opener);
  });

  it('closes with its Close button', async () => {
    const onclose = vi.fn();
    render(HelpPanel, { page: 'settings', onclose });
    await fireEvent.click(screen.getByRole('button', { name: 'Close help' }));
    expect(onclose).toHaveBeenCalledTimes(1);
  });

  it('speaks Dutch around the guide, and says the guide is in English', () => {
    setLocale('nl');
    render(HelpPanel, { page: 'review', onclose: () => {} });
    expect(screen.getByRole('heading', { name: 'Hulp' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Hulp sluiten' })).toBeTruthy();
    expect(screen.getByText('De handleiding is alleen in het Engels beschikbaar.')).toBeTruthy();
    expect(within(content()).getByRole('heading', { level: 1, name: 'Review' })).toBeTruthy();
  });

  it('says nothing about the language in English', () => {
    render(HelpPanel, { page: 'review', onclose: () => {} });
    expect(screen.queryByText('The guide is in English.')).toBeNull();
  });
});
