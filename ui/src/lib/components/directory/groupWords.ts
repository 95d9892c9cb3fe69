import { t } from '$lib/i18n/index.svelte';
import type { GroupKindDto } from '$lib/ipc/gen/GroupKindDto';
import type { MembershipDto } from '$lib/ipc/gen/MembershipDto';
import type { GroupSourceDto } from '$lib/ipc/gen/GroupSourceDto';

/** A group kind in words. */
export function kindText(kind: GroupKindDto): string {
  const keys = {
    m365: 'groups.kind.m365',
    security: 'groups.kind.security',
    mailSecurity: 'groups.kind.mailSecurity',
    distribution: 'groups.kind.distribution',
  } as const;
  return t(keys[kind]);
}

/** Assigned or dynamic in words. */
export function membershipText(membership: MembershipDto): string {
  return t(membership === 'dynamic' ? 'groups.membership.dynamic' : 'groups.membership.assigned');
}

/** Cloud or synced in words. */
export function sourceText(source: GroupSourceDto): string {
  return t(source === 'synced' ? 'groups.source.synced' : 'groups.source.cloud');
}

const OBJECT_TYPES = {
  user: 'group.type.user',
  group: 'group.type.group',
  device: 'group.type.device',
  servicePrincipal: 'group.type.servicePrincipal',
  orgContact: 'group.type.orgContact',
} as const;

/** A member's object type in words (Graph's name when it is one Roster does not know). */
export function objectTypeText(objectType: string): string {
  const key = OBJECT_TYPES[objectType as keyof typeof OBJECT_TYPES];
  return key ? t(key) : objectType;
}
