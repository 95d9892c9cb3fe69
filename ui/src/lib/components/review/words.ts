/**
 * The words for the review engine's stable strings: chart ids and their fixed bucket labels, file
 * kinds, encodings and delimiters. Values from the data itself are shown as they are.
 */
import type { MessageKey } from '$lib/i18n/en';
import { formatNumber } from '$lib/i18n/format';
import { t } from '$lib/i18n/index.svelte';
import type { EncodingDto } from '$lib/ipc/gen/EncodingDto';
import type { FileKindDto } from '$lib/ipc/gen/FileKindDto';

const CHART_TITLES: Record<string, MessageKey> = {
  userType: 'review.chart.userType',
  accountEnabled: 'review.chart.accountEnabled',
  department: 'review.chart.department',
  country: 'review.chart.country',
  signInAge: 'review.chart.signInAge',
  membersPerGroup: 'review.chart.membersPerGroup',
  memberType: 'review.chart.memberType',
  groupType: 'review.chart.groupType',
  membershipType: 'review.chart.membershipType',
};

/** Bar labels the engine writes itself (not values from the file). */
const BUCKETS: Record<string, MessageKey> = {
  '(empty)': 'review.bucket.empty',
  '(other)': 'review.bucket.other',
  '0-7 days': 'review.bucket.days7',
  '8-30 days': 'review.bucket.days30',
  '31-90 days': 'review.bucket.days90',
  '91-180 days': 'review.bucket.days180',
  '181-365 days': 'review.bucket.days365',
  'over 365 days': 'review.bucket.overYear',
  never: 'review.bucket.never',
  'not a date': 'review.bucket.notADate',
};

/** A chart's title; an id this UI does not know yet is shown as it came. */
export function chartTitle(id: string): string {
  const key = CHART_TITLES[id];
  return key ? t(key) : id;
}

/**
 * A bar's label: the engine's fixed labels translated; for the sign-in chart, every label is
 * one of those. Anything else is a value from the file, shown as it is.
 */
export function barLabel(chart: string, label: string): string {
  const key = BUCKETS[label];
  if (key && (chart === 'signInAge' || label.startsWith('('))) return t(key);
  return label;
}

/** What a file kind is called. */
export function kindName(kind: FileKindDto): string {
  return t(`review.kind.${kind}`);
}

/** What an encoding is called. */
export function encodingName(encoding: EncodingDto): string {
  return t(`review.encoding.${encoding}`);
}

/** What a delimiter is called. */
export function delimiterName(delimiter: string): string {
  const names: Record<string, MessageKey> = {
    ',': 'review.delimiter.comma',
    ';': 'review.delimiter.semicolon',
    '\t': 'review.delimiter.tab',
    '|': 'review.delimiter.pipe',
  };
  const key = names[delimiter];
  return key ? t(key) : delimiter;
}

/** A cell as the grid and value lists show it: an empty cell says so. */
export function cellText(value: string): string {
  return value === '' ? t('review.value.empty') : value;
}

/** "1 row", "50,000 rows". */
export function rowsText(count: number): string {
  return count === 1 ? t('review.countOne') : t('review.countAll', { total: formatNumber(count) });
}
