/**
 * The directory commands (`users_*`, `groups_*`, `group_*`; `src-tauri/commands/directory.rs`): pages
 * of users, groups and members. Every function rejects with an `IpcError`.
 */
import { call } from '$lib/ipc/client';
import type { GroupDetails } from '$lib/ipc/gen/GroupDetails';
import type { GroupMembersRequest } from '$lib/ipc/gen/GroupMembersRequest';
import type { GroupsListRequest } from '$lib/ipc/gen/GroupsListRequest';
import type { GroupsPage } from '$lib/ipc/gen/GroupsPage';
import type { MembersPage } from '$lib/ipc/gen/MembersPage';
import type { UserFacets } from '$lib/ipc/gen/UserFacets';
import type { UsersListRequest } from '$lib/ipc/gen/UsersListRequest';
import type { UsersPage } from '$lib/ipc/gen/UsersPage';

/** The first page of the users matching the search and pickers, with their total. */
export function listUsers(request: UsersListRequest = {}): Promise<UsersPage> {
  return call('users_list', request);
}

/** The next page of a users listing (`listing` of the previous page). */
export function moreUsers(listing: string): Promise<UsersPage> {
  return call('users_more', { listing });
}

/** The departments and countries the tenant's users have, for the pickers. */
export function userFacets(): Promise<UserFacets> {
  return call('users_facets');
}

/** The first page of the groups matching the search and pickers, with their total. */
export function listGroups(request: GroupsListRequest = {}): Promise<GroupsPage> {
  return call('groups_list', request);
}

/** The next page of a groups listing. */
export function moreGroups(listing: string): Promise<GroupsPage> {
  return call('groups_more', { listing });
}

/** One group with its counts and what can be changed through Graph. */
export function getGroup(id: string): Promise<GroupDetails> {
  return call('group_get', { id });
}

/** The first page of a group's members, direct or transitive. */
export function listGroupMembers(request: GroupMembersRequest): Promise<MembersPage> {
  return call('group_members', request);
}

/** The next page of a members listing. */
export function moreGroupMembers(listing: string): Promise<MembersPage> {
  return call('group_members_more', { listing });
}
