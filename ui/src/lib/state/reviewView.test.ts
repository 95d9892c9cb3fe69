import { describe, expect, it } from 'vitest';
import type { FilterTestDto } from '$lib/ipc/gen/FilterTestDto';
import { buildQuery, isActive, moveColumn, nextSort, shownColumns, tickRows } from './reviewView';

describe('review view rules', () => {
  it('builds the query with filters in column order and without blank parts', () => {
    const filters = new Map<number, FilterTestDto>([
      [5, { test: 'oneOf', value: ['Sales', ''] }],
      [1, { test: 'contains', value: 'van' }],
      [2, { test: 'equals', value: '  ' }],
      [3, { test: 'oneOf', value: [] }],
      [4, { test: 'empty' }],
    ]);
    expect(buildQuery({ filters, search: '  ', sort: null })).toEqual({
      filters: [
        { column: 1, test: { test: 'contains', value: 'van' } },
        { column: 4, test: { test: 'empty' } },
        { column: 5, test: { test: 'oneOf', value: ['Sales', ''] } },
      ],
    });
    expect(buildQuery({ filters: new Map(), search: ' adele ', sort: { column: 2, descending: true } })).toEqual({
      filters: [],
      search: 'adele',
      sort: { column: 2, descending: true },
    });
  });

  it('knows which filters keep rows out', () => {
    expect(isActive({ test: 'notEmpty' })).toBe(true);
    expect(isActive({ test: 'contains', value: '' })).toBe(false);
    expect(isActive({ test: 'oneOf', value: [''] })).toBe(true);
  });

  it('cycles a header click through ascending, descending and file order', () => {
    const ascending = nextSort(null, 3);
    expect(ascending).toEqual({ column: 3, descending: false });
    const descending = nextSort(ascending, 3);
    expect(descending).toEqual({ column: 3, descending: true });
    expect(nextSort(descending, 3)).toBeNull();
    expect(nextSort(descending, 1)).toEqual({ column: 1, descending: false });
  });

  it('moves and hides columns, keeping the file positions', () => {
    expect(moveColumn([0, 1, 2, 3], 2, -1)).toEqual([0, 2, 1, 3]);
    expect(moveColumn([0, 1, 2, 3], 0, -1)).toEqual([0, 1, 2, 3]);
    expect(moveColumn([0, 1, 2, 3], 1, 10)).toEqual([0, 2, 3, 1]);
    expect(shownColumns([3, 0, 2, 1], new Set([0, 1]))).toEqual([3, 2]);
  });

  it('ticks one row, or a range from the last ticked one with Shift', () => {
    const one = tickRows(new Set(), 4, null, false);
    expect([...one]).toEqual([4]);
    const range = tickRows(one, 8, 4, true);
    expect([...range].sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8]);
    const off = tickRows(range, 6, 8, true);
    expect([...off].sort((a, b) => a - b)).toEqual([4, 5]);
  });
});
