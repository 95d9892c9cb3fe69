import { afterEach, describe, expect, it } from 'vitest';
import { en } from './en';
import { nl } from './nl';
import { matchLocale, say, setLocale, t } from './index.svelte';

describe('i18n', () => {
  afterEach(() => setLocale('en'));

  it('fills placeholders and switches language', () => {
    setLocale('en');
    expect(t('users.count', { count: 3 })).toBe('3 users');
    setLocale('nl');
    expect(t('users.count', { count: 3 })).toBe('3 gebruikers');
    expect(document.documentElement.lang).toBe('nl');
  });

  it('uses the singular form for a count of one, in both languages', () => {
    setLocale('en');
    expect(t('downloads.selection.groups', { count: 1 })).toBe('Members of 1 group, in one file.');
    expect(t('downloads.selection.groups', { count: 2 })).toBe('Members of 2 groups, in one file.');
    expect(t('groups.downloadMembers.selected', { count: 1 })).toBe('Download members of the selected group');
    setLocale('nl');
    expect(t('downloads.selection.groups', { count: 1 })).toBe('Leden van 1 groep, in één bestand.');
    expect(t('users.count', { count: 1 })).toBe('1 gebruiker');
    expect(t('users.count', { count: 0 })).toBe('0 gebruikers');
  });

  it("writes numbers the language's way", () => {
    setLocale('en');
    expect(t('list.selectAll', { count: 12345 })).toBe('Select all 12,345 matching');
    setLocale('nl');
    expect(t('list.selectAll', { count: 12345 })).toBe('Alle 12.345 gevonden selecteren');
    expect(t('users.count', { count: 1234567 })).toBe('1.234.567 gebruikers');
  });

  it('leaves unknown placeholders visible instead of dropping them', () => {
    expect(t('session.signedInAs')).toBe('Signed in as {user}');
  });

  it('matches regional tags to a supported language', () => {
    expect(matchLocale('nl-BE')).toBe('nl');
    expect(matchLocale('en-GB')).toBe('en');
    expect(matchLocale('fr')).toBe('en');
    expect(matchLocale(undefined)).toBe('en');
  });

  it('translates every key into Dutch with the same placeholders', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(nl[key].length, key).toBeGreaterThan(0);
      expect(placeholders(nl[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('words engine messages by code in the current language, and plain words as they came', () => {
    const sameValue = {
      code: 'membership.reason.sameValue',
      params: { line: '4' },
      text: 'Same value as line 4; that line is processed',
    };
    setLocale('nl');
    expect(say(sameValue)).toBe('Dezelfde waarde als regel 4; die regel wordt verwerkt');
    setLocale('en');
    expect(say(sameValue)).toBe('Same value as line 4; that line is processed');
    expect(say({ code: 'plain', params: { text: 'Graph said no' }, text: 'Graph said no' })).toBe(
      'Graph said no',
    );
    expect(say({ code: 'some.future.code', params: {}, text: 'English fallback' })).toBe(
      'English fallback',
    );
  });
});
