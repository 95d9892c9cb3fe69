/**
 * The `membership_*` commands (`src-tauri/commands/membership.rs`): preview a file of members to add
 * or remove, then start the job that applies it. Every function rejects with an `IpcError`.
 */
import { t } from '$lib/i18n/index.svelte';
import { call } from '$lib/ipc/client';
import type { JobRef } from '$lib/ipc/gen/JobRef';
import type { MembershipPreviewRequest } from '$lib/ipc/gen/MembershipPreviewRequest';
import type { PickedFile } from '$lib/ipc/gen/PickedFile';
import type { PreviewDto } from '$lib/ipc/gen/PreviewDto';
import type { PreviewRowsPage } from '$lib/ipc/gen/PreviewRowsPage';

/** Reads the file and says what each row would do; changes nothing. */
export function previewMembership(request: MembershipPreviewRequest): Promise<PreviewDto> {
  return call('membership_preview', request);
}

/** Rows `offset..offset + limit` of a preview (at most 1,000 a call): the rows never cross whole. */
export function previewRows(previewId: string, offset: number, limit: number): Promise<PreviewRowsPage> {
  return call('membership_preview_rows', { previewId, offset, limit });
}

/**
 * Asks for a CSV or XLSX file in the native file picker, opened on `start` (a path the person typed)
 * when given; `file` is `null` when cancelled. The preview takes the chosen file's handle.
 */
export function pickMembershipFile(start?: string): Promise<PickedFile> {
  return call('membership_pick_file', {
    start,
    title: t('membership.pickTitle'),
    filterName: t('membership.pickFilter'),
  });
}

/** Starts the job that applies a confirmed preview (once: a preview starts one job). */
export function startMembership(previewId: string): Promise<JobRef> {
  return call('membership_start', { previewId });
}

/**
 * Writes the member file template (the admin center's header and two example rows) to `file`, the
 * handle the native save dialog answered (`chooseSaveFile`); resolves to the path written.
 */
export async function saveMembershipTemplate(file: string): Promise<string> {
  return (await call('membership_template', { file })).path;
}
