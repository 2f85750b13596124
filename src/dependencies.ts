import type { Logger } from 'pino';
import type { AppDeps } from './app';
import { appMetadataCallerResolver, claimCallerResolver } from './auth/resolve-caller';
import { SigningKeys } from './auth/signing-keys';
import { verifyToken } from './auth/verify-token';
import type { Config } from './config/env';
import { MachineTokenProvider } from './management/machine-token';
import { ManagementClient } from './management/management-client';
import { createMetrics } from './metrics/metrics';
import type { Policy } from './policy/policy';
import { probe, readinessOf } from './health/readiness';
import { traceHeaders } from './http/trace-context';

/** Knobs tests use to control time and waiting; production uses the defaults. */
export interface Clock {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Builds every dependency of the app from the validated config. */
export function buildDependencies(config: Readonly<Config>, logger: Logger, policy: Policy, clock: Clock = {}): AppDeps & { keys: SigningKeys; tokens: MachineTokenProvider } {
  const now = clock.now ?? Date.now;
  const metrics = config.metricsPort === undefined ? undefined : createMetrics();
  const keys = new SigningKeys({ jwksUri: config.auth.jwksUri, now, timeoutMs: Math.min(config.management.timeoutMs, 5000), observer: metrics?.keys });
  const tokens = new MachineTokenProvider({ ...config.management, now, observer: metrics?.tokens });
  const management = new ManagementClient({ ...config.management, tokens, now, sleep: clock.sleep, headers: traceHeaders, observer: metrics?.upstream });
  const resolveCaller =
    config.roles.source === 'claim'
      ? claimCallerResolver({ ...config.roles, logger })
      : appMetadataCallerResolver({ management, ...config.roles, ttlS: config.roles.cacheTtlS, logger, now, observer: metrics?.callers });
  return {
    logger,
    policy,
    keys,
    tokens,
    management,
    resolveCaller,
    verifyToken: verifyToken({ keys, ...config.auth, now }),
    // One line per dependency: a later check (Redis, say) is one more entry.
    readiness: readinessOf({
      jwks: probe(() => keys.refresh(), 'the JWKS cannot be fetched'),
      machineToken: probe(() => tokens.getToken(), 'no Management API token can be obtained'),
      policy: async () => ({ state: 'ok', detail: `${policy.roles.size} role(s) loaded` }),
    }, now),
    corsOrigins: config.corsOrigins,
    docs: config.docsEnabled,
    metrics,
  };
}
