import { describe, expect, it } from 'vitest';
import { IpcError } from '$lib/ipc/errors';
import { PagedList, type ListPage } from './list.svelte';

interface Query {
  search?: string;
}

/** A fake server: `count` rows named r0..r(count-1), `size` per page, listings named by offset. */
function server(count: number, size: number) {
  const calls: string[] = [];
  const page = (offset: number, prefix: string): ListPage<string> => {
    const items = Array.from({ length: Math.min(size, count - offset) }, (_, i) => `${prefix}${offset + i}`);
    const next = offset + size < count ? `${prefix}@${offset + size}` : null;
    return { items, listing: next, total: count };
  };
  return {
    calls,
    source: {
      first: async (query: Query) => {
        calls.push(`first:${query.search ?? ''}`);
        return page(0, query.search ?? 'r');
      },
      more: async (listing: string) => {
        calls.push(`more:${listing}`);
        const [prefix, offset] = listing.split('@');
        return page(Number(offset), prefix ?? 'r');
      },
    },
  };
}

describe('PagedList', () => {
  it('reads the next page on demand until none is left, each row once', async () => {
    const { source, calls } = server(25, 10);
    const list = new PagedList<string, Query>(source, (r) => r, {});
    await list.load();
    expect(list.items).toHaveLength(10);
    expect(list.total).toBe(25);
    expect(list.hasMore).toBe(true);
    await Promise.all([list.loadMore(), list.loadMore()]);
    expect(list.items).toHaveLength(20);
    await list.loadMore();
    await list.loadMore();
    expect(new Set(list.items).size).toBe(25);
    expect(list.hasMore).toBe(false);
    expect(calls).toEqual(['first:', 'more:r@10', 'more:r@20']);
  });

  it('starts over for a new query and drops a stale page', async () => {
    const { source } = server(30, 10);
    const list = new PagedList<string, Query>(source, (r) => r, {});
    await list.load();
    const stale = list.loadMore();
    list.query = { search: 'x' };
    await list.load();
    await stale;
    expect(list.items[0]).toBe('x0');
    expect(list.items).toHaveLength(10);
  });

  it('ticks rows and ranges with shift', async () => {
    const { source } = server(30, 30);
    const list = new PagedList<string, Query>(source, (r) => r, {});
    await list.load();
    list.toggle(2);
    list.toggle(5, true);
    expect([...list.selected].sort()).toEqual(['r2', 'r3', 'r4', 'r5']);
    list.toggle(3);
    expect(list.isSelected(3)).toBe(false);
    expect(list.selectedCount).toBe(3);
  });

  it('keeps ticked rows when the filter changes, and counts those the new list does not show', async () => {
    const { source } = server(30, 30);
    const list = new PagedList<string, Query>(source, (r) => r, {});
    await list.load();
    list.toggle(2);
    list.toggle(4);
    list.query = { search: 'x' };
    await list.load();
    expect(list.selectedCount).toBe(2);
    expect(list.hiddenCount).toBe(2);
    expect(list.selection().keys.sort()).toEqual(['r2', 'r4']);
    // A shift-click after the change starts a new range: the old anchor pointed into the old rows.
    list.toggle(1, true);
    expect(list.selection().keys.sort()).toEqual(['r2', 'r4', 'x1']);
    list.query = {};
    await list.load();
    expect(list.hiddenCount).toBe(1);
    expect(list.isSelected(2)).toBe(true);
  });

  it('drops "all matching" when the filter changes and says what was dropped, to undo', async () => {
    const { source } = server(30, 30);
    const dropped: { count: number; query: Query }[] = [];
    const list = new PagedList<string, Query>(source, (r) => r, { search: 'r' });
    list.ondropped = (previous) => dropped.push(previous);
    await list.load();
    list.selectAllMatching();
    await list.load();
    expect(list.allMatching).toBe(true);
    list.query = { search: 'x' };
    await list.load();
    expect(list.allMatching).toBe(false);
    expect(dropped).toEqual([{ count: 30, query: { search: 'r' } }]);
  });

  it('select all matching means the query, not the loaded rows', async () => {
    const { source } = server(2500, 999);
    const list = new PagedList<string, Query>(source, (r) => r, { search: 'r' });
    await list.load();
    list.query = { search: 'edited but not applied' };
    list.selectAllMatching();
    expect(list.selectedCount).toBe(2500);
    expect(list.isSelected(998)).toBe(true);
    expect(list.selection()).toEqual({ allMatching: true, query: { search: 'r' }, keys: [] });
    list.toggle(0);
    expect(list.allMatching).toBe(false);
    expect(list.selectedCount).toBe(998);
  });

  it('records a failure as an IpcError and keeps the rows for a retry', async () => {
    let fail = false;
    const list = new PagedList<string, Query>(
      {
        first: async () => ({ items: ['a'], listing: 'next', total: 2 }),
        more: async () => {
          if (fail) throw { code: 'throttled', message: 'Graph is busy.' };
          return { items: ['b'], listing: null, total: 2 };
        },
      },
      (r) => r,
      {},
    );
    await list.load();
    fail = true;
    await list.loadMore();
    expect(list.error).toBeInstanceOf(IpcError);
    expect(list.error?.code).toBe('throttled');
    expect(list.items).toEqual(['a']);
    fail = false;
    await list.loadMore();
    expect(list.items).toEqual(['a', 'b']);
    expect(list.error).toBeNull();
  });
});
