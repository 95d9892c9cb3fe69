/**
 * The `session_*` commands (`src-tauri/commands/session.rs`) and the sign-in progress event.
 * Every function rejects with an `IpcError`.
 */
import { listenTo, type Unlisten } from '$lib/ipc/events';
import { call } from '$lib/ipc/client';
import type { AccountRequest } from '$lib/ipc/gen/AccountRequest';
import type { SessionDto } from '$lib/ipc/gen/SessionDto';
import type { SignInOptionsDto } from '$lib/ipc/gen/SignInOptionsDto';
import type { SignInProgress } from '$lib/ipc/gen/SignInProgress';
import type { SignInProgressDto } from '$lib/ipc/gen/SignInProgressDto';
import type { SignInRequest } from '$lib/ipc/gen/SignInRequest';

/** Who is signed in now. */
export function getSession(): Promise<SessionDto> {
  return call('session_get');
}

/** Signs in with the chosen method and cloud; resolves when the sign-in has finished. */
export function signIn(request: SignInRequest): Promise<SessionDto> {
  return call('session_sign_in', request);
}

/** Asks for the permission to make changes: a browser sign-in for read and write (after an
 * `app.allowChanges` error). */
export function allowChanges(): Promise<null> {
  return call('session_allow_changes');
}

/** Signs out (a real account's saved sign-in is removed). */
export function signOut(): Promise<SessionDto> {
  return call('session_sign_out');
}

/** The saved accounts and the `--authority` the app was started with, for the sign-in screen. */
export function listAccounts(): Promise<SignInOptionsDto> {
  return call('session_accounts');
}

/** Signs in silently to a saved account. */
export function useAccount(request: AccountRequest): Promise<SessionDto> {
  return call('session_use_account', request);
}

/** Forgets a saved account and its saved sign-in; resolves to the accounts left. */
export function removeAccount(request: AccountRequest): Promise<SignInOptionsDto> {
  return call('session_remove_account', request);
}

/** Leaves the session but keeps the account saved. */
export function switchAccount(): Promise<SessionDto> {
  return call('session_switch_account');
}

/** Cancels the running sign-in. */
export function cancelSignIn(): Promise<null> {
  return call('session_cancel_sign_in');
}

/** What the running sign-in asks of the person, for a screen opened while it runs. */
export function signInProgress(): Promise<SignInProgressDto> {
  return call('session_sign_in_progress');
}

/** Opens the device-code page in the system browser. */
export function openDevicePage(): Promise<null> {
  return call('session_open_device_page');
}

export type { Unlisten };

/** Subscribes to sign-in progress; resolves once the subscription is active. */
export type ProgressSubscriber = (handler: (progress: SignInProgress) => void) => Promise<Unlisten>;

/** Listens to the sign-in progress event (Tauri's API is loaded lazily so tests never import it). */
export const onSignInProgress: ProgressSubscriber = (handler) =>
  listenTo('session-sign-in-progress', handler);
