import type { SignInProgress } from '$lib/ipc/gen/SignInProgress';

/** The Tauri event the Rust side sends while a sign-in runs (`SIGN_IN_PROGRESS_EVENT` in ipc/session.rs). */
export const SIGN_IN_PROGRESS_EVENT = 'session-sign-in-progress';

/** Stops listening. */
export type Unlisten = () => void;

/** Subscribes to sign-in progress; resolves once the subscription is active. */
export type ProgressSubscriber = (handler: (progress: SignInProgress) => void) => Promise<Unlisten>;

/** Listens to the Tauri event (Tauri's API is loaded lazily so tests never import it). */
export const tauriProgress: ProgressSubscriber = async (handler) => {
  const { listen } = await import('@tauri-apps/api/event');
  return listen<SignInProgress>(SIGN_IN_PROGRESS_EVENT, (event) => handler(event.payload));
};
