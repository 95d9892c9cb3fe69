import { directory } from '$lib/ipc/api';
import type { GroupDto } from '$lib/ipc/gen/GroupDto';
import type { GroupsListRequest } from '$lib/ipc/gen/GroupsListRequest';
import type { UserDto } from '$lib/ipc/gen/UserDto';
import type { UsersListRequest } from '$lib/ipc/gen/UsersListRequest';
import { PagedList } from './list.svelte';

/** The signed-in tenant's users, as the Users screen shows them (search and pickers in `query`). */
export const users = new PagedList<UserDto, UsersListRequest>(
  { first: (query) => directory.users(query), more: (listing) => directory.usersMore(listing) },
  (u) => u.id,
  {},
);

/** The signed-in tenant's groups, as the Groups screen shows them. */
export const groups = new PagedList<GroupDto, GroupsListRequest>(
  { first: (query) => directory.groups(query), more: (listing) => directory.groupsMore(listing) },
  (g) => g.id,
  {},
);
