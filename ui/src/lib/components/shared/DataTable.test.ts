import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
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
});
