import { NameSet, type Policy, type RolePolicy } from './policy';

/** Per compiled policy, each role as a member role: built once, shared by every request under that policy. */
const asMemberRole = new WeakMap<Policy, Map<string, RolePolicy>>();

/**
 * A role the caller holds as an organization member role: the policy's role, bound to the caller's
 * organization whatever its `scope` says (`scope: org`), and granting only what an org-scoped role may
 * grant (the policy's `scope: org` roles; a `*` grant means those): an organization's admin never
 * reaches past its organization, nor manages anyone holding a tenant-wide role, even when its member
 * role's name is a tenant-wide policy role.
 */
export function memberRolePolicy(policy: Policy, role: RolePolicy): RolePolicy {
  if (role.scope === 'org' && [...role.grant.names].every((n) => policy.roles.get(n)?.scope === 'org') && !role.grant.all) return role;
  let cache = asMemberRole.get(policy);
  if (!cache) asMemberRole.set(policy, (cache = new Map<string, RolePolicy>()));
  let bound = cache.get(role.name);
  if (!bound) {
    const orgScoped = [...policy.roles.values()].filter((r) => r.scope === 'org').map((r) => r.name);
    const grant = role.grant.all ? orgScoped : orgScoped.filter((name) => role.grant.names.has(name));
    cache.set(role.name, (bound = { ...role, scope: 'org', grant: new NameSet(grant) }));
  }
  return bound;
}

/**
 * The roles a caller acts with: its tenant roles as the policy defines them, then each member role the
 * policy defines (bound to the organization, above) unless the caller holds it as a tenant role too
 * (the tenant role reaches at least as far).
 */
export function rolesOfCaller(policy: Policy, roles: readonly string[], memberRoles: readonly string[] | undefined): RolePolicy[] {
  const out = roles.map((r) => policy.roles.get(r)).filter((r): r is RolePolicy => r !== undefined);
  if (!memberRoles || memberRoles.length === 0) return out;
  for (const name of memberRoles) {
    const role = policy.roles.get(name);
    if (role && !roles.includes(name)) out.push(memberRolePolicy(policy, role));
  }
  return out;
}
