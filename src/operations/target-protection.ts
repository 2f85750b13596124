import { errors } from '../errors';
import type { RolePolicy } from '../policy/policy';
import type { OperationContext } from './context';

/**
 * Who may manage whom, for every action on an existing user other than `read` and `list`: each role
 * the target holds must be grantable by the acting roles (the caller's roles that allow the action and
 * are in scope for the target). Otherwise 403 `target_protected`, naming the roles, before anything is
 * sent upstream.
 */
export function requireManageable(ctx: OperationContext, target: Record<string, unknown>, acting: RolePolicy[]): void {
  const above = ctx.permissions.protectedRolesOf(target, acting);
  if (above.length > 0) throw errors.targetProtected(above);
}
