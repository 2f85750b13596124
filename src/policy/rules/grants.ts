import { errors } from '../../errors';
import type { Permissions } from '../permissions';
import type { RolePolicy } from '../policy';
import { refuse, roleNames } from '../refusal';

/** Grant bounds, in one place: a role may be put on or taken off a user only when an acting role's `grant` names it. */
export function canGrant(acting: readonly RolePolicy[], role: string): boolean {
  return acting.some((r) => r.grant.has(role));
}

const reachesEveryOrg = (role: RolePolicy): boolean => role.scope === 'all';

/**
 * Tenant roles (what `/users/:id/roles` changes, and, where organizations live apart, `app_metadata`
 * roles written by a profile write) act in every organization the user is or will be a member of: only
 * acting roles reaching every org (`scope: all`) change them. None: 403 `action_forbidden`, on every
 * path that changes them (the roles routes, update, create), with the same words.
 */
export function tenantRoleChangers(acting: readonly RolePolicy[]): RolePolicy[] {
  const changers = acting.filter(reachesEveryOrg);
  if (changers.length === 0) {
    refuse(errors.actionForbidden('update of tenant roles (your roles are limited to your org)'), {
      role: roleNames(acting),
      key: 'scope',
      value: 'org',
    });
  }
  return changers;
}

/**
 * The acting roles whose `grant` lists count for roles a profile write (update, create) changes: all of
 * them where a user's org is a value of its profile (its roles act there only), only those reaching
 * every org where organizations live apart (the roles are tenant roles: tenantRoleChangers).
 */
export function profileRoleGranters(p: Permissions, acting: readonly RolePolicy[]): readonly RolePolicy[] {
  return p.policy.directory.orgsApart ? acting.filter(reachesEveryOrg) : acting;
}

/**
 * Roles granted or revoked by the body (through the directory) must all be grantable by the acting
 * roles; where organizations live apart, only by those reaching every org (tenantRoleChangers).
 */
export function checkGrants(p: Permissions, body: Record<string, unknown>, target: unknown, acting: readonly RolePolicy[]): void {
  const change = p.policy.directory.roleChange(body, target);
  if (!change) return;
  const granting = p.policy.directory.orgsApart ? tenantRoleChangers(acting) : acting;
  const refused = [...change.added, ...change.removed].filter((role) => !canGrant(granting, role));
  if (refused.length > 0) refuse(errors.roleNotGrantable(refused), { role: roleNames(granting), key: 'grant', value: refused[0] });
}

/**
 * The roles the acting roles may add to or remove from a user: the names their `grant` lists hold,
 * `*` read as every role of the policy plus every role the user holds now.
 */
export function grantableRoles(p: Permissions, acting: readonly RolePolicy[], targetRoles: readonly string[]): string[] {
  const names = new Set<string>();
  for (const role of acting) {
    if (role.grant.all) {
      for (const name of p.policy.roles.keys()) names.add(name);
      for (const name of targetRoles) names.add(name);
    } else for (const name of role.grant.names) names.add(name);
  }
  return [...names].sort();
}
