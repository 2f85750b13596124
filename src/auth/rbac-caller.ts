import { getPath, roleNamesOf } from '../directory';
import type { RequestScope } from '../lib/request-scope';
import type { Caller } from '../policy/caller';
import type { Looked } from './caller-cache';
import { cachedCallerResolver, readProfile, readRolesAndOrg, type AppMetadataResolverOptions, type CallerResolver } from './resolve-caller';

/**
 * `ROLES_SOURCE=rbac`: a caller's roles are the names of its Auth0 RBAC roles (`GET /users/{id}/roles`,
 * every page), its org `app_metadata.<ORG_PATH>` and its `blocked` from its profile. Both are looked up
 * together, once per caller per TTL, through the same cache as `app_metadata` (shared with Redis,
 * versioned by the subject's generation: a role removed through usergate binds on the next request).
 * A blocked caller has no role (its roles are not even read); one the tenant does not know has none.
 */
export function rbacCallerResolver(options: AppMetadataResolverOptions): CallerResolver {
  const lookup = async (sub: string, tag: string, scope?: RequestScope): Promise<Looked<Caller>> => {
    const profile = await readProfile(options, sub, 'app_metadata,blocked', tag, scope);
    if (!profile) return { value: { sub, roles: [] }, unknown: true };
    if (profile.blocked === true) return { value: { sub, roles: [], blocked: true }, unknown: false };
    let names: unknown[];
    try {
      names = await roleNamesOf(options.management, sub, scope, tag);
    } catch (err) {
      // Deleted between the two reads: as unknown as a missing profile.
      if ((err as { status?: number }).status === 404) return { value: { sub, roles: [] }, unknown: true };
      throw err;
    }
    const found = readRolesAndOrg(names, getPath(getPath(profile, 'app_metadata'), options.orgPath), sub, options.logger, scope);
    return { value: { sub, ...found }, unknown: found.roles.length === 0 };
  };
  return cachedCallerResolver(options, lookup);
}
