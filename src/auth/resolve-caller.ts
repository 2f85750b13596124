import type { Logger } from 'pino';
import { errors, HttpError } from '../errors';
import { logIds, type RequestScope } from '../lib/request-scope';
import type { ManagementClient } from '../management/management-client';
import { checkUserId } from '../management/user-id';
import type { Caller } from '../policy/caller';
import { getPath, orgValue as toOrg } from '../policy/user-fields';
import type { SharedCallerStore, SharedKind, Validate } from '../cluster/shared-caller-store';
import { CallerCache, type Looked } from './caller-cache';

/** Whether Auth0 answered a revoking write (applied or refused), or its outcome is unknown (it may land later). */
export type RevocationOutcome = 'settled' | 'unknown';

/** A caller with more roles than this is treated as malformed data and granted nothing. */
export const MAX_CALLER_ROLES = 100;

/** Turns a verified token's claims into a caller, and forgets what it cached about a subject. */
export interface CallerResolver {
  /** `scope`: the request's ids and trace, sent upstream with a lookup and written on any warning. */
  resolve(claims: Record<string, unknown>, scope?: RequestScope): Promise<Caller>;
  /**
   * A revocation: moves the subject to a new generation, so its next request is resolved afresh and
   * no lookup that started before lands in a cache. usergate calls it after it changes a user's roles,
   * org or `blocked`, or deletes a user: once Auth0 acknowledged (or refused) the write, and also when
   * the outcome is unknown (a timeout, a network error, a 5xx): then (`outcome: 'unknown'`) the subject
   * is also unsettled for the unsettled window, during which nothing of it is cached and each of its
   * requests is resolved afresh, so a write that lands late binds at once. With a cluster, every
   * replica hears it (one call).
   */
  invalidate(sub: string, outcome?: RevocationOutcome): Promise<void>;
}

/** Roles and org out of untrusted data: anything malformed grants nothing and is logged, never thrown. */
export function readRolesAndOrg(
  rolesValue: unknown,
  orgValue: unknown,
  sub: string,
  logger: Logger,
  scope?: RequestScope,
): Omit<Caller, 'sub'> {
  const ids = logIds(scope);
  let roles: string[] = [];
  if (rolesValue !== undefined && rolesValue !== null) {
    if (!Array.isArray(rolesValue)) {
      logger.warn({ sub, ...ids, type: typeof rolesValue }, 'caller roles are not an array: no role granted');
    } else if (rolesValue.length > MAX_CALLER_ROLES) {
      logger.warn({ sub, ...ids, count: rolesValue.length }, 'caller has too many roles: no role granted');
    } else {
      roles = rolesValue.filter((r): r is string => typeof r === 'string' && r.length <= 64);
      if (roles.length !== rolesValue.length) logger.warn({ sub, ...ids }, 'caller roles hold non-string or oversized entries: ignored');
    }
  }
  const org = toOrg(orgValue);
  if (org === undefined && orgValue !== undefined && orgValue !== null) logger.warn({ sub, ...ids }, 'caller org is malformed: no org');
  return { roles: [...new Set(roles)], org };
}

/** Where a caller profile is looked up, and for how long what is found is kept. */
export interface ProfileLookupOptions {
  management: ManagementClient;
  /** Cache lifetime, in s; 0 disables the cache. */
  ttlS: number;
  logger: Logger;
  /** Clock, in ms since the epoch; default `Date.now`. */
  now?: () => number;
  /** Most known callers kept at once, and most unknown subjects; default 10000 each. */
  maxEntries?: number;
  /** Callers shared by the replicas (Redis), with revocations heard from every replica; none: this process only. */
  shared?: SharedCallerStore;
  /** REDIS_DEGRADED_TTL_S: while Redis is away, the longest an entry is served before it is looked up again; default 5. */
  degradedTtlS?: number;
  /**
   * After a revoking write whose outcome is unknown, how long the subject stays unsettled, in ms (see
   * directory/generations.ts, `unsettledWindowMs`); default 0: no window, one bump only.
   */
  unsettledMs?: number;
  /** Told whether each lookup was served from the cache (metrics). */
  observer?: { callerCache(result: 'hit' | 'miss'): void };
}

export function isUserId(sub: string): boolean {
  try {
    checkUserId(sub);
    return true;
  } catch {
    return false;
  }
}

export function callerCache<T>(options: ProfileLookupOptions, kind: SharedKind, validate: Validate<T>): CallerCache<T> {
  const max = options.maxEntries ?? 10_000;
  const store = options.ttlS > 0 ? options.shared : undefined;
  return new CallerCache<T>({
    ttlMs: options.ttlS * 1000,
    maxEntries: max,
    maxUnknown: max,
    now: options.now ?? Date.now,
    shared: store && { store, kind, validate, degradedTtlMs: (options.degradedTtlS ?? 5) * 1000 },
  });
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What a shared entry must hold to be read as a caller (its subject is checked by the resolver). */
export const isCaller = (value: unknown): value is Caller =>
  isRecord(value) &&
  typeof value.sub === 'string' &&
  Array.isArray(value.roles) &&
  value.roles.length <= MAX_CALLER_ROLES &&
  value.roles.every((r) => typeof r === 'string') &&
  (value.org === undefined || typeof value.org === 'string') &&
  (value.blocked === undefined || typeof value.blocked === 'boolean') &&
  (value.memberRoles === undefined ||
    (Array.isArray(value.memberRoles) &&
      value.memberRoles.length <= MAX_CALLER_ROLES &&
      value.memberRoles.every((r) => typeof r === 'string')));

const isStanding = (value: unknown): value is Standing =>
  isRecord(value) && typeof value.blocked === 'boolean' && typeof value.exists === 'boolean';

/**
 * The caller's own profile (only `fields`), or `undefined` when the tenant does not know the subject:
 * a subject that is not a user id (a machine client) is not looked up at all.
 */
export async function readProfile(
  options: ProfileLookupOptions,
  sub: string,
  fields: string,
  tag: string,
  scope?: RequestScope,
): Promise<Record<string, unknown> | undefined> {
  if (!isUserId(sub)) return undefined;
  try {
    // `tag` (the generation) keeps a lookup after a revocation from joining one started before it.
    return (await options.management.getUser(sub, { fields, include_fields: true }, scope, tag)) as Record<string, unknown>;
  } catch (err) {
    if ((err as { status?: number }).status === 404) return undefined;
    // Auth0 refusing usergate's own lookup of the caller (a 400, 403 or 409) is not a refusal of what the
    // caller asked: it is usergate's trouble with Auth0 (a 502), whatever route the caller called.
    if (err instanceof HttpError && err.status >= 400 && err.status < 500 && err.status !== 429) {
      throw errors.upstreamError(`the caller's own profile lookup was refused (${err.code})`).causedBy(err);
    }
    throw err;
  }
}

export interface ClaimResolverOptions {
  rolesClaim: string;
  orgClaim: string;
  logger: Logger;
  /**
   * CLAIM_BLOCKED_CHECK: look up the caller's `blocked` (and whether it still exists), once per caller
   * per TTL. Without it, a blocked or deleted user keeps its claimed roles until its token expires.
   */
  blockedCheck?: ProfileLookupOptions;
}

/** What the claim resolver checks of a caller's profile. */
interface Standing {
  blocked: boolean;
  exists: boolean;
}

/**
 * `ROLES_SOURCE=claim`: roles and org from namespaced claims of the verified token. With the blocked
 * check, a blocked caller has no role (and `blocked: true`), and so has a deleted one.
 */
export function claimCallerResolver(options: ClaimResolverOptions): CallerResolver {
  const check = options.blockedCheck;
  const cache = check ? callerCache<Standing>(check, 'standing', isStanding) : undefined;
  const standing = async (sub: string, tag: string, scope?: RequestScope): Promise<Looked<Standing>> => {
    const profile = await readProfile(check!, sub, 'blocked', tag, scope);
    if (!profile) return { value: { blocked: false, exists: false }, unknown: true };
    return { value: { blocked: profile.blocked === true, exists: true }, unknown: false };
  };
  return {
    async resolve(claims, scope) {
      const sub = claims.sub as string;
      // A machine client (its subject is no user id) has no profile to block.
      if (cache && isUserId(sub)) {
        const { blocked, exists } = (await cache.get(sub, (tag) => standing(sub, tag, scope))).value;
        if (blocked) return { sub, roles: [], blocked: true };
        if (!exists) return { sub, roles: [] };
      }
      return { sub, ...readRolesAndOrg(claims[options.rolesClaim], claims[options.orgClaim], sub, options.logger, scope) };
    },
    async invalidate(sub, outcome) {
      await cache?.revoke(sub, outcome === 'unknown' ? (check?.unsettledMs ?? 0) : 0);
    },
  };
}

export interface AppMetadataResolverOptions extends ProfileLookupOptions {
  rolesPath: string;
  orgPath: string;
}

/**
 * `ROLES_SOURCE=app_metadata`: roles, org and `blocked` read from the caller's own profile through the
 * Management API in one call, cached per `sub`. Concurrent lookups for one caller share one upstream
 * call; failures are not cached. A blocked caller has no role (and `blocked: true`); a subject that is
 * not a user id (a machine client) has no role, at no cost; one the tenant does not know (deleted) has no role,
 * and that answer is cached too, so a stale token does not cost an upstream call per request. Entries
 * are versioned by the subject's generation (auth/caller-cache.ts): a revocation binds on the next request.
 */
export function appMetadataCallerResolver(options: AppMetadataResolverOptions): CallerResolver {
  const lookup = async (sub: string, tag: string, scope?: RequestScope): Promise<Looked<Caller>> => {
    const profile = await readProfile(options, sub, 'app_metadata,blocked', tag, scope);
    if (!profile) return { value: { sub, roles: [] }, unknown: true };
    if (profile.blocked === true) return { value: { sub, roles: [], blocked: true }, unknown: false };
    const appMetadata = getPath(profile, 'app_metadata');
    const found = readRolesAndOrg(
      getPath(appMetadata, options.rolesPath),
      getPath(appMetadata, options.orgPath),
      sub,
      options.logger,
      scope,
    );
    // A role-less answer goes to the bounded unknown pool.
    return { value: { sub, ...found }, unknown: found.roles.length === 0 };
  };
  return cachedCallerResolver(options, lookup);
}

/**
 * A resolver over a caller lookup of one source (`app_metadata`, `rbac`): cached per subject under the
 * generation rule (auth/caller-cache.ts), shared with Redis, and revoked with the unsettled window when
 * a revoking write's outcome is unknown. A subject that is not a user id has no role, at no cost.
 */
export function cachedCallerResolver(
  options: ProfileLookupOptions,
  lookup: (sub: string, tag: string, scope?: RequestScope) => Promise<Looked<Caller>>,
): CallerResolver {
  const cache = callerCache<Caller>(options, 'caller', isCaller);
  return {
    async resolve(claims, scope) {
      const sub = claims.sub as string;
      if (!isUserId(sub)) return { sub, roles: [] };
      const { value, hit } = await cache.get(sub, (tag) => lookup(sub, tag, scope));
      options.observer?.callerCache(hit ? 'hit' : 'miss');
      // A shared entry holds the subject it was stored for (sealed, bound to the subject's key).
      return value.sub === sub ? value : { sub, roles: [] };
    },
    async invalidate(sub, outcome) {
      await cache.revoke(sub, outcome === 'unknown' ? (options.unsettledMs ?? 0) : 0);
    },
  };
}
