import type { Now } from './lib/clock';
import { singleFlight } from './lib/single-flight';

/** The state of one dependency, as /readyz shows it: never a secret, never an upstream address. */
export type CheckResult = { state: 'ok'; detail?: string } | { state: 'failing' | 'warning'; detail: string };

/** One dependency's probe; `failing` makes usergate not ready, `warning` is shown only. */
export type DependencyCheck = () => Promise<CheckResult>;

export interface Readiness {
  ready: boolean;
  /** The failing checks' details, sorted, joined: the message of the 503. */
  reason?: string;
  checks: Record<string, CheckResult>;
}

/** What /readyz asks (routes/health.ts); built here from the dependencies it probes. */
export type ReadinessCheck = () => Promise<Readiness>;

/** How long a readiness verdict is reused, in ms: probes must not turn into a stream of JWKS fetches. */
export const READINESS_TTL_MS = 2000;

/** A check that is ok when `probe` resolves and failing with `detail` when it rejects. */
export function probe(run: () => Promise<unknown>, detail: string): DependencyCheck {
  return () =>
    run().then(
      (): CheckResult => ({ state: 'ok' }),
      (): CheckResult => ({ state: 'failing', detail }),
    );
}

/**
 * Runs every check concurrently. The verdict is reused for READINESS_TTL_MS and concurrent probes share
 * one run, so readiness probes never turn into a stream of JWKS fetches or token requests.
 */
export function readinessOf(checks: Record<string, DependencyCheck>, now: Now, ttlMs = READINESS_TTL_MS): ReadinessCheck {
  let last: { at: number; result: Readiness } | undefined;
  const run = singleFlight(async (): Promise<Readiness> => {
    const names = Object.keys(checks).sort();
    const results = await Promise.all(
      names.map((name) => checks[name]!().catch((): CheckResult => ({ state: 'failing', detail: 'the check failed' }))),
    );
    const entries = names.map((name, i) => [name, results[i]!] as const);
    const failing = entries
      .filter(([, r]) => r.state === 'failing')
      .map(([, r]) => r.detail!)
      .sort();
    const result: Readiness = {
      ready: failing.length === 0,
      reason: failing.length > 0 ? failing.join('; ') : undefined,
      checks: Object.fromEntries(entries),
    };
    last = { at: now(), result };
    return result;
  });
  return async () => (last && now() - last.at < ttlMs ? last.result : run());
}
