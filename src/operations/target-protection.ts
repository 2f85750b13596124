import { errors } from '../errors';
import type { RolePolicy } from '../policy/policy';
import { storedRolesOf } from '../policy/user-fields';
import type { OperationContext } from './context';

/**
 * Who may manage whom: acting on an existing user requires that every role the target holds (at
 * `app_metadata.<ROLES_PATH>`) be grantable by one of the acting roles; a role granting `*` manages
 * anyone. Otherwise 403 `target_protected`, before anything is forwarded.
 */
export function requireManageable(ctx: OperationContext, target: Record<string, unknown>, acting: RolePolicy[]): void {
  const held = storedRolesOf(target, ctx.permissions.policy.rolesPath);
  if (held.some((role) => !acting.some((r) => r.grant.has(role)))) throw errors.targetProtected();
}
