import { describe, expect, it } from 'vitest';
import { type Page, RowPager } from './pager';

/** A loader over `total` numbered rows whose answers the test releases by hand. */
function controlledLoader(total: number) {
  const pending: { offset: number; limit: number; answer: () => void; fail: () => void }[] = [];
  const load = (offset: number, limit: number) =>
    new Promise<Page<number>>((resolve, reject) => {
      const rows = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => offset + i);
      pending.push({ offset, limit, answer: () => resolve({ total, offset, rows }), fail: () => reject(new Error('gone')) });
    });
  return { load, pending };
}

/** Lets the pager's promise handlers run. */
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

async function answerAll(pending: { answer: () => void }[]) {
  while (pending.length > 0) {
    pending.splice(0).forEach((p) => p.answer());
    await flush();
  }
}

describe('RowPager', () => {
  it('reads the first page, then only the pages around the visible window', async () => {
    const { load, pending } = controlledLoader(1_000_000);
    let changes = 0;
    const pager = new RowPager(load, () => (changes += 1), { pageSize: 100, margin: 100 });
    pager.show(0, 30);
    expect(pending.map((p) => p.offset)).toEqual([0]);
    expect(pager.rowAt(5)).toBeUndefined();
    await answerAll(pending);
    expect(pager.total).toBe(1_000_000);
    expect(pager.rowAt(5)).toBe(5);
    expect(pager.rowAt(150)).toBe(150);
    expect(changes).toBeGreaterThan(0);

    pager.show(500_000, 500_030);
    expect(pending.map((p) => p.offset)).toEqual([500_000, 499_900]);
    await answerAll(pending);
    expect(pager.rowAt(500_010)).toBe(500_010);
    expect(pager.rowAt(250_000)).toBeUndefined();
  });

  it('keeps at most two requests in flight and asks for where the window is when they answer', async () => {
    const { load, pending } = controlledLoader(100_000);
    const pager = new RowPager(load, () => {}, { pageSize: 100, margin: 300 });
    pager.show(0, 10);
    pending.shift()?.answer();
    await flush();
    expect(pending).toHaveLength(2);
    pager.show(90_000, 90_020);
    expect(pending).toHaveLength(2);
    await answerAll(pending.slice(0, 2));
    pending.splice(0, 2);
    expect(pending.map((p) => p.offset)).toEqual([90_000, 89_700]);
  });

  it('drops the pages farthest from the window beyond those it keeps', async () => {
    const { load, pending } = controlledLoader(100_000);
    const pager = new RowPager(load, () => {}, { pageSize: 100, margin: 0, keepPages: 4 });
    for (const row of [0, 1000, 2000, 3000, 4000, 5000]) {
      pager.show(row, row + 10);
      await answerAll(pending);
    }
    expect(pager.pagesHeld).toBe(4);
    expect(pager.rowAt(5005)).toBe(5005);
    expect(pager.rowAt(5)).toBeUndefined();
  });

  it('throws away an answer to the query before a reset', async () => {
    const { load, pending } = controlledLoader(1000);
    const pager = new RowPager(load, () => {}, { pageSize: 100 });
    pager.show(0, 10);
    const stale = pending.shift();
    pager.reset();
    stale?.answer();
    await flush();
    expect(pager.total).toBeNull();
    expect(pending.map((p) => p.offset)).toEqual([0]);
    await answerAll(pending);
    expect(pager.total).toBe(1000);
  });

  it('keeps a failure until retried, without asking again by itself', async () => {
    const { load, pending } = controlledLoader(1000);
    const pager = new RowPager(load, () => {}, { pageSize: 100 });
    pager.show(0, 10);
    pending.shift()?.fail();
    await flush();
    expect(pager.error).toBeInstanceOf(Error);
    pager.show(0, 20);
    expect(pending).toHaveLength(0);
    pager.retry();
    await answerAll(pending);
    expect(pager.error).toBeNull();
    expect(pager.rowAt(3)).toBe(3);
  });
});
