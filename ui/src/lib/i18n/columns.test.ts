import { describe, expect, it } from 'vitest';
import { COLUMN_HEADERS } from '$lib/ipc/gen/columnHeaders';
import { en } from './en';
import { nl } from './nl';

describe('column labels', () => {
  it('name every column a download offers (the list cargo gen writes from Rust) in English and Dutch', () => {
    expect(COLUMN_HEADERS.length).toBeGreaterThan(100);
    for (const header of COLUMN_HEADERS) {
      const key = `column.${header}` as const;
      expect(en[key]?.trim(), header).toBeTruthy();
      expect(nl[key]?.trim(), header).toBeTruthy();
    }
  });

  it('give no two columns of the catalogue the same English name', () => {
    const names = COLUMN_HEADERS.map((h) => en[`column.${h}`]);
    const twice = names.filter((name, i) => names.indexOf(name) !== i);
    expect(twice).toEqual([]);
  });
});
