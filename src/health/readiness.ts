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

export type ReadinessCheck = () => Promise<Readiness>;

/** A check that is ok when `probe` resolves and failing with `detail` when it rejects. */
export function probe(run: () => Promise<unknown>, detail: string): DependencyCheck {
  return () => run().then(
    (): CheckResult => ({ state: 'ok' }),
    (): CheckResult => ({ state: 'failing', detail }),
  );
}

/**
 * Runs every check concurrently. The verdict is reused for `ttlMs` and concurrent probes share one
 * run, so readiness probes never turn into a stream of JWKS fetches or token requests.
 */
export function readinessOf(checks: Record<string, DependencyCheck>, now: () => number, ttlMs = 2000): ReadinessCheck {
  let last: { at: number; result: Readiness } | undefined;
  let inflight: Promise<Readiness> | undefined;
  const run = async (): Promise<Readiness> => {
    const names = Object.keys(checks).sort();
    const results = await Promise.all(names.map((name) => checks[name]!().catch((): CheckResult => ({ state: 'failing', detail: 'the check failed' }))));
    const entries = names.map((name, i) => [name, results[i]!] as const);
    const failing = entries.filter(([, r]) => r.state === 'failing').map(([, r]) => r.detail!).sort();
    return { ready: failing.length === 0, reason: failing.length > 0 ? failing.join('; ') : undefined, checks: Object.fromEntries(entries) };
  };
  return async () => {
    if (last && now() - last.at < ttlMs) return last.result;
    inflight ??= run()
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
