import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '$lib/i18n/index.svelte';
import { setTransport, tauriTransport } from '$lib/ipc/client';
import type { ChartDto } from '$lib/ipc/gen/ChartDto';
import { createMockTransport } from '$lib/ipc/mock';
import { OpenReview } from '$lib/state/reviewFile.svelte';
import BarChart from './BarChart.svelte';
import ColumnFilter from './ColumnFilter.svelte';
import { barLabel, chartTitle, delimiterName } from './words';

const ages: ChartDto = {
  id: 'signInAge',
  column: 'lastSignInDateTime',
  bars: [
    { label: '0-7 days', count: 30 },
    { label: 'over 365 days', count: 10 },
    { label: 'never', count: 60 },
  ],
};

const departments: ChartDto = {
  id: 'department',
  column: 'department',
  bars: [
    { label: 'never', count: 5 },
    { label: '(other)', count: 3 },
    { label: '(empty)', count: 2 },
  ],
};

describe('review words and charts', () => {
  afterEach(() => {
    setLocale('en');
    setTransport(tauriTransport);
  });

  it('translates the engine’s own labels and leaves the file’s values as they are', () => {
    expect(chartTitle('signInAge')).toBe('Last sign-in');
    expect(chartTitle('somethingNew')).toBe('somethingNew');
    expect(barLabel('signInAge', 'never')).toBe('Never');
    expect(barLabel('department', 'never')).toBe('never');
    expect(barLabel('department', '(empty)')).toBe('(empty)');
    setLocale('nl');
    expect(barLabel('department', '(other)')).toBe('(overige)');
    expect(delimiterName(';')).toBe('Puntkomma (;)');
  });

  it('draws bars with counts and shares, readable as text', () => {
    setLocale('nl');
    render(BarChart, { chart: ages, rows: 1000 });
    const figure = screen.getByRole('figure', { name: /Laatste aanmelding/ });
    expect(figure.textContent).toContain('In de laatste 7 dagen');
    expect(figure.textContent).toContain('Nooit');
    expect(figure.textContent).toContain('(6%)');
    render(BarChart, { chart: departments, rows: 10 });
    expect(screen.getByText('never')).toBeTruthy();
  });

  it('builds a value-list filter from the values ticked', async () => {
    const requests: unknown[] = [];
    setTransport(
      createMockTransport({
        review_values: () => ({
          values: [
            { value: 'Sales', count: 7 },
            { value: '', count: 2 },
          ],
        }),
        review_page: (request) => {
          requests.push(request.query);
          return { total: 0, offset: 0, rowNumbers: [], rows: [] };
        },
      }),
    );
    const review = new OpenReview({
      handle: 1,
      path: '/data/users.csv',
      name: 'users.csv',
      rows: 9,
      columns: ['id', 'department'],
      kind: 'users',
      encoding: 'utf8',
      delimiter: ',',
      preamble: [],
      notices: [],
    });
    let closed = false;
    render(ColumnFilter, { review, column: 1, onclose: () => (closed = true) });
    await fireEvent.click(await screen.findByRole('checkbox', { name: /Sales/ }));
    await fireEvent.click(screen.getByRole('checkbox', { name: /\(empty\)/ }));
    await fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(closed).toBe(true);
    expect(review.filters.get(1)).toEqual({ test: 'oneOf', value: ['Sales', ''] });
    expect(review.query.filters).toEqual([{ column: 1, test: { test: 'oneOf', value: ['Sales', ''] } }]);
  });
});
