/** The roles a write grants and revokes on a user. */
export interface RoleChange {
  added: string[];
  removed: string[];
}

/** How a list is narrowed to one org upstream (the search filter the list's query is wrapped with). */
export interface OrgFilter {
  orgPath: string;
  org: string;
}

/**
 * The directory port: where a user's roles and org live, read from a user as the Management API
 * answers it and written through a user body. The policy decides with what this port reads and never
 * names a storage path itself; a new roles source (Auth0 RBAC, Organizations) is a new implementation
 * of this interface, nothing else.
 *
 * The caller side of the port is `auth/resolve-caller.ts`'s `CallerResolver` (re-exported by
 * `directory/index.ts`): it resolves the calling subject with the same source.
 */
export interface UserDirectory {
  /** A name for logs and docs (`app_metadata`, ...). */
  readonly source: string;
  /** The field patterns (policy vocabulary) that hold the roles and the org: what reading or writing them means. */
  readonly rolesField: string;
  readonly orgField: string;
  /**
   * Whether a user's roles live apart from its profile (Auth0 RBAC): an operation that decides on a
   * target's roles fetches them and sets them at `rolesField` (the pseudo-field `roles`) of the user
   * it decides on. False: `rolesOf` reads them from the profile itself.
   */
  readonly rolesApart: boolean;
  /** Root attributes an upstream read must include for `rolesOf` / `orgOf` to answer. */
  readonly neededFields: readonly string[];
  /** The roles a fetched user holds ([] when none). */
  rolesOf(user: unknown): string[];
  /** The org of a fetched user; undefined when it has none. */
  orgOf(user: unknown): string | undefined;
  /** The roles a write body grants and revokes on `user`; undefined when it changes none. Malformed roles: 400 invalid_roles. */
  roleChange(body: Record<string, unknown>, user: unknown): RoleChange | undefined;
  /** Whether the body can rewrite the user's roles or org (even to the same value): its cached caller entry must go. */
  rewritesRolesOrOrg(body: Record<string, unknown>, user: unknown): boolean;
  /** The org the user has once the body is written. */
  orgAfter(body: Record<string, unknown>, user: unknown): string | undefined;
  /** The org a create body asks for, as written (undefined when it names none). */
  orgAskedIn(body: Record<string, unknown>): unknown;
  /** A copy of a create body with the org forced to `org`. */
  withOrg(body: Record<string, unknown>, org: string): Record<string, unknown>;
  /** The upstream list filter that keeps only users of `org`. */
  listFilter(org: string): OrgFilter;
}
