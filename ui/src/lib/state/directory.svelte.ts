import { directory } from '$lib/ipc/api';
import type { GroupDto } from '$lib/ipc/gen/GroupDto';
import type { UserDto } from '$lib/ipc/gen/UserDto';
import { ListStore } from './list.svelte';

/** The signed-in tenant's users, as the Users screen shows them. */
export const users = new ListStore<UserDto>((search) => directory.users({ search }));

/** The signed-in tenant's groups, as the Groups screen shows them. */
export const groups = new ListStore<GroupDto>((search) => directory.groups({ search }));
