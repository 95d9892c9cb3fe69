import { jobTitle } from '$lib/components/jobs/title';
import { chooseSaveFile } from '$lib/api/dialog';
import { reviewJobFile } from '$lib/api/review';
import { cancelJob, deleteJob, openJobFile, resumeJob, saveJobResults } from '$lib/api/jobs';
import { normaliseError } from '$lib/ipc/errors';
import type { FileRefDto } from '$lib/ipc/gen/FileRefDto';
import type { JobDto } from '$lib/ipc/gen/JobDto';
import { t } from '$lib/i18n/index.svelte';
import { toasts, type ToastAction } from '$lib/components/shared/Toasts.svelte';
import { review } from '$lib/state/review.svelte';

/** Runs a job command and shows its failure as an error toast; resolves to whether it worked. */
async function attempt(run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (raw) {
    toasts.showError(normaliseError(raw));
    return false;
  }
}

/** Opens the job's file with the default app. */
export const openFile = (job: JobDto) => attempt(() => openJobFile(job.id, false));

/** Shows the job's file in the file manager. */
export const showInFolder = (job: JobDto) => attempt(() => openJobFile(job.id, true));

/** Whether the job left a CSV file to review (a finished download). */
export function reviewable(job: JobDto): boolean {
  const finished = job.status === 'completed' || job.status === 'completedWithErrors';
  return finished && job.kind.startsWith('download') && !!job.outputPath;
}

/** Starts reading a download's file on the Review screen (the caller shows that screen). */
export async function openInReview(job: JobDto): Promise<void> {
  if (!job.outputPath) return;
  review.tab = { kind: 'open' };
  try {
    await review.open(await reviewJobFile(job.id));
  } catch (raw) {
    review.error = normaliseError(raw);
  }
}

/** Continues a stopped job. */
export const resume = (job: JobDto) => attempt(() => resumeJob(job.id));

/** Asks a running job to stop. */
export const cancel = (job: JobDto) => attempt(() => cancelJob(job.id));

/** Deletes a job, with or without its files. */
export const remove = (job: JobDto, withFiles: boolean) => attempt(() => deleteJob(job.id, withFiles));

/** Copies the job's results to a file chosen in the native save dialog. */
export async function saveResults(job: JobDto): Promise<void> {
  const source = job.resultsPath ?? job.outputPath ?? 'results.csv';
  let chosen: FileRefDto | null;
  try {
    chosen = await chooseSaveFile(source.replace(/\.csv$/i, '') + '-copy.csv', t('jobs.saveTitle'));
  } catch (raw) {
    toasts.showError(normaliseError(raw));
    return;
  }
  if (!chosen) return;
  const target = chosen;
  if (await attempt(() => saveJobResults(job.id, target.handle))) {
    toasts.show(t('jobs.toast.saved', { path: target.path }), 'success');
  }
}

/** The sentence a finished job is announced with (same as the native notification). */
export function endMessage(job: JobDto): string {
  const file = (job.outputPath ?? '').split(/[\\/]/).pop() ?? '';
  if (job.status === 'failed') return t('jobs.end.failed', { name: jobTitle(job.title) });
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
