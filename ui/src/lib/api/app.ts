/** The `app_*` commands (`src-tauri/commands/app.rs`). Every function rejects with an `IpcError`. */
import { call } from '$lib/ipc/client';
import type { AppInfo } from '$lib/ipc/gen/AppInfo';

/** The app's version and whether it runs on the demo tenant. */
export function appInfo(): Promise<AppInfo> {
  return call('app_info');
}
