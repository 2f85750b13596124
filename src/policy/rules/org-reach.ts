import { errors } from '../../errors';
import type { Action } from '../fixed-fields';
import type { Permissions } from '../permissions';
import type { RolePolicy } from '../policy';
import { refuse, roleNames } from '../refusal';

/**
 * Organization reach, in one place: a role acts in an organization when its scope is `all`, or when it
 * is org-scoped and the organization is the caller's own. Compared as exact strings (organization ids).
 */
export function reachesOrg(role: RolePolicy, callerOrg: string | undefined, org: string): boolean {
  return role.scope === 'all' || (callerOrg !== undefined && callerOrg === org);
}

/** The caller's roles that act in the organization: all of them, or those allowing `action`. */
export function rolesInOrg(p: Permissions, org: string, action?: Action): RolePolicy[] {
  const callerOrg = p.caller.org;
  return p.roles.filter((r) => (action === undefined ? r.can.size > 0 : r.can.has(action)) && reachesOrg(r, callerOrg, org));
}

/**
 * The roles that act in the organization, or 404 `org_not_found`: an organization none of the caller's
 * roles reaches is answered exactly as one that does not exist (its existence is never confirmed).
 */
export function actingInOrg(p: Permissions, org: string, action?: Action): RolePolicy[] {
  const acting = rolesInOrg(p, org, action);
  if (acting.length === 0) {
    refuse(errors.orgNotFound(), { role: roleNames(action ? p.rolesWithAction(action) : p.roles), key: 'scope', value: 'org' });
  }
  return acting;
}
