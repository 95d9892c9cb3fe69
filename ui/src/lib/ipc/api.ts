import { call } from './client';
import type { GroupsListRequest } from './gen/GroupsListRequest';
import type { SignInRequest } from './gen/SignInRequest';
import type { UsersListRequest } from './gen/UsersListRequest';

/** Typed wrappers, one group per `src-tauri/commands/<domain>.rs`. */
export const app = {
  info: () => call('app_info'),
};

/** `session_*` commands. */
export const session = {
  get: () => call('session_get'),
  signIn: (request: SignInRequest) => call('session_sign_in', request),
  signOut: () => call('session_sign_out'),
};

/** `users_*` and `groups_*` commands. */
export const directory = {
  users: (request: UsersListRequest = {}) => call('users_list', request),
  groups: (request: GroupsListRequest = {}) => call('groups_list', request),
};
