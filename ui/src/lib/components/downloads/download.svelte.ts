import type { ColumnCatalogue } from '$lib/ipc/gen/ColumnCatalogue';
import type { GroupFilterDto } from '$lib/ipc/gen/GroupFilterDto';
import type { UserFilterDto } from '$lib/ipc/gen/UserFilterDto';
import { groupFilterWords, userFilterWords } from './filterWords';

/**
 * What a screen asks to download. The Users and Groups screens pass what they show:
 * - users: `filter` (the pickers) or `ids` (ticked rows); `columns` to choose besides the default
 *   ones (the rule lab asks for the columns a rule reads);
 * - groups: `filter`;
 * - members: `groupIds` (ticked groups), optionally `transitive`;
 * - owners: `groupIds` (ticked groups);
 * - userGroups: `filter` or `ids` as for users, optionally `transitive` (the dialog offers it).
 */
export type DownloadRequest =
  | { kind: 'users'; filter?: UserFilterDto; ids?: string[]; columns?: string[] }
  | { kind: 'groups'; filter?: GroupFilterDto }
  | { kind: 'members'; groupIds: string[]; transitive?: boolean }
  | { kind: 'owners'; groupIds: string[] }
  | { kind: 'userGroups'; filter?: UserFilterDto; ids?: string[]; transitive?: boolean };

/** The open download dialog's request, or `null` when it is closed. */
class DownloadDialogState {
  request = $state<DownloadRequest | null>(null);
}

/** The one download dialog of the app (rendered by the app shell). */
export const downloadDialog = new DownloadDialogState();

/**
 * Opens the download dialog (column picker, then the native save dialog, then a job and a toast).
 *
 * ```ts
 * openDownload({ kind: 'users', filter: { department: 'Sales' } });
 * openDownload({ kind: 'members', groupIds: selected.map((g) => g.id) });
 * ```
 */
export function openDownload(request: DownloadRequest): void {
  downloadDialog.request = request;
}

/** Closes the dialog without downloading. */
export function closeDownload(): void {
  downloadDialog.request = null;
}

/**
 * What will be downloaded, in plain words: the filter's phrases ("department is Sales", "sign-in
 * blocked"), or the selection's size.
 */
export function describeSelection(request: DownloadRequest): string[] {
  if (request.kind === 'members' || request.kind === 'owners') return [`${request.groupIds.length}`];
  if ((request.kind === 'users' || request.kind === 'userGroups') && request.ids && request.ids.length > 0) {
    return [`${request.ids.length}`];
  }
  if (request.kind === 'users' || request.kind === 'userGroups') return userFilterWords(request.filter ?? {});
  return groupFilterWords(request.filter ?? {});
}

/**
 * Whether a column spec asks for columns that cost extra Graph requests (the authentication-method
 * ones: two more requests per user): `all` and the users' `portal` set do; the catalogue's default set
 * does when one of its columns does; a list does when it names one.
 */
export function specCosts(catalogue: ColumnCatalogue, spec: string): boolean {
  const costly = catalogue.columns.filter((c) => c.costly);
  return spec
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .some((name) => {
      if (name === 'all' || name === 'portal') return costly.length > 0;
      if (name !== '' && name === catalogue.defaultSpec.toLowerCase()) return costly.some((c) => c.default);
      return costly.some((c) => c.header.toLowerCase() === name);
    });
}

/**
 * The Graph permissions the columns of `spec` need beyond the sign-in's reads, in catalogue order
 * (`all` and the presets name only columns that need none).
 */
export function specPermissions(catalogue: ColumnCatalogue, spec: string): string[] {
  const names = new Set(spec.split(',').map((name) => name.trim().toLowerCase()));
  const needed: string[] = [];
  for (const column of catalogue.columns) {
    if (!names.has(column.header.toLowerCase())) continue;
    for (const permission of column.permissions) if (!needed.includes(permission)) needed.push(permission);
  }
  return needed;
}
