/** The `update_*` commands (`src-tauri/commands/updates.rs`). Every function rejects with an `IpcError`. */
import { call } from '$lib/ipc/client';
import type { UpdateCheckDto } from '$lib/ipc/gen/UpdateCheckDto';
import type { UpdateStatusDto } from '$lib/ipc/gen/UpdateStatusDto';

/** Whether update checks are on, who decided (the person or a policy), and whether this build has a channel. */
export function updateStatus(): Promise<UpdateStatusDto> {
  return call('update_status');
}

/** Saves the person's choice to look for new versions when Roster starts. */
export function chooseUpdateChecks(check: boolean): Promise<UpdateStatusDto> {
  return call('update_choose', { check });
}

/** Looks for a newer release; nothing is downloaded. */
export function checkForUpdate(): Promise<UpdateCheckDto> {
  return call('update_check');
}

/** Downloads, verifies and installs `version` (the one shown), then restarts Roster. */
export function installUpdate(version: string): Promise<null> {
  return call('update_install', { version });
}
