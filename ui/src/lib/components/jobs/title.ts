/**
 * A job's title in the person's language: the engine sends it as `job.title.KIND` with the
 * selection's values as parameters (a department, "guests", a group's name; never OData), and the
 * filter words come from the same phrases the download dialog uses.
 */
import { say, t } from '$lib/i18n/index.svelte';
import type { GroupFilterDto } from '$lib/ipc/gen/GroupFilterDto';
import type { TextDto } from '$lib/ipc/gen/TextDto';
import type { UserFilterDto } from '$lib/ipc/gen/UserFilterDto';
import { groupFilterWords, userFilterWords } from '$lib/components/downloads/filterWords';

type Params = Record<string, string | undefined>;

/** The values of one picker: the engine puts a line break between them. */
function list(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split('\n');
}

function flag(value: string | undefined): boolean | undefined {
  return value === undefined ? undefined : value === 'true';
}

/** Whose: the listed users, one user, or those a filter selects. */
function users(p: Params): string {
  if (p.listed) return t('jobs.title.of.listed', { count: Number(p.listed) });
  if (p.user) return p.user;
  const filter: UserFilterDto = {
    userType: list(p.userType) as UserFilterDto['userType'],
    accountEnabled: flag(p.accountEnabled),
    department: list(p.department),
    country: list(p.country),
    createdFrom: p.createdFrom,
    createdBefore: p.createdBefore,
    search: p.search,
    odata: p.odata ? '…' : undefined,
  } as UserFilterDto;
  const words = userFilterWords(filter);
  return words.length ? t('jobs.title.of.users', { filter: words.join('; ') }) : t('jobs.title.of.allUsers');
}

/** Which groups: named ones, a count, the person's own, or those a filter selects. */
function groups(p: Params): string {
  if (p.groups) return p.groups.split('; ').join(', ');
  if (p.groupCount) return t('jobs.title.of.groupCount', { count: Number(p.groupCount) });
  if (p.owned) return t('jobs.title.of.owned');
  const filter: GroupFilterDto = {
    name: p.name,
    kind: list(p.kind) as GroupFilterDto['kind'],
    membership: p.membership as GroupFilterDto['membership'],
    source: p.source as GroupFilterDto['source'],
    roleAssignable: flag(p.roleAssignable),
    odata: p.odata ? '…' : undefined,
  } as GroupFilterDto;
  const words = groupFilterWords(filter);
  return words.length ? t('jobs.title.of.groups', { filter: words.join('; ') }) : t('jobs.title.of.allGroups');
}

/** The title of a job (or of a reference to one). */
export function jobTitle(title: TextDto): string {
  const p = title.params as Params;
  switch (title.code) {
    case 'job.title.downloadUsers':
      return t('engine.job.title.downloadUsers', { of: users(p) });
    case 'job.title.downloadUserGroups':
    case 'job.title.downloadUserGroups.nested':
      return t(`engine.${title.code}`, { of: users(p) });
    case 'job.title.downloadGroups':
      return t('engine.job.title.downloadGroups', { of: groups(p) });
    case 'job.title.downloadMembers':
    case 'job.title.downloadMembers.nested':
    case 'job.title.downloadOwners':
      return t(`engine.${title.code}`, { of: groups(p) });
    default:
      return say(title);
  }
}
