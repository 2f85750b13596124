import NodeCache from 'node-cache';
import type { Logger } from 'pino';
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
  return async (claims, requestId) => {
    const sub = claims.sub as string;
    return { sub, ...readRolesAndOrg(claims[options.rolesClaim], claims[options.orgClaim], sub, options.logger, requestId) };
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
  now?: () => number;
  /** Most callers kept at once; default 10000. */
  maxEntries?: number;
  /** Told whether each lookup was served from the cache (metrics). */
  observer?: { callerCache(result: 'hit' | 'miss'): void };
}

interface Entry {
  caller: Caller;
  expiresAt: number;
}

/**
 * `ROLES_SOURCE=app_metadata`: roles and org read from the caller's own profile through the
 * Management API, cached per `sub` in node-cache. Concurrent lookups for one caller share one
 * upstream call; failures are not cached. A subject that is not a user id (a machine client) or
 * that the tenant does not know has no role.
 */
export function appMetadataCallerResolver(options: AppMetadataResolverOptions): CallerResolver {
  const now = options.now ?? Date.now;
  const cache = new NodeCache({ useClones: false, stdTTL: Math.max(options.ttlS, 1) * 2, checkperiod: 120, maxKeys: options.maxEntries ?? 10_000 });
  const inflight = new Map<string, Promise<Caller>>();

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
    if (options.ttlS > 0) {
      try {
        cache.set<Entry>(sub, { caller, expiresAt: now() + options.ttlS * 1000 });
      } catch {
        // Cache full: serve uncached rather than fail.
      }
    }
    return caller;
  };

  return async (claims: Record<string, unknown>, requestId?: string): Promise<Caller> => {
    const sub = claims.sub as string;
    const hit = cache.get<Entry>(sub);
    const fresh = hit && now() < hit.expiresAt;
    options.observer?.callerCache(fresh ? 'hit' : 'miss');
    if (fresh) return hit.caller;
    let pending = inflight.get(sub);
    if (!pending) {
      pending = lookup(sub, requestId).finally(() => inflight.delete(sub));
      inflight.set(sub, pending);
    }
    return pending;
  };
}
