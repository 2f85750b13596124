import { membershipsOf } from '../directory/memberships';
import { errors } from '../errors';
import { decide } from './decide';
import { decideOrg } from './decide-org';
import { DESK_ACTIONS } from './fixed-fields';
import type { Permissions } from './permissions';
import { writablePaths } from './rules/fields';
import { grantableRoles, profileRoleGranters } from './rules/grants';

/** The per-user actions capabilities answers for (`logout` stands for ending the sessions). */
export const PER_USER_ACTIONS = ['read', 'update', 'delete', ...DESK_ACTIONS] as const;
export type PerUserAction = (typeof PER_USER_ACTIONS)[number];

export type ActionCapability = { allowed: true } | { allowed: false; errorCode: string; message: string };

/** GET /users/:id/capabilities: what this caller may do to this user, decided by `decide` itself. */
export interface Capabilities {
  user_id: string;
  actions: Record<PerUserAction, ActionCapability>;
  writable: string[];
  grantable_roles: string[];
  /** The roles routes (/users/:id/roles): reading them, and adding or removing them. */
  roles: { read: ActionCapability; change: ActionCapability };
  /**
   * The organization routes on this user in the caller's own organization (null when the caller has
   * none): removing it, reading and changing its member roles, and the roles grantable there. Decided as
   * for a member; a user who is not one is answered 404 user_not_found by the routes themselves.
   */
  org: OrgCapabilities | null;
}

export interface OrgCapabilities {
  org_id: string;
  actions: { remove_member: ActionCapability };
  member_roles: { read: ActionCapability; change: ActionCapability };
  /**
   * The role names `POST`/`DELETE /orgs/:org_id/members/:user_id/roles` would add to or remove from this
   * user in this organization without `role_not_grantable`: the `grant` lists of the roles acting there,
   * `*` read as every role of the policy plus the member roles the user holds in this organization (never
   * its tenant roles or its roles in other organizations). Empty when `member_roles.change` is refused.
   */
  grantable_roles: string[];
}

const capability = (verdict: ReturnType<typeof decide>): ActionCapability =>
  verdict.allowed ? { allowed: true } : { allowed: false, errorCode: verdict.error.code, message: verdict.error.message };

/**
 * Runs the decision for every per-user action as such (no body): an action allowed here is not refused
 * by the policy for a body keeping to `writable` and `grantable_roles`; one refused here is refused
 * with the same error whatever the body. `update` is allowed only when some field is writable on this
 * user; on a user the caller may not change, both lists are empty.
 */
export function capabilities(p: Permissions, id: string, target: Record<string, unknown>): Capabilities {
  const actions = {} as Record<PerUserAction, ActionCapability>;
  let writable: string[] = [];
  let grantable: string[] = [];
  for (const action of PER_USER_ACTIONS) {
    let verdict = decide(p, action, target, { id });
    if (verdict.allowed && action === 'update') {
      const fields = p.writableBy(verdict.acting);
      writable = writablePaths(fields, target);
      if (writable.length === 0) {
        verdict = { allowed: false, error: errors.fieldsNotWritable(['any field of this user']), rule: { key: 'write' } };
      } else if (fields.covers(p.policy.directory.rolesField)) {
        grantable = grantableRoles(p, profileRoleGranters(p, verdict.acting), p.policy.directory.tenantRolesOf(target));
      }
    }
    actions[action] = capability(verdict);
  }
  const directory = p.policy.directory;
  const change = decide(p, 'change_roles', target, { id });
  // Roles apart from the profile (rbac) change through the roles routes only: what those may grant.
  if (directory.rolesApart) grantable = change.allowed ? grantableRoles(p, change.acting, directory.tenantRolesOf(target)) : [];
  const roles = { read: capability(decide(p, 'read_roles', target, { id })), change: capability(change) };
  return { user_id: id, actions, writable, grantable_roles: grantable, roles, org: orgCapabilities(p, id, target) };
}

/** The user's member roles in one organization, as fetchTarget read them (none where they were not read). */
function memberRolesIn(target: unknown, org: string): string[] {
  return (membershipsOf(target)?.orgs.get(org) ?? []).filter((r): r is string => typeof r === 'string');
}

/** The organization routes on this user, in the caller's organization, decided by decideOrg as the routes decide. */
function orgCapabilities(p: Permissions, id: string, target: Record<string, unknown>): OrgCapabilities | null {
  const org = p.caller.org;
  if (org === undefined) return null;
  const input = { org, id };
  const change = decideOrg(p, 'change_member_roles', target, input);
  return {
    org_id: org,
    actions: { remove_member: capability(decideOrg(p, 'remove_member', target, input)) },
    member_roles: { read: capability(decideOrg(p, 'read_member_roles', target, input)), change: capability(change) },
    grantable_roles: change.allowed ? grantableRoles(p, change.acting, memberRolesIn(target, org)) : [],
  };
}
