import { checkForUpdate, chooseUpdateChecks, installUpdate, updateStatus } from '$lib/api/updates';
import { normaliseError, type IpcError } from '$lib/ipc/errors';
import { listenTo } from '$lib/ipc/events';
import type { AvailableUpdateDto } from '$lib/ipc/gen/AvailableUpdateDto';
import type { UpdateProgressDto } from '$lib/ipc/gen/UpdateProgressDto';
import type { UpdateStatusDto } from '$lib/ipc/gen/UpdateStatusDto';

/**
 * New releases: the setting, the policy, what the last check found, and the install the person
 * clicked. Roster looks for a release only when checks are on, and installs one only from `install()`,
 * which only the Install button calls.
 */
class UpdateStore {
  status = $state<UpdateStatusDto | null>(null);
  /** The newer release the last check found; `null` when there is none or no check ran. */
  available = $state<AvailableUpdateDto | null>(null);
  /** A check ran and found nothing newer. */
  upToDate = $state(false);
  checking = $state(false);
  installing = $state(false);
  /** How far the download has come. */
  progress = $state<UpdateProgressDto | null>(null);
  /** The person closed the release notice with Later. */
  dismissed = $state(false);
  error = $state<IpcError | null>(null);

  /** At the start of the app (the shell calls it once): when checks are on, looks for a release. */
  async startup(): Promise<void> {
    await this.loadStatus();
    if (this.status?.enabled) await this.check({ quiet: true });
  }

  /** Reads the setting and the policy again (the policy file may have changed). */
  async loadStatus(): Promise<void> {
    try {
      this.status = await updateStatus();
    } catch (e) {
      this.error = normaliseError(e);
    }
  }

  /** Saves the setting. */
  async choose(check: boolean): Promise<void> {
    this.error = null;
    try {
      this.status = await chooseUpdateChecks(check);
    } catch (e) {
      this.error = normaliseError(e);
    }
  }

  /** Looks for a release; `quiet` (at startup) keeps a failure off the screen. */
  async check({ quiet = false } = {}): Promise<void> {
    this.checking = true;
    this.error = null;
    this.upToDate = false;
    try {
      const found = await checkForUpdate();
      this.available = found.available;
      this.upToDate = found.available === null;
      this.dismissed = false;
    } catch (e) {
      if (!quiet) this.error = normaliseError(e);
    } finally {
      this.checking = false;
    }
  }

  /** Installs the release shown (the person clicked Install); Roster restarts when it is done. */
  async install(): Promise<void> {
    const release = this.available;
    if (!release || this.installing) return;
    this.installing = true;
    this.error = null;
    this.progress = null;
    const stop = await listenTo('update-progress', (p) => (this.progress = p)).catch(() => null);
    try {
      await installUpdate(release.version);
    } catch (e) {
      this.error = normaliseError(e);
    } finally {
      stop?.();
      this.installing = false;
    }
  }
}

export const updates = new UpdateStore();
