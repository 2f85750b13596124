import type { RequestScope } from '../lib/request-scope';
import type { ManagementClient } from '../management/management-client';
import { allRoleNames, lastPage, MAX_RBAC_ROLES, pageOf, PAGE } from './upstream-pages';
import type { Memberships } from './memberships';

/** Pages of a user's organizations read to find one of them (1,000 organizations); beyond, it is not counted as the user's. */
const MAX_ORG_PAGES = 10;
/**
 * Most organizations of a target whose member roles usergate reads (one call each). A target in more
 * counts as holding roles nobody may grant (directory/memberships.ts, ROLES_NOT_COUNTED).
 */
export const MAX_TARGET_ORGS = 20;

/**
 * The ids of a user's organizations (`GET /users/{id}/organizations`), up to `max` of them, in Auth0's
 * order; `complete` false when the user has more (or more pages than `maxPages`). `until`: stop as soon
 * as that organization is found (it is then among the ids).
 */
export async function organizationIdsOf(
  management: ManagementClient,
  userId: string,
  options: { max: number; maxPages: number; until?: string; scope?: RequestScope; coalesceTag?: string },
): Promise<{ ids: string[]; complete: boolean }> {
  const ids: string[] = [];
  for (let page = 0; page < options.maxPages; page++) {
    const answer = await management.getUserOrganizations(
      userId,
      { page, per_page: PAGE, include_totals: true },
      options.scope,
      options.coalesceTag,
    );
    const { items, total } = pageOf(answer, 'organizations');
    for (const org of items) {
      if (typeof org.id !== 'string') continue;
      if (ids.length >= options.max) return { ids, complete: false };
      ids.push(org.id);
      if (org.id === options.until) return { ids, complete: false };
    }
    if (lastPage(items.length, (page + 1) * PAGE, total)) return { ids, complete: true };
  }
  return { ids, complete: false };
}

/**
 * Whether a user is a member of `org` now, as `GET /users/{id}/organizations` says (every page up to a
 * bound: an organization not found within it is not counted as the user's).
 */
export async function memberOf(
  management: ManagementClient,
  userId: string,
  org: string,
  scope?: RequestScope,
  coalesceTag?: string,
): Promise<boolean> {
  const { ids } = await organizationIdsOf(management, userId, {
    max: MAX_ORG_PAGES * PAGE,
    maxPages: MAX_ORG_PAGES,
    until: org,
    scope,
    coalesceTag,
  });
  return ids.includes(org);
}

/**
 * The names of a member's roles in an organization, every page (`GET /organizations/{org}/members/{id}/roles`).
 * Stops once more than MAX_RBAC_ROLES were read (the caller's reader refuses that many as malformed).
 */
export function memberRoleNamesOf(
  management: ManagementClient,
  org: string,
  userId: string,
  scope?: RequestScope,
  coalesceTag?: string,
): Promise<unknown[]> {
  return allRoleNames((page) => management.getMemberRoles(org, userId, { page, per_page: PAGE, include_totals: true }, scope, coalesceTag));
}

/**
 * What a decision reads of a target's organizations: `scope`, whether it is a member of the caller's
 * organization; `organizations`, every organization (target protection with app_metadata roles);
 * `roles`, every organization and its member roles in each (target protection with rbac).
 */
export type TargetMemberships = 'scope' | 'organizations' | 'roles';

/**
 * What a decision needs of a target's organizations. `organizations` and `roles` (target protection):
 * its organizations up to MAX_TARGET_ORGS, and with `roles` its member roles in each; beyond the bound,
 * or a member-roles read Auth0 answered 404 or 400 (the membership went meanwhile), the memberships are
 * incomplete and the target counts as protected. `scope`: whether it is a member of `scopeOrg` (the
 * caller's organization), read until found (bounded: an organization not found within the bound is not
 * the target's, out of scope); nothing is read without a `scopeOrg`.
 */
export async function membershipsOfTarget(
  management: ManagementClient,
  userId: string,
  read: TargetMemberships,
  scope?: RequestScope,
  scopeOrg?: string,
): Promise<Memberships> {
  if (read === 'scope') {
    const member = scopeOrg !== undefined && (await memberOf(management, userId, scopeOrg, scope));
    return { orgs: new Map(member ? [[scopeOrg, undefined]] : []), complete: false };
  }
  const { ids, complete } = await organizationIdsOf(management, userId, { max: MAX_TARGET_ORGS, maxPages: 1, scope });
  if (read === 'organizations') return { orgs: new Map(ids.map((org) => [org, undefined])), complete };
  const orgs = new Map<string, readonly unknown[] | undefined>();
  let rolesComplete = true;
  for (const org of ids) {
    try {
      const names = await memberRoleNamesOf(management, org, userId, scope);
      if (names.length > MAX_RBAC_ROLES) rolesComplete = false;
      orgs.set(org, names);
    } catch (err) {
      if (![400, 404].includes((err as { status?: number }).status ?? 0)) throw err;
      orgs.set(org, undefined);
      rolesComplete = false;
    }
  }
  return { orgs, complete: complete && rolesComplete };
}
