import { listGroupMembers, moreGroupMembers } from '$lib/api/directory';
import type { MemberDto } from '$lib/ipc/gen/MemberDto';
import { PagedList } from './list.svelte';

/** Which members a group page lists. */
export interface MembersQuery {
  /** Members of nested groups too. */
  transitive: boolean;
}

/** The members of group `groupId`, direct or transitive, a page at a time. */
export function membersOf(groupId: string): PagedList<MemberDto, MembersQuery> {
  return new PagedList<MemberDto, MembersQuery>(
    {
      first: (query) => listGroupMembers({ groupId, transitive: query.transitive }),
      more: moreGroupMembers,
    },
    (m) => m.id,
    { transitive: false },
  );
}
