import { call } from '$lib/ipc/client';
import type { JobDto } from '$lib/ipc/gen/JobDto';
import { t } from '$lib/i18n/index.svelte';
import { toasts, type ToastAction } from '$lib/components/shared/Toasts.svelte';

/** The message of a failed command, for a toast. */
function message(e: unknown): string {
  return (e as { message?: string }).message ?? String(e);
}

/** Runs a job command and shows its failure as a toast; resolves to whether it worked. */
async function attempt(run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (e) {
    toasts.show(message(e), 'error');
    return false;
  }
}

/** Opens the job's file with the default app. */
export const openFile = (job: JobDto) => attempt(() => call('jobs_open', { id: job.id, reveal: false }));

/** Shows the job's file in the file manager. */
export const showInFolder = (job: JobDto) => attempt(() => call('jobs_open', { id: job.id, reveal: true }));

/** Continues a stopped job. */
export const resume = (job: JobDto) => attempt(() => call('jobs_resume', { id: job.id }));

/** Asks a running job to stop. */
export const cancel = (job: JobDto) => attempt(() => call('jobs_cancel', { id: job.id }));

/** Starts a new job for the failed rows of a membership job. */
export async function retryFailed(job: JobDto): Promise<string | null> {
  try {
    const started = await call('jobs_retry_failed', { id: job.id });
    toasts.show(t('jobs.toast.started', { name: started.name }), 'info');
    return started.id;
  } catch (e) {
    toasts.show(message(e), 'error');
    return null;
  }
}

/** Deletes a job, with or without its files. */
export const remove = (job: JobDto, withFiles: boolean) =>
  attempt(() => call('jobs_delete', { id: job.id, withFiles }));

/**
 * The native save dialog (tauri-plugin-dialog); resolves to the chosen path or `null`.
 *
 * End-to-end tests answer it by setting `window.__rosterSaveAnswer` (WebDriver cannot drive the GTK
 * dialog, and Tauri's `invoke` cannot be wrapped); nothing else sets it.
 */
export async function chooseSavePath(defaultPath: string): Promise<string | null> {
  const answer = (globalThis as { __rosterSaveAnswer?: string }).__rosterSaveAnswer;
  if (answer) return answer;
  const { invoke } = await import('@tauri-apps/api/core');
  const chosen = await invoke<string | null>('plugin:dialog|save', {
    options: { defaultPath, filters: [{ name: 'CSV', extensions: ['csv'] }] },
  });
  return chosen ?? null;
}

/** Copies the job's results to a file chosen in the save dialog. */
export async function saveResults(job: JobDto): Promise<void> {
  const source = job.resultsPath ?? job.outputPath ?? 'results.csv';
  const path = await chooseSavePath(source.replace(/\.csv$/i, '') + '-copy.csv');
  if (!path) return;
  if (await attempt(() => call('jobs_save_results', { id: job.id, path }))) {
    toasts.show(t('jobs.toast.saved', { path }), 'success');
  }
}

/** The sentence a finished job is announced with (same as the native notification). */
export function endMessage(job: JobDto): string {
  const file = (job.outputPath ?? '').split(/[\\/]/).pop() ?? '';
  if (job.status === 'failed') return t('jobs.end.failed', { name: job.name });
  if (job.kind === 'addMembers')
    return t('jobs.end.imported', { added: job.counts.succeeded, failed: job.counts.failed });
  if (job.kind === 'removeMembers')
    return t('jobs.end.removed', { removed: job.counts.succeeded, failed: job.counts.failed });
  return t('jobs.end.file', { file });
}

/** The toast for a finished job, with Open file / Show in folder when it left a file. */
export function toastJobEnd(job: JobDto): void {
  const actions: ToastAction[] = [];
  if (job.status !== 'failed' && (job.outputPath || job.resultsPath)) {
    actions.push({ label: t('jobs.action.open'), run: () => void openFile(job) });
    actions.push({ label: t('jobs.action.reveal'), run: () => void showInFolder(job) });
  }
  toasts.show(endMessage(job), job.status === 'failed' ? 'error' : 'success', actions);
}
