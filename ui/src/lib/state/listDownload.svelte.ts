import type { GroupsListRequest } from '$lib/ipc/gen/GroupsListRequest';
import type { UsersListRequest } from '$lib/ipc/gen/UsersListRequest';

/** What a "Download" button of the directory screens asks the download dialog for. */
export type DownloadRequest =
  /** Users: every user the filter matches, or (when `ids` is not empty) exactly these users. */
  | { kind: 'users'; filter: UsersListRequest; ids: string[] }
  /** The members of these groups, or (when `filter` is set) of every group the filter matches. */
  | { kind: 'members'; groupIds: string[]; filter: GroupsListRequest | null };

/** The download the person asked for last; the download dialog opens for it and clears it. */
export const downloadRequest = $state<{ current: DownloadRequest | null }>({ current: null });

/** Opens the download dialog for `request` (the dialog reads `downloadRequest.current`). */
export function requestDownload(request: DownloadRequest): void {
  downloadRequest.current = request;
}
