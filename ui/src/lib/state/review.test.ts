import { afterEach, describe, expect, it } from 'vitest';
import { onFileDrop } from '$lib/api/review';
import { setLocale } from '$lib/i18n/index.svelte';
import { setTransport, tauriTransport } from '$lib/ipc/client';
import type { FileRefDto } from '$lib/ipc/gen/FileRefDto';
import type { ReviewFileDto } from '$lib/ipc/gen/ReviewFileDto';
import type { ReviewPageRequest } from '$lib/ipc/gen/ReviewPageRequest';
import { createMockTransport } from '$lib/ipc/mock';
import { keyColumns } from './comparison.svelte';
import { ReviewStore } from './review.svelte';

function file(handle: number, name: string): ReviewFileDto {
  return {
    handle,
    path: `/data/${name}`,
    name,
    rows: 3,
    columns: ['id', 'displayName', 'department'],
    kind: 'users',
    encoding: 'utf8',
    delimiter: ',',
    preamble: [],
    notices: [],
  };
}

/** A file the person chose, as Rust answers it: a handle (here the path with a prefix), its name and path. */
function chosen(path: string): FileRefDto {
  return { handle: `file:${path}`, name: path.split('/').pop() ?? path, path };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A Rust side with two files and a page of rows that echoes what it was asked. */
function backend() {
  const pages: ReviewPageRequest[] = [];
  let opened = 0;
  const transport = createMockTransport({
    review_open: ({ file: handle }) => {
      const path = handle.replace(/^file:/, '');
      if (path.endsWith('broken.csv')) {
        throw {
          code: 'validation',
          message: 'The file is empty: a CSV needs a header line.',
          text: { code: 'review.error.empty', params: {}, text: 'The file is empty: a CSV needs a header line.' },
        };
      }
      opened += 1;
      return file(opened, path.split('/').pop() ?? path);
    },
    review_recent: () => ({ files: [] }),
    review_close: () => null,
    review_page: (request) => {
      pages.push(request);
      return { total: 3, offset: 0, rowNumbers: [1, 2, 3], rows: [['a', 'A', 'Sales'], ['b', 'B', ''], ['c', 'C', 'HR']] };
    },
    comparison_run: ({ old, new: fresh, key }) => ({
      id: 7,
      old,
      new: fresh,
      key: key ?? ['id'],
      counts: { added: 1, removed: 2, changed: 0, unchanged: 1 },
      fields: ['displayName'],
      fieldChanges: [0],
      groups: [],
      notices: [],
    }),
    comparison_close: () => null,
  });
  setTransport(transport);
  return { transport, pages };
}

describe('ReviewStore', () => {
  afterEach(() => {
    setTransport(tauriTransport);
    setLocale('en');
  });

  it('opens files into tabs and words a failure in the person’s language', async () => {
    backend();
    const store = new ReviewStore();
    const opened = await store.open(chosen('/data/old.csv'));
    expect(opened?.file.handle).toBe(1);
    expect(store.tab).toEqual({ kind: 'file', handle: 1 });
    expect(store.current?.file.name).toBe('old.csv');
    await store.open(chosen('/data/new.csv'), false);
    expect(store.tab).toEqual({ kind: 'file', handle: 1 });
    expect(store.opening).toEqual([]);

    setLocale('nl');
    expect(await store.open(chosen('/data/broken.csv'))).toBeNull();
    expect(store.error?.shown).toBe('Het bestand is leeg: een CSV-bestand heeft een kopregel nodig.');

    const again = await store.open(chosen('/data/new.csv'), false);
    expect(store.files.map((f) => f.file.name)).toEqual(['old.csv', 'new.csv']);
    expect(again?.file.handle).toBe(3);

    await store.close(1);
    expect(store.tab).toEqual({ kind: 'file', handle: 3 });
    await store.close(3);
    expect(store.tab).toEqual({ kind: 'open' });
  });

  it('reads rows with the view the person set and starts again when it changes', async () => {
    const { pages } = backend();
    const store = new ReviewStore();
    const review = await store.open(chosen('/data/old.csv'));
    if (!review) throw new Error('not opened');
    review.pager.show(0, 20);
    await flush();
    expect(review.total).toBe(3);
    expect(review.rowAt(2)).toEqual({ number: 3, cells: ['c', 'C', 'HR'] });
    review.tick(0, false);
    review.tick(2, true);
    expect(review.ticked.size).toBe(3);

    review.setFilter(2, { test: 'oneOf', value: ['Sales', ''] });
    review.sortBy(1);
    review.setSearch('  a ');
    await flush();
    expect(review.ticked.size).toBe(0);
    expect(pages.at(-1)?.query).toEqual({
      filters: [{ column: 2, test: { test: 'oneOf', value: ['Sales', ''] } }],
      search: 'a',
      sort: { column: 1, descending: false },
    });
    expect(review.generation).toBe(3);

    review.toggleColumn(0);
    review.moveColumn(2, -1);
    expect(review.columns).toEqual([2, 1]);
    review.resetColumns();
    expect(review.columns).toEqual([0, 1, 2]);
  });

  it('compares two open files and forgets the comparison when one closes', async () => {
    const { transport } = backend();
    const store = new ReviewStore();
    await store.open(chosen('/data/old.csv'));
    await store.open(chosen('/data/new.csv'));
    const view = store.comparison;
    view.old = 1;
    view.new = 2;
    view.key = 'id';
    await view.run();
    expect(view.result?.counts.removed).toBe(2);
    expect(transport.calls.find((c) => c.command === 'comparison_run')?.request).toEqual({ old: 1, new: 2, key: ['id'] });
    await store.close(2);
    expect(view.result).toBeNull();
    expect(view.new).toBeNull();
  });

  it('asks for the kind’s own key when no key column is chosen', () => {
    expect(keyColumns('', '')).toBeUndefined();
    expect(keyColumns('groupId', ' id ')).toEqual(['groupId', 'id']);
    expect(keyColumns('id', 'id')).toEqual(['id']);
  });

  it('listens to no file drops outside the app', async () => {
    const stop = await onFileDrop(() => {});
    expect(typeof stop).toBe('function');
  });
});
