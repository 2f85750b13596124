import type { SigningKeys } from './auth/signing-keys';
import type { Now } from './lib/clock';
import { singleFlight } from './lib/single-flight';
import type { MachineTokenProvider } from './management/machine-token';

export type Readiness = { ready: true } | { ready: false; reason: string };

/** What /readyz asks (routes/health.ts); built here from the dependencies it probes. */
export type ReadinessCheck = () => Promise<Readiness>;

/** How long a readiness verdict is reused, in ms: probes must not turn into a stream of JWKS fetches. */
export const READINESS_TTL_MS = 2000;

/** Ready when the JWKS can be fetched and a Management API token obtained; one probe at a time, reused for READINESS_TTL_MS. */
export function readinessCheck(keys: Pick<SigningKeys, 'refresh'>, tokens: Pick<MachineTokenProvider, 'getToken'>, now: Now): ReadinessCheck {
  let last: { at: number; result: Readiness } | undefined;
  const probe = singleFlight(async (): Promise<Readiness> => {
    const reasons: string[] = [];
    await Promise.all([
      keys.refresh().catch(() => reasons.push('the JWKS cannot be fetched')),
      tokens.getToken().catch(() => reasons.push('no Management API token can be obtained')),
    ]);
    const result: Readiness = reasons.length === 0 ? { ready: true } : { ready: false, reason: reasons.sort().join('; ') };
    last = { at: now(), result };
    return result;
  });
  return async () => (last && now() - last.at < READINESS_TTL_MS ? last.result : probe());
}
