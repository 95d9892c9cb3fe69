/**
 * The `jobs_*` commands (`src-tauri/commands/jobs.rs`) and the job event. Every function rejects with
 * an `IpcError`.
 */
import { listenTo } from '$lib/ipc/events';
import { call } from '$lib/ipc/client';
import type { FollowUpDto } from '$lib/ipc/gen/FollowUpDto';
import type { FollowUpKindDto } from '$lib/ipc/gen/FollowUpKindDto';
import type { JobDetail } from '$lib/ipc/gen/JobDetail';
import type { JobDto } from '$lib/ipc/gen/JobDto';
import type { JobEventDto } from '$lib/ipc/gen/JobEventDto';
import type { JobRef } from '$lib/ipc/gen/JobRef';
import type { JobsGetRequest } from '$lib/ipc/gen/JobsGetRequest';
import type { JobsListRequest } from '$lib/ipc/gen/JobsListRequest';
import type { JobsPage } from '$lib/ipc/gen/JobsPage';
import type { PathDto } from '$lib/ipc/gen/PathDto';

/** The job history, newest first. */
export function listJobs(request: JobsListRequest = {}): Promise<JobsPage> {
  return call('jobs_list', request);
}

/** One job and a page of its per-row results. */
export function getJob(request: JobsGetRequest): Promise<JobDetail> {
  return call('jobs_get', request);
}

/** Continues a stopped job. */
export function resumeJob(id: string): Promise<JobRef> {
  return call('jobs_resume', { id });
}

/** Asks a running job to stop. */
export function cancelJob(id: string): Promise<JobDto> {
  return call('jobs_cancel', { id });
}

/**
 * What can follow a membership job, ready to preview like any import: its failed rows again
 * (`retryFailed`) or the undo of what it changed (`undo`).
 */
export function followUp(id: string, what: FollowUpKindDto): Promise<FollowUpDto> {
  return call('jobs_follow_up', { id, what });
}

/** Deletes a job from the history, and its files when `withFiles`. */
export function deleteJob(id: string, withFiles: boolean): Promise<PathDto> {
  return call('jobs_delete', { id, withFiles });
}

/** Copies the job's results (or its file) to the file chosen in the save dialog (its handle). */
export function saveJobResults(id: string, file: string): Promise<PathDto> {
  return call('jobs_save_results', { id, file });
}

/** Opens the job's file with the default app, or shows it in the file manager when `reveal`. */
export function openJobFile(id: string, reveal: boolean): Promise<PathDto> {
  return call('jobs_open', { id, reveal });
}

/** Calls `handler` with every job event; resolves, once listening, to the function that stops it. */
export function onJobEvent(handler: (event: JobEventDto) => void): Promise<() => void> {
  return listenTo('job-event', handler);
}
