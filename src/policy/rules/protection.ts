import { MEMBER_ELSEWHERE, membershipsOf, ROLES_NOT_COUNTED } from '../../directory/memberships';
import { errors } from '../../errors';
import type { Permissions } from '../permissions';
import type { RolePolicy } from '../policy';
import { refuse, roleNames } from '../refusal';

/** The pseudo-roles granted by nobody, not even `*`: what usergate could not count, and another organization's claim. */
const GRANTED_BY_NOBODY = new Set([ROLES_NOT_COUNTED, MEMBER_ELSEWHERE]);

/**
 * Who may manage whom, in one place: the roles a target holds (known to the policy or not) that none of
 * the acting roles may grant. While any remain, the caller may not act on the target beyond reading
 * it: nobody manages someone above them, or beside them. Roles usergate could not count (a member of
 * more organizations than it reads) and a membership of another organization are granted by nobody,
 * not even `*`.
 */
export function protectedRoles(targetRoles: readonly string[], acting: readonly RolePolicy[]): string[] {
  return targetRoles.filter((role) => GRANTED_BY_NOBODY.has(role) || !acting.some((r) => r.grant.has(role)));
}

/**
 * Where organizations live apart and no acting role reaches every org: the target's organizations other
 * than the caller's, as one pseudo-role (MEMBER_ELSEWHERE). An action on a user (its profile, password,
 * sessions, deletion) acts in every organization it belongs to; an org-scoped caller answers for its
 * own only. Memberships not read, or not all read, count as ROLES_NOT_COUNTED (fail closed).
 */
function organizationsElsewhere(p: Permissions, target: unknown, acting: readonly RolePolicy[]): string[] {
  if (!p.policy.directory.orgsApart || acting.some((r) => r.scope === 'all')) return [];
  const memberships = membershipsOf(target);
  if (!memberships) return [ROLES_NOT_COUNTED];
  const out: string[] = [];
  if ([...memberships.orgs.keys()].some((org) => org !== p.org)) out.push(MEMBER_ELSEWHERE);
  if (!memberships.complete) out.push(ROLES_NOT_COUNTED);
  return out;
}

/**
 * Every action on an existing user other than `list` and `read`: 403 `target_protected` naming the roles.
 * The roles counted are `directory.rolesOf(target)`: with Organizations, the tenant roles and the member
 * roles in every organization of the target (operations/context.ts `fetchTarget` reads them); for an
 * action on the user itself (`withinOrg` false) by a caller no acting role of which reaches every org,
 * also its memberships of other organizations. The organization routes (`withinOrg`: removing a member,
 * its member roles) act in the caller's organization only, so other memberships do not count there.
 */
export function checkManageable(p: Permissions, target: unknown, acting: readonly RolePolicy[], withinOrg = false): void {
  const held = p.policy.directory.rolesOf(target);
  const counted = withinOrg ? held : [...new Set([...held, ...organizationsElsewhere(p, target, acting)])];
  const above = protectedRoles(counted, acting);
  if (above.length > 0) refuse(errors.targetProtected(above), { role: roleNames(acting), key: 'grant', value: above[0] });
}
