import type { RolePolicy } from './policy';
import { storedRolesOf } from './user-fields';

/**
 * Who may manage whom: the roles a target holds (at ROLES_PATH, known to the policy or not) that none of
 * the acting roles may grant. While any remain, the caller may not act on the target beyond reading it:
 * nobody manages someone above them, or beside them.
 */
export function protectedRoles(target: unknown, acting: readonly RolePolicy[], rolesPath: string): string[] {
  return storedRolesOf(target, rolesPath).filter((role) => !acting.some((r) => r.grant.has(role)));
}
