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
import type { Policy } from './policy/policy';
import { readinessCheck } from './readiness';
import type { Clock } from './lib/clock';

/** Knobs tests use to control time and waiting; production uses the system clock. */
export type ClockOverrides = Partial<Clock>;

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
  const keys = new SigningKeys({ jwksUri: config.auth.jwksUri, now, timeoutMs: Math.min(config.management.timeoutMs, 5000) });
  const cluster = buildCluster({ config, logger, now });
  const tokens = new MachineTokenProvider({ ...config.management, now, store: cluster.tokenStore });
  const management = new ManagementClient({ ...config.management, tokens, now, sleep: clock.sleep, budget: cluster.budget, coalescer: cluster.coalescer });
  const lookups = { management, ttlS: config.roles.cacheTtlS, logger, now };
  const warnings = scopeWarnings(tokens, policy);
  const callers =
    config.roles.source === 'claim'
      ? claimCallerResolver({ ...config.roles, logger, blockedCheck: config.roles.claimBlockedCheck ? lookups : undefined })
      : appMetadataCallerResolver({ ...config.roles, ...lookups, shared: cluster.callerStore });
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
    readiness: readinessCheck(keys, warnings, now, () => cluster.state()),
    scopeWarnings: warnings,
    corsOrigins: config.corsOrigins,
    ticketResultUrls: config.ticketResultUrls,
  };
}
