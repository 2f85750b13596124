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
  /**
   * Whether a user's organizations live apart from its profile (ORG_SOURCE=organizations): the operations
   * read a target's memberships and attach them (directory/memberships.ts) where a decision needs them,
   * lists of an org-scoped caller go through the organization's members, and creates join the new user
   * to the organization. False: the org is a value of the profile (`orgOf`).
   */
  readonly orgsApart: boolean;
  /** Root attributes an upstream read must include for `rolesOf` / `orgOf` to answer. */
  readonly neededFields: readonly string[];
  /**
   * Every role a fetched user holds, as target protection counts them ([] when none): with Organizations,
   * its tenant roles and its member roles in each of its organizations (ROLES_NOT_COUNTED when they could
   * not all be read).
   */
  rolesOf(user: unknown): string[];
  /** The roles `/users/:id/roles` reads and writes: the tenant roles (the same as `rolesOf` without Organizations). */
  tenantRolesOf(user: unknown): string[];
  /** The org of a fetched user as a profile value; undefined when it has none (always, with Organizations). */
  orgOf(user: unknown): string | undefined;
  /** Whether a fetched user belongs to `org` (what a `scope: org` role of a caller of `org` reaches). */
  inOrg(user: unknown, org: string): boolean;
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
  /** The upstream search filter that keeps only users of `org` (not used where `orgsApart`: lists go through the members). */
  listFilter(org: string): OrgFilter;
}
