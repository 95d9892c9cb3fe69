import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import MultiPicker from './MultiPicker.svelte';

const options = [
  { value: 'Sales', text: 'Sales' },
  { value: 'Legal', text: 'Legal' },
  { value: 'Sales EMEA', text: 'Sales EMEA' },
  { value: 'Ré', text: 'Réception' },
];

function picker(values: string[] = []) {
  const changes: string[][] = [];
  const view = render(MultiPicker, {
    label: 'Department',
    name: 'department',
    values,
    options,
    onchange: (v: string[]) => changes.push(v),
  });
  return { view, changes, button: screen.getByRole('button', { name: /Department/ }) };
}

describe('MultiPicker', () => {
  it('opens by typing on it and ticks the first match with Enter', async () => {
    const { changes, button } = picker();
    expect(button.textContent).toContain('Any');
    await fireEvent.keyDown(button, { key: 'l' });
    const box = await screen.findByRole('combobox');
    expect((box as HTMLInputElement).value).toBe('l');
    expect(screen.getAllByRole('option').map((o) => o.textContent?.trim())).toEqual(['☐ Sales', '☐ Legal', '☐ Sales EMEA']);
    await fireEvent.input(box, { target: { value: 'leg' } });
    await fireEvent.keyDown(box, { key: 'Enter' });
    expect(changes).toEqual([['Legal']]);
  });

  it('adds to what is chosen (OR within the picker) and unticks a chosen value', async () => {
    const { changes, button, view } = picker(['Sales']);
    await fireEvent.click(button);
    const box = await screen.findByRole('combobox');
    await fireEvent.keyDown(box, { key: 'ArrowDown' });
    await fireEvent.keyDown(box, { key: 'Enter' });
    expect(changes.at(-1)).toEqual(['Sales', 'Legal']);
    await view.rerender({ values: ['Sales', 'Legal'] });
    await fireEvent.keyDown(box, { key: 'ArrowUp' });
    await fireEvent.keyDown(box, { key: 'Enter' });
    expect(changes.at(-1)).toEqual(['Legal']);
  });

  it('matches without accents and says when nothing matches', async () => {
    const { button } = picker();
    await fireEvent.keyDown(button, { key: 'r' });
    const box = await screen.findByRole('combobox');
    await fireEvent.input(box, { target: { value: 'rece' } });
    expect(screen.getAllByRole('option').map((o) => o.textContent?.trim())).toEqual(['☐ Réception']);
    await fireEvent.input(box, { target: { value: 'zzz' } });
    expect(screen.queryAllByRole('option')).toEqual([]);
    expect(screen.getByText('Nothing matches')).toBeTruthy();
  });

  it('summarises the choice on the button and closes with Escape, giving the focus back', async () => {
    const { button } = picker(['Sales', 'Legal', 'Ré']);
    expect(button.textContent).toContain('Sales and 2 more');
    await fireEvent.click(button);
    const box = await screen.findByRole('combobox');
    expect(screen.getAllByRole('option').filter((o) => o.getAttribute('aria-selected') === 'true')).toHaveLength(3);
    await fireEvent.keyDown(box, { key: 'Escape' });
    expect(screen.queryByRole('combobox')).toBeNull();
    expect(document.activeElement).toBe(button);
  });
});
