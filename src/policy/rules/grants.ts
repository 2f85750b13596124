import { errors } from '../../errors';
import type { Permissions } from '../permissions';
import type { RolePolicy } from '../policy';
import { refuse, roleNames } from '../refusal';

/** Grant bounds, in one place: a role may be put on or taken off a user only when an acting role's `grant` names it. */
export function canGrant(acting: readonly RolePolicy[], role: string): boolean {
  return acting.some((r) => r.grant.has(role));
}

/** Roles granted or revoked by the body (through the directory) must all be grantable by the acting roles. */
export function checkGrants(p: Permissions, body: Record<string, unknown>, target: unknown, acting: readonly RolePolicy[]): void {
  const change = p.policy.directory.roleChange(body, target);
  if (!change) return;
  const refused = [...change.added, ...change.removed].filter((role) => !canGrant(acting, role));
  if (refused.length > 0) refuse(errors.roleNotGrantable(refused), { role: roleNames(acting), key: 'grant', value: refused[0] });
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
