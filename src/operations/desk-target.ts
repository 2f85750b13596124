import { errors } from '../errors';
import { checkUserId } from '../management/user-id';
import type { DeskAction } from '../policy/fixed-fields';
import type { RolePolicy } from '../policy/policy';
import { audited, fetchTarget, requireAction, type OperationContext } from './context';
import { requireManageable } from './target-protection';

/** A user a desk action may proceed on, with the caller's roles that allow the action on it. */
export interface DeskTarget {
  id: string;
  user: Record<string, unknown>;
  roles: RolePolicy[];
}

/**
 * The checks every desk route makes, in order, before it forwards anything: a role with the action,
 * a well-formed id, never oneself unless the policy's `self.can` allows the action, the target read
 * and in scope (404 when the caller may not even see it), and target protection (not on oneself:
 * acting on one's own account changes nobody else's).
 */
export async function deskTarget(ctx: OperationContext, action: DeskAction, id: string): Promise<DeskTarget> {
  requireAction(ctx, action);
  checkUserId(id);
  const self = id === ctx.permissions.sub;
  if (self && !ctx.permissions.policy.self.can.has(action)) throw errors.deskSelfForbidden(action);
  const user = await fetchTarget(ctx, id);
  const roles = ctx.permissions.rolesFor(action, user);
  if (roles.length === 0) throw ctx.permissions.outOfScope(action, user);
  if (!self) requireManageable(ctx, user, roles);
  return { id, user, roles };
}

/** Runs a desk operation on a checked target, with one audit line whatever the outcome. */
export function onDeskTarget<T>(
  ctx: OperationContext,
  action: DeskAction,
  id: string,
  run: (target: DeskTarget) => Promise<T>,
): Promise<T> {
  return audited(ctx, { action, target: String(id).slice(0, 512) }, async () => run(await deskTarget(ctx, action, id)));
}

/** Keeps only the listed keys of an upstream object (an allowlist: new upstream fields stay out). */
export function pick(value: unknown, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const key of keys) if (Object.hasOwn(value, key)) out[key] = (value as Record<string, unknown>)[key];
  return out;
}

/** Auth0 answers some lists as an array or, with totals, as an object holding the array under `key`. */
export function listIn(answer: unknown, key: string): unknown[] {
  if (Array.isArray(answer)) return answer;
  const inner = answer && typeof answer === 'object' ? (answer as Record<string, unknown>)[key] : undefined;
  if (Array.isArray(inner)) return inner;
  throw errors.upstreamError('the answer was not the expected list');
}
