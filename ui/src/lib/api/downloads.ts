/**
 * The `downloads_*` and `column_choice_*` commands (`src-tauri/commands/downloads.rs`,
 * `column_choice.rs`): start a download job, read the column catalogue, remember the columns chosen.
 * Every function rejects with an `IpcError`.
 */
import { call } from '$lib/ipc/client';
import type { ColumnCatalogue } from '$lib/ipc/gen/ColumnCatalogue';
import type { DownloadGroupsRequest } from '$lib/ipc/gen/DownloadGroupsRequest';
import type { DownloadKindDto } from '$lib/ipc/gen/DownloadKindDto';
import type { DownloadMembersRequest } from '$lib/ipc/gen/DownloadMembersRequest';
import type { DownloadOwnersRequest } from '$lib/ipc/gen/DownloadOwnersRequest';
import type { DownloadUserGroupsRequest } from '$lib/ipc/gen/DownloadUserGroupsRequest';
import type { DownloadUsersRequest } from '$lib/ipc/gen/DownloadUsersRequest';
import type { JobRef } from '$lib/ipc/gen/JobRef';

/** Starts a users download (a filter, or ticked ids) into `path`. */
export function downloadUsers(request: DownloadUsersRequest): Promise<JobRef> {
  return call('downloads_users', request);
}

/** Starts a groups download into `path`. */
export function downloadGroups(request: DownloadGroupsRequest): Promise<JobRef> {
  return call('downloads_groups', request);
}

/** Starts a download of the members of some groups into one file. */
export function downloadMembers(request: DownloadMembersRequest): Promise<JobRef> {
  return call('downloads_members', request);
}

/** Starts a download of the owners of some groups into one file. */
export function downloadOwners(request: DownloadOwnersRequest): Promise<JobRef> {
  return call('downloads_owners', request);
}

/** Starts a download of the groups of some users (ticked ids, or a filter) into one file. */
export function downloadUserGroups(request: DownloadUserGroupsRequest): Promise<JobRef> {
  return call('downloads_user_groups', request);
}

/**
 * The columns a download of this kind can write, its default set, its presets and what costs extra;
 * `transitive`: a members or user-groups download including nested groups (which adds the nesting
 * path, or whether each group is direct or inherited).
 */
export function downloadColumns(kind: DownloadKindDto, transitive = false): Promise<ColumnCatalogue> {
  return call('downloads_columns', { kind, transitive });
}

/** The column spec last chosen for this kind of download, or `null` when none was. */
export async function getColumnChoice(kind: DownloadKindDto): Promise<string | null> {
  return (await call('column_choice_get', { kind })).spec ?? null;
}

/** Keeps the column spec chosen for this kind of download, for the next one (a spec of another kind is refused). */
export async function rememberColumnChoice(kind: DownloadKindDto, spec: string): Promise<void> {
  await call('column_choice_set', { kind, spec });
}
