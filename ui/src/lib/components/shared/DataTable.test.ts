import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { PagedList } from '$lib/state/list.svelte';
import DataTable, { type Column } from './DataTable.svelte';

interface Person {
  id: string;
  name: string;
}

const columns: Column<Person>[] = [
  { key: 'id', header: 'Id', value: (p) => p.id },
  { key: 'name', header: 'Name', value: (p) => p.name },
];

function people(count: number): Person[] {
  return Array.from({ length: count }, (_, i) => ({ id: String(i), name: `Person ${i}` }));
}

describe('DataTable', () => {
  it('renders only the rows in view for a large list', () => {
    render(DataTable<Person>, { rows: people(10_000), columns, label: 'People', rowKey: (p) => p.id });
    const grid = screen.getByRole('grid', { name: 'People' });
    expect(grid.getAttribute('aria-rowcount')).toBe('10001');
    const rendered = screen.getAllByRole('row').length - 1;
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(60);
    expect(screen.getByText('Person 0')).toBeTruthy();
    expect(screen.queryByText('Person 9999')).toBeNull();
  });

  it('renders the rows further down after scrolling', async () => {
    const { container } = render(DataTable<Person>, {
      rows: people(10_000),
      columns,
      label: 'People',
      rowKey: (p) => p.id,
    });
    const viewport = container.querySelector('.viewport') as HTMLElement;
    viewport.scrollTop = 36 * 5000;
    await fireEvent.scroll(viewport);
    expect(screen.getByText('Person 5000')).toBeTruthy();
    expect(screen.queryByText('Person 0')).toBeNull();
  });

  it('moves the active row with the keyboard', async () => {
    render(DataTable<Person>, { rows: people(50), columns, label: 'People', rowKey: (p) => p.id });
    const grid = screen.getByRole('grid', { name: 'People' });
    await fireEvent.focus(grid);
    expect(grid.getAttribute('aria-activedescendant')).toMatch(/-row-0$/);
    await fireEvent.keyDown(grid, { key: 'ArrowDown' });
    await fireEvent.keyDown(grid, { key: 'ArrowDown' });
    expect(grid.getAttribute('aria-activedescendant')).toMatch(/-row-2$/);
    await fireEvent.keyDown(grid, { key: 'End' });
    expect(grid.getAttribute('aria-activedescendant')).toMatch(/-row-49$/);
  });

  it('says so when there are no rows', () => {
    render(DataTable<Person>, { rows: [], columns, label: 'People', rowKey: (p) => p.id, emptyText: 'Nobody' });
    expect(screen.getByText('Nobody')).toBeTruthy();
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Id', 'Name']);
  });

  it('ticks rows with Space and ranges with Shift+Space or Shift+click', async () => {
    const ticked = new Set<number>();
    const calls: [number, boolean][] = [];
    const selection = {
      isSelected: (index: number) => ticked.has(index),
      toggle: (index: number, range: boolean) => {
        calls.push([index, range]);
        if (ticked.has(index)) ticked.delete(index);
        else ticked.add(index);
      },
      label: (p: Person) => `Select ${p.name}`,
    };
    render(DataTable<Person>, { rows: people(20), columns, label: 'People', rowKey: (p) => p.id, selection });
    const grid = screen.getByRole('grid', { name: 'People' });
    expect(grid.getAttribute('aria-multiselectable')).toBe('true');
    await fireEvent.focus(grid);
    await fireEvent.keyDown(grid, { key: ' ' });
    await fireEvent.keyDown(grid, { key: 'ArrowDown' });
    await fireEvent.keyDown(grid, { key: ' ', shiftKey: true });
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Select Person 5' }), { shiftKey: true });
    expect(calls).toEqual([
      [0, false],
      [1, true],
      [5, true],
    ]);
  });

  it('ticks a row when its tick cell is clicked beside the box, and shows the tick', async () => {
    // A directory list's selection (reactive state), as the Users and Groups screens give it.
    const list = new PagedList<Person, object>(
      { first: async () => ({ items: people(5), listing: null, total: 5 }), more: async () => ({ items: [], listing: null, total: 5 }) },
      (p) => p.id,
      {},
    );
    await list.load();
    const selection = {
      isSelected: (index: number) => list.isSelected(index),
      toggle: (index: number, range: boolean) => list.toggle(index, range),
      label: (p: Person) => `Select ${p.name}`,
    };
    render(DataTable<Person>, { rows: list.items, columns, label: 'People', rowKey: (p) => p.id, selection });
    const box = screen.getByRole('checkbox', { name: 'Select Person 2' }) as HTMLInputElement;
    const cell = box.closest('[role=gridcell]') as HTMLElement;
    await fireEvent.click(cell.querySelector('label') as HTMLElement);
    expect(box.checked).toBe(true);
    expect(box.closest('[role=row]')?.getAttribute('aria-selected')).toBe('true');
    await fireEvent.click(box);
    expect(box.checked).toBe(false);
  });

  it('asks for more rows near the end, and opens the active row on Enter', async () => {
    let nearEnd = 0;
    const opened: string[] = [];
    const { container } = render(DataTable<Person>, {
      rows: people(1000),
      columns,
      label: 'People',
      rowKey: (p) => p.id,
      onnearend: () => (nearEnd += 1),
      onactivate: (p: Person) => opened.push(p.id),
      totalRows: 5000,
    });
    const grid = screen.getByRole('grid', { name: 'People' });
    expect(grid.getAttribute('aria-rowcount')).toBe('5001');
    expect(nearEnd).toBe(0);
    const viewport = container.querySelector('.viewport') as HTMLElement;
    viewport.scrollTop = 36 * 950;
    await fireEvent.scroll(viewport);
    expect(nearEnd).toBeGreaterThan(0);
    await fireEvent.focus(grid);
    await fireEvent.keyDown(grid, { key: 'Enter' });
    expect(opened).toEqual(['0']);
  });

  it('shows a column’s full value on hover, and reports a clicked row as the active one', async () => {
    const clicked: string[] = [];
    const titled: Column<Person>[] = [
      { key: 'id', header: 'Id', value: (p) => p.id },
      { key: 'name', header: 'Name', value: (p) => p.name, title: (p) => `${p.name} (full)` },
    ];
    render(DataTable<Person>, {
      rows: people(20),
      columns: titled,
      label: 'People',
      rowKey: (p) => p.id,
      onrowclick: (p: Person) => clicked.push(p.id),
    });
    const grid = screen.getByRole('grid', { name: 'People' });
    const cell = screen.getByText('Person 3');
    expect(cell.getAttribute('title')).toBe('Person 3 (full)');
    expect(screen.getByText('3').getAttribute('title')).toBeNull();
    await fireEvent.click(cell);
    expect(clicked).toEqual(['3']);
    expect(grid.getAttribute('aria-activedescendant')).toMatch(/-row-3$/);
    await fireEvent.click(screen.getByText('Name'));
    expect(clicked).toEqual(['3']);
  });

  it('shows rows kept elsewhere, placeholders for those not read yet, and says which rows are on screen', async () => {
    const ranges: [number, number][] = [];
    const { container } = render(DataTable<Person>, {
      count: 1_000_000,
      rowAt: (index: number) => (index < 10 || index >= 400_000 ? { id: String(index), name: `Person ${index}` } : undefined),
      onrange: (first: number, last: number) => ranges.push([first, last]),
      columns,
      label: 'People',
      rowKey: (p: Person) => p.id,
    });
    const grid = screen.getByRole('grid', { name: 'People' });
    expect(grid.getAttribute('aria-rowcount')).toBe('1000001');
    expect(screen.getByText('Person 0')).toBeTruthy();
    expect(screen.getAllByText('Loading…').length).toBeGreaterThan(0);
    expect(ranges.at(-1)?.[0]).toBe(0);
    const viewport = container.querySelector('.viewport') as HTMLElement;
    const spacer = container.querySelector('.spacer') as HTMLElement;
    expect(spacer.style.height).toBe('30000000px');
    viewport.scrollTop = 30_000_000 - 600;
    await fireEvent.scroll(viewport);
    expect(screen.getByText('Person 999999')).toBeTruthy();
    expect(ranges.at(-1)?.[1]).toBe(1_000_000);
    viewport.scrollTop = (30_000_000 - 600) / 2;
    await fireEvent.scroll(viewport);
    const middle = Math.floor((36_000_000 - 600) / 2 / 36);
    expect(screen.getByText(`Person ${middle}`)).toBeTruthy();
  });
});
