import { errors } from '../errors';
import { checkUserId } from '../management/user-id';
import type { Allowed, DecisionInput } from '../policy/decide';
import type { DeskAction, LogField } from '../policy/fixed-fields';
import { audited, decideOrThrow, fetchTarget, type OperationContext } from './context';

/** A user a desk action may proceed on, and what the decision allowed on it. */
export interface DeskTarget {
  id: string;
  user: Record<string, unknown>;
  verdict: Allowed;
  /** The log event fields the acting roles read (where sessions and blocks came from, log events). */
  logFields: LogField[];
}

/**
 * Every desk route: decide before the target (a role with the action; never oneself unless the
 * policy's `self.can` allows it), a well-formed id, fetch, decide on the target (scope: 404 when the
 * caller may not even see it; target protection), then forward.
 */
export async function deskTarget(ctx: OperationContext, action: DeskAction, id: string, input: DecisionInput = {}): Promise<DeskTarget> {
  const screened = decideOrThrow(ctx, action, undefined, { ...input, id });
  checkUserId(id);
  const user = await fetchTarget(ctx, id);
  const verdict = decideOrThrow(ctx, action, user, { ...input, id }, screened);
  return { id, user, verdict, logFields: verdict.logFields ?? [] };
}

/** Runs a desk operation on a decided target, with one audit line whatever the outcome. */
export function onDeskTarget<T>(
  ctx: OperationContext,
  action: DeskAction,
  id: string,
  run: (target: DeskTarget) => Promise<T>,
  input: DecisionInput = {},
): Promise<T> {
  return audited(ctx, { action, target: String(id).slice(0, 512) }, async () => run(await deskTarget(ctx, action, id, input)));
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
