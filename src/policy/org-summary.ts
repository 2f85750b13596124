import type { Permissions } from './permissions';

/** What GET /me/permissions says of the member-roles routes (`org_member_roles`). */
export interface OrgMemberRolesSummary {
  read: boolean;
  change: boolean;
  grant: string[];
}

/**
 * What the caller may do with organization member roles, on some member (`org_member_roles` of GET
 * /me/permissions; `user_roles` beside it describes /users/:id/roles): read them where a role with
 * `read` reads the roles field, change them with a role granting something; in which organizations is
 * the `scope` of its actions (`all`, or its own `org`). Only roles reaching some organization count (a
 * `scope: all` role, or any role of a caller with an org): for a caller with no org and only org-scoped
 * roles every /orgs call is a 404, and this says so.
 */
export function orgMemberRolesSummary(p: Permissions): OrgMemberRolesSummary {
  const field = p.policy.directory.rolesField;
  // A role reaching some organization (policy/rules/org-reach.ts): every one, or the caller's own.
  const reaching = p.roles.filter((r) => r.scope === 'all' || p.caller.org !== undefined);
  const granters = reaching.filter((r) => r.can.size > 0 && (r.grant.all || r.grant.names.size > 0));
  const lists = granters.map((r) => r.grant.list);
  return {
    read: reaching.some((r) => r.can.has('read') && r.read.covers(field)),
    change: granters.length > 0,
    grant: lists.some((l) => l.includes('*')) ? ['*'] : [...new Set(lists.flat())].sort(),
  };
}
