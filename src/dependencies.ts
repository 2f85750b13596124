import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { AppDeps } from './app';
import { organizationsCallerResolver } from './auth/org-caller';
import { rbacCallerResolver } from './auth/rbac-caller';
import { RoleIds } from './directory';
import { appMetadataCallerResolver, claimCallerResolver } from './auth/resolve-caller';
import { unsettledWindowMs } from './directory/generations';
import { SigningKeys } from './auth/signing-keys';
import { verifyToken } from './auth/verify-token';
import { buildCluster, type Cluster } from './cluster';
import type { Config } from './config/env';
import { MachineTokenProvider, tokenFailureReason } from './management/machine-token';
import { ManagementClient } from './management/management-client';
import { describeMissing, missingScopes, scopesOfToken } from './management/required-scopes';
import { createMetrics } from './metrics/metrics';
import { fixedPolicy, LivePolicy, type PolicySource } from './config/live-policy';
import type { Policy } from './policy/policy';
import { probe, readinessOf, type CheckResult, type ReadinessCheck } from './readiness';
import type { Clock } from './lib/clock';

/** Knobs tests use to control time and waiting; production uses the system clock. */
export type ClockOverrides = Partial<Clock>;

/** Where `npm run build` (its build:console step) writes the console, relative to the working directory (as ACL_FILE is). */
export const CONSOLE_DIR = 'dist/console';

/**
 * Warnings, naming action and scope, for each Management API scope an action the policy enables
 * needs and the machine token lacks (read from the token's `scope` claim; no verification needed).
 */
export function scopeWarnings(
  tokens: MachineTokenProvider,
  policies: PolicySource,
  plan: 'enterprise' | 'standard' = 'standard',
  rolesSource?: string,
  orgSource?: string,
): () => Promise<string[]> {
  return async () => {
    const actions = [...policies.current().policy.roles.values()].flatMap((r) => [...r.can]);
    const granted = scopesOfToken(await tokens.getToken());
    if (!granted) return ['the machine token carries no scope claim, so usergate cannot check its Management API scopes'];
    return describeMissing(missingScopes(actions, granted, plan, rolesSource, orgSource));
  };
}

/**
 * Why no machine token can be obtained, for /readyz and the start-up log: what the token endpoint
 * answered and what to check (docs/errors.md, `mgmt_token_unavailable`). Never the secret.
 */
export function machineTokenFailure(err: unknown): string {
  const reason = tokenFailureReason(err);
  if (!reason) return 'no Management API token can be obtained';
  const hint = /answered 401\b/.test(reason)
    ? ' (check MGMT_CLIENT_ID and MGMT_CLIENT_SECRET)'
    : /answered 403\b/.test(reason)
      ? ' (check that the application is authorised for MGMT_AUDIENCE)'
      : '';
  return `no Management API token can be obtained: ${reason}${hint}`;
}

/**
 * The readiness verdict with the policy's entry as it is now: the other probes' verdict is reused for a
 * while, but a reload (SIGHUP) shows in /readyz at once. The policy entry is never `failing`.
 */
function withPolicyNow(readiness: ReadinessCheck, policies: LivePolicy): ReadinessCheck {
  return async () => {
    const verdict = await readiness();
    return { ...verdict, checks: { ...verdict.checks, policy: policies.status() } };
  };
}

/** Builds every dependency of the app from the validated config. */
export function buildDependencies(
  config: Readonly<Config>,
  logger: Logger,
  policy: Policy | LivePolicy,
  clock: ClockOverrides = {},
): AppDeps & {
  keys: SigningKeys;
  tokens: MachineTokenProvider;
  scopeWarnings: () => Promise<string[]>;
  cluster: Cluster;
  policies: LivePolicy;
} {
  const now = clock.now ?? Date.now;
  const metrics = config.metricsPort === undefined ? undefined : createMetrics();
  // A policy given as such (a test's own document) is served as it is; server.ts gives the reloadable one.
  const policies = policy instanceof LivePolicy ? policy : fixedPolicy(policy, 'fixed', now);
  if (metrics) policies.onServe((served) => metrics.policyServed(served.version));
  const keys = new SigningKeys({
    jwksUri: config.auth.jwksUri,
    now,
    timeoutMs: Math.min(config.management.timeoutMs, 5000),
    observer: metrics?.keys,
  });
  const cluster = buildCluster({ config, logger, now });
  const tokens = new MachineTokenProvider({ ...config.management, now, store: cluster.tokenStore, observer: metrics?.tokens });
  const management = new ManagementClient({
    ...config.management,
    tokens,
    now,
    sleep: clock.sleep,
    budget: cluster.budget,
    coalescer: cluster.coalescer,
    observer: metrics?.upstream,
  });
  const lookups = {
    management,
    ttlS: config.roles.cacheTtlS,
    logger,
    now,
    shared: cluster.callerStore,
    degradedTtlS: config.cluster.degradedTtlS,
    unsettledMs: unsettledWindowMs(config.management.timeoutMs, config.management.maxRetries),
  };
  const warnings = scopeWarnings(tokens, policies, config.auth0Plan, config.roles.source, config.roles.orgSource);
  const callers =
    config.roles.source === 'claim'
      ? claimCallerResolver({ ...config.roles, logger, blockedCheck: config.roles.claimBlockedCheck ? lookups : undefined })
      : config.roles.orgSource === 'organizations'
        ? organizationsCallerResolver({ ...config.roles, ...lookups, rbac: config.roles.source === 'rbac', observer: metrics?.callers })
        : config.roles.source === 'rbac'
          ? rbacCallerResolver({ ...config.roles, ...lookups, observer: metrics?.callers })
          : appMetadataCallerResolver({ ...config.roles, ...lookups, observer: metrics?.callers });
  // ROLES_SOURCE=rbac: role names to ids for the roles routes, cached as long as callers are.
  const roleIds = config.roles.source === 'rbac' ? new RoleIds(management, config.roles.cacheTtlS * 1000, now) : undefined;
  return {
    logger,
    policies,
    roleIds,
    keys,
    tokens,
    cluster,
    callerLimit: cluster.callerLimit,
    management,
    callers,
    verifyToken: verifyToken({ keys, ...config.auth, now }),
    // One line per dependency: a later check is one more entry.
    readiness: withPolicyNow(
      readinessOf(
        {
          jwks: probe(() => keys.refresh(), 'the JWKS cannot be fetched'),
          machineToken: () =>
            warnings().then(
              (missing): CheckResult => (missing.length > 0 ? { state: 'warning', detail: missing.join('; ') } : { state: 'ok' }),
              (err: unknown): CheckResult => ({ state: 'failing', detail: machineTokenFailure(err) }),
            ),
          // The served policy's version and load time; `warning` (with the problems) while a reload is refused.
          policy: () => Promise.resolve<CheckResult>(policies.status()),
          // Redis is never a reason to be unready: without it each replica runs alone on local state.
          ...(config.cluster.redisUrl
            ? {
                redis: () =>
                  Promise.resolve<CheckResult>(
                    cluster.state() === 'shared' ? { state: 'ok', detail: 'shared' } : { state: 'warning', detail: 'degraded' },
                  ),
              }
            : {}),
        },
        now,
      ),
      policies,
    ),
    scopeWarnings: warnings,
    corsOrigins: config.corsOrigins,
    ticketResultUrls: config.ticketResultUrls,
    ticketClientId: config.ticketClientId,
    invitationClientId: config.invitationClientId,
    auth0Plan: config.auth0Plan,
    docs: config.docsEnabled,
    metrics,
    console: config.console && { dir: resolve(CONSOLE_DIR), settings: config.console },
  };
}
