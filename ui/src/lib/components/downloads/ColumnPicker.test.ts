import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { setLocale } from '$lib/i18n/index.svelte';
import ColumnPicker from './ColumnPicker.svelte';
import { groupsCatalogue, usersCatalogue } from './catalogue.fixture';

/** Renders the picker for a users download starting from `spec`; answers the specs it emitted. */
function pick(spec: string, props: { defaultSpec?: string; wanted?: string[] } = {}) {
  const emitted: string[] = [];
  render(ColumnPicker, {
    catalogue: usersCatalogue,
    kind: 'users',
    spec,
    costNote: 'Authentication-method columns cost extra requests.',
    onchange: (next: string) => emitted.push(next),
    ...props,
  });
  return { last: () => emitted.at(-1), emitted };
}

/** The friendly names of the columns the search leaves visible. */
function visible(): string[] {
  const list = screen.getByRole('group', { name: 'Columns to choose from' });
  return within(list)
    .queryAllByRole('checkbox')
    .map((box) => box.closest('label')?.querySelector('.name')?.textContent ?? '');
}

function chosen(): string[] {
  return [...screen.getByRole('list', { name: /chosen/i }).querySelectorAll('li')].map((li) => li.dataset.header ?? '');
}

describe('ColumnPicker', () => {
  afterEach(() => setLocale('en'));

  it('groups the columns by theme under friendly names, with the Graph name as a hint and costly ones marked', () => {
    pick('default');
    const themes = screen.getAllByRole('heading', { level: 4 }).map((h) => h.textContent);
    expect(themes.slice(0, 7)).toEqual([
      'Identity',
      'Job',
      'Contact',
      'Sign-in',
      'Authentication',
      'Extension attributes',
      expect.stringMatching(/^Chosen/),
    ]);
    const lastSignIn = screen.getByRole('checkbox', { name: /Last sign-in/ }).closest('label');
    expect(lastSignIn?.querySelector('.hint')?.textContent).toBe('signInActivity/lastSignInDateTime');
    const costly = screen.getByRole('checkbox', { name: /Authentication email/ }).closest('label');
    expect(costly?.querySelector('.cost')?.textContent).toBe('+1 request per user');
    expect(costly?.textContent).toContain('needs UserAuthenticationMethod.Read.All');
  });

  it('says which columns need a permission of their own, beside them and before the download starts', async () => {
    pick('default');
    const lastSignIn = screen.getByRole('checkbox', { name: /Last sign-in/ }).closest('label');
    expect(lastSignIn?.textContent).toContain('needs AuditLog.Read.All');
    expect(screen.queryByText(/These columns need/)).toBeNull();
    await fireEvent.click(screen.getByRole('checkbox', { name: /Last sign-in/ }));
    expect(screen.getByText(/These columns need AuditLog\.Read\.All\./)).toBeTruthy();
  });

  it('filters at once as one types, by friendly name or by Graph name', async () => {
    pick('default');
    const search = screen.getByRole('searchbox', { name: 'Search columns' });
    await fireEvent.input(search, { target: { value: 'last sign' } });
    expect(visible()).toEqual(['Last sign-in']);
    await fireEvent.input(search, { target: { value: 'extensionattribute' } });
    expect(visible()).toEqual(['Extension attribute 1']);
    await fireEvent.input(search, { target: { value: 'zzz' } });
    expect(visible()).toEqual([]);
    expect(screen.getByText('No column matches “zzz”.')).toBeTruthy();
  });

  it('ticks by keyboard: Enter in the search takes the first match, arrows move, Enter and Space tick', async () => {
    const picker = pick('default');
    const search = screen.getByRole('searchbox', { name: 'Search columns' });
    search.focus();
    await fireEvent.input(search, { target: { value: 'manager' } });
    await fireEvent.keyDown(search, { key: 'Enter' });
    expect(picker.last()).toBe('userPrincipalName,displayName,department,manager/displayName');

    await fireEvent.input(search, { target: { value: '' } });
    await fireEvent.keyDown(search, { key: 'ArrowDown' });
    const first = screen.getByRole('checkbox', { name: /^Name/ });
    expect(document.activeElement).toBe(first);
    await fireEvent.keyDown(first, { key: 'ArrowDown' });
    const second = screen.getByRole('checkbox', { name: /^Sign-in name/ });
    expect(document.activeElement).toBe(second);
    await fireEvent.keyDown(second, { key: 'Enter' });
    expect(chosen()).not.toContain('userPrincipalName');
    await fireEvent.keyDown(second, { key: 'ArrowUp' });
    await fireEvent.keyDown(first, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(search);
  });

  it('typing on a column goes back to the search with that letter', async () => {
    pick('default');
    const box = screen.getByRole('checkbox', { name: /^City/ });
    box.focus();
    await fireEvent.keyDown(box, { key: 'c' });
    const search = screen.getByRole('searchbox', { name: 'Search columns' }) as HTMLInputElement;
    expect(document.activeElement).toBe(search);
    expect(search.value).toBe('c');
  });

  it('moving a chosen column changes the order of the spec, and the focus stays on it', async () => {
    const picker = pick('department,city,userPrincipalName');
    await fireEvent.click(screen.getByRole('button', { name: 'Move City up' }));
    expect(chosen()).toEqual(['city', 'department', 'userPrincipalName']);
    expect(picker.last()).toBe('city,department,userPrincipalName');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Move City down' })));
    await fireEvent.click(screen.getByRole('button', { name: 'Move Sign-in name up' }));
    expect(picker.last()).toBe('city,userPrincipalName,department');
    await fireEvent.click(screen.getByRole('button', { name: 'Remove Department' }));
    expect(picker.last()).toBe('city,userPrincipalName');
  });

  it('a preset fills the chosen list and is its spec until the list is changed', async () => {
    const picker = pick('default');
    const portal = screen.getByRole('button', { name: "The admin center's columns" });
    await fireEvent.click(portal);
    expect(picker.last()).toBe('portal');
    expect(portal.getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('note').textContent).toContain('cost extra');
    await fireEvent.click(screen.getByRole('button', { name: "Admin center's columns, manager and last sign-in" }));
    expect(picker.last()).toBe('portal,manager/displayName,signInActivity/lastSignInDateTime');
    expect(portal.getAttribute('aria-pressed')).toBe('false');
    await fireEvent.click(screen.getByRole('button', { name: 'Move Last sign-in up' }));
    expect(picker.last()).toBe(
      'userPrincipalName,displayName,department,authenticationEmail,signInActivity/lastSignInDateTime,manager/displayName',
    );
    await fireEvent.click(screen.getByRole('button', { name: 'Every column' }));
    expect(picker.last()).toBe('all');
    await fireEvent.click(screen.getByRole('button', { name: 'Remove all' }));
    expect(picker.last()).toBe('');
    expect(screen.getByRole('status').textContent).toBe('No column chosen yet: tick at least one.');
  });

  it('the default preset is the settings’ default columns when given', async () => {
    const picker = pick('city', { defaultSpec: 'department,city' });
    expect(picker.emitted).toEqual(['city']);
    await fireEvent.click(screen.getByRole('button', { name: 'The default columns' }));
    expect(chosen()).toEqual(['department', 'city']);
    expect(picker.last()).toBe('department,city');
  });

  it('opens on the spec, with the wanted columns added at the end', () => {
    const picker = pick('city,lastSignInDateTime', { wanted: ['EXTENSIONATTRIBUTE1', 'city', 'noSuchColumn'] });
    expect(chosen()).toEqual(['city', 'signInActivity/lastSignInDateTime', 'extensionAttribute1']);
    expect(picker.emitted).toEqual(['city,signInActivity/lastSignInDateTime,extensionAttribute1']);
  });

  it('speaks Dutch, the Graph names staying as hints', () => {
    setLocale('nl');
    render(ColumnPicker, { catalogue: groupsCatalogue, kind: 'groups', spec: 'default', onchange: () => {} });
    expect(screen.getByRole('checkbox', { name: /^Aantal leden/ }).closest('label')?.textContent).toContain('memberCount');
    expect(screen.getByRole('heading', { name: 'Lidmaatschap' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Alle kolommen' })).toBeTruthy();
    expect(screen.getByText('+1 verzoek per groep', { selector: 'li .cost, label .cost' })).toBeTruthy();
  });
});
