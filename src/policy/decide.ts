import { errors, HttpError } from '../errors';
import { misleadingKey } from './body-keys';
import type { FieldSet } from './field-set';
import { parseFieldSelection, type FieldSelection } from './field-selection';
import { DESK_ACTIONS, type Action, type DeskAction, type LogField } from './fixed-fields';
import type { Permissions } from './permissions';
import type { RolePolicy } from './policy';
import { passwordlessConnection } from './provider-owned';
import { Refusal, refuse, roleNames, tagRule, type Rule } from './refusal';
import { checkProviderOwned, checkWritable } from './rules/fields';
import { canGrant, checkGrants, tenantRoleChangers } from './rules/grants';
import { checkManageable } from './rules/protection';
import { actingOn, checkOrgMove, createScope, listScope, movesOrg, type Listing } from './rules/scope';
import { guardSearch, guardSort, type SearchAnalyses } from './search-query';

/**
 * Everything decide answers for: the policy's actions, the caller's own account through /me, and a
 * user's roles through /users/:id/roles (`read_roles`: the `read` action with the roles readable;
 * `change_roles`: the `update` action, each role in the `grant` list, by roles reaching every org).
 */
export type DecisionAction = Action | 'self_read' | 'self_update' | 'read_roles' | 'change_roles';

/** The roles a /users/:id/roles write adds or removes, by name. */
export interface RolesAsked {
  added: readonly string[];
  removed: readonly string[];
}

/** What the request asks, besides the target: the path's user id, the body, the query. */
export interface DecisionInput {
  /** The user id of the path (per-user actions), as asked. */
  id?: string;
  /** The write body; absent when deciding an action as such (capabilities). */
  body?: Record<string, unknown>;
  query?: { q?: string; sort?: string; fields?: string; include_fields?: string; email?: string };
  /** A cache of search-query analyses (parsing is pure; admin tools repeat searches). */
  searchAnalyses?: SearchAnalyses;
  /** change_roles: the roles asked for; absent when deciding the action as such (capabilities). */
  roles?: RolesAsked;
}

/** Allowed, with exactly what to do upstream and what to keep of the answer. */
export interface Allowed {
  allowed: true;
  /** The caller's roles that act (before the target is known: every role allowing the action). */
  acting: readonly RolePolicy[];
  /** list: the search and sort to send (re-serialised, the org filter wrapped in) and what the list may search. */
  list?: { q?: string; sort?: string; listing: Listing };
  /** read and list: the `fields` selection, checked. */
  selection?: FieldSelection;
  /** Writes: the body to send upstream (a create of an org-scoped caller has its org forced in). */
  body?: Record<string, unknown>;
  /** create, where organizations live apart: the organization the new user joins once created (or is deleted again). */
  joinOrg?: string;
  /** Desk actions: the log event fields the acting roles read (read_logs, and where sessions and blocks came from). */
  logFields?: LogField[];
  /** The target's cached caller entry must be dropped once the action is done (roles, org or `blocked` written; deleted). */
  invalidatesTarget: boolean;
}

/** Refused, with the catalogue error and the rule that refused. */
export interface Refused {
  allowed: false;
  error: HttpError;
  rule: Rule;
}

export type Verdict = Allowed | Refused;

const DESK = new Set<string>(DESK_ACTIONS);
const WRITES = new Set<DecisionAction>(['create', 'update', 'self_update']);
/** Actions on one existing user: decided in two steps, before the target is fetched and on it. */
const ON_A_USER = new Set<DecisionAction>([
  'read',
  'update',
  'delete',
  'self_read',
  'self_update',
  'read_roles',
  'change_roles',
  ...(DESK as Set<DecisionAction>),
]);
/** The policy action each decision needs a role for (none: the caller's own account). */
const POLICY_ACTION: Partial<Record<DecisionAction, Action>> = { read_roles: 'read', change_roles: 'update' };

function policyActionOf(action: DecisionAction): Action | undefined {
  if (action === 'self_read' || action === 'self_update') return undefined;
  return POLICY_ACTION[action] ?? (action as Action);
}

/** Each role asked must be grantable by the acting roles. */
function checkAskedGrants(asked: RolesAsked | undefined, acting: readonly RolePolicy[]): void {
  if (!asked) return;
  const refused = [...new Set([...asked.added, ...asked.removed])].filter((role) => !canGrant(acting, role));
  if (refused.length > 0) refuse(errors.roleNotGrantable(refused), { role: roleNames(acting), key: 'grant', value: refused[0] });
}

const isDesk = (action: DecisionAction): action is DeskAction => DESK.has(action);

/** Whether the action works on one existing user (its target must be fetched for the full decision). */
export function needsTarget(action: DecisionAction): boolean {
  return ON_A_USER.has(action);
}

/**
 * The one decision: may this caller take this action on this target with this input, and if so what
 * exactly goes upstream. Pure and synchronous; nothing here calls anyone.
 *
 * For an action on an existing user, `target` undefined decides what can be decided before it is
 * fetched (so no upstream call is spent on a refusal); the operation then fetches the target and asks
 * again, passing that first verdict as `screened` so those checks do not run twice. Without a body,
 * a write is decided as such (what capabilities reports).
 *
 * The order of checks (docs/decision-core.md):
 *   before the target: body keys -> role and action -> body non-empty (and, for create and /me, its
 *                      fields writable) -> self -> query (listing scope, search, sort, fields)
 *   on the target:     scope -> target protection -> body writable by the acting roles ->
 *                      provider-owned attributes -> grants -> org bounds -> log fields
 */
export function decide(
  p: Permissions,
  action: DecisionAction,
  target: Record<string, unknown> | undefined,
  input: DecisionInput,
  screened?: Allowed,
): Verdict {
  try {
    const first = screened ?? beforeTarget(p, action, input);
    if (target === undefined && ON_A_USER.has(action)) return first;
    return onTarget(p, action, target ?? {}, input, first);
  } catch (err) {
    if (err instanceof Refusal) return { allowed: false, error: err.error, rule: err.rule };
    if (err instanceof HttpError) return { allowed: false, error: err, rule: { key: 'input' } };
    throw err;
  }
}

/** Throws the refusal of a verdict; returns it when allowed. */
export function allowedOrThrow(verdict: Verdict): Allowed {
  if (!verdict.allowed) throw tagRule(verdict.error, verdict.rule);
  return verdict;
}

/** An allowed verdict; built as one literal of one shape (the read path makes two per request). */
function allowed(acting: readonly RolePolicy[], more?: Partial<Allowed>): Allowed {
  return {
    allowed: true,
    acting,
    list: more?.list,
    selection: more?.selection,
    body: more?.body,
    joinOrg: more?.joinOrg,
    logFields: more?.logFields,
    invalidatesTarget: more?.invalidatesTarget ?? false,
  };
}

/** Refusals from helpers that throw a plain catalogue error (search, roles format), tagged with their rule. */
function asRule<T>(rule: Rule, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof HttpError) refuse(err, rule);
    throw err;
  }
}

function beforeTarget(p: Permissions, action: DecisionAction, input: DecisionInput): Allowed {
  const body = input.body;
  const writing = body !== undefined && WRITES.has(action);
  // 1. Keys are what they seem (a root attribute of a user; no `.` or `$` in metadata keys).
  if (writing) {
    const misleading = misleadingKey(body);
    if (misleading) refuse(misleading, { key: 'body' });
  }
  // 2. A known role, and one allowing the action on someone (the caller's own account needs none).
  // The roles routes need roles usergate can write: a token claim cannot be (501, before anything else).
  if ((action === 'read_roles' || action === 'change_roles') && p.policy.directory.source === 'claim') {
    refuse(errors.notConfigured('ROLES_SOURCE=app_metadata or rbac'), { key: 'roles' });
  }
  const policyAction = policyActionOf(action);
  if (policyAction) {
    if (!p.hasRole) refuse(errors.noRole(), { key: 'roles' });
    if (!p.can(policyAction)) refuse(errors.actionForbidden(policyAction), { role: roleNames(p.roles), key: 'can', value: policyAction });
  }
  const acting = policyAction ? p.rolesWithAction(policyAction) : [];
  // 3. A write names something. Without a target to wait for (create, /me), its fields are checked now;
  //    an update's fields are checked on the target, after scope and protection, so that a refusal that
  //    does not depend on the body is the same whatever the body (what capabilities promises).
  if (writing) {
    if (Object.keys(body).length === 0) refuse(errors.invalidBody('The body names no field to change.'), { key: 'body' });
    if (action === 'self_update') checkWritable(body, p.policy.self.write, false, { key: 'self.write' });
    if (action === 'create') checkWritable(body, p.writableBy(acting), true, { role: roleNames(acting), key: 'write' });
  }
  // 4. Oneself: never changed or deleted here (that is /me); desk actions only where `self.can` allows.
  if (input.id !== undefined && input.id === p.sub) {
    if (action === 'update') refuse(errors.selfForbidden('change'), { key: 'self' });
    if (action === 'change_roles') refuse(errors.selfForbidden('change the roles of'), { key: 'self' });
    if (action === 'delete') refuse(errors.selfForbidden('delete'), { key: 'self' });
    if (isDesk(action) && !p.policy.self.can.has(action)) refuse(errors.deskSelfForbidden(action), { key: 'self.can', value: action });
  }
  // 5. The query: lists are scoped and their search checked; `fields` only what the caller may read.
  const query = input.query;
  if (action === 'list') {
    const listing = listScope(p);
    const hidden = p.hidden;
    // An organization's members are listed as they are: Auth0's user search cannot filter by organization.
    if (listing.membersOf !== undefined && (query?.q !== undefined || query?.sort !== undefined)) {
      refuse(errors.orgSearchUnavailable(), { role: roleNames(acting), key: 'scope', value: 'org' });
    }
    if (query?.email !== undefined && !listing.searchable.covers('email')) {
      refuse(errors.fieldsNotReadable('email', ['email']), { role: roleNames(acting), key: 'read', value: 'email' });
    }
    const readRule = { role: roleNames(acting), key: 'read' };
    const search = asRule(readRule, () => guardSearch(query?.q, listing.searchable, hidden, listing.narrowTo, input.searchAnalyses));
    const sort = asRule(readRule, () => guardSort(query?.sort, listing.searchable, hidden));
    const selection = selectionOf(query, listing.searchable, p);
    return allowed(acting, { list: { q: search.q, sort, listing }, selection });
  }
  // The roles routes: what does not depend on the target is refused before it is fetched.
  if (action === 'read_roles') checkRolesReadable(p, acting);
  if (action === 'change_roles') {
    checkAskedGrants(input.roles, tenantRoleChangers(acting));
  }
  if (action === 'read') {
    const selection =
      query?.fields === undefined && query?.include_fields === undefined ? undefined : selectionOf(query, p.readableBy(acting), p);
    return allowed(acting, selection && { selection });
  }
  return allowed(acting);
}

function selectionOf(query: DecisionInput['query'], readable: FieldSet, p: Permissions): FieldSelection | undefined {
  if (query?.fields === undefined && query?.include_fields === undefined) return undefined;
  return asRule({ key: 'read', value: 'fields' }, () => parseFieldSelection(query.fields, query.include_fields, readable, p.hidden));
}

function onTarget(p: Permissions, action: DecisionAction, target: Record<string, unknown>, input: DecisionInput, first: Allowed): Allowed {
  const body = input.body;
  if (action === 'list') return first;
  if (action === 'self_read') return first;
  if (action === 'create') {
    if (!body) return first;
    const created = createScope(p, body);
    checkWritable(body, p.writableBy(created.acting), true, { role: roleNames(created.acting), key: 'write' });
    if (typeof body.connection !== 'string' || body.connection === '')
      refuse(errors.invalidBody('connection is required.'), { key: 'body' });
    const connection = body.connection;
    if (!created.acting.some((r) => r.connections.has(connection))) {
      refuse(errors.connectionForbidden(connection.slice(0, 128)), {
        role: roleNames(created.acting),
        key: 'connections',
        value: connection,
      });
    }
    asRule({ key: 'roles' }, () => checkGrants(p, body, {}, created.acting));
    // A user id given on create may have been seen (and cached as unknown) before.
    return allowed(created.acting, { body: created.body, joinOrg: created.joinOrg, invalidatesTarget: Object.hasOwn(body, 'user_id') });
  }
  if (action === 'self_update') {
    if (!body) return first;
    const directory = p.policy.directory;
    if (asRule({ key: 'roles' }, () => directory.roleChange(body, target)))
      refuse(errors.selfForbidden('change the roles of'), { key: 'self' });
    if (movesOrg(p, body, target)) refuse(errors.selfForbidden('change the org of'), { key: 'self' });
    checkProviderOwned(body, target);
    return allowed([], { body, invalidatesTarget: rebinds(p, body, target) });
  }
  if (action === 'read_roles') {
    const acting = actingOn(p, 'read', target);
    checkRolesReadable(p, acting);
    return allowed(acting);
  }
  if (action === 'change_roles') {
    // Scope first (outside it: 404), then only the acting roles reaching every org, protection, grants.
    const acting = tenantRoleChangers(actingOn(p, 'update', target));
    checkManageable(p, target, acting);
    checkAskedGrants(input.roles, acting);
    return allowed(acting, { invalidatesTarget: true });
  }
  // Actions on another user (or oneself through a desk action that `self.can` allows).
  const policyAction = action;
  // 6. Scope: the roles in scope for the target act; none is a 404 (or 403 where the caller may read it).
  const acting = actingOn(p, policyAction, target);
  if (policyAction === 'read') return first.selection ? allowed(acting, { selection: first.selection }) : allowed(acting);
  // 7. Target protection: never on a user holding a role the acting roles may not grant (oneself excepted).
  const self = input.id !== undefined && input.id === p.sub;
  if (!self) checkManageable(p, target, acting);
  if (policyAction === 'delete') return allowed(acting, { invalidatesTarget: true });
  if (policyAction === 'update') {
    if (!body) return allowed(acting);
    // 8-11. Fields, provider-owned attributes, grants, org bounds.
    checkWritable(body, p.writableBy(acting), false, { role: roleNames(acting), key: 'write' });
    checkProviderOwned(body, target);
    asRule({ key: 'roles' }, () => checkGrants(p, body, target, acting));
    checkOrgMove(p, body, target, acting);
    return allowed(acting, { body, invalidatesTarget: rebinds(p, body, target) });
  }
  // 12. Desk actions: a password link only for a user with a password; what the acting roles read of
  // log events; sorting logs on a field is reading it.
  const passwordless = policyAction === 'reset_password' ? passwordlessConnection(target) : undefined;
  if (passwordless !== undefined) refuse(errors.noPassword(passwordless.slice(0, 128)), { key: 'provider', value: passwordless });
  const logFields = p.logFields(acting);
  const sort = input.query?.sort;
  if (policyAction === 'read_logs' && sort !== undefined) {
    const field = sort.split(':')[0]!;
    if (!logFields.includes(field as LogField))
      refuse(errors.fieldsNotReadable('sort', [field]), { role: roleNames(acting), key: 'log_fields', value: field });
  }
  return allowed(acting, { logFields });
}

/** The roles field (`app_metadata.<ROLES_PATH>`, or the pseudo-field `roles` with rbac) must be readable by the acting roles. */
function checkRolesReadable(p: Permissions, acting: readonly RolePolicy[]): void {
  const field = p.policy.directory.rolesField;
  if (!p.readableBy(acting).covers(field))
    refuse(errors.fieldsNotReadable('/users/:id/roles', [field]), { role: roleNames(acting), key: 'read', value: field });
}

/** Whether the write can change the target as a caller: its roles, its org, or `blocked`. */
function rebinds(p: Permissions, body: Record<string, unknown>, target: unknown): boolean {
  return Object.hasOwn(body, 'blocked') || p.policy.directory.rewritesRolesOrOrg(body, target);
}
