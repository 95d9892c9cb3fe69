import type { IpcError } from '$lib/ipc/errors';

/** What a toast's buttons can do with a finished job's file. */
export interface ToastAction {
  /** The button text (already translated). */
  label: string;
  /** What the button does. */
  run: () => void;
}

/** One message in the toast region. */
export interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'success' | 'error';
  actions: ToastAction[];
  /** The failed command a toast reports (its code and detail are shown with the message). */
  error: IpcError | null;
}

/** How long a toast stays (ms); the person can close it earlier. */
const LIFETIME = 10_000;

/** The toasts on screen, newest last. Shown by `Toast.svelte` in the app shell. */
class ToastStore {
  items = $state<Toast[]>([]);
  #next = 1;

  /** Shows a toast; returns its id. */
  show(text: string, kind: Toast['kind'] = 'info', actions: ToastAction[] = []): number {
    const id = this.#next++;
    return this.#add({ id, text, kind, actions, error: null });
  }

  /** Shows a failed command as an error toast: its message, with its code and detail kept. */
  showError(error: IpcError, actions: ToastAction[] = []): number {
    const id = this.#next++;
    return this.#add({ id, text: error.shown, kind: 'error', actions, error });
  }

  #add(toast: Toast): number {
    this.items = [...this.items, toast];
    if (typeof window !== 'undefined') setTimeout(() => this.dismiss(toast.id), LIFETIME);
    return toast.id;
  }

  /** Removes a toast. */
  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

/** The app's toasts. */
export const toasts = new ToastStore();

/**
 * Opens a `<dialog>` as a modal (centred in the top layer, the page behind inert, Escape closes it);
 * where `showModal` is missing (jsdom) it is just opened.
 */
export function showModal(dialog: HTMLDialogElement): void {
  if (typeof dialog.showModal === 'function') dialog.showModal();
  else dialog.setAttribute('open', '');
}
