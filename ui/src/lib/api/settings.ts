/** The `settings_*` commands (`src-tauri/commands/settings.rs`). Every function rejects with an `IpcError`. */
import { call } from '$lib/ipc/client';
import type { SettingsDto } from '$lib/ipc/gen/SettingsDto';

/** The saved download settings. */
export function getSettings(): Promise<SettingsDto> {
  return call('settings_get');
}

/** Saves the download settings; resolves to what was saved (a validation error rejects). */
export function saveSettings(settings: SettingsDto): Promise<SettingsDto> {
  return call('settings_set', settings);
}
