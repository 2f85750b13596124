import { BoundedCache } from '../lib/bounded-cache';

/** What a lookup found: a value, and whether it says "no such user" (kept in its own, bounded pool). */
export interface Looked<T> {
  value: T;
  unknown: boolean;
}

export interface CallerCacheOptions {
  /** Lifetime of an entry, in ms; 0 caches nothing (concurrent lookups are still shared). */
  ttlMs: number;
  /** Most entries of known users kept at once; the oldest go first. */
  maxEntries: number;
  /** Most "no such user" entries kept at once; the oldest go first. */
  maxUnknown: number;
  now: () => number;
}

/**
 * What usergate knows about each caller, per subject, for a TTL. Bounded: known users and unknown
 * subjects live in separate pools, so a flood of random subjects pushes out only other unknown ones,
 * never the entries of real callers; each pool is a BoundedCache (over node-cache). Concurrent lookups
 * of one subject share one call; failures are not kept. `forget(sub)` drops the entry, and an answer
 * of a lookup that started before it is not kept.
 */
export class CallerCache<T> {
  private readonly known: BoundedCache<string, T>;
  private readonly unknown: BoundedCache<string, T>;
  private readonly inflight = new Map<string, Promise<T>>();

  constructor(private readonly options: CallerCacheOptions) {
    this.known = new BoundedCache({ maxEntries: options.maxEntries, now: options.now });
    this.unknown = new BoundedCache({ maxEntries: options.maxUnknown, now: options.now });
  }

  async get(sub: string, lookup: () => Promise<Looked<T>>): Promise<T> {
    const hit = this.known.get(sub) ?? this.unknown.get(sub);
    if (hit !== undefined) return hit;
    const pending = this.inflight.get(sub);
    if (pending) return pending;
    const started = lookup().then((found) => {
      // Kept only when no `forget(sub)` came while it ran: the lookup may have read the old state.
      if (this.options.ttlMs > 0 && this.inflight.get(sub) === started) {
        const [pool, other] = found.unknown ? [this.unknown, this.known] : [this.known, this.unknown];
        other.delete(sub);
        pool.set(sub, found.value, this.options.now() + this.options.ttlMs);
      }
      return found.value;
    });
    this.inflight.set(sub, started);
    const clear = () => {
      if (this.inflight.get(sub) === started) this.inflight.delete(sub);
    };
    started.then(clear, clear);
    return started;
  }

  forget(sub: string): void {
    this.known.delete(sub);
    this.unknown.delete(sub);
    this.inflight.delete(sub);
  }

  /** Drops every entry (drops published while Redis was away may have been missed). */
  forgetAll(): void {
    this.known.clear();
    this.unknown.clear();
    this.inflight.clear();
  }

  /** Entries held (known and unknown), for tests and diagnostics. */
  get size(): number {
    return this.known.size + this.unknown.size;
  }
}
