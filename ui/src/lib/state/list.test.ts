import { describe, expect, it } from 'vitest';
import { IpcError } from '$lib/ipc/errors';
import { ListStore } from './list.svelte';

describe('ListStore', () => {
  it('passes the trimmed search text, or nothing when it is blank', async () => {
    const seen: (string | undefined)[] = [];
    const store = new ListStore<string>(async (search) => {
      seen.push(search);
      return { items: ['a', 'b'], truncated: true };
    });
    await store.load();
    store.search = '  ad ';
    await store.load();
    expect(seen).toEqual([undefined, 'ad']);
    expect(store.items).toEqual(['a', 'b']);
    expect(store.truncated).toBe(true);
    expect(store.loading).toBe(false);
  });

  it('keeps the newest result when an older load finishes last', async () => {
    const pending: ((result: { items: string[]; truncated: boolean }) => void)[] = [];
    const store = new ListStore<string>(() => new Promise((resolve) => pending.push(resolve)));
    const older = store.load();
    const newer = store.load();
    pending[1]?.({ items: ['new'], truncated: false });
    await newer;
    pending[0]?.({ items: ['old'], truncated: true });
    await older;
    expect(store.items).toEqual(['new']);
    expect(store.truncated).toBe(false);
  });

  it('records a failure as an IpcError and clears it on the next success', async () => {
    let fail = true;
    const store = new ListStore<string>(async () => {
      if (fail) throw { code: 'throttled', message: 'Graph is busy.' };
      return { items: ['x'], truncated: false };
    });
    await store.load();
    expect(store.error).toBeInstanceOf(IpcError);
    expect(store.error?.code).toBe('throttled');
    fail = false;
    await store.load();
    expect(store.error).toBeNull();
    expect(store.items).toEqual(['x']);
  });
});
