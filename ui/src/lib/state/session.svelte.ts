import { appInfo } from '$lib/api/app';
import * as sessionApi from '$lib/api/session';
import type { ProgressSubscriber } from '$lib/api/session';
import type { IpcError } from '$lib/ipc/errors';
import { normaliseError } from '$lib/ipc/errors';
import type { AccountDto } from '$lib/ipc/gen/AccountDto';
import type { Cloud } from '$lib/ipc/gen/Cloud';
import type { SavedAccountDto } from '$lib/ipc/gen/SavedAccountDto';
import type { SignInMethod } from '$lib/ipc/gen/SignInMethod';
import type { SignInProgress } from '$lib/ipc/gen/SignInProgress';

/** Who is signed in, the saved accounts, and the sign-in flow's progress. One instance per app (`session` below). */
export class SessionStore {
  /** The signed-in account, or `null`. */
  account = $state<AccountDto | null>(null);
  /** Accounts that signed in before, for the picker. */
  savedAccounts = $state<SavedAccountDto[]>([]);
  /** The `--authority` the app was started with; the cloud choice is fixed to it. */
  customAuthority = $state<string | null>(null);
  /** The app version, known after `load()`. */
  version = $state('');
  /** `load()` has finished at least once. */
  loaded = $state(false);
  /** A sign-in is running. */
  busy = $state(false);
  /** What the running sign-in asks of the person (the device code, "finish in the browser"). */
  progress = $state<SignInProgress | null>(null);
  /** The last sign-in failure, shown on the sign-in screen. */
  error = $state<IpcError | null>(null);

  readonly #subscribe: ProgressSubscriber;

  /** `subscribe` delivers the Rust side's progress events (tests pass a fake). */
  constructor(subscribe: ProgressSubscriber = sessionApi.onSignInProgress) {
    this.#subscribe = subscribe;
  }

  /** Whether someone is signed in. */
  get signedIn(): boolean {
    return this.account !== null;
  }

  /** Reads the current session from the Rust side. */
  async load(): Promise<void> {
    try {
      const [info, current] = await Promise.all([appInfo(), sessionApi.getSession()]);
      this.version = info.version;
      this.account = current.account;
      this.error = null;
    } catch (raw) {
      this.error = normaliseError(raw);
    } finally {
      this.loaded = true;
    }
  }

  /** Reads the saved accounts for the picker. */
  async loadAccounts(): Promise<void> {
    try {
      const options = await sessionApi.listAccounts();
      this.savedAccounts = options.accounts;
      this.customAuthority = options.customAuthority;
    } catch (raw) {
      this.error = normaliseError(raw);
    }
  }

  /** What the running sign-in asks of the person, for a screen opened while it runs. */
  async loadProgress(): Promise<void> {
    try {
      this.progress = (await sessionApi.signInProgress()).progress;
    } catch (raw) {
      this.error = normaliseError(raw);
    }
  }

  /**
   * Signs in; on failure keeps the person signed out and exposes the error (a cancelled sign-in is
   * no error). Progress events are listened to before the sign-in starts, so the device code is shown
   * while the Rust side polls.
   */
  async signIn(method: SignInMethod, cloud: Cloud): Promise<boolean> {
    return this.#run(async () => {
      let unlisten: (() => void) | null = null;
      try {
        if (method !== 'demo') unlisten = await this.#subscribe((progress) => (this.progress = progress));
        return (await sessionApi.signIn({ method, cloud })).account;
      } finally {
        unlisten?.();
      }
    });
  }

  /** Signs in silently to a saved account. */
  async useAccount(key: string): Promise<boolean> {
    return this.#run(async () => (await sessionApi.useAccount({ key })).account);
  }

  /** Forgets a saved account and its saved sign-in. */
  async removeAccount(key: string): Promise<void> {
    try {
      this.savedAccounts = (await sessionApi.removeAccount({ key })).accounts;
    } catch (raw) {
      this.error = normaliseError(raw);
    }
  }

  /** Cancels the running sign-in. */
  async cancel(): Promise<void> {
    try {
      await sessionApi.cancelSignIn();
    } catch (raw) {
      this.error = normaliseError(raw);
    }
  }

  /** Opens the device-code page in the system browser. */
  async openDevicePage(): Promise<void> {
    try {
      await sessionApi.openDevicePage();
    } catch (raw) {
      this.error = normaliseError(raw);
    }
  }

  /** Signs out (a real account's saved sign-in is removed). */
  async signOut(): Promise<void> {
    try {
      this.account = (await sessionApi.signOut()).account;
    } catch (raw) {
      this.error = normaliseError(raw);
    }
  }

  /** Leaves the session but keeps the account saved, to pick another one. */
  async switchAccount(): Promise<void> {
    try {
      this.account = (await sessionApi.switchAccount()).account;
    } catch (raw) {
      this.error = normaliseError(raw);
    }
  }

  /** Runs one sign-in: busy while it runs, the error kept on failure (a cancel is no failure). */
  async #run(signIn: () => Promise<AccountDto | null>): Promise<boolean> {
    this.busy = true;
    this.error = null;
    this.progress = null;
    try {
      this.account = await signIn();
      return this.account !== null;
    } catch (raw) {
      const error = normaliseError(raw);
      if (error.code !== 'cancelled') this.error = error;
      return false;
    } finally {
      this.busy = false;
      this.progress = null;
    }
  }
}

/** The app's session. */
export const session = new SessionStore();
