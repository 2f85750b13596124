import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { AppDeps } from './app';
import { appMetadataCallerResolver, claimCallerResolver } from './auth/resolve-caller';
import { SigningKeys } from './auth/signing-keys';
import { verifyToken } from './auth/verify-token';
import { buildCluster, type Cluster } from './cluster';
import type { Config } from './config/env';
import { MachineTokenProvider } from './management/machine-token';
import { ManagementClient } from './management/management-client';
import { describeMissing, missingScopes, scopesOfToken } from './management/required-scopes';
import { createMetrics } from './metrics/metrics';
import type { Policy } from './policy/policy';
import { probe, readinessOf, type CheckResult } from './readiness';
import type { Clock } from './lib/clock';

/** Knobs tests use to control time and waiting; production uses the system clock. */
export type ClockOverrides = Partial<Clock>;

/** Where `npm run build:console` writes the console, relative to the working directory (as ACL_FILE is). */
export const CONSOLE_DIR = 'dist/console';

/**
 * Warnings, naming action and scope, for each Management API scope an action the policy enables
 * needs and the machine token lacks (read from the token's `scope` claim; no verification needed).
 */
export function scopeWarnings(tokens: MachineTokenProvider, policy: Policy): () => Promise<string[]> {
  const actions = [...policy.roles.values()].flatMap((r) => [...r.can]);
  return async () => {
    const granted = scopesOfToken(await tokens.getToken());
    if (!granted) return ['the machine token carries no scope claim, so usergate cannot check its Management API scopes'];
    return describeMissing(missingScopes(actions, granted));
  };
}

/** Builds every dependency of the app from the validated config. */
export function buildDependencies(
  config: Readonly<Config>,
  logger: Logger,
  policy: Policy,
  clock: ClockOverrides = {},
): AppDeps & { keys: SigningKeys; tokens: MachineTokenProvider; scopeWarnings: () => Promise<string[]>; cluster: Cluster } {
  const now = clock.now ?? Date.now;
  const metrics = config.metricsPort === undefined ? undefined : createMetrics();
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
  };
  const warnings = scopeWarnings(tokens, policy);
  const callers =
    config.roles.source === 'claim'
      ? claimCallerResolver({ ...config.roles, logger, blockedCheck: config.roles.claimBlockedCheck ? lookups : undefined })
      : appMetadataCallerResolver({ ...config.roles, ...lookups, observer: metrics?.callers });
  return {
    logger,
    policy,
    keys,
    tokens,
    cluster,
    callerLimit: cluster.callerLimit,
    management,
    callers,
    verifyToken: verifyToken({ keys, ...config.auth, now }),
    // One line per dependency: a later check is one more entry.
    readiness: readinessOf(
      {
        jwks: probe(() => keys.refresh(), 'the JWKS cannot be fetched'),
        machineToken: () =>
          warnings().then(
            (missing): CheckResult => (missing.length > 0 ? { state: 'warning', detail: missing.join('; ') } : { state: 'ok' }),
            (): CheckResult => ({ state: 'failing', detail: 'no Management API token can be obtained' }),
          ),
        policy: () => Promise.resolve({ state: 'ok', detail: `${policy.roles.size} role(s) loaded` }),
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
    scopeWarnings: warnings,
    corsOrigins: config.corsOrigins,
    ticketResultUrls: config.ticketResultUrls,
    docs: config.docsEnabled,
    metrics,
    console: config.console && { dir: resolve(CONSOLE_DIR), settings: config.console },
  };
}
