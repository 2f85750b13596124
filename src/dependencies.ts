import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { AppDeps } from './app';
import { appMetadataCallerResolver, claimCallerResolver } from './auth/resolve-caller';
import { SigningKeys } from './auth/signing-keys';
import { verifyToken } from './auth/verify-token';
import type { Config } from './config/env';
import { MachineTokenProvider } from './management/machine-token';
import { ManagementClient } from './management/management-client';
import type { Policy } from './policy/policy';
import type { ReadinessCheck } from './routes/health';

/** Knobs tests use to control time and waiting; production uses the defaults. */
export interface Clock {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Where `npm run build:console` writes the console, relative to the working directory (as ACL_FILE is). */
export const CONSOLE_DIR = 'dist/console';

/** How long a readiness verdict is reused, in ms: probes must not turn into a stream of JWKS fetches. */
const READINESS_TTL_MS = 2000;

function readinessCheck(keys: SigningKeys, tokens: MachineTokenProvider, now: () => number): ReadinessCheck {
  let last: { at: number; result: Awaited<ReturnType<ReadinessCheck>> } | undefined;
  let inflight: ReturnType<ReadinessCheck> | undefined;
  const check: ReadinessCheck = async () => {
    const reasons: string[] = [];
    await Promise.all([
      keys.refresh().catch(() => reasons.push('the JWKS cannot be fetched')),
      tokens.getToken().catch(() => reasons.push('no Management API token can be obtained')),
    ]);
    return reasons.length === 0 ? { ready: true } : { ready: false, reason: reasons.sort().join('; ') };
  };
  return async () => {
    if (last && now() - last.at < READINESS_TTL_MS) return last.result;
    inflight ??= check()
      .then((result) => {
        last = { at: now(), result };
        return result;
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  };
}

/** Builds every dependency of the app from the validated config. */
export function buildDependencies(config: Readonly<Config>, logger: Logger, policy: Policy, clock: Clock = {}): AppDeps & { keys: SigningKeys; tokens: MachineTokenProvider } {
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
    console: config.console && { dir: resolve(CONSOLE_DIR), settings: config.console },
  };
}
