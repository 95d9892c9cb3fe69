import { describe, expect, it } from 'vitest';
import { dateOrder, formatDate, parseDate } from './dates';

describe('dates typed in one field', () => {
  it('reads ISO dates in every language', () => {
    expect(parseDate('2024-01-31', 'nl')).toBe('2024-01-31');
    expect(parseDate(' 2024/1/5 ', 'en')).toBe('2024-01-05');
  });

  it('reads day, month and year in the order of the language', () => {
    expect(dateOrder('nl')).toEqual(['day', 'month', 'year']);
    expect(parseDate('31-1-2024', 'nl')).toBe('2024-01-31');
    expect(parseDate('3.4.24', 'nl')).toBe('2024-04-03');
    expect(dateOrder('en')).toEqual(['month', 'day', 'year']);
    expect(parseDate('1/31/2024', 'en')).toBe('2024-01-31');
  });

  it('refuses what is not a date, and an empty field means no date', () => {
    expect(parseDate('', 'nl')).toBe('');
    expect(parseDate('31-2-2024', 'nl')).toBeNull();
    expect(parseDate('yesterday', 'en')).toBeNull();
    expect(parseDate('1-2', 'en')).toBeNull();
    expect(parseDate('13/31/2024', 'en')).toBeNull();
  });

  it('shows a stored date as the language writes it', () => {
    expect(formatDate('2024-01-31', 'nl')).toBe('31-1-2024');
    expect(formatDate('2024-01-31', 'en')).toBe('1/31/2024');
  });
});
