import type { Action } from '../policy/fixed-fields';

/**
 * The Management API scopes each policy action needs, as Auth0's OpenAPI document lists them: each
 * inner list is one call's alternatives (any one of them will do). Every action on a single user
 * first reads it (`read:users`) to check scope and target protection.
 */
export const ACTION_SCOPES: Readonly<Record<Action, readonly (readonly string[])[]>> = {
  list: [['read:users']],
  read: [['read:users']],
  create: [['create:users']],
  update: [['read:users'], ['update:users', 'update:users_app_metadata']],
  delete: [['read:users'], ['delete:users']],
  reset_password: [['read:users'], ['create:user_tickets']],
  send_verification: [['read:users'], ['update:users']],
  unblock: [['read:users'], ['update:users']],
  reset_mfa: [['read:users'], ['read:authentication_methods'], ['delete:authentication_methods'], ['update:users']],
  // AUTH0_PLAN=standard: refresh tokens through device credentials (LOGOUT_SCOPES has both plans).
  logout: [['read:users'], ['read:device_credentials'], ['delete:device_credentials']],
  read_logs: [['read:users'], ['read:logs', 'read:logs_users']],
  // Organizations. A member is checked to be one through /users/{id}/organizations (read:organizations) and
  // read for target protection (read:users). The member-roles routes have no action of their own: they
  // come with the members screen (list_members), reading, assigning and removing member roles by id
  // (names resolved through /roles).
  list_members: [
    ['read:organization_members'],
    ['read:organizations'],
    ['read:users'],
    ['read:roles'],
    ['read:organization_member_roles'],
    ['create:organization_member_roles'],
    ['delete:organization_member_roles'],
  ],
  remove_member: [['read:organizations'], ['read:users'], ['delete:organization_members']],
  // The list of invitations, the invitation itself (roles as ids), the inviter's name from its profile.
  invite: [['read:organization_invitations'], ['create:organization_invitations'], ['read:roles'], ['read:users']],
  revoke_invitation: [['delete:organization_invitations']],
};

/** What sign-out and the sessions list call, per AUTH0_PLAN. */
export const LOGOUT_SCOPES: Readonly<Record<'enterprise' | 'standard', readonly (readonly string[])[]>> = {
  enterprise: [['read:users'], ['read:sessions'], ['delete:sessions'], ['read:refresh_tokens'], ['delete:refresh_tokens']],
  standard: ACTION_SCOPES.logout,
};

/**
 * What ROLES_SOURCE=rbac adds: the roles routes (`update`) resolve role names through `GET /roles`
 * (read:roles) and assign or remove them (`POST`/`DELETE /users/{id}/roles`). Reading a user's RBAC
 * roles (`GET /users/{id}/roles`) accepts read:users, which every action needs already.
 */
export const RBAC_SCOPES: Readonly<Partial<Record<Action, readonly (readonly string[])[]>>> = {
  update: [['read:roles'], ['update:users', 'create:role_members'], ['update:users', 'delete:role_members']],
};

/**
 * What ORG_SOURCE=organizations adds to every action: the caller's org is checked against its
 * memberships (`GET /users/{id}/organizations`, read:organizations), and so is a target's for scope and
 * target protection. `list` of an org-scoped caller pages through its organization's members
 * (read:organization_members); `create` of one adds the new user to it (create:organization_members)
 * and, when that fails, deletes the user again (delete:users).
 */
export const ORGANIZATIONS_SCOPES: Readonly<Partial<Record<Action, readonly (readonly string[])[]>>> = {
  list: [['read:organization_members']],
  create: [['create:organization_members'], ['delete:users']],
};
/** With ROLES_SOURCE=rbac too: the caller's member roles in its org, and a target's in each of its organizations. */
export const ORGANIZATION_ROLES_SCOPES: readonly (readonly string[])[] = [['read:organization_member_roles']];

export interface MissingScope {
  action: Action;
  /** The alternatives, e.g. `read:logs or read:logs_users`. */
  scope: string;
}

/** The scope claim of a JWT, read without verification (the token is usergate's own, from the token endpoint). */
export function scopesOfToken(token: string): Set<string> | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { scope?: unknown };
    return typeof claims.scope === 'string' ? new Set(claims.scope.split(' ').filter(Boolean)) : undefined;
  } catch {
    return undefined;
  }
}

/** For each enabled action, every needed scope the token lacks (none of its alternatives granted), on the tenant's plan, roles source and org source. */
export function missingScopes(
  actions: Iterable<Action>,
  granted: ReadonlySet<string>,
  plan: 'enterprise' | 'standard' = 'standard',
  rolesSource?: string,
  orgSource?: string,
): MissingScope[] {
  const missing: MissingScope[] = [];
  const organizations = orgSource === 'organizations';
  for (const action of [...new Set(actions)].sort()) {
    const needed = [
      ...(action === 'logout' ? LOGOUT_SCOPES[plan] : ACTION_SCOPES[action]),
      ...((rolesSource === 'rbac' && RBAC_SCOPES[action]) || []),
      ...(organizations ? [['read:organizations'], ...(ORGANIZATIONS_SCOPES[action] ?? [])] : []),
      ...(organizations && rolesSource === 'rbac' ? ORGANIZATION_ROLES_SCOPES : []),
    ];
    for (const alternatives of needed) {
      if (!alternatives.some((s) => granted.has(s))) missing.push({ action, scope: alternatives.join(' or ') });
    }
  }
  return missing;
}

/** One line per missing scope, naming the action: what start-up logs and /readyz shows. */
export function describeMissing(missing: MissingScope[]): string[] {
  return missing.map((m) => `action "${m.action}" needs the Management API scope ${m.scope}, which usergate's machine token lacks`);
}
