import { errors } from '../../errors';
import type { Permissions } from '../permissions';
import type { RolePolicy } from '../policy';
import { refuse, roleNames } from '../refusal';

/**
 * Who may manage whom, in one place: the roles a target holds (known to the policy or not) that none of
 * the acting roles may grant. While any remain, the caller may not act on the target beyond reading
 * it: nobody manages someone above them, or beside them.
 */
export function protectedRoles(targetRoles: readonly string[], acting: readonly RolePolicy[]): string[] {
  return targetRoles.filter((role) => !acting.some((r) => r.grant.has(role)));
}

/** Every action on an existing user other than `list` and `read`: 403 `target_protected` naming the roles. */
export function checkManageable(p: Permissions, target: unknown, acting: readonly RolePolicy[]): void {
  const above = protectedRoles(p.policy.directory.rolesOf(target), acting);
  if (above.length > 0) refuse(errors.targetProtected(above), { role: roleNames(acting), key: 'grant', value: above[0] });
}
