import type { AuditLog } from '../audit/audit-log';
import type { RevocationOutcome } from '../auth/resolve-caller';
import { errors, HttpError } from '../errors';
import type { RequestScope } from '../lib/request-scope';
import { membershipsOfTarget, roleNamesOf, withMemberships, type RoleIds, type TargetMemberships } from '../directory';
import { UpstreamStatus } from '../management/http-exchange';
import type { ManagementClient } from '../management/management-client';
import { allowedOrThrow, decide, type Allowed, type DecisionAction, type DecisionInput } from '../policy/decide';
import type { Permissions } from '../policy/permissions';
import type { SearchAnalyses } from '../policy/search-query';

/** What every operation works with: the caller's permissions and the upstream client. */
export interface OperationContext {
  permissions: Permissions;
  management: ManagementClient;
  audit: AuditLog;
  /** This request's id and trace: sent upstream with every call, written on its audit lines. */
  scope: RequestScope;
  /**
   * Drops the cached caller entry of a user (its roles, org, blocked state), so that user's very next
   * request is resolved afresh (a revocation: the user's generation moves on). Operations await it,
   * before answering, after they change a user's roles, org or `blocked`, or delete a user: once Auth0
   * acknowledged or refused the write, and also when its outcome is unknown (`'unknown'`: a timeout,
   * a network error, a 5xx; the user then stays unsettled for a window, see `revokingWrite`).
   */
  forgetCaller: (sub: string, outcome?: RevocationOutcome) => Promise<void>;
  /** This app's cache of search-query analyses (parsing is pure; admin tools repeat searches). */
  searchAnalyses?: SearchAnalyses;
  /** ROLES_SOURCE=rbac: role names to Auth0 role ids (cached, bounded). */
  roleIds?: RoleIds;
}

/**
 * Asks the one decision (policy/decide.ts) and throws its refusal; answers the verdict when allowed.
 * For an action on an existing user, ask first without the target (nothing is fetched for a caller
 * refused anyway), then with it, passing the first verdict as `screened`.
 */
export function decideOrThrow(
  ctx: OperationContext,
  action: DecisionAction,
  target: Record<string, unknown> | undefined,
  input: DecisionInput,
  screened?: Allowed,
): Allowed {
  const asked = action === 'list' && ctx.searchAnalyses ? { ...input, searchAnalyses: ctx.searchAnalyses } : input;
  return allowedOrThrow(decide(ctx.permissions, action, target, asked, screened));
}

/**
 * Reads a target user; an unknown user is our 404, whatever Auth0's wording. Where roles live apart
 * from the profile (ROLES_SOURCE=rbac), what decide needs of them is fetched too and set at the
 * directory's roles field (the pseudo-field `roles`), unless `withRoles` is false (a read, whose
 * decision needs only scope, never the target's roles).
 *
 * Where organizations live apart (ORG_SOURCE=organizations), the target's memberships are read and
 * attached (directory/memberships.ts, never a field): with `withRoles` (target protection is decided),
 * every organization up to a bound, and with rbac its member roles in each, so that `directory.rolesOf(target)`
 * counts every role the target holds anywhere (beyond the bound it holds ROLES_NOT_COUNTED, which no
 * grant covers) and an org-scoped caller's protection counts the target's other organizations (with
 * app_metadata roles too); without, only whether it is a member of the caller's organization, and only
 * when a `scope: org` role of the caller needs to know.
 */
export async function fetchTarget(ctx: OperationContext, id: string, withRoles = true): Promise<Record<string, unknown>> {
  const directory = ctx.permissions.policy.directory;
  try {
    const user = (await ctx.management.getUser(id, {}, ctx.scope)) as Record<string, unknown>;
    if (directory.orgsApart) return await withOrganizations(ctx, id, user, withRoles);
    if (!withRoles || !directory.rolesApart) return user;
    // Not a copy of anything Auth0 answered: the pseudo-field is set on usergate's own object.
    return { ...user, [directory.rolesField]: await roleNamesOf(ctx.management, id, ctx.scope) };
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) throw errors.userNotFound().causedBy(err);
    throw err;
  }
}

/** A user's profile as Auth0 answers it, nothing read beside it (the caller's own, for /me); an unknown user is our 404. */
export async function fetchProfile(ctx: OperationContext, id: string): Promise<Record<string, unknown>> {
  try {
    return (await ctx.management.getUser(id, {}, ctx.scope)) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) throw errors.userNotFound().causedBy(err);
    throw err;
  }
}

/** ORG_SOURCE=organizations: the target with its tenant roles (rbac, `withRoles`) and its memberships, as the decision needs them. */
async function withOrganizations(
  ctx: OperationContext,
  id: string,
  user: Record<string, unknown>,
  withRoles: boolean,
): Promise<Record<string, unknown>> {
  const p = ctx.permissions;
  const directory = p.policy.directory;
  const target =
    withRoles && directory.rolesApart ? { ...user, [directory.rolesField]: await roleNamesOf(ctx.management, id, ctx.scope) } : user;
  // A read by a caller whose roles all reach every org (or who has no org) needs no membership; one by
  // an org-scoped caller only whether the target is a member of the caller's organization.
  const scoped = p.org !== undefined && p.roles.some((r) => r.scope !== 'all');
  if (!withRoles && !scoped) return target;
  // Protection decided for an org-scoped caller counts the target's other organizations: all of them are read.
  const read: TargetMemberships = !withRoles ? 'scope' : directory.rolesApart ? 'roles' : scoped ? 'organizations' : 'scope';
  // Made usergate's own object before the symbol goes on it.
  return withMemberships(target === user ? { ...user } : target, await membershipsOfTarget(ctx.management, id, read, ctx.scope, p.org));
}

/** Whether an error is Auth0's answer (its cause chain holds Auth0's status), not a decision of usergate's. */
function fromUpstream(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    if (current instanceof UpstreamStatus) return true;
    current = current.cause;
  }
  return false;
}

/**
 * Whether a failed write may still land: anything but a definite refusal (a 4xx: Auth0 or usergate
 * refused it, it was not applied) may have reached Auth0 and be applied later (a timeout, a network
 * error, a 5xx; Auth0 does not cancel a request whose client gave up).
 */
export function outcomeOfFailure(err: unknown): RevocationOutcome {
  return err instanceof HttpError && err.status >= 400 && err.status < 500 ? 'settled' : 'unknown';
}

/**
 * Runs a write that may take power from `sub` (its roles, org, `blocked`, its deletion), then forgets
 * the caller entry of `sub` whatever the outcome: acknowledged or refused (one bump of its generation),
 * or unknown (a bump, and `sub` stays unsettled for a window long enough for the write to land: none
 * of its requests meanwhile is answered from a cache). `sub` undefined: the write takes nothing from anyone.
 */
export async function revokingWrite<T>(ctx: OperationContext, sub: string | undefined, write: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await write();
  } catch (err) {
    if (sub !== undefined) await ctx.forgetCaller(sub, outcomeOfFailure(err));
    throw err;
  }
  if (sub !== undefined) await ctx.forgetCaller(sub, 'settled');
  return result;
}

/** Runs a mutating operation and writes its audit line, whatever the outcome. */
export async function audited<T>(
  ctx: OperationContext,
  entry: { action: string; target?: string; targetOrg?: string; fields?: string[] },
  run: () => Promise<T>,
): Promise<T> {
  const caller = ctx.permissions.caller;
  try {
    const result = await run();
    ctx.audit({ caller, ...entry, outcome: 'allowed', requestId: ctx.scope.requestId, traceId: ctx.scope.traceId });
    return result;
  } catch (err) {
    const status = err instanceof HttpError ? err.status : 500;
    // Auth0's own refusals (its 403 and 404, a missing scope) are upstream failures, not policy denials.
    const upstream = fromUpstream(err);
    ctx.audit({
      caller,
      ...entry,
      outcome: !upstream && (status === 401 || status === 403 || status === 404) ? 'denied' : 'failed',
      reason: err instanceof HttpError ? err.code : 'internal_error',
      requestId: ctx.scope.requestId,
      traceId: ctx.scope.traceId,
    });
    throw err;
  }
}
