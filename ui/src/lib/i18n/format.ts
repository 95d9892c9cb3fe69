/** Numbers, shares and dates in the current language's format ("1,234" in English, "1.234" in Dutch). */
import { locale } from './index.svelte';

/** A whole number with the language's digit grouping. */
export function formatNumber(value: number): string {
  return value.toLocaleString(locale());
}

/** `part` of `whole` as a percentage with at most one decimal ("12.5%"; "0%" of nothing). */
export function formatPercent(part: number, whole: number): string {
  const share = whole > 0 ? part / whole : 0;
  return share.toLocaleString(locale(), { style: 'percent', maximumFractionDigits: 1 });
}

/** An instant (RFC 3339) as a date and time; the text itself when it is not one. */
export function formatDateTime(value: string): string {
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? value : at.toLocaleString(locale(), { dateStyle: 'medium', timeStyle: 'short' });
}
