import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { Column } from '$lib/components/shared/DataTable.svelte';
import { PagedList } from '$lib/state/list.svelte';
import { toasts } from '$lib/components/shared/Toasts.svelte';
import DirectoryList from './DirectoryList.svelte';

interface Thing {
  id: string;
  name: string;
}

interface Query {
  search?: string;
}

const columns: Column<Thing>[] = [{ key: 'name', header: 'Name', value: (t) => t.name }];

function renderList(list: PagedList<Thing, Query>) {
  return render(DirectoryList<Thing, Query>, {
    list,
    columns,
    title: 'Things',
    searchLabel: 'Search things',
    count: (n: number) => `${n} things`,
    rowKey: (t: Thing) => t.id,
    rowName: (t: Thing) => t.name,
  });
}

describe('DirectoryList', () => {
  it('loads on open, shows the total and searches on submit', async () => {
    const first = vi.fn(async (query: Query) => ({
      items: [{ id: '1', name: `thing ${query.search ?? 'all'}` }],
      listing: null,
      total: 1,
    }));
    renderList(new PagedList<Thing, Query>({ first, more: vi.fn() }, (t) => t.id, {}));
    expect(await screen.findByText('thing all')).toBeTruthy();
    expect(screen.getByTestId('list-count').textContent).toBe('1 things');
    const box = screen.getByRole('searchbox', { name: 'Search things' });
    await fireEvent.input(box, { target: { value: 'ab' } });
    await fireEvent.submit(box.closest('form') as HTMLFormElement);
    expect(await screen.findByText('thing ab')).toBeTruthy();
    expect(first.mock.calls.map((c) => c[0].search)).toEqual([undefined, 'ab']);
  });

  it('offers to select all matching rows and counts the selection', async () => {
    const list = new PagedList<Thing, Query>(
      {
        first: async () => ({ items: [{ id: '1', name: 'a' }, { id: '2', name: 'b' }], listing: 'more', total: 5000 }),
        more: async () => ({ items: [], listing: null, total: 5000 }),
      },
      (t) => t.id,
      {},
    );
    renderList(list);
    await fireEvent.click(await screen.findByRole('checkbox', { name: 'Select a' }));
    expect(screen.getByText('1 selected')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Select all 5,000 matching' }));
    expect(screen.getByText('All 5,000 matching are selected')).toBeTruthy();
    expect(screen.getByRole('grid', { name: 'Things' }).getAttribute('aria-rowcount')).toBe('5001');
  });

  it('shows a failure with a retry that loads again', async () => {
    let calls = 0;
    renderList(
      new PagedList<Thing, Query>(
        {
          first: async () => {
            calls += 1;
            if (calls === 1) throw { code: 'network', message: 'Graph could not be reached.' };
            return { items: [{ id: '1', name: 'back' }], listing: null, total: 1 };
          },
          more: vi.fn(),
        },
        (t) => t.id,
        {},
      ),
    );
    expect((await screen.findByRole('alert')).textContent).toContain('Graph could not be reached.');
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('back')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('keeps ticks across a search, says how many are not shown, and offers undo when "all matching" is dropped', async () => {
    const list = new PagedList<Thing, Query>(
      {
        first: async (query: Query) => ({
          items: query.search ? [{ id: 'x', name: 'x' }] : [{ id: '1', name: 'a' }, { id: '2', name: 'b' }],
          listing: null,
          total: query.search ? 1 : 2,
        }),
        more: vi.fn(),
      },
      (t) => t.id,
      {},
    );
    renderList(list);
    await fireEvent.click(await screen.findByRole('checkbox', { name: 'Select a' }));
    const box = screen.getByRole('searchbox', { name: 'Search things' });
    await fireEvent.input(box, { target: { value: 'x' } });
    await fireEvent.submit(box.closest('form') as HTMLFormElement);
    await screen.findByText('x');
    expect(screen.getByTestId('selection-status').textContent?.trim()).toBe(
      '1 selected, 1 of them not among the rows shown',
    );

    await fireEvent.input(box, { target: { value: '' } });
    await fireEvent.submit(box.closest('form') as HTMLFormElement);
    await screen.findByText('a');
    await fireEvent.click(screen.getByRole('button', { name: 'Select all 2 matching' }));
    await fireEvent.input(box, { target: { value: 'x' } });
    await fireEvent.submit(box.closest('form') as HTMLFormElement);
    await screen.findByText('x');
    expect(list.allMatching).toBe(false);
    const toast = toasts.items.at(-1);
    expect(toast?.text).toBe('The filter changed, so the 2 matching rows of the previous filter are no longer selected.');
    toast?.actions[0]?.run();
    expect(await screen.findByText('All 2 matching are selected')).toBeTruthy();
    expect(list.query.search ?? '').toBe('');
  });
});
