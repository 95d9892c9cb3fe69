/**
 * Small column catalogues shaped like the ones Rust's `downloads_columns` answers (a few columns of
 * each theme, the costly one included), for the download dialog's and the column picker's tests.
 */
import type { ColumnCatalogue } from '$lib/ipc/gen/ColumnCatalogue';
import type { ColumnDto } from '$lib/ipc/gen/ColumnDto';

function column(
  header: string,
  theme: ColumnDto['theme'],
  flags: { default?: boolean; costly?: boolean; permissions?: string[] } = {},
): ColumnDto {
  return {
    header,
    description: '',
    theme,
    default: flags.default ?? false,
    costly: flags.costly ?? false,
    permissions: flags.permissions ?? [],
  };
}

const portal = ['userPrincipalName', 'displayName', 'department', 'authenticationEmail'];

/** Users: the default set is the portal's without the costly authentication column. */
export const usersCatalogue: ColumnCatalogue = {
  columns: [
    column('userPrincipalName', 'identity', { default: true }),
    column('displayName', 'identity', { default: true }),
    column('department', 'job', { default: true }),
    column('authenticationEmail', 'authentication', { costly: true, permissions: ['UserAuthenticationMethod.Read.All'] }),
    column('city', 'contact'),
    column('manager/displayName', 'job'),
    column('signInActivity/lastSignInDateTime', 'signIn', { permissions: ['AuditLog.Read.All'] }),
    column('extensionAttribute1', 'extensionAttributes'),
  ],
  defaultSpec: 'default',
  costNote: 'Authentication-method columns need extra requests.',
  presets: [
    { name: 'default', spec: 'default', columns: ['userPrincipalName', 'displayName', 'department'] },
    { name: 'portal', spec: 'portal', columns: portal },
    {
      name: 'portalManagerSignIn',
      spec: 'portal,manager/displayName,signInActivity/lastSignInDateTime',
      columns: [...portal, 'manager/displayName', 'signInActivity/lastSignInDateTime'],
    },
    { name: 'everything', spec: 'all', columns: [...portal, 'city', 'extensionAttribute1'] },
  ],
};

/** Groups: a default set and everything; the member count costs a request per group. */
export const groupsCatalogue: ColumnCatalogue = {
  columns: [
    column('displayName', 'group', { default: true }),
    column('membershipRule', 'membership', { default: true }),
    column('memberCount', 'membership', { costly: true }),
    column('visibility', 'group'),
  ],
  defaultSpec: 'default',
  costNote: '',
  presets: [
    { name: 'default', spec: 'default', columns: ['displayName', 'membershipRule'] },
    { name: 'everything', spec: 'all', columns: ['displayName', 'membershipRule', 'visibility'] },
  ],
};

/** Members: one preset, the member columns. */
export const membersCatalogue: ColumnCatalogue = {
  columns: [
    column('groupName', 'group', { default: true }),
    column('memberType', 'membership', { default: true }),
    column('userPrincipalName', 'identity', { default: true }),
  ],
  defaultSpec: 'default',
  costNote: '',
  presets: [{ name: 'default', spec: 'default', columns: ['groupName', 'memberType', 'userPrincipalName'] }],
};
