import { getSettings, saveSettings } from '$lib/api/settings';
import { type IpcError, normaliseError } from '$lib/ipc/errors';
import type { SettingsDto } from '$lib/ipc/gen/SettingsDto';

/** The download settings (output folder, CSV format, default columns), saved in the job database. */
export class SettingsStore {
  value = $state<SettingsDto | null>(null);
  error = $state<IpcError | null>(null);
  saving = $state(false);

  /** Loads the saved settings. */
  async load(): Promise<SettingsDto | null> {
    try {
      this.value = await getSettings();
      this.error = null;
    } catch (raw) {
      this.error = normaliseError(raw);
    }
    return this.value;
  }

  /** Saves `next`; on a validation error keeps the old value and shows the message. */
  async save(next: SettingsDto): Promise<boolean> {
    this.saving = true;
    try {
      this.value = await saveSettings(next);
      this.error = null;
      return true;
    } catch (raw) {
      this.error = normaliseError(raw);
      return false;
    } finally {
      this.saving = false;
    }
  }
}

/** The app's settings. */
export const settings = new SettingsStore();
