import { errors, HttpError } from '../errors';
import type { Allowed, RolesAsked, Verdict } from './decide';
import type { Action, OrgAction } from './fixed-fields';
import type { Permissions } from './permissions';
import type { RolePolicy } from './policy';
import { Refusal, refuse, roleNames } from './refusal';
import { canGrant } from './rules/grants';
import { actingInOrg } from './rules/org-reach';
import { checkManageable } from './rules/protection';

/**
 * Everything decideOrg answers for: the policy's organization actions, and a member's roles in an
 * organization (`read_member_roles`: the `read` action with the roles readable; `change_member_roles`:
 * each role added or removed in the `grant` list of a role acting in the organization).
 */
export type OrgDecisionAction = OrgAction | 'read_member_roles' | 'change_member_roles';

/** What an organization request asks: the path's organization, the member (per-member routes), the roles. */
export interface OrgDecisionInput {
  /** The organization id of the path. */
  org: string;
  /** The member's user id (remove_member, the member-roles routes). */
  id?: string;
  /** The roles added or removed (change_member_roles), or given by an invitation (invite, as `added`). */
  roles?: RolesAsked;
}

/** The policy action each decision needs a role for (none for member-role changes: the `grant` lists decide). */
const POLICY_ACTION: Record<OrgDecisionAction, Action | undefined> = {
  list_members: 'list_members',
  remove_member: 'remove_member',
  invite: 'invite',
  revoke_invitation: 'revoke_invitation',
  read_member_roles: 'read',
  change_member_roles: undefined,
};

/** Decisions on one member, decided in two steps (before and after the member is read). */
const ON_A_MEMBER = new Set<OrgDecisionAction>(['remove_member', 'change_member_roles']);

/** Whether the action works on one existing member (its profile must be read for target protection). */
export function needsMember(action: OrgDecisionAction): boolean {
  return ON_A_MEMBER.has(action);
}

const grants = (role: RolePolicy): boolean => role.grant.all || role.grant.names.size > 0;

function allowed(acting: readonly RolePolicy[], invalidatesTarget = false): Allowed {
  return { allowed: true, acting, list: undefined, selection: undefined, body: undefined, logFields: undefined, invalidatesTarget };
}

/**
 * The decision on the organization routes, pure and synchronous like `decide` (and built from its rules:
 * grants, target protection, refusals tagged with their rule). The order of checks:
 *   before the member: a known role and one allowing the action -> never oneself (removing oneself,
 *                      changing one's own member roles) -> the organization reached (404 org_not_found
 *                      otherwise, as a missing one) -> the roles readable (read_member_roles) -> each role
 *                      asked grantable by the acting roles (403 role_not_grantable, before anything is sent)
 *   on the member:     target protection: every role the member holds grantable by the acting roles
 * Whether the member belongs to the organization is the operation's to check (an upstream fact).
 */
export function decideOrg(
  p: Permissions,
  action: OrgDecisionAction,
  member: Record<string, unknown> | undefined,
  input: OrgDecisionInput,
  screened?: Allowed,
): Verdict {
  try {
    const first = screened ?? beforeMember(p, action, input);
    if (member === undefined || !ON_A_MEMBER.has(action)) return first;
    checkManageable(p, member, first.acting, true);
    return first;
  } catch (err) {
    if (err instanceof Refusal) return { allowed: false, error: err.error, rule: err.rule };
    if (err instanceof HttpError) return { allowed: false, error: err, rule: { key: 'input' } };
    throw err;
  }
}

function beforeMember(p: Permissions, action: OrgDecisionAction, input: OrgDecisionInput): Allowed {
  // 1. A known role, and one allowing the action somewhere.
  if (!p.hasRole) refuse(errors.noRole(), { key: 'roles' });
  const policyAction = POLICY_ACTION[action];
  if (policyAction && !p.can(policyAction))
    refuse(errors.actionForbidden(policyAction), { role: roleNames(p.roles), key: 'can', value: policyAction });
  // 2. Oneself: never removed from an organization, nor one's own member roles changed, here.
  if (input.id !== undefined && input.id === p.sub) {
    if (action === 'remove_member') refuse(errors.selfForbidden('remove from its organization'), { key: 'self' });
    if (action === 'change_member_roles') refuse(errors.selfForbidden('change the member roles of'), { key: 'self' });
  }
  // 3. The organization: reached by a role with the action (or, for member roles, any role), else 404.
  let acting = actingInOrg(p, input.org, policyAction);
  if (action === 'change_member_roles') acting = acting.filter(grants);
  // 4. Reading member roles is reading the roles field.
  if (action === 'read_member_roles') {
    const field = p.policy.directory.rolesField;
    if (!p.readableBy(acting).covers(field))
      refuse(errors.fieldsNotReadable('member roles', [field]), { role: roleNames(acting), key: 'read', value: field });
  }
  // 5. Grants: every role added, removed or invited with is in an acting role's `grant`.
  if (action === 'change_member_roles' || action === 'invite') {
    const asked = input.roles;
    if (asked) {
      const refused = [...new Set([...asked.added, ...asked.removed])].filter((role) => !canGrant(acting, role));
      if (refused.length > 0) refuse(errors.roleNotGrantable(refused), { role: roleNames(acting), key: 'grant', value: refused[0] });
    } else if (action === 'change_member_roles' && acting.length === 0) {
      // Decided as such (capabilities): no role acting here grants anything.
      refuse(errors.roleNotGrantable(['any role']), { role: roleNames(p.roles), key: 'grant' });
    }
  }
  return allowed(acting, action === 'remove_member' || action === 'change_member_roles');
}
