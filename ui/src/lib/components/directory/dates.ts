/**
 * A date typed in one field, as an admin types it: ISO (`2024-01-31`) always, or day, month and year
 * in the order the person's locale writes them (`31-1-2024` in Dutch, `1/31/2024` in English), with
 * `-`, `/`, `.` or spaces between. A two-digit year is in this century.
 */

/** The order of day, month and year in `locale`'s short dates. */
export function dateOrder(locale: string): ('day' | 'month' | 'year')[] {
  const parts = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'numeric', year: 'numeric' }).formatToParts(
    new Date(Date.UTC(2024, 0, 31)),
  );
  return parts
    .map((p) => p.type)
    .filter((type): type is 'day' | 'month' | 'year' => type === 'day' || type === 'month' || type === 'year');
}

/** `2024-01-31` for a typed date, `''` for an empty field, `null` when it is not a date. */
export function parseDate(text: string, locale: string): string | null {
  const typed = text.trim();
  if (typed === '') return '';
  const pieces = typed.split(/[-/. ]+/);
  if (pieces.length !== 3 || !pieces.every((p) => /^\d{1,4}$/.test(p))) return null;
  const isoFirst = pieces[0]?.length === 4;
  const order: ('day' | 'month' | 'year')[] = isoFirst ? ['year', 'month', 'day'] : dateOrder(locale);
  const at = (part: 'day' | 'month' | 'year') => Number(pieces[order.indexOf(part)] ?? NaN);
  const year = at('year');
  return valid(year < 100 ? year + 2000 : year, at('month'), at('day'));
}

/** `2024-01-31` as the locale writes it, for showing a date that was stored in ISO form. */
export function formatDate(iso: string, locale: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'numeric', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

function valid(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
