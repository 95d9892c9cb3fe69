import { locale, t } from '$lib/i18n/index.svelte';
import type { GroupFilterDto } from '$lib/ipc/gen/GroupFilterDto';
import type { UserFilterDto } from '$lib/ipc/gen/UserFilterDto';

/** `2026-03-01` as the person's locale writes a date. */
function day(iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/** Several values of one picker as alternatives in the person's language ("Sales or Legal"). */
export function alternatives(values: string[]): string {
  return new Intl.ListFormat(locale(), { type: 'disjunction' }).format(values);
}

/** The picked values of a multi-value picker, blanks left out. */
function picked(values: string[] | undefined): string[] {
  return (values ?? []).map((v) => v.trim()).filter((v) => v !== '');
}

/**
 * A users filter in plain words, one phrase per picker ("department is Sales", "sign-in blocked"):
 * no Graph property names, no OData.
 */
export function userFilterWords(filter: UserFilterDto): string[] {
  const words: string[] = [];
  if (filter.search?.trim()) words.push(t('downloads.filter.search', { value: filter.search.trim() }));
  const types = [...new Set(filter.userType ?? [])];
  const [onlyType] = types;
  if (types.length === 1 && onlyType) words.push(t(`downloads.filter.userType.${onlyType}`));
  else if (types.length > 1) words.push(t('downloads.filter.userType.both'));
  if (filter.accountEnabled !== undefined) {
    words.push(t(filter.accountEnabled ? 'downloads.filter.signInAllowed' : 'downloads.filter.signInBlocked'));
  }
  const departments = picked(filter.department);
  if (departments.length) words.push(t('downloads.filter.department', { value: alternatives(departments) }));
  const countries = picked(filter.country);
  if (countries.length) words.push(t('downloads.filter.country', { value: alternatives(countries) }));
  if (filter.createdFrom) words.push(t('downloads.filter.createdFrom', { date: day(filter.createdFrom) }));
  if (filter.createdBefore) words.push(t('downloads.filter.createdBefore', { date: day(filter.createdBefore) }));
  if (filter.odata?.trim()) words.push(t('downloads.filter.advanced'));
  return words;
}

/** A groups filter in plain words ("type is Security", "dynamic membership"). */
export function groupFilterWords(filter: GroupFilterDto): string[] {
  const words: string[] = [];
  if (filter.name?.trim()) words.push(t('downloads.filter.name', { value: filter.name.trim() }));
  const kinds = [...new Set(filter.kind ?? [])];
  if (kinds.length) {
    words.push(t('downloads.filter.kind', { value: alternatives(kinds.map((k) => t(`groups.kind.${k}`))) }));
  }
  if (filter.membership) words.push(t(`downloads.filter.membership.${filter.membership}`));
  if (filter.source) words.push(t(`downloads.filter.source.${filter.source}`));
  if (filter.roleAssignable !== undefined) {
    words.push(t(filter.roleAssignable ? 'downloads.filter.roleAssignable' : 'downloads.filter.notRoleAssignable'));
  }
  if (filter.odata?.trim()) words.push(t('downloads.filter.advanced'));
  return words;
}
