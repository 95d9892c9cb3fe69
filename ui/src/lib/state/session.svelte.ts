import { app, session as sessionApi } from '$lib/ipc/api';
import type { IpcError } from '$lib/ipc/errors';
import { normaliseError } from '$lib/ipc/errors';
import type { AccountDto } from '$lib/ipc/gen/AccountDto';
import type { Cloud } from '$lib/ipc/gen/Cloud';
import type { SignInMethod } from '$lib/ipc/gen/SignInMethod';

/** Who is signed in, and the sign-in flow's progress. One instance per app (`session` below). */
export class SessionStore {
  /** The signed-in account, or `null`. */
  account = $state<AccountDto | null>(null);
  /** The app version, known after `load()`. */
  version = $state('');
  /** `load()` has finished at least once. */
  loaded = $state(false);
  /** A sign-in is running. */
  busy = $state(false);
  /** The last sign-in failure, shown on the sign-in screen. */
  error = $state<IpcError | null>(null);

  /** Whether someone is signed in. */
  get signedIn(): boolean {
    return this.account !== null;
  }

  /** Reads the current session from the Rust side. */
  async load(): Promise<void> {
    try {
      const [info, current] = await Promise.all([app.info(), sessionApi.get()]);
      this.version = info.version;
      this.account = current.account;
      this.error = null;
    } catch (raw) {
      this.error = normaliseError(raw);
    } finally {
      this.loaded = true;
    }
  }

  /** Signs in; on failure keeps the person signed out and exposes the error. */
  async signIn(method: SignInMethod, cloud: Cloud): Promise<boolean> {
    this.busy = true;
    this.error = null;
    try {
      this.account = (await sessionApi.signIn({ method, cloud })).account;
      return this.account !== null;
    } catch (raw) {
      this.error = normaliseError(raw);
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** Signs out. */
  async signOut(): Promise<void> {
    try {
      this.account = (await sessionApi.signOut()).account;
    } catch (raw) {
      this.error = normaliseError(raw);
    }
  }
}

/** The app's session. */
export const session = new SessionStore();
