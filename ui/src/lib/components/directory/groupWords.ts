import { t } from '$lib/i18n/index.svelte';
import type { GroupKindDto } from '$lib/ipc/gen/GroupKindDto';
import type { GroupMembershipDto } from '$lib/ipc/gen/GroupMembershipDto';
import type { GroupSourceDto } from '$lib/ipc/gen/GroupSourceDto';

/** A group kind in words. */
export function kindText(kind: GroupKindDto): string {
  const keys = {
    microsoft365: 'groups.kind.m365',
    security: 'groups.kind.security',
    mailEnabledSecurity: 'groups.kind.mailSecurity',
    distribution: 'groups.kind.distribution',
  } as const;
  return t(keys[kind]);
}

/** Assigned or dynamic in words. */
export function membershipText(membership: GroupMembershipDto): string {
  return t(membership === 'dynamic' ? 'groups.membership.dynamic' : 'groups.membership.assigned');
}

/** Cloud or synced in words. */
export function sourceText(source: GroupSourceDto): string {
  return t(source === 'synced' ? 'groups.source.synced' : 'groups.source.cloud');
}
