import type { Logger } from 'pino';
import type { AppDeps } from './app';
import { appMetadataCallerResolver, claimCallerResolver } from './auth/resolve-caller';
import { SigningKeys } from './auth/signing-keys';
import { verifyToken } from './auth/verify-token';
import type { Config } from './config/env';
import { MachineTokenProvider } from './management/machine-token';
import { ManagementClient } from './management/management-client';
import type { Policy } from './policy/policy';
import { readinessCheck } from './readiness';
import type { Clock } from './lib/clock';

/** Knobs tests use to control time and waiting; production uses the system clock. */
export type ClockOverrides = Partial<Clock>;

/** Builds every dependency of the app from the validated config. */
export function buildDependencies(config: Readonly<Config>, logger: Logger, policy: Policy, clock: ClockOverrides = {}): AppDeps & { keys: SigningKeys; tokens: MachineTokenProvider } {
  const now = clock.now ?? Date.now;
  const keys = new SigningKeys({ jwksUri: config.auth.jwksUri, now, timeoutMs: Math.min(config.management.timeoutMs, 5000) });
  const tokens = new MachineTokenProvider({ ...config.management, now });
  const management = new ManagementClient({ ...config.management, tokens, now, sleep: clock.sleep });
  const resolveCaller =
    config.roles.source === 'claim'
      ? claimCallerResolver({ ...config.roles, logger })
      : appMetadataCallerResolver({ management, ...config.roles, ttlS: config.roles.cacheTtlS, logger, now });
  return {
    logger,
    policy,
    keys,
    tokens,
    management,
    resolveCaller,
    verifyToken: verifyToken({ keys, ...config.auth, now }),
    readiness: readinessCheck(keys, tokens, now),
    corsOrigins: config.corsOrigins,
  };
}
