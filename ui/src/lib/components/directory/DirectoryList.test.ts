import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { Column } from '$lib/components/shared/DataTable.svelte';
import { ListStore } from '$lib/state/list.svelte';
import DirectoryList from './DirectoryList.svelte';

interface Thing {
  id: string;
  name: string;
}

const columns: Column<Thing>[] = [{ key: 'name', header: 'Name', value: (t) => t.name }];

function renderList(store: ListStore<Thing>) {
  return render(DirectoryList<Thing>, {
    store,
    columns,
    title: 'Things',
    searchLabel: 'Search things',
    count: 'n things',
    rowKey: (t) => t.id,
  });
}

describe('DirectoryList', () => {
  it('loads on open and searches on Enter', async () => {
    const fetch = vi.fn(async (search: string | undefined) => ({
      items: [{ id: '1', name: `thing ${search ?? 'all'}` }],
      truncated: false,
    }));
    renderList(new ListStore(fetch));
    expect(await screen.findByText('thing all')).toBeTruthy();
    const box = screen.getByRole('searchbox', { name: 'Search things' });
    await fireEvent.input(box, { target: { value: 'ab' } });
    await fireEvent.submit(box.closest('form') as HTMLFormElement);
    expect(await screen.findByText('thing ab')).toBeTruthy();
    expect(fetch.mock.calls.map((c) => c[0])).toEqual([undefined, 'ab']);
  });

  it('says when the list was cut short', async () => {
    renderList(new ListStore(async () => ({ items: [{ id: '1', name: 'a' }], truncated: true })));
    expect((await screen.findByRole('note')).textContent).toContain('Showing the first 1.');
  });

  it('shows a failure with a retry that loads again', async () => {
    let calls = 0;
    renderList(
      new ListStore(async () => {
        calls += 1;
        if (calls === 1) throw { code: 'network', message: 'Graph could not be reached.' };
        return { items: [{ id: '1', name: 'back' }], truncated: false };
      }),
    );
    expect((await screen.findByRole('alert')).textContent).toContain('Graph could not be reached.');
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('back')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
