import { call } from './client';
import type { GroupMembersRequest } from './gen/GroupMembersRequest';
import type { GroupsListRequest } from './gen/GroupsListRequest';
import type { AccountRequest } from './gen/AccountRequest';
import type { MembershipPreviewRequest } from './gen/MembershipPreviewRequest';
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
  accounts: () => call('session_accounts'),
  useAccount: (request: AccountRequest) => call('session_use_account', request),
  removeAccount: (request: AccountRequest) => call('session_remove_account', request),
  switchAccount: () => call('session_switch_account'),
  cancelSignIn: () => call('session_cancel_sign_in'),
  progress: () => call('session_sign_in_progress'),
  openDevicePage: () => call('session_open_device_page'),
};

/** `users_*` and `groups_*` commands. */
export const directory = {
  users: (request: UsersListRequest = {}) => call('users_list', request),
  groups: (request: GroupsListRequest = {}) => call('groups_list', request),
  usersMore: (listing: string) => call('users_more', { listing }),
  userFacets: () => call('users_facets'),
  groupsMore: (listing: string) => call('groups_more', { listing }),
  group: (id: string) => call('group_get', { id }),
  members: (request: GroupMembersRequest) => call('group_members', request),
  membersMore: (listing: string) => call('group_members_more', { listing }),
};

/** `membership_*` commands. */
export const membership = {
  preview: (request: MembershipPreviewRequest) => call('membership_preview', request),
  pickFile: () => call('membership_pick_file'),
  start: (previewId: string) => call('membership_start', { previewId }),
};
