import type { Permissions } from './permissions';

/**
 * What the caller may do with organization member roles, on some member (part of GET /me/permissions):
 * read them where a role with `read` reads the roles field, change them with a role granting something;
 * in which organizations is the `scope` of its actions (`all`, or its own `org`).
 */
export function memberRolesSummary(p: Permissions): { read: boolean; change: boolean; grant: string[] } {
  const field = p.policy.directory.rolesField;
  const granters = p.roles.filter((r) => r.can.size > 0 && (r.grant.all || r.grant.names.size > 0));
  const lists = granters.map((r) => r.grant.list);
  return {
    read: p.rolesWithAction('read').some((r) => r.read.covers(field)),
    change: granters.length > 0,
    grant: lists.some((l) => l.includes('*')) ? ['*'] : [...new Set(lists.flat())].sort(),
  };
}
