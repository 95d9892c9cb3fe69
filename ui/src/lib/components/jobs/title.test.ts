import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '$lib/i18n/index.svelte';
import { jobTitle } from './title';

describe('jobTitle', () => {
  afterEach(() => setLocale('en'));

  it('words a users download by its pickers, in both languages, never as OData', () => {
    const title = {
      code: 'job.title.downloadUsers',
      params: { userType: 'guest', accountEnabled: 'false', department: 'Sales' },
      text: 'Download users (guests; sign-in blocked; department is Sales)',
    };
    const english = jobTitle(title);
    expect(english).toMatch(/^Download users \(/);
    expect(english).toContain('Sales');
    expect(english).not.toMatch(/ eq |accountEnabled|userType/);
    setLocale('nl');
    const dutch = jobTitle(title);
    expect(dutch).toMatch(/^Downloaden: gebruikers \(/);
    expect(dutch).toContain('Sales');
  });

  it('names groups, counts them when only ids are known, and words membership jobs', () => {
    expect(jobTitle({ code: 'job.title.downloadMembers.nested', params: { groups: 'Sales; HR' }, text: '' })).toBe(
      'Download members, nested groups included, of Sales, HR',
    );
    expect(jobTitle({ code: 'job.title.downloadOwners', params: { groupCount: '1' }, text: '' })).toBe(
      'Download owners of 1 group',
    );
    setLocale('nl');
    expect(
      jobTitle({ code: 'job.title.addMembers', params: { group: 'Sales', file: 'new-hires.csv' }, text: '' }),
    ).toBe('Leden toevoegen aan Sales uit new-hires.csv');
    expect(jobTitle({ code: 'plain', params: { text: 'An old job' }, text: 'An old job' })).toBe('An old job');
  });
});
