/**
 * The native file dialogs of tauri-plugin-dialog (on Linux GTK's file chooser): the plugin's own
 * commands, which the generated `Commands` table does not list. Every function rejects with an `IpcError`.
 */
import { normaliseError } from '$lib/ipc/errors';

/** Sends one of the dialog plugin's commands; a failure becomes an `IpcError`. */
async function dialogCommand<T>(command: 'save' | 'open', options: Record<string, unknown>): Promise<T> {
  const { invoke } = await import('@tauri-apps/api/core');
  try {
    return await invoke<T>(`plugin:dialog|${command}`, { options });
  } catch (raw) {
    throw normaliseError(raw);
  }
}

/**
 * The native save dialog titled `title`, for a CSV file; resolves to the chosen path or `null`. The
 * end-to-end tests find it by its title and answer it with the keyboard (tests/e2e/native_dialog.py).
 */
export async function chooseSavePath(defaultPath: string, title: string): Promise<string | null> {
  const chosen = await dialogCommand<string | null>('save', {
    title,
    defaultPath,
    filters: [{ name: 'CSV', extensions: ['csv'] }],
  });
  return chosen ?? null;
}

/** The native folder picker, starting in `defaultPath`; resolves to the chosen folder or `null`. */
export async function chooseFolder(defaultPath: string): Promise<string | null> {
  const chosen = await dialogCommand<string | null>('open', { directory: true, defaultPath });
  return chosen ?? null;
}
