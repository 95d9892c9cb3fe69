import type { EventName, Events } from './gen/events';

/** Stops listening. */
export type Unlisten = () => void;

/**
 * Calls `handler` with the payload of every `name` event the app sends; the payload's type comes from
 * the generated `Events` table (src-tauri/ipc/events.rs), so a name and its payload never drift.
 * Tauri's API is loaded lazily so tests never import it. Resolves, once listening, to the stop function.
 */
export async function listenTo<N extends EventName>(
  name: N,
  handler: (payload: Events[N]) => void,
): Promise<Unlisten> {
  const { listen } = await import('@tauri-apps/api/event');
  return listen<Events[N]>(name, (event) => handler(event.payload));
}
