import { listGroups, listUsers, moreGroups, moreUsers } from '$lib/api/directory';
import type { GroupDto } from '$lib/ipc/gen/GroupDto';
import type { GroupsListRequest } from '$lib/ipc/gen/GroupsListRequest';
import type { UserDto } from '$lib/ipc/gen/UserDto';
import type { UsersListRequest } from '$lib/ipc/gen/UsersListRequest';
import { PagedList } from './list.svelte';

/** The signed-in tenant's users, as the Users screen shows them (search and pickers in `query`). */
export const users = new PagedList<UserDto, UsersListRequest>(
  { first: listUsers, more: moreUsers },
  (u) => u.id,
  {},
);

/** The signed-in tenant's groups, as the Groups screen shows them. */
export const groups = new PagedList<GroupDto, GroupsListRequest>(
  { first: listGroups, more: moreGroups },
  (g) => g.id,
  {},
);
