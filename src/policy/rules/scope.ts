import { errors } from '../../errors';
import type { FieldSet } from '../field-set';
import type { Action } from '../fixed-fields';
import type { Permissions } from '../permissions';
import type { RolePolicy } from '../policy';
import { refuse, roleNames } from '../refusal';
import type { OrgFilter } from '../../directory/user-directory';

/**
 * Scope, in one place: a `scope: all` role applies to every user, a `scope: org` role only to users of
 * the caller's org (as the directory says: the org of the profile, or a membership of the organization).
 * Single-user actions check the target; lists are narrowed (upstream, or to the organization's members);
 * creates are forced into (or refused outside) the org; only a role that reaches every org moves a user
 * between orgs.
 */
export function inScope(role: RolePolicy, callerOrg: string | undefined, targetInCallerOrg: boolean): boolean {
  return role.scope === 'all' || (callerOrg !== undefined && targetInCallerOrg);
}

/** The caller's roles that allow the action on this user (its org read only when an org-scoped role asks). */
export function rolesInScope(p: Permissions, action: Action, target: unknown): RolePolicy[] {
  const callerOrg = p.caller.org;
  const out: RolePolicy[] = [];
  let member = false;
  let orgRead = false;
  for (const role of p.roles) {
    if (!role.can.has(action)) continue;
    if (role.scope !== 'all' && !orgRead) {
      member = callerOrg !== undefined && p.policy.directory.inOrg(target, callerOrg);
      orgRead = true;
    }
    if (inScope(role, callerOrg, member)) out.push(role);
  }
  return out;
}

/**
 * The roles that act on the target, or the refusal: 404 when the caller may not even read the user
 * (its existence is not confirmed), 403 when it may read it but not act on it.
 */
export function actingOn(p: Permissions, action: Action, target: unknown): RolePolicy[] {
  const acting = rolesInScope(p, action, target);
  if (acting.length > 0) return acting;
  const canSee = rolesInScope(p, 'read', target).length > 0 || rolesInScope(p, 'list', target).length > 0;
  const rule = { role: roleNames(p.rolesWithAction(action)), key: 'scope', value: 'org' };
  return refuse(canSee ? errors.actionForbidden(action) : errors.userNotFound(), rule);
}

/**
 * How a list is bounded: what it may search on, and, when only org-scoped roles may list, the org filter
 * (`narrowTo`, wrapped into the search) or, where organizations live apart, the organization whose
 * members are listed instead (`membersOf`: Auth0's search cannot filter by organization).
 */
export interface Listing {
  searchable: FieldSet;
  narrowTo?: OrgFilter;
  membersOf?: string;
}

export function listScope(p: Permissions): Listing {
  const unscoped = p.unscopedRolesFor('list');
  if (unscoped.length > 0) return { searchable: p.readableBy(unscoped) };
  const org = p.caller.org;
  const listing = p.rolesWithAction('list');
  if (!org) {
    refuse(errors.actionForbidden('list (your roles are limited to your org, and your account has none)'), {
      role: roleNames(listing),
      key: 'scope',
      value: 'org',
    });
  }
  const directory = p.policy.directory;
  if (directory.orgsApart) return { searchable: p.readableBy(listing), membersOf: org };
  return { searchable: p.readableBy(listing), narrowTo: directory.listFilter(org) };
}

/**
 * POST /users: the body to send (the org forced for org-scoped creators) and the roles that create.
 * Where organizations live apart, the body is sent as it is and `joinOrg` names the organization the
 * new user must join (the operation adds it as a member, or deletes it again).
 */
export function createScope(
  p: Permissions,
  body: Record<string, unknown>,
): { body: Record<string, unknown>; acting: RolePolicy[]; joinOrg?: string } {
  const directory = p.policy.directory;
  let outgoing = body;
  let joinOrg: string | undefined;
  if (p.unscopedRolesFor('create').length === 0) {
    const asked = directory.orgAskedIn(body);
    const rule = { role: roleNames(p.rolesWithAction('create')), key: 'scope', value: 'org' };
    if (!p.org || (asked !== undefined && asked !== p.org)) refuse(errors.orgForbidden(), rule);
    outgoing = directory.withOrg(body, p.org);
    if (directory.orgsApart) joinOrg = p.org;
  }
  const acting = rolesInScope(p, 'create', outgoing);
  if (acting.length === 0) refuse(errors.orgForbidden(), { key: 'scope', value: 'org' });
  return joinOrg === undefined ? { body: outgoing, acting } : { body: outgoing, acting, joinOrg };
}

/** Whether a write moves the target to another org (or out of any). */
export function movesOrg(p: Permissions, body: Record<string, unknown>, target: unknown): boolean {
  const directory = p.policy.directory;
  return directory.orgAfter(body, target) !== directory.orgOf(target);
}

/** Only a role that reaches every org may move a user to another org. */
export function checkOrgMove(p: Permissions, body: Record<string, unknown>, target: unknown, acting: readonly RolePolicy[]): void {
  if (!acting.some((r) => r.scope === 'all') && movesOrg(p, body, target)) {
    refuse(errors.orgForbidden(), { role: roleNames(acting), key: 'scope', value: 'org' });
  }
}
