import { call } from '$lib/ipc/client';
import type { SettingsDto } from '$lib/ipc/gen/SettingsDto';

/** The download settings (output folder, CSV format, default columns), saved in the job database. */
export class SettingsStore {
  value = $state<SettingsDto | null>(null);
  error = $state<string | null>(null);
  saving = $state(false);

  /** Loads the saved settings. */
  async load(): Promise<SettingsDto | null> {
    try {
      this.value = await call('settings_get');
      this.error = null;
    } catch (e) {
      this.error = (e as { message?: string }).message ?? String(e);
    }
    return this.value;
  }

  /** Saves `next`; on a validation error keeps the old value and shows the message. */
  async save(next: SettingsDto): Promise<boolean> {
    this.saving = true;
    try {
      this.value = await call('settings_set', next);
      this.error = null;
      return true;
    } catch (e) {
      this.error = (e as { message?: string }).message ?? String(e);
      return false;
    } finally {
      this.saving = false;
    }
  }
}

/** The app's settings. */
export const settings = new SettingsStore();
