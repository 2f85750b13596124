import type { Logger } from 'pino';
import { BoundedCache } from '../lib/bounded-cache';
import type { Now } from '../lib/clock';
import { SingleFlight } from '../lib/single-flight';
import type { ManagementClient } from '../management/management-client';
import { checkUserId } from '../management/user-id';
import type { Caller } from '../policy/caller';
import { getPath, orgValue as toOrg } from '../policy/user-fields';

/** A caller with more roles than this is treated as malformed data and granted nothing. */
export const MAX_CALLER_ROLES = 100;

export type CallerResolver = (claims: Record<string, unknown>, requestId?: string) => Promise<Caller>;

/** Roles and org out of untrusted data: anything malformed grants nothing and is logged, never thrown. */
export function readRolesAndOrg(rolesValue: unknown, orgValue: unknown, sub: string, logger: Logger, requestId?: string): Omit<Caller, 'sub'> {
  let roles: string[] = [];
  if (rolesValue !== undefined && rolesValue !== null) {
    if (!Array.isArray(rolesValue)) {
      logger.warn({ sub, requestId, type: typeof rolesValue }, 'caller roles are not an array: no role granted');
    } else if (rolesValue.length > MAX_CALLER_ROLES) {
      logger.warn({ sub, requestId, count: rolesValue.length }, 'caller has too many roles: no role granted');
    } else {
      roles = rolesValue.filter((r): r is string => typeof r === 'string' && r.length <= 64);
      if (roles.length !== rolesValue.length) logger.warn({ sub, requestId }, 'caller roles hold non-string or oversized entries: ignored');
    }
  }
  const org = toOrg(orgValue);
  if (org === undefined && orgValue !== undefined && orgValue !== null) logger.warn({ sub, requestId }, 'caller org is malformed: no org');
  return { roles: [...new Set(roles)], org };
}

/** `ROLES_SOURCE=claim`: roles and org from namespaced claims of the verified token. */
export function claimCallerResolver(options: { rolesClaim: string; orgClaim: string; logger: Logger }): CallerResolver {
  return (claims, requestId) => {
    const sub = claims.sub as string;
    return Promise.resolve({ sub, ...readRolesAndOrg(claims[options.rolesClaim], claims[options.orgClaim], sub, options.logger, requestId) });
  };
}

export interface AppMetadataResolverOptions {
  management: ManagementClient;
  rolesPath: string;
  orgPath: string;
  /** Cache lifetime, in s; 0 disables the cache. */
  ttlS: number;
  logger: Logger;
  /** Clock, in ms since the epoch; default `Date.now`. */
  now?: Now;
  /** Most callers kept at once; default 10000. */
  maxEntries?: number;
}

/**
 * `ROLES_SOURCE=app_metadata`: roles and org read from the caller's own profile through the
 * Management API, cached per `sub` in a bounded cache (when full, the oldest caller makes room).
 * Concurrent lookups for one caller share one upstream call; failures are not cached. A subject that is not a user id (a machine client) or
 * that the tenant does not know has no role.
 */
export function appMetadataCallerResolver(options: AppMetadataResolverOptions): CallerResolver {
  const now = options.now ?? Date.now;
  const cache = new BoundedCache<string, Caller>({ maxEntries: options.maxEntries ?? 10_000, now });
  const inflight = new SingleFlight<string, Caller>();

  const lookup = async (sub: string, requestId?: string): Promise<Caller> => {
    let profile: unknown;
    try {
      checkUserId(sub);
    } catch {
      return { sub, roles: [] };
    }
    try {
      profile = await options.management.getUser(sub, { fields: 'app_metadata', include_fields: true }, requestId);
    } catch (err) {
      if ((err as { status?: number }).status === 404) return { sub, roles: [] };
      throw err;
    }
    const appMetadata = getPath(profile, 'app_metadata');
    const caller = { sub, ...readRolesAndOrg(getPath(appMetadata, options.rolesPath), getPath(appMetadata, options.orgPath), sub, options.logger, requestId) };
    if (options.ttlS > 0) cache.set(sub, caller, now() + options.ttlS * 1000);
    return caller;
  };

  return (claims: Record<string, unknown>, requestId?: string): Promise<Caller> => {
    const sub = claims.sub as string;
    const hit = cache.get(sub);
    return hit ? Promise.resolve(hit) : inflight.run(sub, () => lookup(sub, requestId));
  };
}
