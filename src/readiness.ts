import type { SigningKeys } from './auth/signing-keys';
import type { Now } from './lib/clock';
import { singleFlight } from './lib/single-flight';

/** `warnings`: what works but is degraded, e.g. Management API scopes an enabled action lacks. */
export type Readiness = ({ ready: true; warnings?: string[] } | { ready: false; reason: string }) & { details?: Record<string, string> };

/** What /readyz asks (routes/health.ts); built here from the dependencies it probes. */
export type ReadinessCheck = () => Promise<Readiness>;

/** How long a readiness verdict is reused, in ms: probes must not turn into a stream of JWKS fetches. */
export const READINESS_TTL_MS = 2000;

/**
 * Ready when the JWKS can be fetched and a Management API token obtained; one probe at a time, reused
 * for READINESS_TTL_MS. `tokenWarnings` obtains the machine token (a rejection means none can be had)
 * and names what it lacks.
 */
export function readinessCheck(
  keys: Pick<SigningKeys, 'refresh'>,
  tokenWarnings: () => Promise<string[]>,
  now: Now,
  /** Redis's state (`off` without REDIS_URL): a detail, never a reason to be unready, since without it each replica runs alone. */
  redisState: () => string = () => 'off',
): ReadinessCheck {
  let last: { at: number; result: Readiness } | undefined;
  const probe = singleFlight(async (): Promise<Readiness> => {
    const reasons: string[] = [];
    let warnings: string[] = [];
    await Promise.all([
      keys.refresh().catch(() => reasons.push('the JWKS cannot be fetched')),
      tokenWarnings().then(
        (found) => (warnings = found),
        () => reasons.push('no Management API token can be obtained'),
      ),
    ]);
    const result: Readiness =
      reasons.length > 0 ? { ready: false, reason: reasons.sort().join('; ') } : warnings.length > 0 ? { ready: true, warnings } : { ready: true };
    last = { at: now(), result };
    return result;
  });
  const withRedis = (result: Readiness): Readiness => (redisState() === 'off' ? result : { ...result, details: { redis: redisState() } });
  return async () => withRedis(last && now() - last.at < READINESS_TTL_MS ? last.result : await probe());
}
