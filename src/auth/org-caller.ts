import { getPath, memberOf, memberRoleNamesOf, roleNamesOf } from '../directory';
import type { RequestScope } from '../lib/request-scope';
import { isOrgId } from '../management/org-id';
import type { Caller } from '../policy/caller';
import type { Looked } from './caller-cache';
import {
  callerCache,
  isCaller,
  isUserId,
  readProfile,
  readRolesAndOrg,
  type AppMetadataResolverOptions,
  type CallerResolver,
} from './resolve-caller';

/** The claim Auth0 sets on an access token issued through an organization login. */
export const ORG_ID_CLAIM = 'org_id';

export interface OrganizationsResolverOptions extends AppMetadataResolverOptions {
  /** ROLES_SOURCE=rbac: tenant roles from Auth0 RBAC and member roles in the organization; false: roles from app_metadata. */
  rbac: boolean;
}

/** Whether Auth0 answered 404 or 400 (the user, the organization or the membership went meanwhile; Auth0 answers member roles of a non-member with one of them). */
const gone = (err: unknown): boolean => [400, 404].includes((err as { status?: number }).status ?? 0);

/**
 * ORG_SOURCE=organizations: the caller's org is its token's `org_id`, once Auth0 says the caller is a
 * member of that organization now (`GET /users/{sub}/organizations`); a token without one (or with a
 * malformed one, or one naming an organization the caller is not a member of) has no org. Its roles are
 * its tenant roles (Auth0 RBAC with `rbac`, else `app_metadata.<ROLES_PATH>`), plus, with `rbac` and a
 * verified org, its member roles there (`memberRoles`: each acts only in that organization, see
 * policy/member-roles.ts). `blocked` is read with them: a blocked caller has no role.
 *
 * Looked up once per (caller, org_id) per TTL through the caller cache (shared with Redis), each
 * organization its own slot under the subject's one generation: a caller with tokens for two
 * organizations is never served the other's entry, and a revocation of the subject (a role, a membership
 * or a member role removed through usergate) drops every slot at once.
 */
export function organizationsCallerResolver(options: OrganizationsResolverOptions): CallerResolver {
  const cache = callerCache<Caller>(options, 'caller', isCaller);
  const { management, logger } = options;
  const lookup = async (sub: string, org: string | undefined, tag: string, scope?: RequestScope): Promise<Looked<Caller>> => {
    const profile = await readProfile(options, sub, options.rbac ? 'blocked' : 'app_metadata,blocked', tag, scope);
    if (!profile) return { value: { sub, roles: [] }, unknown: true };
    if (profile.blocked === true) return { value: { sub, roles: [], blocked: true }, unknown: false };
    let tenantRoles: unknown;
    let verified = false;
    let memberRoles: unknown[] | undefined;
    try {
      tenantRoles = options.rbac
        ? await roleNamesOf(management, sub, scope, tag)
        : getPath(getPath(profile, 'app_metadata'), options.rolesPath);
      verified = org !== undefined && (await memberOf(management, sub, org, scope, tag));
    } catch (err) {
      // Deleted between the reads: as unknown as a missing profile.
      if (gone(err)) return { value: { sub, roles: [] }, unknown: true };
      throw err;
    }
    if (verified && options.rbac) {
      try {
        memberRoles = await memberRoleNamesOf(management, org!, sub, scope, tag);
      } catch (err) {
        // The membership (or the organization) went between the reads: no org.
        if (!gone(err)) throw err;
        verified = false;
      }
    }
    const roles = readRolesAndOrg(tenantRoles, undefined, sub, logger, scope).roles;
    const caller: Caller = verified ? { sub, roles, org } : { sub, roles };
    if (verified && memberRoles !== undefined) caller.memberRoles = readRolesAndOrg(memberRoles, undefined, sub, logger, scope).roles;
    return { value: caller, unknown: roles.length === 0 && (caller.memberRoles?.length ?? 0) === 0 };
  };
  return {
    async resolve(claims, scope) {
      const sub = claims.sub as string;
      if (!isUserId(sub)) return { sub, roles: [] };
      const claimed = claims[ORG_ID_CLAIM];
      const org = isOrgId(claimed) ? claimed : undefined;
      const { value, hit } = await cache.get(sub, (tag) => lookup(sub, org, tag, scope), org);
      options.observer?.callerCache(hit ? 'hit' : 'miss');
      // A shared entry holds the subject and organization it was stored for (sealed, bound to its key); checked again.
      if (value.sub !== sub || (value.org !== undefined && value.org !== org)) return { sub, roles: [] };
      return value;
    },
    async invalidate(sub, outcome) {
      await cache.revoke(sub, outcome === 'unknown' ? (options.unsettledMs ?? 0) : 0);
    },
  };
}
