/** The `app_*` commands (`src-tauri/commands/app.rs`). Every function rejects with an `IpcError`. */
import { call } from '$lib/ipc/client';
import type { AppInfo } from '$lib/ipc/gen/AppInfo';
import type { NotificationWordsDto } from '$lib/ipc/gen/NotificationWordsDto';

/** The app's version and whether it runs on the demo tenant. */
export function appInfo(): Promise<AppInfo> {
  return call('app_info');
}

/** Gives Rust the words of the native "job ended" notifications in the language the UI shows. */
export function setNotificationWords(words: NotificationWordsDto): Promise<null> {
  return call('app_notification_words', words);
}
