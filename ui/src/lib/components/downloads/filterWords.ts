import { locale, t } from '$lib/i18n/index.svelte';
import type { GroupFilterDto } from '$lib/ipc/gen/GroupFilterDto';
import type { UserFilterDto } from '$lib/ipc/gen/UserFilterDto';

/** `2026-03-01` as the person's locale writes a date. */
function day(iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/**
 * A users filter in plain words, one phrase per picker ("department is Sales", "sign-in blocked"):
 * no Graph property names, no OData.
 */
export function userFilterWords(filter: UserFilterDto): string[] {
  const words: string[] = [];
  if (filter.search?.trim()) words.push(t('downloads.filter.search', { value: filter.search.trim() }));
  if (filter.userType) words.push(t(`downloads.filter.userType.${filter.userType}`));
  if (filter.accountEnabled !== undefined) {
    words.push(t(filter.accountEnabled ? 'downloads.filter.signInAllowed' : 'downloads.filter.signInBlocked'));
  }
  if (filter.department) words.push(t('downloads.filter.department', { value: filter.department }));
  if (filter.country) words.push(t('downloads.filter.country', { value: filter.country }));
  if (filter.createdFrom) words.push(t('downloads.filter.createdFrom', { date: day(filter.createdFrom) }));
  if (filter.createdBefore) words.push(t('downloads.filter.createdBefore', { date: day(filter.createdBefore) }));
  if (filter.odata?.trim()) words.push(t('downloads.filter.advanced'));
  return words;
}

/** A groups filter in plain words ("type is Security", "dynamic membership"). */
export function groupFilterWords(filter: GroupFilterDto): string[] {
  const words: string[] = [];
  if (filter.name?.trim()) words.push(t('downloads.filter.name', { value: filter.name.trim() }));
  if (filter.kind) words.push(t('downloads.filter.kind', { value: t(`groups.kind.${filter.kind}`) }));
  if (filter.membership) words.push(t(`downloads.filter.membership.${filter.membership}`));
  if (filter.source) words.push(t(`downloads.filter.source.${filter.source}`));
  if (filter.roleAssignable !== undefined) {
    words.push(t(filter.roleAssignable ? 'downloads.filter.roleAssignable' : 'downloads.filter.notRoleAssignable'));
  }
  if (filter.odata?.trim()) words.push(t('downloads.filter.advanced'));
  return words;
}
