/**
 * The one seam between a described case (caller, action, target, body, query) and the product's
 * decision code. Everything the CLI decides goes through `decideCase`, which runs usergate's own
 * operations and policy functions, never a copy of their rules: the operation is driven with an
 * in-memory Management API that answers with the described target and records what would be
 * forwarded. A case is allowed when the operation gets as far as forwarding (or answering); it is
 * denied with the error the operation throws, exactly as the HTTP answer would carry it.
 * Only this file knows how today's decision code is shaped; the rest of src/cli/ does not.
 */
import { ruleOf } from '../policy/refusal';
import { errors, HttpError } from '../errors';
import type { ManagementClient } from '../management/management-client';
import type { OperationContext } from '../operations/context';
import { createUser } from '../operations/create-user';
import { deleteUser } from '../operations/delete-user';
import { deskTarget } from '../operations/desk-target';
import { listUsers } from '../operations/list-users';
import { readUser } from '../operations/read-user';
import { updateUser } from '../operations/update-user';
import { decideOrg } from '../policy/decide-org';
import { DESK_ACTIONS, ORG_ACTIONS, type Action, type DeskAction, type OrgAction } from '../policy/fixed-fields';
import { Permissions } from '../policy/permissions';
import type { Policy, RolePolicy } from '../policy/policy';
import { createSearchAnalyses } from '../policy/search-query';

/** A caller as a case describes it. */
export interface CaseCaller {
  sub?: string;
  roles: string[];
  /** Roles held as organization member roles in `org`: each acts only there, whatever its `scope`. */
  member_roles?: string[];
  org?: string;
  blocked?: boolean;
}

/** A target user as a case describes it; `sub` equal to the caller's makes it the caller itself. */
export interface CaseTarget {
  sub?: string;
  roles?: string[];
  org?: string;
  connection?: string;
  /** The identity provider of the target's primary identity (`auth0` unless named). */
  provider?: string;
}

export interface DescribedCase {
  caller: CaseCaller;
  action: Action;
  target?: CaseTarget;
  body?: Record<string, unknown>;
  /** For `list`: the query parameters of GET /users (q, sort, fields, ...). */
  query?: Record<string, string>;
}

/** The policy entry that decided: a role (or `self`, or `-` for a rule built into usergate), a key of it, and its value. */
export interface DecidingRule {
  role: string;
  key: string;
  value: unknown;
}

export interface CaseDecision {
  allowed: boolean;
  errorCode?: string;
  message?: string;
  rule?: DecidingRule;
  /** For an allowed `list`: the search usergate would send upstream. */
  upstreamQuery?: string;
}

export const DEFAULT_CALLER_SUB = 'auth0|policy-cli-caller';
export const DEFAULT_TARGET_SUB = 'auth0|policy-cli-target';

/** The target as Auth0 would answer it: roles and org where the directory port reads them. */
function targetUser(policy: Policy, c: DescribedCase): Record<string, unknown> {
  const t = c.target ?? {};
  const sub = t.sub ?? DEFAULT_TARGET_SUB;
  const self = sub === (c.caller.sub ?? DEFAULT_CALLER_SUB);
  const connection = t.connection ?? 'Username-Password-Authentication';
  const provider = t.provider ?? 'auth0';
  const user: Record<string, unknown> = {
    user_id: sub,
    email: 'target@example.test',
    name: 'Target',
    identities: [{ connection, provider, user_id: sub.slice(sub.indexOf('|') + 1), isSocial: provider !== 'auth0' }],
  };
  const put = (path: string, value: unknown): void => {
    const segments = path.split('.');
    let node = user;
    for (const segment of segments.slice(0, -1)) node = (node[segment] ??= {}) as Record<string, unknown>;
    node[segments.at(-1)!] = value;
  };
  const roles = t.roles ?? (self ? c.caller.roles : undefined);
  const org = t.org ?? (self ? c.caller.org : undefined);
  if (roles) put(policy.directory.rolesField, roles);
  if (org !== undefined) put(policy.directory.orgField, org);
  return user;
}

/** An in-memory Management API: reads answer the described target, writes are recorded as forwarded. */
function inMemoryManagement(user: Record<string, unknown>, forwarded: { q?: string }): ManagementClient {
  const fake = {
    getUser: () => Promise.resolve(structuredClone(user)),
    listUsers: (query: { q?: string }) => {
      forwarded.q = query.q;
      return Promise.resolve([]);
    },
    createUser: (body: unknown) => Promise.resolve({ user_id: DEFAULT_TARGET_SUB, ...(body as object) }),
    updateUser: () => Promise.resolve(structuredClone(user)),
    deleteUser: () => Promise.resolve(undefined),
  };
  return fake as unknown as ManagementClient;
}

const names = (roles: readonly RolePolicy[]): string => (roles.length > 0 ? roles.map((r) => r.name).join(', ') : '-');
const union = (lists: string[][]): string[] => (lists.some((l) => l.includes('*')) ? ['*'] : [...new Set(lists.flat())].sort());

/** The rule behind a verdict, read from the policy the decision used. */
function ruleFor(p: Permissions, c: DescribedCase, user: Record<string, unknown>, code: string | undefined): DecidingRule {
  const action = c.action;
  const perUser = action !== 'list' && action !== 'create';
  const acting = perUser ? p.rolesFor(action, user) : p.rolesWithAction(action);
  const actingOrAll = acting.length > 0 ? acting : p.roles;
  switch (code) {
    case undefined:
      return { role: names(acting), key: 'can', value: action };
    case 'caller_blocked':
      return { role: '-', key: 'blocked', value: true };
    case 'no_role':
      return { role: '-', key: 'roles', value: c.caller.roles };
    case 'action_forbidden':
      // Some role allows the action but not on this user (or list without an org): its scope decided.
      return p.can(action)
        ? { role: names(p.rolesWithAction(action)), key: 'scope', value: 'org' }
        : { role: names(p.roles), key: 'can', value: union(p.roles.map((r) => [...r.can])) };
    case 'user_not_found':
      return { role: names(p.rolesWithAction(action)), key: 'scope', value: 'org' };
    case 'org_forbidden':
      return { role: names(actingOrAll), key: 'scope', value: 'org' };
    case 'target_protected':
    case 'role_not_grantable':
      return { role: names(actingOrAll), key: 'grant', value: union(actingOrAll.map((r) => r.grant.list)) };
    case 'field_not_writable':
      return { role: names(actingOrAll), key: 'write', value: union(actingOrAll.map((r) => [...r.write.patterns])) };
    case 'field_not_readable':
    case 'bare_search_term':
      return { role: names(actingOrAll), key: 'read', value: union(actingOrAll.map((r) => [...r.read.patterns])) };
    case 'connection_forbidden':
      return { role: names(actingOrAll), key: 'connections', value: union(actingOrAll.map((r) => r.connections.list)) };
    case 'self_forbidden':
      // A desk action on oneself is the policy's `self.can`; update and delete of oneself are never allowed here.
      return (DESK_ACTIONS as readonly string[]).includes(action)
        ? { role: 'self', key: 'can', value: [...p.policy.self.can].sort() }
        : { role: '-', key: 'built-in', value: 'nobody updates or deletes itself through /users/:id (PATCH /me is under self)' };
    default:
      // Refusals built into usergate, whatever the policy says (a malformed body or query, provider-owned attributes).
      return { role: '-', key: 'built-in', value: code };
  }
}

/** A blocked caller, refused as the request gate refuses it. */
function blockedDecision(p: Permissions, c: DescribedCase, user: Record<string, unknown>): Omit<CaseDecision, 'allowed'> {
  const error = errors.callerBlocked();
  return { errorCode: error.code, message: error.message, rule: ruleFor(p, c, user, error.code) };
}

/** Runs the operation of the action against the described target: resolves when usergate would forward or answer. */
async function run(ctx: OperationContext, c: DescribedCase, id: string): Promise<void> {
  const action = c.action;
  const body = c.body ?? {};
  if ((DESK_ACTIONS as readonly string[]).includes(action)) {
    await deskTarget(ctx, action as DeskAction, id);
    return;
  }
  switch (action) {
    case 'list':
      await listUsers(ctx, c.query ?? {});
      return;
    case 'read':
      await readUser(ctx, id, {});
      return;
    case 'create':
      await createUser(ctx, body);
      return;
    case 'update':
      await updateUser(ctx, id, body);
      return;
    case 'delete':
      await deleteUser(ctx, id);
      return;
  }
}

const isOrgAction = (action: Action): action is OrgAction => (ORG_ACTIONS as readonly string[]).includes(action);

/** The roles an invitation's body names (`{"roles": [...]}`), as the route reads them. */
function invitedRoles(body: Record<string, unknown> | undefined): string[] {
  const roles = body?.roles;
  return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
}

/**
 * An organization action, decided by `decideOrg` itself (the organization routes' decision). Its
 * operations would first check that the organization id has Auth0's form (`org_...`), which a case's
 * org names need not have, and read memberships upstream; the case's organization is the target's
 * `org` (else the caller's), and its target is a member of it.
 */
function decideOrgCase(p: Permissions, c: DescribedCase, user: Record<string, unknown>, action: OrgAction): CaseDecision {
  const org = c.target?.org ?? c.caller.org ?? 'org-of-no-one';
  const id = String(user.user_id);
  const member = action === 'remove_member' ? user : undefined;
  const roles = action === 'invite' ? { added: invitedRoles(c.body), removed: [] } : undefined;
  const verdict = decideOrg(p, action, member, { org, id: action === 'remove_member' ? id : undefined, roles });
  if (verdict.allowed) return { allowed: true, rule: { role: names(verdict.acting), key: 'can', value: action } };
  const rule = verdict.rule;
  return {
    allowed: false,
    errorCode: verdict.error.code,
    message: verdict.error.message,
    rule:
      rule.value !== undefined
        ? { role: rule.role ?? '-', key: rule.key, value: rule.value }
        : rule.key === 'self'
          ? { role: '-', key: 'built-in', value: 'nobody removes itself from its organization' }
          : ruleFor(p, c, user, verdict.error.code),
  };
}

/** The decision usergate takes on a described case, and the rule that took it. */
export async function decideCase(policy: Policy, c: DescribedCase): Promise<CaseDecision> {
  const caller = {
    sub: c.caller.sub ?? DEFAULT_CALLER_SUB,
    roles: c.caller.roles,
    org: c.caller.org,
    ...(c.caller.member_roles ? { memberRoles: c.caller.member_roles } : {}),
  };
  const p = new Permissions(policy, caller);
  const user = targetUser(policy, c);
  if (isOrgAction(c.action)) {
    if (c.caller.blocked) return { allowed: false, ...blockedDecision(p, c, user) };
    return decideOrgCase(p, c, user, c.action);
  }
  const forwarded: { q?: string } = {};
  const ctx: OperationContext = {
    permissions: p,
    management: inMemoryManagement(user, forwarded),
    audit: () => undefined,
    scope: { requestId: 'policy-cli', traceId: '0'.repeat(32), traceparent: `00-${'0'.repeat(32)}-${'0'.repeat(16)}-00` },
    forgetCaller: () => Promise.resolve(),
    searchAnalyses: createSearchAnalyses(),
  };
  try {
    // As the gate before every route does (routes/attach-caller.ts): a blocked caller is answered nothing.
    if (c.caller.blocked) throw errors.callerBlocked();
    await run(ctx, c, String(user.user_id));
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    // The rule decide() names for its refusal (role, key and the value it refused); the adapter's own
    // reading of the policy where decide() names no value (a blocked caller, malformed input, no role).
    const decided = ruleOf(err);
    const rule =
      decided && decided.key !== 'input' && decided.value !== undefined
        ? { role: decided.role ?? '-', key: decided.key, value: decided.value }
        : ruleFor(p, c, user, err.code);
    return { allowed: false, errorCode: err.code, message: err.message, rule };
  }
  return {
    allowed: true,
    rule: ruleFor(p, c, user, undefined),
    ...(c.action === 'list' && forwarded.q !== undefined ? { upstreamQuery: forwarded.q } : {}),
  };
}
