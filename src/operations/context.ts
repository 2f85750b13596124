import type { AuditLog } from '../audit/audit-log';
import { errors, HttpError } from '../errors';
import type { ManagementClient } from '../management/management-client';
import type { Action } from '../policy/fixed-fields';
import type { Permissions } from '../policy/permissions';

/** What every operation works with: the caller's permissions and the upstream client. */
export interface OperationContext {
  permissions: Permissions;
  management: ManagementClient;
  audit: AuditLog;
  requestId: string;
  /** Drops what every replica cached about a caller (after a write to its roles, org or blocked, or its deletion). */
  invalidateCaller?: (sub: string) => Promise<void>;
}

/** Refuses callers without a role, and roles without the action (before any upstream call). */
export function requireAction(ctx: OperationContext, action: Action): void {
  if (!ctx.permissions.hasRole) throw errors.noRole();
  if (!ctx.permissions.can(action)) throw errors.actionForbidden(action);
}

/** Reads a target user; an unknown user is our 404, whatever Auth0's wording. */
export async function fetchTarget(ctx: OperationContext, id: string): Promise<Record<string, unknown>> {
  try {
    return (await ctx.management.getUser(id, {}, ctx.requestId)) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) throw errors.userNotFound();
    throw err;
  }
}

/**
 * A target the caller has no in-scope role for: 404 when it may not even read the user (so usergate
 * does not confirm that it exists), 403 when it may read it but not act on it.
 */
export function outOfScope(ctx: OperationContext, action: Action, target: unknown): HttpError {
  const canSee = ctx.permissions.rolesFor('read', target).length > 0 || ctx.permissions.rolesFor('list', target).length > 0;
  return canSee ? errors.actionForbidden(action) : errors.userNotFound();
}

/** Runs a mutating operation and writes its audit line, whatever the outcome. */
export async function audited<T>(
  ctx: OperationContext,
  entry: { action: string; target?: string; fields?: string[] },
  run: () => Promise<T>,
): Promise<T> {
  try {
    const result = await run();
    ctx.audit({ caller: ctx.permissions.caller, ...entry, outcome: 'allowed', requestId: ctx.requestId });
    return result;
  } catch (err) {
    const status = err instanceof HttpError ? err.status : 500;
    ctx.audit({
      caller: ctx.permissions.caller,
      ...entry,
      outcome: status === 401 || status === 403 || status === 404 ? 'denied' : 'failed',
      reason: err instanceof HttpError ? err.code : 'internal_error',
      requestId: ctx.requestId,
    });
    throw err;
  }
}
