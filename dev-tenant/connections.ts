import { createHash } from 'node:crypto';

/** Password strength levels of a database connection (Auth0's password policy). */
export type PasswordPolicy = 'none' | 'low' | 'fair' | 'good' | 'excellent';

/**
 * When a social or enterprise connection copies the provider's profile onto the user's root
 * attributes (Auth0's `set_user_root_attributes`); only `on_each_login` makes them read-only.
 */
export type ProfileSync = 'on_each_login' | 'on_first_login' | 'never_on_login';

export interface Connection {
  name: string;
  strategy: string;
  /** true for database connections: the only ones users can be created in, or whose email and password can be edited. */
  database: boolean;
  isSocial: boolean;
  /** Database connections: the password strength required on create and update. */
  passwordPolicy?: PasswordPolicy;
  /** Database connections: whether users have a `username` (otherwise setting one is refused). */
  requiresUsername?: boolean;
  /** Social and enterprise connections. */
  profileSync?: ProfileSync;
}

/** The seeded connections: database ones with different password levels, social and enterprise ones with and without profile sync. */
export const CONNECTIONS: Connection[] = [
  {
    name: 'Username-Password-Authentication',
    strategy: 'auth0',
    database: true,
    isSocial: false,
    passwordPolicy: 'good',
    requiresUsername: false,
  },
  { name: 'partners-db', strategy: 'auth0', database: true, isSocial: false, passwordPolicy: 'excellent', requiresUsername: true },
  { name: 'legacy-db', strategy: 'auth0', database: true, isSocial: false, passwordPolicy: 'none', requiresUsername: false },
  { name: 'google-oauth2', strategy: 'google-oauth2', database: false, isSocial: true, profileSync: 'on_each_login' },
  { name: 'github', strategy: 'github', database: false, isSocial: true, profileSync: 'on_first_login' },
  { name: 'acme-azure', strategy: 'waad', database: false, isSocial: false, profileSync: 'on_each_login' },
  { name: 'globex-saml', strategy: 'samlp', database: false, isSocial: false, profileSync: 'on_each_login' },
];

/** A connection's stable id (`con_` and 16 characters, Auth0's shape), as invitations name it. */
export function connectionIdFor(name: string): string {
  return `con_${createHash('sha256').update(`connection:${name}`).digest('base64url').replace(/[-_]/g, 'x').slice(0, 16)}`;
}

export function findConnectionById(id: unknown): Connection | undefined {
  return CONNECTIONS.find((c) => connectionIdFor(c.name) === id);
}

export function findConnection(name: unknown): Connection | undefined {
  return CONNECTIONS.find((c) => c.name === name);
}

/** Enterprise: neither database nor social (SAML, Azure AD, ...). */
export function isEnterprise(connection: Connection): boolean {
  return !connection.database && !connection.isSocial;
}
