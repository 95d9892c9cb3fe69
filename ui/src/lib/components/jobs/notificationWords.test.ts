import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '$lib/i18n/index.svelte';
import { notificationWords } from './notificationWords';

describe('notificationWords', () => {
  afterEach(() => setLocale('en'));

  it('are templates in the language shown, with its thousands separator', () => {
    expect(notificationWords()).toEqual({
      fileReady: 'File is ready: {file}',
      importFinished: 'Import finished: {added} added, {failed} failed',
      removalFinished: 'Removal finished: {removed} removed, {failed} failed',
      jobFailed: 'Job failed: {name}',
      thousands: ',',
    });
    setLocale('nl');
    const dutch = notificationWords();
    expect(dutch.fileReady).toBe('Bestand is klaar: {file}');
    expect(dutch.importFinished).toContain('{added}');
    expect(dutch.thousands).toBe('.');
  });
});
