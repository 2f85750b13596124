import type { Policy } from '../policy/policy';
import { createSearchAnalyses, type SearchAnalyses } from '../policy/search-query';
import { PolicyFileError, type LoadedPolicy } from './policy-file';

/**
 * The policy that decides requests now, with everything derived from it: a request takes one of these
 * when it starts and decides with it to the end, so a reload never mixes two policies in one request,
 * and nothing built for the old policy decides a request that starts after the swap.
 */
export interface ServedPolicy {
  policy: Policy;
  /** Short hash of the file's bytes. */
  version: string;
  /** When this policy was loaded (ms since the epoch). */
  loadedAt: number;
  /** This policy's cache of search-query analyses. */
  searchAnalyses: SearchAnalyses;
}

/** What the app asks for on every request. */
export interface PolicySource {
  current(): ServedPolicy;
}

/** The outcome of a reload: the version now serving, or why the file was refused (the old one still serves). */
export type ReloadOutcome = { ok: true; version: string; previous: string } | { ok: false; problems: string[]; version: string };

/** What /readyz shows of the policy (`checks.policy`). */
export interface PolicyStatus {
  state: 'ok' | 'warning';
  detail: string;
  version: string;
  loaded_at: string;
  error?: string;
}

/**
 * The served policy and its reloads (SIGHUP): `reload` reads the file again; a valid file serves from the
 * next request on, an invalid one is refused and the last good policy keeps serving, its problems kept
 * for /readyz until a reload succeeds.
 */
export class LivePolicy implements PolicySource {
  private served: ServedPolicy;
  private refused?: string[];
  private readonly listeners: ((served: ServedPolicy) => void)[] = [];

  constructor(
    initial: LoadedPolicy,
    private readonly read: () => LoadedPolicy,
    private readonly now: () => number = Date.now,
  ) {
    this.served = this.serve(initial);
  }

  current(): ServedPolicy {
    return this.served;
  }

  /** Called with each newly served policy (the metric of the version listens). */
  onServe(listener: (served: ServedPolicy) => void): void {
    this.listeners.push(listener);
    listener(this.served);
  }

  reload(): ReloadOutcome {
    let loaded: LoadedPolicy;
    try {
      loaded = this.read();
    } catch (err) {
      const problems = err instanceof PolicyFileError ? err.policyProblems : [err instanceof Error ? err.message : String(err)];
      this.refused = problems;
      return { ok: false, problems, version: this.served.version };
    }
    const previous = this.served.version;
    this.refused = undefined;
    this.served = this.serve(loaded);
    for (const listener of this.listeners) listener(this.served);
    return { ok: true, version: loaded.version, previous };
  }

  status(): PolicyStatus {
    const { policy, version, loadedAt } = this.served;
    const base = { version, loaded_at: new Date(loadedAt).toISOString() };
    if (this.refused) {
      return {
        state: 'warning',
        detail: `a reload of the policy file was refused; the last good policy (version ${version}) serves`,
        ...base,
        error: this.refused.join('; '),
      };
    }
    return { state: 'ok', detail: `${policy.roles.size} role(s) loaded`, ...base };
  }

  private serve(loaded: LoadedPolicy): ServedPolicy {
    return { policy: loaded.policy, version: loaded.version, loadedAt: this.now(), searchAnalyses: createSearchAnalyses() };
  }
}

/** A policy that never reloads (a test's own document): served as given, under the version it is given. */
export function fixedPolicy(policy: Policy, version = 'fixed', now: () => number = Date.now): LivePolicy {
  const loaded = { policy, version, file: '(given)' };
  return new LivePolicy(loaded, () => loaded, now);
}
