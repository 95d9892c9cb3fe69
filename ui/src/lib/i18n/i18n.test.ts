import { afterEach, describe, expect, it } from 'vitest';
import { en } from './en';
import { nl } from './nl';
import { matchLocale, setLocale, t } from './index.svelte';

describe('i18n', () => {
  afterEach(() => setLocale('en'));

  it('fills placeholders and switches language', () => {
    setLocale('en');
    expect(t('users.count', { count: 3 })).toBe('3 users');
    setLocale('nl');
    expect(t('users.count', { count: 3 })).toBe('3 gebruikers');
    expect(document.documentElement.lang).toBe('nl');
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
});
