import { memberOf, RoleIds } from '../directory';
import { errors, HttpError } from '../errors';
import { checkOrgId } from '../management/org-id';
import { allowedOrThrow, type Allowed } from '../policy/decide';
import { decideOrg, type OrgDecisionAction, type OrgDecisionInput } from '../policy/decide-org';
import type { OperationContext } from './context';

/** Most pages of member roles or tenant roles read (100 each). */
const MAX_ROLE_PAGES = 10;
const ROLE_PAGE = 100;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Asks the organization decision (policy/decide-org.ts) and throws its refusal; answers the verdict when allowed. */
export function decideOrgOrThrow(
  ctx: OperationContext,
  action: OrgDecisionAction,
  member: Record<string, unknown> | undefined,
  input: OrgDecisionInput,
  screened?: Allowed,
): Allowed {
  return allowedOrThrow(decideOrg(ctx.permissions, action, member, input, screened));
}

/** The path's organization id, checked again here (400 invalid_org_id) before it can go anywhere. */
export function orgIdOf(org: string): string {
  return checkOrgId(org);
}

/**
 * Runs an upstream call on an organization: Auth0's 404 there (anything but a user) is the
 * organization's (404 org_not_found), or the invitation's when one is named (404 invitation_not_found).
 */
export async function onOrg<T>(call: () => Promise<T>, notFound: 'org' | 'invitation' = 'org'): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof HttpError && err.code === 'upstream_not_found') {
      throw (notFound === 'invitation' ? errors.invitationNotFound() : errors.orgNotFound()).causedBy(err);
    }
    throw err;
  }
}

/** The items of one page Auth0 answers as an array or, with totals, as an object holding it under `key`. */
export function itemsOf(answer: unknown, key: string): Record<string, unknown>[] {
  const list = Array.isArray(answer) ? answer : isRecord(answer) ? answer[key] : undefined;
  if (!Array.isArray(list)) throw errors.upstreamError(`its ${key} answer was not a list`);
  return list.filter(isRecord);
}

/**
 * Whether the user is a member of the organization now (directory `memberOf`: `GET /users/{id}/organizations`,
 * every page up to its bound); 404 user_not_found when it is not (or does not exist).
 */
export async function requireMember(ctx: OperationContext, org: string, userId: string): Promise<void> {
  if (!(await memberOf(ctx.management, userId, org, ctx.scope))) throw errors.userNotFound();
}

/** The names of a member's roles in the organization (every page). */
export async function memberRoleNames(ctx: OperationContext, org: string, userId: string): Promise<string[]> {
  const names: string[] = [];
  for (let page = 0; page < MAX_ROLE_PAGES; page++) {
    const answer = await onOrg(() =>
      ctx.management.getMemberRoles(org, userId, { page, per_page: ROLE_PAGE, include_totals: true }, ctx.scope),
    );
    const roles = itemsOf(answer, 'roles');
    for (const role of roles) if (typeof role.name === 'string') names.push(role.name);
    if (roles.length < ROLE_PAGE) break;
  }
  return [...new Set(names)].sort();
}

/** Role names to ids (Organizations' member roles are Auth0 roles whatever ROLES_SOURCE says). */
export function roleIdsOf(ctx: OperationContext): RoleIds {
  return ctx.roleIds ?? new RoleIds(ctx.management, 0);
}

/** The ids of role names; an unknown name is 400 invalid_roles (nothing is sent). */
export async function knownRoleIds(ctx: OperationContext, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const ids = await roleIdsOf(ctx).idsOf(names, ctx.scope);
  const unknown = names.filter((n) => ids.get(n) === undefined);
  if (unknown.length > 0) throw errors.invalidRoles(`The tenant has no role named: ${unknown.map((n) => JSON.stringify(n)).join(', ')}.`);
  return [...new Set([...ids.values()].filter((v): v is string => v !== undefined))];
}

/** The names of the tenant's roles by id (for answers that carry role ids: invitations), every page read. */
export async function roleNamesById(ctx: OperationContext): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let page = 0; page < MAX_ROLE_PAGES; page++) {
    const answer = await ctx.management.listRoles({ page, per_page: ROLE_PAGE }, ctx.scope);
    const roles = itemsOf(answer, 'roles');
    for (const role of roles) if (typeof role.id === 'string' && typeof role.name === 'string') out.set(role.id, role.name);
    if (roles.length < ROLE_PAGE) break;
  }
  return out;
}
