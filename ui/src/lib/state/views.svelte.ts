import { deleteView, getViews, saveView } from '$lib/api/views';
import type { GroupsListRequest } from '$lib/ipc/gen/GroupsListRequest';
import type { SavedViewsDto } from '$lib/ipc/gen/SavedViewsDto';
import type { UsersListRequest } from '$lib/ipc/gen/UsersListRequest';
import type { ViewScreenDto } from '$lib/ipc/gen/ViewScreenDto';

/** The query type of a screen's views. */
export type ViewQuery<S extends ViewScreenDto> = S extends 'users' ? UsersListRequest : GroupsListRequest;

/** The saved views of the Users and Groups screens, read once and replaced by every change. */
class SavedViewsStore {
  /** Both screens' views; `null` until read. */
  value = $state<SavedViewsDto | null>(null);

  /** Reads the views (once; later calls answer what was read). */
  async load(): Promise<SavedViewsDto> {
    if (!this.value) this.value = await getViews();
    return this.value;
  }

  /** The names and queries of one screen's views. */
  of<S extends ViewScreenDto>(screen: S): { name: string; query: ViewQuery<S> }[] {
    const views = this.value?.[screen] ?? [];
    return views as { name: string; query: ViewQuery<S> }[];
  }

  /** Saves the current query of `screen` under `name` (replacing a view of that name). */
  async save<S extends ViewScreenDto>(screen: S, name: string, query: ViewQuery<S>): Promise<void> {
    const view = { name, query: withoutEmpty(query) };
    this.value = await saveView(screen === 'users' ? { users: view as never } : { groups: view as never });
  }

  /** Deletes one of `screen`'s views. */
  async remove(screen: ViewScreenDto, name: string): Promise<void> {
    this.value = await deleteView(screen, name);
  }
}

/** A query without its blank search and empty pickers: a view keeps only what narrows the list. */
export function withoutEmpty<Q extends object>(query: Q): Q {
  const entries = Object.entries(query).filter(([, v]) => {
    if (v === undefined || v === null) return false;
    if (typeof v === 'string') return v.trim() !== '';
    if (Array.isArray(v)) return v.length > 0;
    return true;
  });
  return Object.fromEntries(entries) as Q;
}

/** Two queries select the same rows (blank fields ignored, picker values in any order). */
export function sameQuery(a: object, b: object): boolean {
  const norm = (q: object) =>
    JSON.stringify(
      Object.entries(withoutEmpty(q))
        .map(([k, v]) => [k, Array.isArray(v) ? [...v].sort() : typeof v === 'string' ? v.trim() : v])
        .sort(([x], [y]) => String(x).localeCompare(String(y))),
    );
  return norm(a) === norm(b);
}

/** The saved views. */
export const savedViews = new SavedViewsStore();
