import { ROLES_NOT_COUNTED } from '../../directory/memberships';
import { errors } from '../../errors';
import type { Permissions } from '../permissions';
import type { RolePolicy } from '../policy';
import { refuse, roleNames } from '../refusal';

/**
 * Who may manage whom, in one place: the roles a target holds (known to the policy or not) that none of
 * the acting roles may grant. While any remain, the caller may not act on the target beyond reading
 * it: nobody manages someone above them, or beside them. Roles usergate could not count (a member of
 * more organizations than it reads) are granted by nobody, not even `*`.
 */
export function protectedRoles(targetRoles: readonly string[], acting: readonly RolePolicy[]): string[] {
  return targetRoles.filter((role) => role === ROLES_NOT_COUNTED || !acting.some((r) => r.grant.has(role)));
}

/**
 * Every action on an existing user other than `list` and `read`: 403 `target_protected` naming the roles.
 * The roles counted are `directory.rolesOf(target)`: with Organizations, the tenant roles and the member
 * roles in every organization of the target (operations/context.ts `fetchTarget` reads them).
 */
export function checkManageable(p: Permissions, target: unknown, acting: readonly RolePolicy[]): void {
  const above = protectedRoles(p.policy.directory.rolesOf(target), acting);
  if (above.length > 0) refuse(errors.targetProtected(above), { role: roleNames(acting), key: 'grant', value: above[0] });
}
