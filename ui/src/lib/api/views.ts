/** The `views_*` commands (`src-tauri/commands/views.rs`). Every function rejects with an `IpcError`. */
import { call } from '$lib/ipc/client';
import type { SavedViewsDto } from '$lib/ipc/gen/SavedViewsDto';
import type { ViewSaveRequest } from '$lib/ipc/gen/ViewSaveRequest';
import type { ViewScreenDto } from '$lib/ipc/gen/ViewScreenDto';

/** Both screens' saved views. */
export function getViews(): Promise<SavedViewsDto> {
  return call('views_get');
}

/** Saves one view (a view of the same name on its screen is replaced); resolves to every view. */
export function saveView(request: ViewSaveRequest): Promise<SavedViewsDto> {
  return call('views_save', request);
}

/** Deletes one view by name; resolves to every view. */
export function deleteView(screen: ViewScreenDto, name: string): Promise<SavedViewsDto> {
  return call('views_delete', { screen, name });
}
