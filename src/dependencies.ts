import type { Logger } from 'pino';
import type { AppDeps } from './app';
import { appMetadataCallerResolver, claimCallerResolver } from './auth/resolve-caller';
import { SigningKeys } from './auth/signing-keys';
import { verifyToken } from './auth/verify-token';
import type { Config } from './config/env';
import { MachineTokenProvider } from './management/machine-token';
import { ManagementClient } from './management/management-client';
import { describeMissing, missingScopes, scopesOfToken } from './management/required-scopes';
import type { Policy } from './policy/policy';
import type { ReadinessCheck } from './routes/health';

/** Knobs tests use to control time and waiting; production uses the defaults. */
export interface Clock {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** How long a readiness verdict is reused, in ms: probes must not turn into a stream of JWKS fetches. */
const READINESS_TTL_MS = 2000;

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

function readinessCheck(keys: SigningKeys, tokens: MachineTokenProvider, now: () => number, warnings: () => Promise<string[]>): ReadinessCheck {
  let last: { at: number; result: Awaited<ReturnType<ReadinessCheck>> } | undefined;
  let inflight: ReturnType<ReadinessCheck> | undefined;
  const check: ReadinessCheck = async () => {
    const reasons: string[] = [];
    let scopes: string[] = [];
    await Promise.all([
      keys.refresh().catch(() => reasons.push('the JWKS cannot be fetched')),
      warnings().then(
        (found) => (scopes = found),
        () => reasons.push('no Management API token can be obtained'),
      ),
    ]);
    if (reasons.length > 0) return { ready: false, reason: reasons.sort().join('; ') };
    return scopes.length > 0 ? { ready: true, warnings: scopes } : { ready: true };
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
export function buildDependencies(
  config: Readonly<Config>,
  logger: Logger,
  policy: Policy,
  clock: Clock = {},
): AppDeps & { keys: SigningKeys; tokens: MachineTokenProvider; scopeWarnings: () => Promise<string[]> } {
  const now = clock.now ?? Date.now;
  const keys = new SigningKeys({ jwksUri: config.auth.jwksUri, now, timeoutMs: Math.min(config.management.timeoutMs, 5000) });
  const tokens = new MachineTokenProvider({ ...config.management, now });
  const management = new ManagementClient({ ...config.management, tokens, now, sleep: clock.sleep });
  const lookups = { management, ttlS: config.roles.cacheTtlS, logger, now };
  const warnings = scopeWarnings(tokens, policy);
  const callers =
    config.roles.source === 'claim'
      ? claimCallerResolver({ ...config.roles, logger, blockedCheck: config.roles.claimBlockedCheck ? lookups : undefined })
      : appMetadataCallerResolver({ ...config.roles, ...lookups });
  return {
    logger,
    policy,
    keys,
    tokens,
    management,
    callers,
    verifyToken: verifyToken({ keys, ...config.auth, now }),
    readiness: readinessCheck(keys, tokens, now, warnings),
    scopeWarnings: warnings,
    corsOrigins: config.corsOrigins,
    ticketResultUrls: config.ticketResultUrls,
  };
}
