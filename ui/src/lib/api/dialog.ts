/**
 * The `dialog_*` commands (`src-tauri/commands/dialog.rs`): the native save dialog and folder picker,
 * opened from Rust (on Linux GTK's file chooser). The save dialog answers a handle for the chosen
 * file, which the exports, downloads and copies take; the webview never names a path to write.
 * Every function rejects with an `IpcError`.
 */
import { call } from '$lib/ipc/client';
import type { FileRefDto } from '$lib/ipc/gen/FileRefDto';

/**
 * The native save dialog titled `title`, for a CSV file, suggesting `suggested` (a name, opened in
 * the output folder, or a full path); resolves to the chosen file or `null`. The end-to-end tests
 * find it by its title and answer it with the keyboard (tests/e2e/native_dialog.py).
 */
export async function chooseSaveFile(suggested: string, title: string): Promise<FileRefDto | null> {
  return (await call('dialog_save_file', { title, suggested })).file;
}

/** The native folder picker, starting in `start`; resolves to the chosen folder or `null`. */
export async function chooseFolder(start: string): Promise<string | null> {
  return (await call('dialog_choose_folder', { start: start || undefined })).path;
}
